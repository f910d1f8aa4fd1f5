//! What the Rust emitters share: identifiers, doc attributes, feature
//! gates, the Rust type of a spec type, and which areas use which types.

use std::collections::{BTreeSet, HashMap};

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

pub use crate::ir::ALL_TYPES_FEATURE;

/// Which features compile each type of a version.
///
/// A type's file (its struct or enum) compiles with every area whose
/// operations send or receive it, directly or through its properties and
/// base types; a polymorphic base's `Any` enum only where a value of the
/// base is declared (a property, a body, a response), since the enum names
/// every derived type. Being a base does not bring the base's derived types:
/// that would make every entity compile with every area, `entity` being the
/// base of them all. Relationships (navigation properties) are followed like
/// properties, so that what `$expand` returns is typed. Every type also
/// compiles with [`ALL_TYPES_FEATURE`].
pub(crate) struct TypeFeatures {
    /// By type: the features that compile its file.
    files: HashMap<String, BTreeSet<String>>,
    /// By polymorphic base: the features that compile its `Any` enum.
    anys: HashMap<String, BTreeSet<String>>,
}

/// A node of the type graph: a type's own struct (or enum), or a
/// polymorphic base's `Any` enum.
#[derive(Clone, PartialEq, Eq, Hash)]
enum TypeNode {
    File(String),
    Any(String),
}

impl TypeFeatures {
    pub fn of_version(api: &Api, version: &str) -> Self {
        let mut reached: HashMap<TypeNode, BTreeSet<String>> = HashMap::new();
        // Each node's edges, computed once: a node is reached from every
        // area that uses it.
        let mut memo: HashMap<TypeNode, std::rc::Rc<Vec<TypeNode>>> = HashMap::new();
        for operation in &api.operations {
            let Some(v) = operation.version(version) else {
                continue;
            };
            let feature = api
                .area(&operation.area)
                .map(|a| a.feature.clone())
                .unwrap_or_default();
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
            let mut stack: Vec<TypeNode> = roots
                .into_iter()
                .filter_map(|t| value_node(api, t))
                .collect();
            while let Some(node) = stack.pop() {
                if !reached
                    .entry(node.clone())
                    .or_default()
                    .insert(feature.clone())
                {
                    continue;
                }
                let edges = memo
                    .entry(node.clone())
                    .or_insert_with(|| std::rc::Rc::new(edges(api, version, &node)))
                    .clone();
                stack.extend(edges.iter().cloned());
            }
        }
        let mut files = HashMap::new();
        let mut anys = HashMap::new();
        for def in api
            .types
            .iter()
            .filter(|t| t.versions.iter().any(|v| v == version))
        {
            let name = &def.name.documented;
            let mut features = reached
                .remove(&TypeNode::File(name.clone()))
                .unwrap_or_default();
            features.insert(ALL_TYPES_FEATURE.to_owned());
            files.insert(name.clone(), features);
            if api.polymorphic.contains(name) {
                let mut features = reached
                    .remove(&TypeNode::Any(name.clone()))
                    .unwrap_or_default();
                features.insert(ALL_TYPES_FEATURE.to_owned());
                anys.insert(name.clone(), features);
            }
        }
        TypeFeatures { files, anys }
    }

    /// The features that compile a type's file.
    pub fn file(&self, name: &str) -> BTreeSet<String> {
        self.files.get(name).cloned().unwrap_or_default()
    }

    /// The features that compile a polymorphic base's `Any` enum.
    pub fn any(&self, name: &str) -> BTreeSet<String> {
        self.anys.get(name).cloned().unwrap_or_default()
    }
}

/// The node a value of `ty` needs: the `Any` enum of a polymorphic base,
/// else the type's own.
fn value_node(api: &Api, ty: &TypeRef) -> Option<TypeNode> {
    match ty {
        TypeRef::Named(name) if api.polymorphic.contains(name) => Some(TypeNode::Any(name.clone())),
        TypeRef::Named(name) => Some(TypeNode::File(name.clone())),
        TypeRef::Primitive(_) => None,
    }
}

/// What a node's Rust code names: a type's properties' and relationships'
/// types and its base (whose docs it links); an `Any` enum, its base and
/// every type derived from it.
fn edges(api: &Api, version: &str, node: &TypeNode) -> Vec<TypeNode> {
    match node {
        TypeNode::File(name) => {
            let Some(def) = api.type_def(name) else {
                return Vec::new();
            };
            let mut out: Vec<TypeNode> = api
                .all_properties(def, version)
                .into_iter()
                .filter_map(|p| value_node(api, &p.ty))
                .collect();
            out.extend(def.base_type.iter().map(|b| TypeNode::File(b.clone())));
            out
        }
        TypeNode::Any(name) => {
            let mut out = vec![TypeNode::File(name.clone())];
            out.extend(
                api.derived_types(name, version)
                    .into_iter()
                    .map(|t| TypeNode::File(t.name.documented.clone())),
            );
            out
        }
    }
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
