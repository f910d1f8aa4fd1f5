//! What a page lets the caller add to one request: each OData query option
//! and each well-known optional header is a marker trait, implemented by the
//! operations whose page documents it. The fluent request has a setter for
//! it only then, so `.format(...)` compiles where the page documents
//! `$format`, and nowhere else.

use crate::operation::Operation;
use crate::request::{HasQueryOptions, Request};

macro_rules! option_traits {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            pub trait $name: HasQueryOptions {}
        )*
    };
}

option_traits! {
    /// The page documents `$select`.
    Select,
    /// The page documents `$expand`.
    Expand,
    /// The page documents `$filter`.
    Filter,
    /// The page documents `$orderby`.
    OrderBy,
    /// The page documents `$top`.
    Top,
    /// The page documents `$skip`.
    Skip,
    /// The page documents `$count`.
    Count,
    /// The page documents `$search`.
    Search,
    /// The page documents `$format`.
    Format,
    /// The page documents `$skipToken`.
    SkipToken,
    /// The page documents `$deltatoken`.
    DeltaToken,
    /// The page documents `$apply`.
    Apply,
    /// The page documents `$levels`.
    Levels,
}

/// The page documents the optional `Accept-Language` header.
pub trait AcceptLanguage {
    /// Sets the header's value.
    fn set_accept_language(&mut self, value: String);
}

/// The page documents the optional `Prefer` header.
pub trait Prefer {
    /// Sets the header's value.
    fn set_prefer(&mut self, value: String);
}

/// The page documents the optional `ConsistencyLevel` header.
pub trait ConsistencyLevel {
    /// Sets the header's value.
    fn set_consistency_level(&mut self, value: String);
}

/// The page documents the optional `If-Match` header.
pub trait IfMatch {
    /// Sets the header's value.
    fn set_if_match(&mut self, value: String);
}

/// The page documents the optional `If-None-Match` header.
pub trait IfNoneMatch {
    /// Sets the header's value.
    fn set_if_none_match(&mut self, value: String);
}

/// The well-known optional headers that have a setter on the fluent request:
/// (wire name, the marker trait's name). Other documented headers are
/// fields of the operation.
pub const WELL_KNOWN_HEADERS: &[(&str, &str)] = &[
    ("Accept-Language", "AcceptLanguage"),
    ("Prefer", "Prefer"),
    ("ConsistencyLevel", "ConsistencyLevel"),
    ("If-Match", "IfMatch"),
    ("If-None-Match", "IfNoneMatch"),
];

fn strings<I: IntoIterator<Item = S>, S: Into<String>>(values: I) -> Vec<String> {
    values.into_iter().map(Into::into).collect()
}

impl<O: Operation + Select> Request<'_, O> {
    /// `$select`: the properties to return.
    pub fn select<I: IntoIterator<Item = S>, S: Into<String>>(self, properties: I) -> Self {
        self.with(|o| o.query_options_mut().select = strings(properties))
    }
}

impl<O: Operation + Expand> Request<'_, O> {
    /// `$expand`: the relationships to expand.
    pub fn expand<I: IntoIterator<Item = S>, S: Into<String>>(self, relationships: I) -> Self {
        self.with(|o| o.query_options_mut().expand = strings(relationships))
    }
}

impl<O: Operation + Filter> Request<'_, O> {
    /// `$filter`: an OData filter expression.
    pub fn filter(self, expression: impl Into<String>) -> Self {
        self.with(|o| o.query_options_mut().filter = Some(expression.into()))
    }
}

impl<O: Operation + OrderBy> Request<'_, O> {
    /// `$orderby`: properties to sort by, each optionally `asc` or `desc`.
    pub fn orderby<I: IntoIterator<Item = S>, S: Into<String>>(self, properties: I) -> Self {
        self.with(|o| o.query_options_mut().orderby = strings(properties))
    }
}

impl<O: Operation + Top> Request<'_, O> {
    /// `$top`: the page size.
    pub fn top(self, top: u32) -> Self {
        self.with(|o| o.query_options_mut().top = Some(top))
    }
}

impl<O: Operation + Skip> Request<'_, O> {
    /// `$skip`: how many items to skip.
    pub fn skip(self, skip: u32) -> Self {
        self.with(|o| o.query_options_mut().skip = Some(skip))
    }
}

impl<O: Operation + Count> Request<'_, O> {
    /// `$count`: whether to return the total count.
    pub fn count(self, count: bool) -> Self {
        self.with(|o| o.query_options_mut().count = Some(count))
    }
}

impl<O: Operation + Search> Request<'_, O> {
    /// `$search`: a search expression.
    pub fn search(self, expression: impl Into<String>) -> Self {
        self.with(|o| o.query_options_mut().search = Some(expression.into()))
    }
}

impl<O: Operation + Format> Request<'_, O> {
    /// `$format`: the format of the response (`text/vtt`, `json`, ...).
    pub fn format(self, format: impl Into<String>) -> Self {
        self.with(|o| o.query_options_mut().format = Some(format.into()))
    }
}

