//! Models: one file per type and version. Structs keep every property a
//! server sends (unknown ones in `additional_properties`); enums keep values
//! they do not know in `Unrecognized`, so nothing is lost on a round trip.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{
    doc, feature_cfg, ident, inner_doc, needs_box, primitive_note, prose, rust_type,
};
use super::{builders, VersionContext};
use crate::emit::format::rust_file;
use crate::emit::{EmitError, GeneratedFile};
use crate::ir::{Deprecation, TypeDef, TypeKind, TypeRef};

/// `#[deprecated(note = ...)]`.
pub(crate) fn deprecated_attr(deprecation: &Option<Deprecation>) -> TokenStream {
    match deprecation {
        None => quote!(),
        Some(d) => {
            let note = d.text();
            quote!(#[deprecated(note = #note)])
        }
    }
}

/// The file of one type in one version.
pub(crate) fn emit_type(ctx: &VersionContext, def: &TypeDef) -> Result<GeneratedFile, EmitError> {
    let item = match def.kind {
        TypeKind::Enum => enum_item(ctx, def),
        TypeKind::Entity | TypeKind::Complex => {
            let any = if ctx.api.polymorphic.contains(&def.name.documented) {
                any_item(ctx, def)
            } else {
                quote!()
            };
            let plain = struct_item(ctx, def);
            quote!(#plain #any)
        }
    };
    let module_doc = format!(" `{}` ({}).", def.name.documented, ctx.version.name);
    let tokens = quote! {
        #![doc = #module_doc]
        #![allow(deprecated)]
        #item
    };
    Ok(GeneratedFile {
        path: format!(
            "src/{}/models/{}.rs",
            ctx.version.module,
            def.name.file_stem()
        ),
        contents: rust_file(Some(&def.file), tokens)?,
        source: Some(def.file.clone()),
    })
}

fn type_doc(ctx: &VersionContext, def: &TypeDef) -> String {
    let mut text = match &def.description {
        Some(d) => prose(d.trim()),
        None => format!("The `{}` type.", def.name.documented),
    };
    text.push_str(&format!("\n\n`@odata.type`: `{}`", def.odata_type));
    let kind = match def.kind {
        TypeKind::Entity => "entity",
        TypeKind::Complex => "complex type",
        TypeKind::Enum => "enum",
    };
    text.push_str(&format!(" · Graph {kind}"));
    if def.is_abstract {
        text.push_str(" · abstract: sent as one of its derived types");
    }
    if let Some(base) = &def.base_type {
        let base_def = ctx.api.type_def(base).expect("validated base type");
        text.push_str(&format!(
            " · derives from [`{}`](super::{}) (its properties are included)",
            base_def.name.documented, base_def.name.pascal
        ));
    }
    if def.open {
        text.push_str(" · open type: undeclared properties are kept in `additional_properties`");
    }
    if let Some(d) = &def.deprecated {
        text.push_str(&format!("\n\n**Deprecated:** {}", prose(&d.text())));
    }
    text
}

fn struct_item(ctx: &VersionContext, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name.pascal);
    let docs = doc(&type_doc(ctx, def));
    // A deprecated type's constructor is marked, not the struct: rustc
    // passes a struct's deprecation on to each of its fields, so reading a
    // response would warn once per field read. Its docs say it either way.
    let deprecated = deprecated_attr(&def.deprecated);
    let models = quote!(super);
    let properties = ctx.api.all_properties(def, &ctx.version.name);
    let setter_names =
        builders::setter_names(&properties.iter().map(|p| &p.name).collect::<Vec<_>>());
    let mut setters = Vec::new();
    let mut new_args = Vec::new();
    let mut new_inits = Vec::new();
    let fields = properties
        .iter()
        .zip(&setter_names)
        .map(|(property, setter_name)| {
            let field = ident(&property.name.snake);
            let wire = &property.name.documented;
            let mut ty = rust_type(&property.ty, property.collection, &models, ctx.api);
            let boxed = needs_box(
                ctx.api,
                &ctx.version.name,
                &def.name.documented,
                &property.ty,
                property.collection,
            );
            if boxed {
                ty = quote!(Box<#ty>);
            }
            let field_deprecated = deprecated_attr(&property.deprecated);
            let value = quote::format_ident!("value");
            let accepted = builders::accepted(
                &property.ty,
                property.collection,
                boxed,
                builders::Wrap::Some,
                &models,
                ctx.api,
                &value,
            );
            setters.push(builders::setter(
                setter_name,
                &field,
                &accepted,
                &field_deprecated,
            ));
            if property.required {
                let arg = accepted.param.clone();
                let store = builders::accepted(
                    &property.ty,
                    property.collection,
                    boxed,
                    builders::Wrap::Some,
                    &models,
                    ctx.api,
                    &field,
                )
                .store;
                new_args.push(quote!(#field: #arg));
                new_inits.push(quote!(#field: #store,));
            }
            let mut text = match &property.description {
                Some(d) => prose(d.trim()),
                None => format!("`{wire}`."),
            };
            // Pages often say it in the description already: say it once.
            if property.read_only && !text.to_ascii_lowercase().contains("read-only") {
                text.push_str(" Read-only.");
            }
            if property.required {
                text.push_str(" Required when sent: [`Self::new`] takes it.");
            }
            if let TypeRef::Primitive(p) = &property.ty {
                if let Some(note) = primitive_note(*p) {
                    text.push(' ');
                    text.push_str(note);
                }
            }
            if let Some(d) = &property.deprecated {
                text.push_str(&format!("\n\n**Deprecated:** {}", prose(&d.text())));
            }
            let field_doc = doc(&text);
            quote! {
                #field_doc
                #field_deprecated
                #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
                pub #field: Option<#ty>,
            }
        })
        .collect::<Vec<_>>();
    let new_doc = if new_args.is_empty() {
        " A value with no property set yet: set them with the setters below."
    } else {
        " A value with its required properties; set the others with the setters below."
    };
    // Many required properties read best as arguments all the same.
    let many = if new_args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let additional = builders::additional_property_setter();
    let new_body = if new_inits.is_empty() {
        quote!(Self::default())
    } else {
        quote!(Self { #(#new_inits)* ..Self::default() })
    };
    quote! {
        #docs
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Properties the specs do not declare (`@odata.type` among them),
            /// kept as received so that nothing is lost on a round trip.
            #[serde(flatten)]
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        }

        impl #name {
            #[doc = #new_doc]
            #deprecated
            #many
            #[inline]
            pub fn new(#(#new_args),*) -> Self {
                #new_body
            }

            #(#setters)*

            #additional
        }
    }
}

/// `AnyMediaConfig`: where `mediaConfig` is declared, the base itself (when
/// it is not abstract) or any type derived from it, told apart by
/// `@odata.type`; a type this crate does not know is kept whole in `Other`.
fn any_item(ctx: &VersionContext, def: &TypeDef) -> TokenStream {
    let any = ident(&super::types::any_name(def));
    // The enum names every derived type: it compiles only where a value of
    // the base is declared, which may be fewer features than its file's.
    let any_features = ctx.features_of_types().any(&def.name.documented);
    let gate = if any_features == ctx.type_features(&def.name.documented) {
        quote!()
    } else {
        feature_cfg(&any_features)
    };
    let mut members: Vec<&TypeDef> = Vec::new();
    if !def.is_abstract {
        members.push(def);
    }
    members.extend(
        ctx.api
            .derived_types(&def.name.documented, &ctx.version.name),
    );
    let variants = members.iter().map(|m| {
        let variant = ident(&m.name.pascal);
        let text = if m.name.documented == def.name.documented {
            format!("`{}` itself (`{}`).", m.name.documented, m.odata_type)
        } else {
            format!("`{}` (`{}`).", m.name.documented, m.odata_type)
        };
        let variant_doc = doc(&text);
        quote!(#variant_doc #variant(Box<super::#variant>),)
    });
    let froms = members.iter().map(|m| {
        let variant = ident(&m.name.pascal);
        quote! {
            #gate
            impl From<super::#variant> for #any {
                #[inline]
                fn from(value: super::#variant) -> Self {
                    Self::#variant(Box::new(value))
                }
            }
        }
    });
    // Derived values carry their tag; the base is written as it is.
    let writes = members.iter().map(|m| {
        let variant = ident(&m.name.pascal);
        if m.name.documented == def.name.documented {
            quote!(Self::#variant(value) => serde::Serialize::serialize(value, serializer),)
        } else {
            let tag = &m.odata_type;
            quote!(Self::#variant(value) => rt::odata::serialize_tagged(value, #tag, serializer),)
        }
    });
    let reads = members
        .iter()
        .filter(|m| m.name.documented != def.name.documented)
        .map(|m| {
            let variant = ident(&m.name.pascal);
            let tag = &m.odata_type;
            quote! {
                Some(tag) if rt::odata::is(tag, #tag) => Self::#variant(Box::new(rt::odata::from_object(object)?)),
            }
        });
    let base_tag = &def.odata_type;
    let fallback = if def.is_abstract {
        quote!(_ => Self::Other(object),)
    } else {
        let variant = ident(&def.name.pascal);
        quote! {
            None => Self::#variant(Box::new(rt::odata::from_object(object)?)),
            Some(tag) if rt::odata::is(tag, #base_tag) => Self::#variant(Box::new(rt::odata::from_object(object)?)),
            _ => Self::Other(object),
        }
    };
    let any_doc = doc(&format!(
        "Where `{}` is declared: {}any type derived from it, told apart by `@odata.type`. A derived value is written with its `@odata.type`; a type this crate does not know is kept whole in [`Self::Other`] and written back as received.",
        def.name.documented,
        if def.is_abstract { "" } else { "the type itself or " }
    ));
    let wire = &def.name.documented;
    quote! {
        #gate
        use msgraph_runtime as rt;

        #any_doc
        #gate
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #any {
            #(#variants)*
            /// A type this crate does not know (its `@odata.type` is in the map), kept as received.
            Other(serde_json::Map<String, serde_json::Value>),
        }

        #(#froms)*

        #gate
        impl serde::Serialize for #any {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                    Self::Other(object) => serde::Serialize::serialize(object, serializer),
                }
            }
        }

        #gate
        impl<'de> serde::Deserialize<'de> for #any {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let serde_json::Value::Object(object) = serde_json::Value::deserialize(deserializer)? else {
                    return Err(rt::odata::not_an_object(#wire));
                };
                let tag = rt::odata::type_of(&object).map(str::to_owned);
                Ok(match tag.as_deref() {
                    #(#reads)*
                    #fallback
                })
            }
        }
    }
}

fn enum_item(ctx: &VersionContext, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name.pascal);
    let mut text = type_doc(ctx, def);
    text.push_str(
        "\n\nValues this crate does not know are kept as [`Self::Unrecognized`], so that a \
         member Graph adds later is neither an error nor lost.",
    );
    let docs = doc(&text);
    let deprecated = deprecated_attr(&def.deprecated);
    let members: Vec<_> = def
        .members
        .iter()
        .filter(|m| m.versions.contains(&ctx.version.name))
        .collect();
    let variants = members.iter().map(|m| {
        let variant = ident(&m.name.pascal);
        let wire = &m.name.documented;
        let mut text = format!("`{wire}`");
        if let Some(d) = &m.description {
            text.push_str(&format!(": {}", prose(d.trim())));
        }
        // Evolvable members: Graph sends them only to callers that ask.
        if m.evolvable {
            if m.description.is_none() {
                text.push(':');
            }
            text.push_str(
                " Sent only when the request carries `Prefer: include-unknown-enum-members`; otherwise Graph sends `unknownFutureValue` in its place.",
            );
        }
        if wire == "unknownFutureValue" {
            // After the page's own description, a sentence of its own.
            text.push_str(if m.description.is_some() { " " } else { ": " });
            text.push_str(
                "Graph's marker for members added after the client's API version. Send \
                 `Prefer: include-unknown-enum-members` to receive those members themselves.",
            );
        }
        let variant_doc = doc(&text);
        let variant_deprecated = deprecated_attr(&m.deprecated);
        quote! { #variant_doc #variant_deprecated #variant, }
    });
    let to_str = members.iter().map(|m| {
        let variant = ident(&m.name.pascal);
        let wire = &m.name.documented;
        quote!(Self::#variant => #wire,)
    });
    let from_str = members.iter().map(|m| {
        let variant = ident(&m.name.pascal);
        let wire = &m.name.documented;
        quote!(#wire => Self::#variant,)
    });
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this crate does not know, kept as received.
            Unrecognized(String),
        }

        impl #name {
            /// The value as Graph writes it.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unrecognized(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unrecognized(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

/// `models/mod.rs` of a version: each type gated by the areas that use it.
pub(crate) fn emit_index(
    ctx: &VersionContext,
    types: &[&TypeDef],
) -> Result<GeneratedFile, EmitError> {
    let items = types.iter().map(|def| {
        let module = ident(&def.name.snake);
        let name = ident(&def.name.pascal);
        let cfg = feature_cfg(&ctx.type_features(&def.name.documented));
        let any = if ctx.api.polymorphic.contains(&def.name.documented) {
            let any = ident(&super::types::any_name(def));
            let any_cfg = feature_cfg(&ctx.features_of_types().any(&def.name.documented));
            quote!(#any_cfg pub use #module::#any;)
        } else {
            quote!()
        };
        quote! {
            #cfg
            mod #module;
            #cfg
            pub use #module::#name;
            #any
        }
    });
    let module_doc = inner_doc(&format!(
        "The types of Microsoft Graph {} that the specs describe. Each compiles only\nwith a feature of an area whose operations use it, or with `all-types`.",
        ctx.version.name
    ));
    let tokens = quote! {
        #module_doc
        #![allow(deprecated)]
        #(#items)*
    };
    Ok(GeneratedFile {
        path: format!("src/{}/models/mod.rs", ctx.version.module),
        contents: rust_file(None, tokens)?,
        source: None,
    })
}
