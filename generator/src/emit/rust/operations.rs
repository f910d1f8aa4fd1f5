//! Operations: one file per operation and version, with the sans-IO value
//! (fields for the page's parameters, `Operation` with the page's facts as
//! constants) and the fluent methods that reach it. Each part of the file
//! has its own function below; `emit_operation` puts them together.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builders;
use super::fluent::Tree;
use super::models::deprecated_attr;
use super::rustdoc::operation_doc;
use super::types::{doc, ident, primitive, prose, rust_type};
use super::VersionContext;
use crate::emit::format::rust_file;
use crate::emit::{EmitError, GeneratedFile};
use crate::ir::{
    Body, Operation, OperationVersion, Output, Parameter, ParameterLocation, PathTemplate,
    PermissionRow, ResponseBody, SegmentPart, TypeRef,
};
use crate::naming::{dedupe, Form, Name};

/// The content type of a raw body that the caller chooses (an upload of a
/// file of any type).
pub(crate) const ANY_CONTENT_TYPE: &str = "*/*";

/// What the parts of an operation add to its struct, its constructor and
/// its `to_request`.
#[derive(Default)]
struct Parts {
    fields: Vec<TokenStream>,
    new_args: Vec<TokenStream>,
    new_inits: Vec<TokenStream>,
    /// Checks run before the request is built.
    checks: Vec<TokenStream>,
    /// Statements that add to `request`.
    steps: Vec<TokenStream>,
    /// Items beside the operation (the path enum, the body type).
    items: Vec<TokenStream>,
}

/// The file of one operation in one version.
pub(crate) fn emit_operation(
    ctx: &VersionContext,
    tree: &Tree,
    operation: &Operation,
    v: &OperationVersion,
) -> Result<GeneratedFile, EmitError> {
    let name = ident(&operation.name.pascal);
    let mut parts = Parts::default();
    request_line_fields(ctx, operation, v, &mut parts);
    query_parameter_fields(v, &mut parts);
    let query_impl = query_option_field(operation, v, &mut parts);
    header_fields(operation, v, &mut parts);
    body_fields(ctx, operation, v, &mut parts);
    let request = request_line(ctx, operation, v);
    let (output, parse) = output_and_parser(ctx, v);
    let metadata = metadata(ctx, operation, v);
    // What the page documents decides whether a success's body is read, and
    // whether a redirect is the answer.
    let success_body = match v.output() {
        Output::Nothing | Output::Redirect => quote!(rt::SuccessBody::Ignore),
        Output::Bytes { .. } => quote!(rt::SuccessBody::Stream),
        Output::Json { .. } => quote!(rt::SuccessBody::Read),
    };
    // A download's body reaches the caller as it arrives.
    let parse_stream = match v.output() {
        Output::Bytes { .. } => quote! {
            #[inline]
            fn parse_stream(
                response: rt::http::Response<rt::ResponseBody>,
            ) -> Result<Self::Output, rt::Error> {
                rt::parse::download_stream(response)
            }
        },
        _ => quote!(),
    };
    let line_permissions = line_permissions(operation, v);
    let redirect_is_output = if v.output() == Output::Redirect {
        quote!(
            const REDIRECT_IS_OUTPUT: bool = true;
        )
    } else {
        quote!()
    };
    let terminals = (0..v.paths.len()).map(|i| terminal_method(ctx, tree, operation, v, i));

    let Parts {
        fields,
        new_args,
        new_inits,
        checks,
        steps,
        items,
    } = parts;
    let docs = doc(&operation_doc(ctx, tree, operation, v));
    let op_deprecated = deprecated_attr(
        &operation
            .deprecated
            .clone()
            .or_else(|| v.deprecated.clone()),
    );
    let path_strings = v.paths.iter().map(|p| p.template.as_str());
    let new_doc = doc(
        "The operation with its required values; optional ones are `None` and can be set on the fields.",
    );
    let request_binding = if steps.is_empty() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };
    let module_doc = format!(
        " `{} {}{}`: {} ({}).",
        v.method.as_str(),
        ctx.version.base_path,
        v.paths[0].template,
        operation.title,
        ctx.version.name
    );
    let models_use = if fields_use_models(ctx.api, v) {
        let module = ident(&ctx.version.module);
        quote!(use crate::#module::models;)
    } else {
        quote!()
    };
    // An operation that needs no value is also its own default.
    let default_impl = if new_args.is_empty() {
        quote! {
            impl Default for #name {
                #[inline]
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote!()
    };
    let tokens = quote! {
        #![doc = #module_doc]
        #![allow(deprecated)]

        use msgraph_runtime as rt;
        #models_use

        #docs
        #op_deprecated
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #(#items)*

        /// The documented request lines, as the spec writes them (queries decoded).
        const PATHS: &[&str] = &[#(#path_strings),*];

        impl #name {
            #new_doc
            #[inline]
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_inits)* }
            }
        }

        #default_impl

        // Methods are `#[inline]`: their code (and the serde code they use) is
        // generated where an operation is called, not for every operation of
        // the crate, so a build pays for the calls it makes.
        impl rt::Operation for #name {
            type Output = #output;

            const METADATA: &'static rt::OperationMetadata = #metadata;

            const SUCCESS_BODY: rt::SuccessBody = #success_body;
            #redirect_is_output
            #line_permissions

            #[inline]
            fn to_request(&self) -> Result<rt::RequestParts, rt::RequestError> {
                #(#checks)*
                #request_binding = #request;
                #(#steps)*
                Ok(request)
            }

            #[inline]
            fn parse_response(
                response: rt::http::Response<rt::bytes::Bytes>,
            ) -> Result<Self::Output, rt::Error> {
                #parse
            }

            #parse_stream
        }

        #query_impl

        #(#terminals)*
    };
    Ok(GeneratedFile {
        path: format!(
            "src/{}/operations/{}.rs",
            ctx.version.module,
            operation.name.file_stem()
        ),
        contents: rust_file(Some(&operation.file), tokens)?,
        source: Some(operation.file.clone()),
    })
}