impl<O: Operation + SkipToken> Request<'_, O> {
    /// `$skiptoken`: a paging token (OData spells it in lower case, as Graph's next links do).
    pub fn skip_token(self, token: impl Into<String>) -> Self {
        self.with(|o| o.query_options_mut().skip_token = Some(token.into()))
    }
}

impl<O: Operation + DeltaToken> Request<'_, O> {
    /// `$deltatoken`: the state token of a delta query.
    pub fn delta_token(self, token: impl Into<String>) -> Self {
        self.with(|o| o.query_options_mut().delta_token = Some(token.into()))
    }
}

impl<O: Operation + Apply> Request<'_, O> {
    /// `$apply`: an aggregation transformation.
    pub fn apply(self, transformation: impl Into<String>) -> Self {
        self.with(|o| o.query_options_mut().apply = Some(transformation.into()))
    }
}

impl<O: Operation + Levels> Request<'_, O> {
    /// `$levels`: how deep a recursive `$expand` goes (a number or `max`).
    pub fn levels(self, levels: impl Into<String>) -> Self {
        self.with(|o| o.query_options_mut().levels = Some(levels.into()))
    }
}

impl<O: Operation + AcceptLanguage> Request<'_, O> {
    /// `Accept-Language`: the language of localized content in the response.
    pub fn accept_language(self, value: impl Into<String>) -> Self {
        self.with(|o| o.set_accept_language(value.into()))
    }
}

impl<O: Operation + Prefer> Request<'_, O> {
    /// `Prefer`: preferences the page documents (`include-unknown-enum-members`, ...).
    pub fn prefer(self, value: impl Into<String>) -> Self {
        self.with(|o| o.set_prefer(value.into()))
    }
}

impl<O: Operation + ConsistencyLevel> Request<'_, O> {
    /// `ConsistencyLevel`: `eventual` for advanced queries.
    pub fn consistency_level(self, value: impl Into<String>) -> Self {
        self.with(|o| o.set_consistency_level(value.into()))
    }
}

impl<O: Operation + IfMatch> Request<'_, O> {
    /// `If-Match`: the ETag the resource must have.
    pub fn if_match(self, etag: impl Into<String>) -> Self {
        self.with(|o| o.set_if_match(etag.into()))
    }
}

impl<O: Operation + IfNoneMatch> Request<'_, O> {
    /// `If-None-Match`: an ETag the resource must not have.
    pub fn if_none_match(self, etag: impl Into<String>) -> Self {
        self.with(|o| o.set_if_none_match(etag.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, RequestError};
    use crate::operation::{OperationMetadata, Permissions, RequestParts, Target};
    use crate::request::QueryOptions;
    use crate::{Client, PermissionSet};

    /// An operation whose page documents `$filter`, `$top` and `Prefer`.
    #[derive(Default)]
    struct ListThings {
        query: QueryOptions,
        prefer: Option<String>,
    }

    impl Operation for ListThings {
        type Output = ();
        const METADATA: &'static OperationMetadata = &OperationMetadata {
            name: "listThings",
            version: "v1.0",
            method: "GET",
            paths: &["/things"],
            permissions: Permissions {
                delegated_work: PermissionSet::Unsupported,
                delegated_personal: PermissionSet::Unsupported,
                application: PermissionSet::Unsupported,
            },
            clouds: None,
            deprecated: false,
        };
        fn to_request(&self) -> Result<RequestParts, RequestError> {
            let mut request = RequestParts::new(
                http::Method::GET,
                Target::Path {
                    version_base: "/v1.0",
                    path: "/things".into(),
                },
            );
            self.query.append_to(&mut request.query);
            if let Some(prefer) = &self.prefer {
                request = request.header("prefer", prefer)?;
            }
            Ok(request)
        }
        fn parse_response(_: http::Response<bytes::Bytes>) -> Result<(), Error> {
            Ok(())
        }
    }

    impl HasQueryOptions for ListThings {
        fn query_options_mut(&mut self) -> &mut QueryOptions {
            &mut self.query
        }
    }
    impl Filter for ListThings {}
    impl Top for ListThings {}
    impl Prefer for ListThings {
        fn set_prefer(&mut self, value: String) {
            self.prefer = Some(value);
        }
    }

    #[test]
    fn documented_options_and_headers_have_setters_that_reach_the_request() {
        let client = Client::builder().build().expect("a client");
        let request = Request::new(&client, ListThings::default())
            .filter("name eq 'a'")
            .top(5)
            .prefer("include-unknown-enum-members");
        let parts = request.operation().to_request().expect("builds");
        assert_eq!(
            parts.query,
            [
                ("$filter".to_owned(), "name eq 'a'".to_owned()),
                ("$top".to_owned(), "5".to_owned())
            ]
        );
        assert_eq!(parts.headers["prefer"], "include-unknown-enum-members");
        // `.select(...)` does not exist here: `ListThings` is not `Select`.
    }
}
