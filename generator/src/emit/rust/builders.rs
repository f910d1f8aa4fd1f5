//! Chainable setters for models and request bodies, so that a value reads
//! like the page's JSON: `Identity::new().id("...")`. One small method per
//! field and no helper traits, since every setter is compiled by every
//! consumer of the type.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::types::{ident, rust_type};
use crate::ir::{Api, Primitive, TypeRef};
use crate::naming::{dedupe, Form, Name};

/// Methods a model or body has besides its setters, and those of the traits
/// it derives: a setter of that name would hide them in method calls
/// (`value.clone()` would find the setter first).
const RESERVED_METHODS: &[&str] = &[
    "new",
    "additional_property",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "default",
    "serialize",
    "deserialize",
    "into",
    "try_into",
    "to_owned",
    "borrow",
    "borrow_mut",
    "type_id",
    "as_ref",
    "as_str",
];

/// The setter names of fields, in order: the field's own name, or
/// `set_<name>` where that is a reserved method (deduplicated).
pub(crate) fn setter_names(fields: &[&Name]) -> Vec<Ident> {
    let mut names: Vec<Name> = fields
        .iter()
        .map(|name| {
            let bare = name.snake.trim_start_matches("r#");
            let mut name = (*name).clone();
            if RESERVED_METHODS.contains(&bare) {
                name.snake = format!("set_{bare}");
            }
            name
        })
        .collect();
    dedupe(&mut names, Form::Snake, RESERVED_METHODS);
    names.iter().map(|n| ident(&n.snake)).collect()
}

/// How a field holds what its setter is given.
#[derive(Clone, Copy)]
pub(crate) enum Wrap {
    /// `Option<T>` (models, optional parameters).
    Some,
    /// `rt::Patch<T>` (an update's properties).
    Patch,
    /// `T` itself (a required parameter).
    Bare,
}

/// One field's value as a setter or constructor takes it: the parameter's
/// type, and the expression that stores `value` in the field.
pub(crate) struct Accepted {
    pub param: TokenStream,
    pub store: TokenStream,
}

/// What a setter of a property of type `ty` takes: `impl Into<T>` for text,
/// typed values and models (a derived model goes into its `Any` enum), any
/// iterable for a collection, and scalars as they are (an `impl Into<u8>`
/// would not accept a bare integer literal).
pub(crate) fn accepted(
    ty: &TypeRef,
    collection: bool,
    boxed: bool,
    wrap: Wrap,
    models: &TokenStream,
    api: &Api,
    value: &Ident,
) -> Accepted {
    let item = rust_type(ty, false, models, api);
    let scalar = matches!(
        ty,
        TypeRef::Primitive(
            Primitive::Boolean
                | Primitive::Byte
                | Primitive::Int16
                | Primitive::Int32
                | Primitive::Int64
                | Primitive::Single
                | Primitive::Double
                | Primitive::Decimal
                | Primitive::Stream
        )
    );
    let (param, inner) = match (collection, scalar) {
        (true, true) => (
            quote!(impl IntoIterator<Item = #item>),
            quote!(#value.into_iter().collect()),
        ),
        (true, false) => (
            quote!(impl IntoIterator<Item = impl Into<#item>>),
            quote!(#value.into_iter().map(Into::into).collect()),
        ),
        (false, true) => (item, quote!(#value)),
        (false, false) => (quote!(impl Into<#item>), quote!(#value.into())),
    };
    let inner = if boxed {
        quote!(Box::new(#inner))
    } else {
        inner
    };
    let store = match wrap {
        Wrap::Some => quote!(Some(#inner)),
        Wrap::Patch => quote!(rt::Patch::Set(#inner)),
        Wrap::Bare => inner,
    };
    Accepted { param, store }
}

/// A chainable setter: `pub fn field(mut self, value: ...) -> Self`.
pub(crate) fn setter(
    setter: &Ident,
    field: &Ident,
    accepted: &Accepted,
    deprecated: &TokenStream,
) -> TokenStream {
    let Accepted { param, store } = accepted;
    let name = field.to_string();
    // An intra-doc link does not take a raw identifier.
    let text = match name.strip_prefix("r#") {
        Some(raw) => format!(" Sets the field `{raw}`."),
        None => format!(" Sets [`Self::{name}`]."),
    };
    // No `#[inline]`: a generic setter is compiled where it is called, and
    // a small plain one is inlined across crates without it.
    quote! {
        #[doc = #text]
        #deprecated
        pub fn #setter(mut self, value: #param) -> Self {
            self.#field = #store;
            self
        }
    }
}

/// The setter of a property the specs do not declare, kept in
/// `additional_properties`: `.additional_property("identityProvider", "AAD")`.
pub(crate) fn additional_property_setter() -> TokenStream {
    quote! {
        /// Sets a property the specs do not declare, kept in `additional_properties`.
        pub fn additional_property(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
            self.additional_properties.insert(name.into(), value.into());
            self
        }
    }
}
