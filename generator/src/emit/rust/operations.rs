//! Operations: one file per operation and version, with the sans-IO value
//! (fields for the page's parameters, `Operation` with the page's facts as
//! constants) and the fluent method that reaches it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::fluent::Tree;
use super::models::deprecated_attr;
use super::rustdoc::operation_doc;
use super::types::{doc, ident, primitive, prose, rust_type};
use super::VersionContext;
use crate::emit::format::rust_file;
use crate::emit::{EmitError, GeneratedFile};
use crate::ir::{
    Body, Operation, OperationVersion, ParameterLocation, PathTemplate, PermissionRow,
    ResponseBody, SegmentPart, TypeRef,
};
use crate::naming::{dedupe, Form, Name};

/// The file of one operation in one version.
pub(crate) fn emit_operation(
    ctx: &VersionContext,
    tree: &Tree,
    operation: &Operation,
    v: &OperationVersion,
) -> Result<GeneratedFile, EmitError> {
    let name = ident(&operation.name.pascal);
    let models = quote!(models);
    let path_enum_name = format_ident!("{}Path", operation.name.pascal);
    let body_name = format_ident!("{}Body", operation.name.pascal);
    let multiple_paths = v.paths.len() > 1;

    // Fields, and the constructor's arguments.
    let mut fields = Vec::new();
    let mut new_args = Vec::new();
    let mut new_inits = Vec::new();
    for p in v
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
    {
        let field = ident(&p.name.snake);
        let mut text = p
            .description
            .as_deref()
            .map(prose)
            .unwrap_or_else(|| format!("`{}`.", p.name.documented));
        if let Some(documented) = &p.documented_as {
            text.push_str(&format!(" The page writes it `{{{documented}}}`."));
        }
        let field_doc = doc(&text);
        fields.push(quote!(#field_doc pub #field: String,));
        new_args.push(quote!(#field: impl Into<String>));
        new_inits.push(quote!(#field: #field.into(),));
    }
    if multiple_paths {
        fields.push(quote! {
            /// Which documented path to send the request to.
            pub path: #path_enum_name,
        });
        new_inits.push(quote!(path: #path_enum_name::default(),));
    }
    let has_query_options = !v.query_options.is_empty();
    if has_query_options {
        let supported = v
            .query_options
            .iter()
            .map(|o| format!("`${o}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!("OData query options. The page documents {supported}.");
        let field_doc = doc(&text);
        fields.push(quote!(#field_doc pub query: rt::QueryOptions,));
        new_inits.push(quote!(query: rt::QueryOptions::default(),));
    }
    let mut query_pushes = Vec::new();
    for p in v
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
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
            fields.push(quote!(#field_doc pub #field: #ty,));
            new_args.push(quote!(#field: #ty));
            new_inits.push(quote!(#field,));
            query_pushes.push(quote! { { let value = &self.#field; request.query.push((#wire.to_owned(), #to_text)); } });
        } else {
            fields.push(quote!(#field_doc pub #field: Option<#ty>,));
            new_inits.push(quote!(#field: None,));
            query_pushes.push(quote! { if let Some(value) = &self.#field { request.query.push((#wire.to_owned(), #to_text)); } });
        }
    }
    let mut header_sets = Vec::new();
    let mut header_names: Vec<Name> = v
        .headers
        .iter()
        .filter(|h| !h.is_managed())
        .map(|h| Name::new(&h.name))
        .collect();
    dedupe(&mut header_names, Form::Snake, &["path", "query", "body"]);
    for (h, field_name) in v
        .headers
        .iter()
        .filter(|h| !h.is_managed())
        .zip(header_names)
    {
        let wire = &h.name;
        let field = ident(&field_name.snake);
        match (&h.value, h.required) {
            (Some(value), true) => {
                header_sets.push(quote!(request = request.header(#wire, #value)?;))
            }
            _ => {
                let mut text = format!("Header `{wire}`.");
                if let Some(d) = &h.description {
                    text.push_str(&format!(" {}", prose(d)));
                }
                if let Some(value) = &h.value {
                    text.push_str(&format!(" Documented value: `{value}`."));
                }
                let field_doc = doc(&text);
                if h.required {
                    fields.push(quote!(#field_doc pub #field: String,));
                    new_args.push(quote!(#field: impl Into<String>));
                    new_inits.push(quote!(#field: #field.into(),));
                    header_sets.push(quote!(request = request.header(#wire, &self.#field)?;));
                } else {
                    fields.push(quote!(#field_doc pub #field: Option<String>,));
                    new_inits.push(quote!(#field: None,));
                    header_sets.push(quote!(if let Some(value) = &self.#field { request = request.header(#wire, value)?; }));
                }
            }
        }
    }

    // The body.
    let mut body_item = quote!();
    let mut body_set = quote!();
    let mut length_checks = Vec::new();
    match &v.body {
        Some(Body::Typed {
            ty,
            collection,
            description,
        }) => {
            let ty = rust_type(ty, *collection, &models, ctx.api);
            let text = description
                .as_deref()
                .map(prose)
                .unwrap_or_else(|| "The request body.".to_owned());
            let field_doc = doc(&text);
            fields.push(quote!(#field_doc pub body: #ty,));
            new_args.push(quote!(body: #ty));
            new_inits.push(quote!(body,));
            body_set = quote!(request = request.json_body(&self.body)?;);
        }
        Some(Body::Parameters {
            parameters,
            description,
        }) => {
            let mut body_fields = Vec::new();
            let mut body_new_args = Vec::new();
            let mut body_new_inits = Vec::new();
            for p in parameters {
                let field = ident(&p.name.snake);
                let wire = &p.name.documented;
                let ty = rust_type(&p.ty, p.collection, &models, ctx.api);
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
                    body_fields.push(quote!(#field_doc #[serde(rename = #wire)] pub #field: #ty,));
                    body_new_args.push(quote!(#field: #ty));
                    body_new_inits.push(quote!(#field,));
                } else {
                    body_fields.push(quote! {
                        #field_doc
                        #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
                        pub #field: Option<#ty>,
                    });
                    body_new_inits.push(quote!(#field: None,));
                }
                if let Some(max) = p.max_length {
                    let max = proc_macro2::Literal::usize_unsuffixed(max as usize);
                    let access = if p.required {
                        quote!(Some(&self.body.#field))
                    } else {
                        quote!(self.body.#field.as_ref())
                    };
                    length_checks.push(quote! {
                        if let Some(value) = #access {
                            if value.chars().count() > #max {
                                return Err(rt::RequestError::TooLong { parameter: #wire, max: #max });
                            }
                        }
                    });
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
            body_item = quote! {
                #body_doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[non_exhaustive]
                pub struct #body_name {
                    #(#body_fields)*
                    /// Parameters the specs do not declare, sent as given.
                    #[serde(flatten)]
                    pub additional_properties: serde_json::Map<String, serde_json::Value>,
                }

                impl #body_name {
                    /// The body with its required parameters; set optional ones on the fields.
                    #[inline]
                    pub fn new(#(#body_new_args),*) -> Self {
                        Self { #(#body_new_inits)* additional_properties: serde_json::Map::new() }
                    }
                }
            };
            fields.push(quote!(#[doc = " The request body."] pub body: #body_name,));
            new_args.push(quote!(body: #body_name));
            new_inits.push(quote!(body,));
            body_set = quote!(request = request.json_body(&self.body)?;);
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
            let field_doc = doc(&text);
            fields.push(quote!(#field_doc pub body: rt::bytes::Bytes,));
            new_args.push(quote!(body: impl Into<rt::bytes::Bytes>));
            new_inits.push(quote!(body: body.into(),));
            body_set = quote! {
                request = request.header("content-type", #content_type)?;
                request.body = rt::Body::Bytes(self.body.clone());
            };
        }
        None => {}
    }

    // The output.
    let (output, parse) = output_and_parser(ctx, v);

    // Paths.
    let variant_names = path_variant_names(v);
    let path_strings: Vec<&str> = v.paths.iter().map(|p| p.template.as_str()).collect();
    let path_arms = v
        .paths
        .iter()
        .zip(&variant_names)
        .enumerate()
        .map(|(i, (path, variant))| {
            let build = path_builder(path, v);
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            if multiple_paths {
                let variant = ident(&variant.pascal);
                quote!(#path_enum_name::#variant => (PATHS[#i], #build),)
            } else {
                quote!((PATHS[#i], #build))
            }
        });
    let path_select = if multiple_paths {
        quote!(match self.path { #(#path_arms)* })
    } else {
        quote!(#(#path_arms)*)
    };
    let path_enum = if multiple_paths {
        let variants =
            v.paths
                .iter()
                .zip(&variant_names)
                .enumerate()
                .map(|(i, (path, variant))| {
                    let variant = ident(&variant.pascal);
                    let text = format!("`{}{}`", ctx.version.base_path, path.template);
                    let variant_doc = doc(&text);
                    let default = if i == 0 { quote!(#[default]) } else { quote!() };
                    let deprecated = deprecated_attr(&path.deprecated);
                    quote!(#variant_doc #default #deprecated #variant,)
                });
        let enum_doc = doc(&format!(
            "The documented paths of [`{}`]; the default is the first.",
            operation.name.pascal
        ));
        quote! {
            #enum_doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub enum #path_enum_name {
                #(#variants)*
            }
        }
    } else {
        quote!()
    };

    // Metadata.
    let documented_name = &operation.name.documented;
    let version_name = &ctx.version.name;
    let method_text = v.method.as_str();
    let method_ident = format_ident!("{}", method_text);
    let version_base = &ctx.version.base_path;
    let permission_rows = [
        &v.permissions.delegated_work,
        &v.permissions.delegated_personal,
        &v.permissions.application,
    ]
    .map(permission_tokens);
    let [work, personal, application] = permission_rows;
    let clouds = match &v.clouds {
        None => quote!(None),
        Some(clouds) => {
            let variants = clouds
                .iter()
                .map(|c| ident(&crate::naming::pascal_ident(c)));
            quote!(Some(&[#(rt::Cloud::#variants),*]))
        }
    };
    let deprecated_flag = operation.deprecated.is_some() || v.deprecated.is_some();
    let op_deprecated = deprecated_attr(
        &operation
            .deprecated
            .clone()
            .or_else(|| v.deprecated.clone()),
    );
    let docs = doc(&operation_doc(ctx, tree, operation, v));
    let query_impl = if has_query_options {
        quote! {
            impl rt::HasQueryOptions for #name {
                fn query_options_mut(&mut self) -> &mut rt::QueryOptions {
                    &mut self.query
                }
            }
        }
    } else {
        quote!()
    };
    let query_options_append = if has_query_options {
        quote!(self.query.append_to(&mut request.query);)
    } else {
        quote!()
    };
    let new_doc = doc(&format!(
        "The operation with its required values{}; optional ones are `None` and can be set on the fields.",
        if multiple_paths { ", sent to the default path" } else { "" }
    ));
    let changes_request = has_query_options
        || !query_pushes.is_empty()
        || !header_sets.is_empty()
        || !body_set.is_empty();
    let request_binding = if changes_request {
        quote!(let mut request)
    } else {
        quote!(let request)
    };

    // The fluent methods.
    let terminals = v
        .paths
        .iter()
        .zip(&variant_names)
        .enumerate()
        .map(|(i, (path, variant))| {
            terminal_method(
                ctx,
                tree,
                operation,
                v,
                i,
                path,
                &variant.pascal,
                multiple_paths,
            )
        });

    let module_doc = format!(
        " `{} {}{}`: {} ({}).",
        method_text, ctx.version.base_path, v.paths[0].template, operation.title, ctx.version.name
    );
    let uses_models = fields_use_models(v);
    let models_use = if uses_models {
        let module = ident(&ctx.version.module);
        quote!(use crate::#module::models;)
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

        #path_enum

        #body_item

        /// The documented path templates, the default first.
        const PATHS: &[&str] = &[#(#path_strings),*];

        impl #name {
            #new_doc
            #[inline]
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#new_inits)* }
            }
        }

        // Methods are `#[inline]`: their code (and the serde code they use) is
        // generated where an operation is called, not for every operation of
        // the crate, so a build pays for the calls it makes.
        impl rt::Operation for #name {
            type Output = #output;

            const METADATA: &'static rt::OperationMetadata = &rt::OperationMetadata {
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
                deprecated: #deprecated_flag,
            };

            #[inline]
            fn to_request(&self) -> Result<rt::RequestParts, rt::RequestError> {
                #(#length_checks)*
                let (template, path) = #path_select;
                #request_binding = rt::RequestParts::new(
                    rt::http::Method::#method_ident,
                    rt::Target::Path { version_base: #version_base, path },
                )
                .with_template(template);
                #query_options_append
                #(#query_pushes)*
                #(#header_sets)*
                #body_set
                Ok(request)
            }

            #[inline]
            fn parse_response(
                response: rt::http::Response<rt::bytes::Bytes>,
            ) -> Result<Self::Output, rt::Error> {
                #parse
            }
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

fn fields_use_models(v: &OperationVersion) -> bool {
    let named = |ty: &TypeRef| matches!(ty, TypeRef::Named(_));
    let in_body = match &v.body {
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
    let successes: Vec<_> = v
        .responses
        .iter()
        .filter(|r| (200..400).contains(&r.status))
        .collect();
    let with_body = successes.iter().find_map(|r| r.body.as_ref());
    let some_without = successes.iter().any(|r| r.body.is_none());
    match with_body {
        None => (quote!(()), quote!(rt::parse::empty(response))),
        Some(ResponseBody::Raw { .. }) => {
            (quote!(rt::bytes::Bytes), quote!(rt::parse::bytes(response)))
        }
        Some(ResponseBody::Json { ty, collection, .. }) => {
            let item = rust_type(ty, false, &models, ctx.api);
            let ty = if *collection {
                quote!(rt::Page<#item>)
            } else {
                item
            };
            if some_without {
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

fn permission_tokens(row: &PermissionRow) -> TokenStream {
    match row {
        PermissionRow::Unsupported => quote!(rt::PermissionSet::Unsupported),
        PermissionRow::Supported { least, higher, .. } => quote! {
            rt::PermissionSet::Supported { least: &[#(#least),*], higher: &[#(#higher),*] }
        },
    }
}

/// The variants of an operation's path enum, in `paths` order.
pub(crate) fn path_variant_names(v: &OperationVersion) -> Vec<Name> {
    let mut names: Vec<Name> = v.paths.iter().map(|p| Name::new(&path_words(p))).collect();
    dedupe(&mut names, Form::Pascal, &[]);
    names
}

/// Words that name a path: its literal segments.
fn path_words(path: &PathTemplate) -> String {
    path.segments
        .iter()
        .flat_map(|s| s.parts.iter())
        .filter_map(|p| match p {
            SegmentPart::Literal(text) => Some(text.split('(').next().unwrap_or("").to_owned()),
            SegmentPart::Parameter(_) => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The expression that builds a path from the operation's fields, each
/// parameter percent-encoded as one segment.
fn path_builder(path: &PathTemplate, v: &OperationVersion) -> TokenStream {
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
                    let parameter = v
                        .parameters
                        .iter()
                        .find(|p| &p.name.documented == name)
                        .expect("validated parameter");
                    let field = ident(&parameter.name.snake);
                    let documented = &parameter.name.documented;
                    flush(&mut literal, &mut pieces);
                    if sole {
                        pieces.push(quote!(&rt::path::segment(#documented, &self.#field)?));
                    } else {
                        let quoted = previous_literal.is_some_and(|l| l.ends_with('\''));
                        pieces.push(
                            quote!(&rt::path::in_function(#documented, &self.#field, #quoted)?),
                        );
                    }
                }
            }
        }
    }
    flush(&mut literal, &mut pieces);
    match pieces.as_slice() {
        [] => quote!(String::new()),
        [only] => quote!(String::from(#only)),
        _ => quote!([#(#pieces),*].concat()),
    }
}

/// The method of the fluent navigation type at one of the operation's paths.
#[allow(clippy::too_many_arguments)]
fn terminal_method(
    ctx: &VersionContext,
    tree: &Tree,
    operation: &Operation,
    v: &OperationVersion,
    index: usize,
    path: &PathTemplate,
    variant: &str,
    multiple_paths: bool,
) -> TokenStream {
    let node = tree.terminals[&(operation.name.documented.clone(), index)];
    let node_def = &tree.nodes[node];
    let node_type = ident(&node_def.name);
    let module = ident(&ctx.version.module);
    let name = ident(&operation.name.pascal);
    let method = format_ident!("{}", v.method.as_str().to_ascii_lowercase());
    let path_enum = format_ident!("{}Path", operation.name.pascal);
    // The node holds the path's parameters in the order they appear in it.
    let order: Vec<&str> = path.parameters().collect();
    let mut args = Vec::new();
    let mut new_values = Vec::new();
    for p in v
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
    {
        let position = order
            .iter()
            .position(|n| *n == p.name.documented)
            .expect("every path has every path parameter");
        let field = ident(&node_def.params[position].0);
        new_values.push(quote!(self.#field.clone()));
    }
    let models = quote!(models);
    for p in v
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query && p.required)
    {
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
    for h in v
        .headers
        .iter()
        .filter(|h| h.required && h.value.is_none() && !h.is_managed())
    {
        let arg = ident(&Name::new(&h.name).snake);
        args.push(quote!(#arg: impl Into<String>));
        new_values.push(quote!(#arg));
    }
    match &v.body {
        Some(Body::Typed { ty, collection, .. }) => {
            let ty = rust_type(ty, *collection, &models, ctx.api);
            args.push(quote!(body: #ty));
            new_values.push(quote!(body));
        }
        Some(Body::Parameters { .. }) => {
            let body_name = format_ident!("{}Body", operation.name.pascal);
            args.push(quote!(body: #body_name));
            new_values.push(quote!(body));
        }
        Some(Body::Raw { .. }) => {
            args.push(quote!(body: impl Into<rt::bytes::Bytes>));
            new_values.push(quote!(body));
        }
        None => {}
    }
    let set_path = if multiple_paths && index > 0 {
        let variant = ident(variant);
        quote!(operation.path = #path_enum::#variant;)
    } else {
        quote!()
    };
    let binding = if set_path.is_empty() {
        quote!(let operation)
    } else {
        quote!(let mut operation)
    };
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
        .filter_map(|t| match v.permissions.row(*t) {
            PermissionRow::Supported { least, .. } => Some(format!(
                "{}: {}",
                t.title(),
                least
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            PermissionRow::Unsupported => None,
        })
        .collect();
    text.push_str(&format!(
        "\n\nLeast privileged permissions: {}.",
        if least.is_empty() {
            "none documented".to_owned()
        } else {
            least.join("; ")
        }
    ));
    let deprecation = path
        .deprecated
        .clone()
        .or_else(|| operation.deprecated.clone())
        .or_else(|| v.deprecated.clone());
    if let Some(d) = &deprecation {
        text.push_str(&format!("\n\n**Deprecated:** {}", prose(&d.text())));
    }
    let method_doc = doc(&text);
    let deprecated = deprecated_attr(&deprecation);
    quote! {
        impl<'a> crate::#module::paths::#node_type<'a> {
            #method_doc
            #deprecated
            #[inline]
            pub fn #method(&self, #(#args),*) -> rt::Request<'a, #name> {
                #binding = #name::new(#(#new_values),*);
                #set_path
                rt::Request::new(self.client, operation)
            }
        }
    }
}
