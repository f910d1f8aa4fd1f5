//! What the Rust emitters share: identifiers, doc attributes, feature
//! gates, the Rust type of a spec type, and which areas use which types.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Body, Primitive, ResponseBody, TypeRef};

/// An identifier from a name the naming module made (`r#type` included).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The item's doc comment: `///` lines in the formatted file (see
/// `format::deferred_doc`).
pub(crate) fn doc(text: &str) -> TokenStream {
    let marker = crate::emit::format::deferred_doc(text);
    quote!(#[doc = #marker])
}

/// A module's own doc comment: `//!` lines in the formatted file.
pub(crate) fn inner_doc(text: &str) -> TokenStream {
    let marker = crate::emit::format::deferred_doc(text);
    quote!(#![doc = #marker])
}

/// Markdown-safe prose for rustdoc: angle brackets would be read as HTML,
/// and a bare URL (outside code) is made a link, as rustdoc asks.
pub(crate) fn prose(text: &str) -> String {
    let escaped = text.replace('<', "&lt;").replace('>', "&gt;");
    let mut out = String::with_capacity(escaped.len());
    let mut in_code = false;
    let mut rest = escaped.as_str();
    while let Some(c) = rest.chars().next() {
        let at_word_start = out
            .chars()
            .last()
            .is_none_or(|p| p.is_whitespace() || p == '(');
        if !in_code
            && at_word_start
            && (rest.starts_with("https://") || rest.starts_with("http://"))
        {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == ')' || c == '`')
                .unwrap_or(rest.len());
            // Sentence punctuation after a URL is not part of it.
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        if c == '`' {
            in_code = !in_code;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `#[cfg(feature = ...)]` for a set of features: empty is no gate.
pub(crate) fn feature_cfg(features: &BTreeSet<String>) -> TokenStream {
    match features.len() {
        0 => quote!(),
        1 => {
            let f = features.iter().next().expect("one feature");
            quote!(#[cfg(feature = #f)])
        }
        _ => {
            let fs = features.iter();
            quote!(#[cfg(any(#(feature = #fs),*))])
        }
    }
}

/// The Rust type of an Edm primitive.
pub(crate) fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String | Primitive::Binary => quote!(String),
        // Text-keeping values: an odd value Graph sends never fails a
        // response, and is written back as it came.
        Primitive::Guid => quote!(msgraph_runtime::values::Guid),
        Primitive::DateTimeOffset => quote!(msgraph_runtime::values::DateTimeOffset),
        Primitive::Date => quote!(msgraph_runtime::values::Date),
        Primitive::TimeOfDay => quote!(msgraph_runtime::values::TimeOfDay),
        Primitive::Duration => quote!(msgraph_runtime::values::Duration),
        Primitive::Boolean => quote!(bool),
        Primitive::Byte => quote!(u8),
        Primitive::Int16 => quote!(i16),
        Primitive::Int32 => quote!(i32),
        Primitive::Int64 => quote!(i64),
        Primitive::Single => quote!(f32),
        Primitive::Double | Primitive::Decimal => quote!(f64),
        // Within JSON (a property, a body parameter, an update) a stream's
        // content is base64 text; whole-body streams are `rt::Download` and
        // `rt::Upload`, not this.
        Primitive::Stream => quote!(String),
        Primitive::Json => quote!(serde_json::Value),
    }
}

/// What a primitive holds, where `String` alone would not say.
pub(crate) fn primitive_note(p: Primitive) -> Option<&'static str> {
    match p {
        Primitive::Binary => Some("Base64-encoded bytes."),
        Primitive::Stream => Some("Base64-encoded content (a stream sent inside JSON)."),
        Primitive::Decimal => Some("A decimal number."),
        _ => None,
    }
}

/// The Rust type of a spec type. `models` is the path to the version's
/// models module from where the type is written.
pub(crate) fn rust_type(
    ty: &TypeRef,
    collection: bool,
    models: &TokenStream,
    api: &Api,
) -> TokenStream {
    let inner = match ty {
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Named(name) => {
            let def = api.type_def(name).expect("validated type reference");
            let id = ident(&any_or_plain(api, def));
            quote!(#models::#id)
        }
    };
    if collection {
        quote!(Vec<#inner>)
    } else {
        inner
    }
}

/// Which areas' operations use each type in a version, through bodies,
/// responses, properties and base types. A type no operation uses is absent.
pub(crate) fn type_areas(api: &Api, version: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut areas: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Each type's references, computed once: a type is reached from every
    // area that uses it.
    let mut memo: std::collections::HashMap<String, std::rc::Rc<Vec<String>>> =
        std::collections::HashMap::new();
    let mut references_of = |name: &str| -> std::rc::Rc<Vec<String>> {
        if let Some(found) = memo.get(name) {
            return found.clone();
        }
        let found = std::rc::Rc::new(references(api, version, name));
        memo.insert(name.to_owned(), found.clone());
        found
    };
    let feature_of = |area: &str| {
        api.area(area)
            .map(|a| a.feature.clone())
            .unwrap_or_default()
    };
    for operation in &api.operations {
        let Some(v) = operation.version(version) else {
            continue;
        };
        let feature = feature_of(&operation.area);
        let mut roots: Vec<&TypeRef> = Vec::new();
        match &v.body {
            Some(Body::Typed { ty, .. }) => roots.push(ty),
            Some(Body::Parameters { parameters, .. }) => {
                roots.extend(parameters.iter().map(|p| &p.ty))
            }
            _ => {}
        }
        for response in &v.responses {
            if let Some(ResponseBody::Json { ty, .. }) = &response.body {
                roots.push(ty);
            }
        }
        let mut stack: Vec<String> = roots
            .into_iter()
            .filter_map(|t| match t {
                TypeRef::Named(n) => Some(n.clone()),
                TypeRef::Primitive(_) => None,
            })
            .collect();
        while let Some(name) = stack.pop() {
            if !areas
                .entry(name.clone())
                .or_default()
                .insert(feature.clone())
            {
                continue;
            }
            stack.extend(references_of(&name).iter().cloned());
        }
    }
    // A type no operation uses compiles with its version alone; whatever it
    // refers to must then compile with the version alone too.
    let mut always: Vec<String> = api
        .types
        .iter()
        .filter(|t| {
            t.versions.iter().any(|v| v == version) && !areas.contains_key(&t.name.documented)
        })
        .map(|t| t.name.documented.clone())
        .collect();
    while let Some(name) = always.pop() {
        for referenced in references_of(&name).iter() {
            if areas.remove(referenced).is_some() {
                always.push(referenced.clone());
            }
        }
    }
    areas
}

/// The Rust name of a declared type: `AnyMediaConfig` where derived types
/// may stand for it, else the type's own.
pub(crate) fn any_or_plain(api: &Api, def: &crate::ir::TypeDef) -> String {
    if api.polymorphic.contains(&def.name.documented) {
        any_name(def)
    } else {
        def.name.pascal.clone()
    }
}

/// `AnyMediaConfig`: the enum of a polymorphic base and its derived types.
pub(crate) fn any_name(def: &crate::ir::TypeDef) -> String {
    format!("Any{}", def.name.pascal)
}

/// The types a type's Rust code names: its properties' types, its base, and
/// for a polymorphic base, its derived types (its `Any` enum names them).
fn references(api: &Api, version: &str, name: &str) -> Vec<String> {
    let Some(def) = api.type_def(name) else {
        return Vec::new();
    };
    let derived: Vec<String> = if api.polymorphic.contains(name) {
        api.derived_types(name, version)
            .into_iter()
            .map(|t| t.name.documented.clone())
            .collect()
    } else {
        Vec::new()
    };
    let mut out: Vec<String> = api
        .all_properties(def, version)
        .into_iter()
        .filter_map(|p| match &p.ty {
            TypeRef::Named(n) => Some(n.clone()),
            TypeRef::Primitive(_) => None,
        })
        .collect();
    out.extend(def.base_type.clone());
    out.extend(derived);
    out
}

/// Whether `owner.property` must be boxed: a value of its type can contain
/// `owner` again without a collection in between.
pub(crate) fn needs_box(
    api: &Api,
    version: &str,
    owner: &str,
    ty: &TypeRef,
    collection: bool,
) -> bool {
    let TypeRef::Named(start) = ty else {
        return false;
    };
    if collection {
        return false;
    }
    let mut seen = BTreeSet::new();
    let mut stack = vec![start.clone()];
    while let Some(name) = stack.pop() {
        if name == owner {
            return true;
        }
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = api.type_def(&name) else {
            continue;
        };
        for property in api.all_properties(def, version) {
            if let (TypeRef::Named(n), false) = (&property.ty, property.collection) {
                stack.push(n.clone());
            }
        }
    }
    false
}
