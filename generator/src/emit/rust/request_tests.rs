//! `tests/requests.rs` of the generated crate: for every operation, version
//! and documented path, the sans-IO layer builds the documented method and
//! URL, and the body the spec describes, with nothing sent anywhere.

use quote::quote;
use serde_json::{json, Value};

use super::operations::{path_enum_ident, path_variant_names};
use super::types::{ident, inner_doc};
use crate::emit::format::rust_file;
use crate::emit::{EmitError, GeneratedFile};
use crate::ir::{Api, Body, ParameterLocation, Primitive, SegmentPart, TypeKind, TypeRef};

/// A sample value: the Rust expression, and the JSON it serializes to.
fn sample(
    api: &Api,
    version: &str,
    ty: &TypeRef,
    collection: bool,
) -> (proc_macro2::TokenStream, Value) {
    if collection {
        // Typed: a constructor takes any iterable of what converts.
        let item = match ty {
            TypeRef::Primitive(p) => super::types::primitive(*p),
            TypeRef::Named(name) => {
                let def = api.type_def(name).expect("validated type");
                let module = ident(&api.version(version).expect("version").module);
                let item = ident(&super::types::any_or_plain(api, def));
                quote!(msgraph_client::#module::models::#item)
            }
        };
        return (quote!(Vec::<#item>::new()), json!([]));
    }
    match ty {
        TypeRef::Primitive(Primitive::Boolean) => (quote!(true), json!(true)),
        TypeRef::Primitive(
            Primitive::Byte | Primitive::Int16 | Primitive::Int32 | Primitive::Int64,
        ) => (quote!(7), json!(7)),
        TypeRef::Primitive(Primitive::Single | Primitive::Double | Primitive::Decimal) => {
            (quote!(1.5), json!(1.5))
        }
        TypeRef::Primitive(Primitive::Json) => {
            (quote!(serde_json::json!({"k": "v"})), json!({"k": "v"}))
        }
        TypeRef::Primitive(_) => (quote!(String::from("sample")), json!("sample")),
        TypeRef::Named(name) => {
            let def = api.type_def(name).expect("validated type");
            let module = ident(&api.version(version).expect("version").module);
            let type_name = ident(&def.name.pascal);
            match def.kind {
                TypeKind::Enum => {
                    let member = def
                        .members
                        .iter()
                        .find(|m| m.versions.iter().any(|v| v == version))
                        .map(|m| m.name.documented.clone())
                        .unwrap_or_default();
                    (
                        quote!(msgraph_client::#module::models::#type_name::from(#member)),
                        json!(member),
                    )
                }
                _ if api.polymorphic.contains(name) => {
                    // The base itself when it can be sent, else its first
                    // derived type, which writes its `@odata.type`.
                    let any = ident(&super::types::any_name(def));
                    let derived = api.derived_types(name, version);
                    match derived.first().filter(|_| def.is_abstract) {
                        Some(first) => {
                            let first_name = ident(&first.name.pascal);
                            (
                                quote!(msgraph_client::#module::models::#any::from(msgraph_client::#module::models::#first_name::default())),
                                json!({"@odata.type": first.odata_type}),
                            )
                        }
                        None => (
                            quote!(msgraph_client::#module::models::#any::from(msgraph_client::#module::models::#type_name::default())),
                            json!({}),
                        ),
                    }
                }
                _ => (
                    quote!(msgraph_client::#module::models::#type_name::default()),
                    json!({}),
                ),
            }
        }
    }
}

/// A query key or value as the runtime encodes it (`msgraph_runtime::path::query`).
fn encode_query(text: &str) -> String {
    const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'$')
        .remove(b',')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')')
        .remove(b':');
    percent_encoding::utf8_percent_encode(text, QUERY).to_string()
}

pub(crate) fn emit(api: &Api) -> Result<Vec<GeneratedFile>, EmitError> {
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let per_operation = crate::parallel::map(
        &api.operations,
        |operation| -> Result<GeneratedFile, EmitError> {
            let mut tests = Vec::new();
            for v in &operation.versions {
                let version = api.version(&v.version).expect("validated version");
                let module = ident(&version.module);
                let area = api.area(&operation.area).expect("validated area");
                let version_feature = &version.module;
                let area_feature = &area.feature;
                let name = ident(&operation.name.pascal);
                for (index, path) in v.paths.iter().enumerate() {
                    let mut args = Vec::new();
                    let mut url_path = String::new();
                    let sample_of = |name: &str| format!("{name}-1");
                    let values: Vec<_> = path
                        .parameters()
                        .map(|name| {
                            let p = v
                                .parameters
                                .iter()
                                .find(|p| p.name.documented == name)
                                .expect("validated parameter");
                            (ident(&p.name.snake), sample_of(name))
                        })
                        .collect();
                    if v.paths.len() == 1 {
                        args.extend(values.iter().map(|(_, value)| quote!(#value)));
                    } else {
                        let path_enum = path_enum_ident(operation);
                        let variant = ident(&path_variant_names(v)[index].pascal);
                        let inits = values
                            .iter()
                            .map(|(field, value)| quote!(#field: #value.to_owned()));
                        args.push(if values.is_empty() {
                            quote!(msgraph_client::#module::operations::#path_enum::#variant)
                        } else {
                            quote!(msgraph_client::#module::operations::#path_enum::#variant { #(#inits),* })
                        });
                    }
                    for segment in &path.segments {
                        url_path.push('/');
                        for part in &segment.parts {
                            match part {
                                SegmentPart::Literal(text) => url_path.push_str(text),
                                SegmentPart::Parameter(n) => url_path.push_str(&sample_of(n)),
                            }
                        }
                    }
                    let mut query: Vec<String> = path
                        .query
                        .iter()
                        .map(|q| {
                            let value: String = q
                                .value
                                .iter()
                                .map(|part| match part {
                                    SegmentPart::Literal(text) => text.clone(),
                                    SegmentPart::Parameter(n) => sample_of(n),
                                })
                                .collect();
                            format!("{}={}", encode_query(&q.key), encode_query(&value))
                        })
                        .collect();
                    for p in v.parameters.iter().filter(|p| {
                        p.location == ParameterLocation::Query && p.required && !p.in_request_line
                    }) {
                        let (expr, value) =
                            sample(api, &v.version, &TypeRef::Primitive(p.ty), p.collection);
                        args.push(expr);
                        let text = match value {
                            Value::String(s) => s,
                            Value::Array(_) => String::new(),
                            other => other.to_string(),
                        };
                        query.push(format!("{}={text}", p.name.documented));
                    }
                    for h in v.headers.iter().filter(|h| h.required && h.value.is_none()) {
                        if h.is_managed() {
                            continue;
                        }
                        args.push(quote!("sample"));
                    }
                    let expected_body = match &v.body {
                        None => None,
                        // An update that changes nothing sends an empty object.
                        Some(Body::Typed {
                            update: Some(_), ..
                        }) => {
                            let body = quote::format_ident!("{}Body", operation.name.pascal);
                            args.push(quote!(msgraph_client::#module::operations::#body::new()));
                            Some(json!({}))
                        }
                        Some(Body::Typed { ty, collection, .. }) => {
                            let (expr, value) = sample(api, &v.version, ty, *collection);
                            args.push(expr);
                            Some(value)
                        }
                        Some(Body::Parameters { parameters, .. }) => {
                            let mut object = serde_json::Map::new();
                            let mut body_args = Vec::new();
                            for p in parameters.iter().filter(|p| p.required) {
                                let (expr, value) = sample(api, &v.version, &p.ty, p.collection);
                                body_args.push(expr);
                                object.insert(p.name.documented.clone(), value);
                            }
                            let body = quote::format_ident!("{}Body", operation.name.pascal);
                            args.push(quote!(msgraph_client::#module::operations::#body::new(#(#body_args),*)));
                            Some(Value::Object(object))
                        }
                        Some(Body::Raw { .. }) => {
                            args.push(quote!(b"raw body".to_vec()));
                            None
                        }
                    };
                    let mut expected_url = format!(
                        "https://graph.microsoft.com{}{}",
                        version.base_path, url_path
                    );
                    if !query.is_empty() {
                        expected_url.push('?');
                        expected_url.push_str(&query.join("&"));
                    }
                    let method = v.method.as_str();
                    let test_name = quote::format_ident!(
                        "{}_{}_path_{}",
                        operation.name.file_stem(),
                        version.module,
                        index
                    );
                    let body_check = match expected_body {
                        Some(value) => {
                            let text = value.to_string();
                            quote! {
                                let body: serde_json::Value = serde_json::from_slice(request.body()).expect("a JSON body");
                                let expected: serde_json::Value = serde_json::from_str(#text).unwrap();
                                assert_eq!(body, expected);
                                assert_eq!(request.headers()["content-type"], "application/json");
                            }
                        }
                        None if matches!(v.body, Some(Body::Raw { .. })) => {
                            quote!(assert_eq!(request.body().as_ref(), b"raw body");)
                        }
                        None => quote!(assert!(request.body().is_empty());),
                    };
                    tests.push(quote! {
                        #[cfg(all(feature = #version_feature, feature = #area_feature))]
                        #[test]
                        fn #test_name() {
                            use msgraph_client::runtime::{Cloud, Endpoint, Operation};
                            let operation = msgraph_client::#module::operations::#name::new(#(#args),*);
                            let request = operation
                                .to_http_request(&Endpoint::cloud(Cloud::Global))
                                .expect("the request builds");
                            assert_eq!(request.method().as_str(), #method);
                            assert_eq!(request.uri().to_string(), #expected_url);
                            #body_check
                        }
                    });
                }
            }
            let module_doc = inner_doc(&format!(
                "The requests `{}` builds.",
                operation.name.documented
            ));
            let tokens = quote! {
                #module_doc

                #(#tests)*
            };
            Ok(GeneratedFile {
                path: format!("tests/requests/{}.rs", operation.name.file_stem()),
                contents: rust_file(Some(&operation.file), tokens)?,
                source: Some(operation.file.clone()),
            })
        },
    );
    for (operation, file) in api.operations.iter().zip(per_operation) {
        let module = ident(&operation.name.snake);
        modules.push(quote!(mod #module;));
        files.push(file?);
    }
    let module_doc = inner_doc(
        "For every operation, version and documented path: the sans-IO layer builds\nthe documented method and URL, and the body the spec describes.",
    );
    let tokens = quote! {
        #module_doc
        #![allow(deprecated)]

        #(#modules)*
    };
    files.push(GeneratedFile {
        path: "tests/requests/main.rs".to_owned(),
        contents: rust_file(None, tokens)?,
        source: None,
    });
    Ok(files)
}