/// The parameter a request line names.
fn parameter<'v>(v: &'v OperationVersion, name: &str) -> &'v Parameter {
    v.parameters
        .iter()
        .find(|p| p.name.documented == name)
        .expect("validated parameter")
}

fn parameter_doc(p: &Parameter) -> TokenStream {
    let mut text = p
        .description
        .as_deref()
        .map(prose)
        .unwrap_or_else(|| format!("`{}`.", p.name.documented));
    if let Some(documented) = &p.documented_as {
        text.push_str(&format!(" The page writes it `{{{documented}}}`."));
    }
    if p.allow_slash {
        text.push_str(" May hold `/`: each piece between slashes is encoded on its own.");
    }
    if p.in_request_line && p.location == ParameterLocation::Query {
        // Pages ask callers to encode such values; the client does it.
        text.push_str(
            "\n\nGive the value as it is: the client OData-quotes and percent-encodes it into the request line's query.",
        );
    }
    doc(&text)
}

/// The values of the request line. With one path, a field per parameter;
/// with several, one `path` field whose enum has a variant per path holding
/// exactly that path's values (`/me/...` needs no user id).
fn request_line_fields(
    ctx: &VersionContext,
    operation: &Operation,
    v: &OperationVersion,
    parts: &mut Parts,
) {
    if let [path] = v.paths.as_slice() {
        for name in path.parameters() {
            let p = parameter(v, name);
            let field = ident(&p.name.snake);
            let field_doc = parameter_doc(p);
            parts.fields.push(quote!(#field_doc pub #field: String,));
            parts.new_args.push(quote!(#field: impl Into<String>));
            parts.new_inits.push(quote!(#field: #field.into(),));
        }
        return;
    }
    let enum_name = path_enum_ident(operation);
    let variants = v
        .paths
        .iter()
        .zip(path_variant_names(v))
        .map(|(path, variant)| {
            let variant = ident(&variant.pascal);
            let variant_doc = doc(&format!("`{}{}`", ctx.version.base_path, path.template));
            let deprecated = deprecated_attr(&path.deprecated);
            let fields: Vec<TokenStream> = path
                .parameters()
                .map(|name| {
                    let p = parameter(v, name);
                    let field = ident(&p.name.snake);
                    let field_doc = parameter_doc(p);
                    quote!(#field_doc #field: String,)
                })
                .collect();
            if fields.is_empty() {
                quote!(#variant_doc #deprecated #variant,)
            } else {
                quote!(#variant_doc #deprecated #variant { #(#fields)* },)
            }
        });
    let enum_doc = doc(&format!(
        "The documented request lines of [`{}`], each with its own values.",
        operation.name.pascal
    ));
    // Non-exhaustive: a request line the page adds later is a new variant,
    // not a breaking change.
    parts.items.push(quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #enum_name {
            #(#variants)*
        }
    });
    parts.fields.push(quote! {
        /// The request line to send, with its values.
        pub path: #enum_name,
    });
    parts.new_args.push(quote!(path: #enum_name));
    parts.new_inits.push(quote!(path,));
}

/// Query parameters the caller chooses (not part of a request line).
fn query_parameter_fields(v: &OperationVersion, parts: &mut Parts) {
    for p in v
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query && !p.in_request_line)
    {
        let field = ident(&p.name.snake);
        let wire = &p.name.documented;
        let base = primitive(p.ty);
        let ty = if p.collection {
            quote!(Vec<#base>)
        } else {
            base
        };
        let text = p
            .description
            .as_deref()
            .map(prose)
            .unwrap_or_else(|| format!("`{wire}`."));
        let field_doc = doc(&format!("Query parameter `{wire}`. {text}"));
        let to_text = if p.collection {
            quote!(value
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(","))
        } else {
            quote!(value.to_string())
        };
        if p.required {
            parts.fields.push(quote!(#field_doc pub #field: #ty,));
            parts.new_args.push(quote!(#field: #ty));
            parts.new_inits.push(quote!(#field,));
            parts.steps.push(quote! { { let value = &self.#field; request.query.push((#wire.to_owned(), #to_text)); } });
        } else {
            parts
                .fields
                .push(quote!(#field_doc pub #field: Option<#ty>,));
            parts.new_inits.push(quote!(#field: None,));
            parts.steps.push(quote! { if let Some(value) = &self.#field { request.query.push((#wire.to_owned(), #to_text)); } });
        }
    }
}

/// The OData options the page documents, and the impl that lets the fluent
/// request set them.
fn query_option_field(
    operation: &Operation,
    v: &OperationVersion,
    parts: &mut Parts,
) -> TokenStream {
    if v.query_options.is_empty() {
        return quote!();
    }
    let supported = v
        .query_options
        .iter()
        .map(|o| format!("`${o}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let field_doc = doc(&format!(
        "OData query options. The page documents {supported}."
    ));
    parts
        .fields
        .push(quote!(#field_doc pub query: rt::QueryOptions,));
    parts
        .new_inits
        .push(quote!(query: rt::QueryOptions::default(),));
    parts
        .steps
        .insert(0, quote!(self.query.append_to(&mut request.query);));
    let name = ident(&operation.name.pascal);
    // A setter on the fluent request for each option the page documents.
    let markers = v.query_options.iter().filter_map(|o| {
        let marker = ident(option_marker(o)?);
        Some(quote!(impl rt::options::#marker for #name {}))
    });
    quote! {
        impl rt::HasQueryOptions for #name {
            fn query_options_mut(&mut self) -> &mut rt::QueryOptions {
                &mut self.query
            }
        }

        #(#markers)*
    }
}

/// The runtime's marker trait of an OData option (without `$`).
fn option_marker(option: &str) -> Option<&'static str> {
    Some(match option {
        "select" => "Select",
        "expand" => "Expand",
        "filter" => "Filter",
        "orderby" => "OrderBy",
        "top" => "Top",
        "skip" => "Skip",
        "count" => "Count",
        "search" => "Search",
        "format" => "Format",
        "skipToken" => "SkipToken",
        "deltatoken" => "DeltaToken",
        "apply" => "Apply",
        "levels" => "Levels",
        _ => return None,
    })
}

/// The runtime's marker trait of a well-known optional header, and its setter.
fn header_marker(wire: &str) -> Option<(&'static str, &'static str)> {
    Some(match wire.to_ascii_lowercase().as_str() {
        "accept-language" => ("AcceptLanguage", "set_accept_language"),
        "prefer" => ("Prefer", "set_prefer"),
        "consistencylevel" => ("ConsistencyLevel", "set_consistency_level"),
        "if-match" => ("IfMatch", "set_if_match"),
        "if-none-match" => ("IfNoneMatch", "set_if_none_match"),
        _ => return None,
    })
}

/// The page's request headers: a fixed value is always sent; others are
/// fields, required ones in the constructor; an optional well-known header
/// also gets its setter on the fluent request.
fn header_fields(operation: &Operation, v: &OperationVersion, parts: &mut Parts) {
    let name = ident(&operation.name.pascal);
    let headers: Vec<_> = v.headers.iter().filter(|h| !h.is_managed()).collect();
    let mut names: Vec<Name> = headers.iter().map(|h| Name::new(&h.name)).collect();
    dedupe(&mut names, Form::Snake, &["path", "query", "body"]);
    for (h, field_name) in headers.into_iter().zip(names) {
        let wire = &h.name;
        let field = ident(&field_name.snake);
        if let (Some(value), true) = (&h.value, h.required) {
            parts
                .steps
                .push(quote!(request = request.header(#wire, #value)?;));
            continue;
        }
        let mut text = format!("Header `{wire}`.");
        if let Some(d) = &h.description {
            text.push_str(&format!(" {}", prose(d)));
        }
        if let Some(value) = &h.value {
            text.push_str(&format!(" Documented value: `{value}`."));
        }
        let field_doc = doc(&text);
        if h.required {
            parts.fields.push(quote!(#field_doc pub #field: String,));
            parts.new_args.push(quote!(#field: impl Into<String>));
            parts.new_inits.push(quote!(#field: #field.into(),));
            parts
                .steps
                .push(quote!(request = request.header(#wire, &self.#field)?;));
        } else {
            parts
                .fields
                .push(quote!(#field_doc pub #field: Option<String>,));
            parts.new_inits.push(quote!(#field: None,));
            if let Some((marker, setter)) = header_marker(wire) {
                let (marker, setter) = (ident(marker), ident(setter));
                parts.items.push(quote! {
                    impl rt::options::#marker for #name {
                        fn #setter(&mut self, value: String) {
                            self.#field = Some(value);
                        }
                    }
                });
            }
            parts.steps.push(
                quote!(if let Some(value) = &self.#field { request = request.header(#wire, value)?; }),
            );
        }
    }
}

/// The request body: a model, the action's own body type, or raw bytes.
fn body_fields(
    ctx: &VersionContext,
    operation: &Operation,
    v: &OperationVersion,
    parts: &mut Parts,
) {
    let models = quote!(models);
    match &v.body {
        Some(Body::Typed {
            ty: TypeRef::Named(name),
            update: Some(update),
            description,
            ..
        }) => {
            let body_name = body_ident(operation);
            parts
                .items
                .push(update_body(ctx, operation, name, update, description));
            parts
                .fields
                .push(quote!(#[doc = " The request body: the properties to change."] pub body: #body_name,));
            parts.new_args.push(quote!(body: #body_name));
            parts.new_inits.push(quote!(body,));
            parts
                .steps
                .push(quote!(request = request.json_body(&self.body)?;));
        }
        Some(Body::Typed {
            ty,
            collection,
            description,
            ..
        }) => {
            let ty = rust_type(ty, *collection, &models, ctx.api);
            let text = description
                .as_deref()
                .map(prose)
                .unwrap_or_else(|| "The request body.".to_owned());
            let field_doc = doc(&text);
            parts.fields.push(quote!(#field_doc pub body: #ty,));
            parts.new_args.push(quote!(body: #ty));
            parts.new_inits.push(quote!(body,));
            parts
                .steps
                .push(quote!(request = request.json_body(&self.body)?;));
        }
        Some(Body::Parameters {
            parameters,
            description,
        }) => {
            let body_name = body_ident(operation);
            parts
                .items
                .push(action_body(ctx, operation, parameters, description));
            for p in parameters.iter().filter(|p| p.max_length.is_some()) {
                let field = ident(&p.name.snake);
                let wire = &p.name.documented;
                let max =
                    proc_macro2::Literal::usize_unsuffixed(p.max_length.unwrap_or(0) as usize);
                let access = if p.required {
                    quote!(Some(&self.body.#field))
                } else {
                    quote!(self.body.#field.as_ref())
                };
                parts.checks.push(quote! {
                    if let Some(value) = #access {
                        if value.chars().count() > #max {
                            return Err(rt::RequestError::TooLong { parameter: #wire, max: #max });
                        }
                    }
                });
            }
            parts
                .fields
                .push(quote!(#[doc = " The request body."] pub body: #body_name,));
            parts.new_args.push(quote!(body: #body_name));
            parts.new_inits.push(quote!(body,));
            parts
                .steps
                .push(quote!(request = request.json_body(&self.body)?;));
        }
        Some(Body::Raw {
            content_type,
            description,
        }) => {
            let text = format!(
                "The request body: `{content_type}` content.{}",
                description
                    .as_deref()
                    .map(|d| format!(" {}", prose(d)))
                    .unwrap_or_default()
            );
            let field_doc = doc(&format!(
                "{text} Bytes in memory, or a stream (`rt::Upload::stream`) sent as it is read."
            ));
            parts.fields.push(quote!(#field_doc pub body: rt::Upload,));
            parts.new_args.push(quote!(body: impl Into<rt::Upload>));
            parts.new_inits.push(quote!(body: body.into(),));
            if content_type == ANY_CONTENT_TYPE {
                // The content's own type, which the caller knows.
                parts.fields.push(quote! {
                    /// The body's media type (`text/plain`, `image/png`, ...); `application/octet-stream` when `None`.
                    pub content_type: Option<String>,
                });
                parts.new_inits.push(quote!(content_type: None,));
                parts.steps.push(quote! {
                    request = request.header(
                        "content-type",
                        self.content_type.as_deref().unwrap_or("application/octet-stream"),
                    )?;
                });
            } else {
                parts
                    .steps
                    .push(quote!(request = request.header("content-type", #content_type)?;));
            }
            parts
                .steps
                .push(quote!(request.body = self.body.to_body();));
        }
        None => {}
    }
}

/// The body of an update: each property it may change is left unchanged
/// (not sent), cleared (`null`) or set; nothing else of the resource is
/// sent, read-only properties included.
fn update_body(
    ctx: &VersionContext,
    operation: &Operation,
    type_name: &str,
    update: &[String],
    description: &Option<String>,
) -> TokenStream {
    let models = quote!(models);
    let body_name = body_ident(operation);
    let def = ctx.api.type_def(type_name).expect("validated type");
    let properties = ctx.api.all_properties(def, &ctx.version.name);
    let updatable: Vec<_> = update
        .iter()
        .filter_map(|name| properties.iter().find(|p| &p.name.documented == name))
        .collect();
    let setter_names =
        builders::setter_names(&updatable.iter().map(|p| &p.name).collect::<Vec<_>>());
    let value = format_ident!("value");
    let setters: Vec<TokenStream> = updatable
        .iter()
        .zip(&setter_names)
        .map(|(p, setter)| {
            let accepted = builders::accepted(
                &p.ty,
                p.collection,
                false,
                builders::Wrap::Patch,
                &models,
                ctx.api,
                &value,
            );
            let field = ident(&p.name.snake);
            builders::setter(setter, &field, &accepted, &deprecated_attr(&p.deprecated))
        })
        .collect();
    let fields = updatable.iter().map(|p| {
        let field = ident(&p.name.snake);
        let wire = &p.name.documented;
        let ty = rust_type(&p.ty, p.collection, &models, ctx.api);
        let text = p
            .description
            .as_deref()
            .map(prose)
            .unwrap_or_else(|| format!("`{wire}`."));
        let field_doc = doc(&text);
        quote! {
            #field_doc
            #[serde(rename = #wire, default, skip_serializing_if = "rt::Patch::is_unchanged")]
            pub #field: rt::Patch<#ty>,
        }
    });
    let body_doc = doc(&format!(
        "The body of [`{}`]: the properties of `{type_name}` to change. A setter sets one; a property left `Unchanged` is not sent, and one set to `Clear` on its field sends `null`.{}",
        operation.name.pascal,
        description
            .as_deref()
            .map(|d| format!("\n\n{}", prose(d)))
            .unwrap_or_default()
    ));
    let fields: Vec<TokenStream> = fields.collect();
    body_struct(
        body_doc,
        &body_name,
        &fields,
        true,
        quote! {
            /// An update that changes nothing yet.
            #[inline]
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*
        },
    )
}

/// A request body type: its fields, the undeclared properties it keeps, and
/// its constructor.
fn body_struct(
    body_doc: TokenStream,
    body_name: &proc_macro2::Ident,
    fields: &[TokenStream],
    default: bool,
    constructor: TokenStream,
) -> TokenStream {
    let default = if default { quote!(Default,) } else { quote!() };
    let additional = builders::additional_property_setter();
    quote! {
        #body_doc
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #body_name {
            #(#fields)*
            /// Properties the specs do not declare, sent as given.
            #[serde(flatten)]
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        }

        impl #body_name {
            #constructor

            #additional
        }
    }
}

/// The type of an action's inline parameters.
fn action_body(
    ctx: &VersionContext,
    operation: &Operation,
    parameters: &[crate::ir::BodyParameter],
    description: &Option<String>,
) -> TokenStream {
    let models = quote!(models);
    let body_name = body_ident(operation);
    let mut fields = Vec::new();
    let mut new_args = Vec::new();
    let mut new_inits = Vec::new();
    let mut setters = Vec::new();
    let optional: Vec<&Name> = parameters
        .iter()
        .filter(|p| !p.required)
        .map(|p| &p.name)
        .collect();
    let mut setter_names = builders::setter_names(&optional).into_iter();
    let value = format_ident!("value");
    for p in parameters {
        let field = ident(&p.name.snake);
        let wire = &p.name.documented;
        let ty = rust_type(&p.ty, p.collection, &models, ctx.api);
        // Action parameters have no deprecation of their own in the specs.
        let deprecated = quote!();
        let mut text = p
            .description
            .as_deref()
            .map(prose)
            .unwrap_or_else(|| format!("`{wire}`."));
        if p.required {
            text.push_str(" Required.");
        }
        let field_doc = doc(&text);
        if p.required {
            let accepted = builders::accepted(
                &p.ty,
                p.collection,
                false,
                builders::Wrap::Bare,
                &models,
                ctx.api,
                &field,
            );
            let (param, store) = (accepted.param, accepted.store);
            fields.push(quote!(#field_doc #deprecated #[serde(rename = #wire)] pub #field: #ty,));
            new_args.push(quote!(#field: #param));
            new_inits.push(quote!(#field: #store,));
        } else {
            fields.push(quote! {
                #field_doc
                #deprecated
                #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
                pub #field: Option<#ty>,
            });
            new_inits.push(quote!(#field: None,));
            let accepted = builders::accepted(
                &p.ty,
                p.collection,
                false,
                builders::Wrap::Some,
                &models,
                ctx.api,
                &value,
            );
            let setter = setter_names.next().unwrap_or_else(|| field.clone());
            setters.push(builders::setter(&setter, &field, &accepted, &deprecated));
        }
    }
    let body_doc = doc(&format!(
        "The body of [`{}`]: the action's parameters.{}",
        operation.name.pascal,
        description
            .as_deref()
            .map(|d| format!("\n\n{}", prose(d)))
            .unwrap_or_default()
    ));
    // With nothing required, the empty body is a valid one.
    body_struct(
        body_doc,
        &body_name,
        &fields,
        new_args.is_empty(),
        quote! {
            /// The body with its required parameters; set the others with the setters below.
            #[inline]
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_inits)* additional_properties: serde_json::Map::new() }
            }

            #(#setters)*
        },
    )
}

/// The expression that starts the request: method, path and fixed query of
/// the request line (a `match` over the path enum when there are several).
fn request_line(ctx: &VersionContext, operation: &Operation, v: &OperationVersion) -> TokenStream {
    let start = |index: usize, path: &PathTemplate, value: &dyn Fn(&Parameter) -> TokenStream| {
        let method = format_ident!("{}", v.method.as_str());
        let version_base = &ctx.version.base_path;
        let i = proc_macro2::Literal::usize_unsuffixed(index);
        let fixed = path.query.iter().map(|q| {
            let key = &q.key;
            let value = query_value_builder(q, v, value);
            quote!(.query_pair(#key, #value))
        });
        // The runtime fills the template (one call instead of the pieces);
        // a parameter that may hold `/` is encoded piece by piece here.
        if let Some(parameters) = fillable(path, v) {
            let values = parameters.into_iter().map(value);
            return quote! {
                rt::RequestParts::at(rt::http::Method::#method, #version_base, PATHS[#i], &[#(#values),*])?
                #(#fixed)*
            };
        }
        let build = path_builder(path, v, value);
        quote! {
            rt::RequestParts::new(
                rt::http::Method::#method,
                rt::Target::Path { version_base: #version_base, path: #build },
            )
            .with_template(PATHS[#i])
            #(#fixed)*
        }
    };
    if let [path] = v.paths.as_slice() {
        return start(0, path, &|p| {
            let field = ident(&p.name.snake);
            quote!(&self.#field)
        });
    }
    let enum_name = path_enum_ident(operation);
    let arms = v
        .paths
        .iter()
        .zip(path_variant_names(v))
        .enumerate()
        .map(|(i, (path, variant))| {
            let variant = ident(&variant.pascal);
            let bound: Vec<_> = path
                .parameters()
                .map(|n| ident(&parameter(v, n).name.snake))
                .collect();
            let pattern = if bound.is_empty() {
                quote!(#enum_name::#variant)
            } else {
                quote!(#enum_name::#variant { #(#bound),* })
            };
            let expr = start(i, path, &|p| {
                let field = ident(&p.name.snake);
                quote!(#field)
            });
            quote!(#pattern => #expr,)
        });
    quote!(match &self.path { #(#arms)* })
}

fn fields_use_models(api: &crate::ir::Api, v: &OperationVersion) -> bool {
    let named = |ty: &TypeRef| matches!(ty, TypeRef::Named(_));
    let in_body = match &v.body {
        Some(Body::Typed {
            ty: TypeRef::Named(name),
            update: Some(update),
            ..
        }) => api.type_def(name).is_some_and(|def| {
            api.all_properties(def, &v.version)
                .iter()
                .any(|p| update.contains(&p.name.documented) && named(&p.ty))
        }),
        Some(Body::Typed { ty, .. }) => named(ty),
        Some(Body::Parameters { parameters, .. }) => parameters.iter().any(|p| named(&p.ty)),
        _ => false,
    };
    let in_response = v
        .responses
        .iter()
        .any(|r| matches!(&r.body, Some(ResponseBody::Json { ty, .. }) if named(ty)));
    in_body || in_response
}

/// The output type and the parser call for an operation's success responses.
fn output_and_parser(ctx: &VersionContext, v: &OperationVersion) -> (TokenStream, TokenStream) {
    let models = quote!(models);
    match v.output() {
        Output::Nothing => (quote!(()), quote!(rt::parse::empty(response))),
        Output::Redirect => (quote!(rt::Redirect), quote!(rt::parse::redirect(response))),
        Output::Bytes { .. } => (quote!(rt::Download), quote!(rt::parse::download(response))),
        Output::Json {
            ty,
            collection,
            optional,
        } => {
            let item = rust_type(&ty, false, &models, ctx.api);
            let ty = if collection {
                quote!(rt::Page<#item>)
            } else {
                item
            };
            if optional {
                (
                    quote!(Option<#ty>),
                    quote!(rt::parse::json_or_empty(response)),
                )
            } else {
                (ty, quote!(rt::parse::json(response)))
            }
        }
    }
}

/// The page's facts as a constant.
fn metadata(ctx: &VersionContext, operation: &Operation, v: &OperationVersion) -> TokenStream {
    let documented_name = &operation.name.documented;
    let version_name = &ctx.version.name;
    let method_text = v.method.as_str();
    let [work, personal, application] = [
        &v.permissions.delegated_work,
        &v.permissions.delegated_personal,
        &v.permissions.application,
    ]
    .map(permission_tokens);
    let clouds = match &v.clouds {
        None => quote!(None),
        Some(clouds) => {
            let variants = clouds
                .iter()
                .map(|c| ident(&crate::naming::pascal_ident(c)));
            quote!(Some(&[#(rt::Cloud::#variants),*]))
        }
    };
    let deprecated = operation.deprecated.is_some() || v.deprecated.is_some();
    quote! {
        &rt::OperationMetadata {
            name: #documented_name,
            version: #version_name,
            method: #method_text,
            paths: PATHS,
            permissions: rt::Permissions {
                delegated_work: #work,
                delegated_personal: #personal,
                application: #application,
            },
            clouds: #clouds,
            deprecated: #deprecated,
        }
    }
}

fn permissions_tokens(permissions: &crate::ir::Permissions) -> TokenStream {
    let [work, personal, application] = [
        &permissions.delegated_work,
        &permissions.delegated_personal,
        &permissions.application,
    ]
    .map(permission_tokens);
    quote! {
        rt::Permissions {
            delegated_work: #work,
            delegated_personal: #personal,
            application: #application,
        }
    }
}

/// Where the page gives a table per request line: the table of the line
/// the operation value is sent to.
fn line_permissions(operation: &Operation, v: &OperationVersion) -> TokenStream {
    if v.paths.len() < 2 || v.paths.iter().all(|p| p.permissions.is_none()) {
        return quote!();
    }
    let enum_name = path_enum_ident(operation);
    let arms = v
        .paths
        .iter()
        .zip(path_variant_names(v))
        .map(|(path, variant)| {
            let variant = ident(&variant.pascal);
            let table = match &path.permissions {
                Some(table) => {
                    let table = permissions_tokens(table);
                    quote!(&#table)
                }
                None => quote!(&Self::METADATA.permissions),
            };
            quote!(#enum_name::#variant { .. } => #table,)
        });
    quote! {
        #[inline]
        fn permissions(&self) -> &'static rt::Permissions {
            match &self.path {
                #(#arms)*
            }
        }
    }
}

fn permission_tokens(row: &PermissionRow) -> TokenStream {
    match row {
        PermissionRow::Unsupported => quote!(rt::PermissionSet::Unsupported),
        PermissionRow::NotRequired => quote!(rt::PermissionSet::NotRequired),
        PermissionRow::Supported { least, higher, .. } => quote! {
            rt::PermissionSet::Supported { least: &[#(#least),*], higher: &[#(#higher),*] }
        },
    }
}

/// `DeleteParticipantPath`: the enum of an operation's request lines.
pub(crate) fn path_enum_ident(operation: &Operation) -> proc_macro2::Ident {
    format_ident!("{}Path", operation.name.pascal)
}

fn body_ident(operation: &Operation) -> proc_macro2::Ident {
    format_ident!("{}Body", operation.name.pascal)
}

/// The variants of an operation's path enum, in `paths` order.
pub(crate) fn path_variant_names(v: &OperationVersion) -> Vec<Name> {
    let mut names: Vec<Name> = v.paths.iter().map(|p| Name::new(&path_words(p))).collect();
    dedupe(&mut names, Form::Pascal, &[]);
    names
}

/// Words that name a path: its literal segments, and `by` the parameters of
/// its fixed query (`me online meetings by join web url`).
fn path_words(path: &PathTemplate) -> String {
    let mut words: Vec<String> = path
        .segments
        .iter()
        .flat_map(|s| s.parts.iter())
        .filter_map(|p| match p {
            SegmentPart::Literal(text) => Some(text.split('(').next().unwrap_or("").to_owned()),
            SegmentPart::Parameter(_) => None,
        })
        .collect();
    let query: Vec<&str> = path.query_parameters().collect();
    if !query.is_empty() {
        words.push("by".to_owned());
        words.push(query.join(" and "));
    }
    words.join(" ")
}

/// The parameters of a request line's path in template order, where the
/// runtime's `path::fill` builds it from the template as `path_builder`
/// would: no parameter may hold `/`, and the template's path is the
/// segments' text.
fn fillable<'v>(path: &PathTemplate, v: &'v OperationVersion) -> Option<Vec<&'v Parameter>> {
    let mut text = String::new();
    let mut parameters = Vec::new();
    for segment in &path.segments {
        text.push('/');
        for part in &segment.parts {
            match part {
                SegmentPart::Literal(literal) => text.push_str(literal),
                SegmentPart::Parameter(name) => {
                    let p = parameter(v, name);
                    if p.allow_slash {
                        return None;
                    }
                    text.push('{');
                    text.push_str(name);
                    text.push('}');
                    parameters.push(p);
                }
            }
        }
    }
    let template_path = path.template.split('?').next().unwrap_or("");
    (text == template_path).then_some(parameters)
}

/// The expression that builds a path from the request line's values, each
/// percent-encoded as one segment (or piece by piece when it may hold `/`).
fn path_builder(
    path: &PathTemplate,
    v: &OperationVersion,
    value: &dyn Fn(&Parameter) -> TokenStream,
) -> TokenStream {
    // Literal text is merged: `["/communications/calls/", &id, ...]`.
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut literal = String::new();
    let flush = |literal: &mut String, pieces: &mut Vec<TokenStream>| {
        if !literal.is_empty() {
            let text = std::mem::take(literal);
            pieces.push(quote!(#text));
        }
    };
    for segment in &path.segments {
        literal.push('/');
        let sole = segment.sole_parameter().is_some();
        let mut previous_literal: Option<&str> = None;
        for part in &segment.parts {
            match part {
                SegmentPart::Literal(text) => {
                    literal.push_str(text);
                    previous_literal = Some(text);
                }
                SegmentPart::Parameter(name) => {
                    let p = parameter(v, name);
                    let access = value(p);
                    let documented = &p.name.documented;
                    flush(&mut literal, &mut pieces);
                    if p.allow_slash {
                        pieces.push(quote!(&rt::path::segments(#documented, #access)?));
                    } else if sole {
                        pieces.push(quote!(&rt::path::segment(#documented, #access)?));
                    } else {
                        let quoted = previous_literal.is_some_and(|l| l.ends_with('\''));
                        pieces.push(quote!(&rt::path::in_function(#documented, #access, #quoted)?));
                    }
                }
            }
        }
    }
    flush(&mut literal, &mut pieces);
    concat(pieces)
}

/// The value of a fixed query pair: literals, and the values in them (as
/// OData string content inside quotes). The query encoder encodes the rest.
fn query_value_builder(
    query: &crate::ir::FixedQuery,
    v: &OperationVersion,
    value: &dyn Fn(&Parameter) -> TokenStream,
) -> TokenStream {
    let quoted: std::collections::HashMap<&str, bool> = query.parameters().collect();
    let pieces = query
        .value
        .iter()
        .map(|part| match part {
            SegmentPart::Literal(text) => quote!(#text),
            SegmentPart::Parameter(name) => {
                let access = value(parameter(v, name));
                if quoted.get(name.as_str()).copied().unwrap_or(false) {
                    quote!(&rt::path::odata_string(#access))
                } else {
                    quote!(#access)
                }
            }
        })
        .collect();
    concat(pieces)
}

fn concat(pieces: Vec<TokenStream>) -> TokenStream {
    match pieces.as_slice() {
        [] => quote!(String::new()),
        [only] => quote!(String::from(#only)),
        _ => quote!([#(#pieces),*].concat()),
    }
}

/// The name of the fluent method that sends an operation at one of its
/// paths: the HTTP method, `get_by_join_web_url` for a fixed query, and
/// the method with the operation's name at a request line several
/// operations share (`get_android_custom_configuration`).
pub(crate) fn terminal_name(
    operation: &Operation,
    v: &OperationVersion,
    path: &PathTemplate,
) -> String {
    let method = v.method.as_str().to_ascii_lowercase();
    if path.shared {
        let name = operation.name.snake.trim_start_matches("r#");
        let rest = name.strip_prefix(&format!("{method}_")).unwrap_or(name);
        return format!("{method}_{rest}");
    }
    let query: Vec<String> = path
        .query_parameters()
        .map(|n| {
            parameter(v, n)
                .name
                .snake
                .trim_start_matches("r#")
                .to_owned()
        })
        .collect();
    // The fixed pairs with no value to give (`?includeHiddenFolders=true`,
    // `&$top=5`) tell apart lines whose values are the same.
    let fixed: Vec<String> = path
        .query
        .iter()
        .filter(|q| q.parameters().next().is_none())
        .map(|q| heck::ToSnakeCase::to_snake_case(q.key.trim_start_matches('$')))
        .collect();
    let with = if fixed.is_empty() {
        String::new()
    } else {
        format!("_with_{}", fixed.join("_and_"))
    };
    if !query.is_empty() {
        format!("{method}_by_{}{with}", query.join("_and_"))
    } else {
        format!("{method}{with}")
    }
}

/// The method of the fluent navigation type at one of the operation's paths.
fn terminal_method(
    ctx: &VersionContext,
    tree: &Tree,
    operation: &Operation,
    v: &OperationVersion,
    index: usize,
) -> TokenStream {
    let path = &v.paths[index];
    let node = tree.terminals[&(operation.name.documented.clone(), index)];
    let node_def = &tree.nodes[node];
    let node_type = ident(&node_def.name);
    let module = ident(&ctx.version.module);
    let name = ident(&operation.name.pascal);
    let method = ident(&terminal_name(operation, v, path));
    let models = quote!(models);
    let mut args = Vec::new();
    // The path's values: from the navigation node (which holds the
    // segments' parameters in path order), or arguments for a fixed query.
    let mut line_values = Vec::new();
    let names = tree.names_for(node, path);
    for name in path.parameters() {
        let p = parameter(v, name);
        let field = ident(&p.name.snake);
        let held = |d: &String| names.get(d).map_or(d.as_str(), String::as_str) == name;
        match node_def.params.iter().position(|(_, d)| held(d)) {
            Some(position) => {
                let node_field = ident(&node_def.params[position].0);
                line_values.push((field, quote!(self.#node_field.clone())));
            }
            None => {
                args.push(quote!(#field: impl Into<String>));
                line_values.push((field.clone(), quote!(#field.into())));
            }
        }
    }
    let mut new_values: Vec<TokenStream> = if v.paths.len() == 1 {
        line_values.iter().map(|(_, value)| value.clone()).collect()
    } else {
        let enum_name = path_enum_ident(operation);
        let variant = ident(&path_variant_names(v)[index].pascal);
        let inits = line_values
            .iter()
            .map(|(field, value)| quote!(#field: #value));
        if line_values.is_empty() {
            vec![quote!(#enum_name::#variant)]
        } else {
            vec![quote!(#enum_name::#variant { #(#inits),* })]
        }
    };
    for p in required_query_parameters(v) {
        let arg = ident(&p.name.snake);
        let base = primitive(p.ty);
        let ty = if p.collection {
            quote!(Vec<#base>)
        } else {
            base
        };
        args.push(quote!(#arg: #ty));
        new_values.push(quote!(#arg));
    }
    for h in caller_headers(v) {
        let arg = ident(&Name::new(&h.name).snake);
        args.push(quote!(#arg: impl Into<String>));
        new_values.push(quote!(#arg));
    }
    match &v.body {
        Some(Body::Typed {
            update: Some(_), ..
        }) => {
            let body_name = body_ident(operation);
            args.push(quote!(body: #body_name));
            new_values.push(quote!(body));
        }
        Some(Body::Typed {
            ty: named @ TypeRef::Named(_),
            collection: false,
            ..
        }) => {
            // A derived value goes into its `Any` enum without a call to say so.
            let ty = rust_type(named, false, &models, ctx.api);
            args.push(quote!(body: impl Into<#ty>));
            new_values.push(quote!(body.into()));
        }
        Some(Body::Typed { ty, collection, .. }) => {
            let ty = rust_type(ty, *collection, &models, ctx.api);
            args.push(quote!(body: #ty));
            new_values.push(quote!(body));
        }
        Some(Body::Parameters { .. }) => {
            let body_name = body_ident(operation);
            args.push(quote!(body: #body_name));
            new_values.push(quote!(body));
        }
        Some(Body::Raw { .. }) => {
            args.push(quote!(body: impl Into<rt::Upload>));
            new_values.push(quote!(body));
        }
        None => {}
    }
    // A deprecated path is marked where the chain enters it (the
    // navigation accessor); the call is marked for a deprecation of its own.
    let own = operation
        .deprecated
        .clone()
        .or_else(|| v.deprecated.clone());
    let deprecation = path.deprecated.clone().or_else(|| own.clone());
    let method_doc = doc(&terminal_doc(ctx, operation, v, path, &deprecation));
    let deprecated = if node_def.deprecated.is_some() {
        deprecated_attr(&own)
    } else {
        deprecated_attr(&deprecation)
    };
    quote! {
        impl<'a> crate::#module::paths::#node_type<'a> {
            #method_doc
            #deprecated
            #[inline]
            pub fn #method(&self, #(#args),*) -> rt::Request<'a, #name> {
                rt::Request::new(self.client, #name::new(#(#new_values),*))
            }
        }
    }
}

fn terminal_doc(
    ctx: &VersionContext,
    operation: &Operation,
    v: &OperationVersion,
    path: &PathTemplate,
    deprecation: &Option<crate::ir::Deprecation>,
) -> String {
    let mut text = format!(
        "{}\n\n`{} {}{}`: sends [`{}`].",
        prose(&operation.summary),
        v.method.as_str(),
        ctx.version.base_path,
        path.template,
        operation.name.pascal,
    );
    let least: Vec<String> = crate::ir::PermissionType::ALL
        .iter()
        .filter_map(
            |t| match path.permissions.as_ref().unwrap_or(&v.permissions).row(*t) {
                PermissionRow::Supported { least, .. } => Some(format!(
                    "{}: {}",
                    t.title(),
                    least
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
                PermissionRow::NotRequired => Some(format!("{}: none needed", t.title())),
                PermissionRow::Unsupported => None,
            },
        )
        .collect();
    text.push_str(&format!(
        "\n\nLeast privileged permissions: {}.",
        if least.is_empty() {
            "none documented".to_owned()
        } else {
            least.join("; ")
        }
    ));
    if let Some(d) = deprecation {
        text.push_str(&format!("\n\n**Deprecated:** {}", prose(&d.text())));
    }
    text
}

/// The required query parameters a terminal method takes (after the request
/// line's values), in order.
pub(crate) fn required_query_parameters(
    v: &OperationVersion,
) -> impl Iterator<Item = &crate::ir::Parameter> {
    v.parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query && p.required && !p.in_request_line)
}

/// The required headers the caller gives a terminal method (after the
/// required query parameters), in order: not fixed, not set by the client.
pub(crate) fn caller_headers(v: &OperationVersion) -> impl Iterator<Item = &crate::ir::Header> {
    v.headers
        .iter()
        .filter(|h| h.required && h.value.is_none() && !h.is_managed())
}
