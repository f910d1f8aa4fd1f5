//! The request builder the fluent client returns: set options, then
//! `.await` it (or call `send`).

use std::future::IntoFuture;
use std::time::Duration;

use crate::additions::Additions;
use crate::client::Client;
use crate::error::Error;
use crate::operation::Operation;
use crate::paging::Page;
use crate::response::Response;
use crate::transport::BoxFuture;

/// OData system query options: `$select`, `$filter`, `$top`, ...
///
/// An operation that documents any of them holds one of these; the fluent
/// request has a setter for each option the page documents (see
/// [`crate::options`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueryOptions {
    /// `$select`: the properties to return.
    pub select: Vec<String>,
    /// `$expand`: the relationships to expand.
    pub expand: Vec<String>,
    /// `$filter`: an OData filter expression.
    pub filter: Option<String>,
    /// `$orderby`: properties to sort by, each optionally `asc` or `desc`.
    pub orderby: Vec<String>,
    /// `$top`: the page size.
    pub top: Option<u32>,
    /// `$skip`: how many items to skip.
    pub skip: Option<u32>,
    /// `$count`: whether to return the total count.
    pub count: Option<bool>,
    /// `$search`: a search expression.
    pub search: Option<String>,
    /// `$skiptoken`: a paging token (OData spells it in lower case, as Graph's next links do).
    pub skip_token: Option<String>,
    /// `$format`: the response format.
    pub format: Option<String>,
    /// `$deltatoken`: the state token of a delta query.
    pub delta_token: Option<String>,
    /// `$apply`: an aggregation transformation.
    pub apply: Option<String>,
    /// `$levels`: how deep a recursive `$expand` goes.
    pub levels: Option<String>,
}

impl QueryOptions {
    /// Appends the options that are set as query pairs, in a fixed order.
    pub fn append_to(&self, query: &mut Vec<(String, String)>) {
        let mut push = |key: &str, value: String| query.push((key.to_owned(), value));
        if !self.select.is_empty() {
            push("$select", self.select.join(","));
        }
        if !self.expand.is_empty() {
            push("$expand", self.expand.join(","));
        }
        if let Some(filter) = &self.filter {
            push("$filter", filter.clone());
        }
        if !self.orderby.is_empty() {
            push("$orderby", self.orderby.join(","));
        }
        if let Some(top) = self.top {
            push("$top", top.to_string());
        }
        if let Some(skip) = self.skip {
            push("$skip", skip.to_string());
        }
        if let Some(count) = self.count {
            push("$count", count.to_string());
        }
        if let Some(search) = &self.search {
            push("$search", search.clone());
        }
        if let Some(token) = &self.skip_token {
            push("$skiptoken", token.clone());
        }
        if let Some(format) = &self.format {
            push("$format", format.clone());
        }
        if let Some(token) = &self.delta_token {
            push("$deltatoken", token.clone());
        }
        if let Some(apply) = &self.apply {
            push("$apply", apply.clone());
        }
        if let Some(levels) = &self.levels {
            push("$levels", levels.clone());
        }
    }
}

/// An operation that takes OData query options.
pub trait HasQueryOptions {
    /// The operation's query options.
    fn query_options_mut(&mut self) -> &mut QueryOptions;
}

/// A request ready to send: an operation and the client to send it with.
#[must_use = "a request does nothing until it is awaited or sent"]
#[derive(Debug)]
pub struct Request<'a, O> {
    client: &'a Client,
    operation: O,
    deadline: Option<Duration>,
    additions: Additions,
}

impl<'a, O: Operation> Request<'a, O> {
    /// A request to send `operation` with `client`.
    pub fn new(client: &'a Client, operation: O) -> Self {
        Request {
            client,
            operation,
            deadline: None,
            additions: Additions::default(),
        }
    }

    /// Adds a header the page does not document (or has no setter for).
    /// It is checked when the request is sent, as documented headers are:
    /// a name or value HTTP does not allow, a header the client sets itself
    /// (`Authorization`, `client-request-id`, `Content-Length`, ...) or one
    /// the request already sets ends the call with an
    /// [`Error::Request`](crate::Error::Request) saying which. The same name
    /// twice sends both. An application `User-Agent` is kept, with the
    /// runtime's after it.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.additions.header(name.into(), value.into());
        self
    }

    /// Adds a query pair, percent-encoded (`&`, `=`, `#` and spaces cannot
    /// change the URL). An option the request already sets (`$select`
    /// through `.select()`, the request line's own `$filter`, an earlier
    /// `.query`) ends the call with an [`Error::Request`](crate::Error::Request)
    /// instead of being sent twice; `select` and `$select` count as one.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.additions.query(name.into(), value.into());
        self
    }

    /// The request as it will be sent: the operation's, with the headers and
    /// query pairs added.
    fn request_parts(&self) -> Result<crate::RequestParts, crate::RequestError> {
        let mut parts = self.operation.to_request()?;
        self.additions.apply(&mut parts)?;
        Ok(parts)
    }

    /// How long this call may take in all, attempts and retry waits included
    /// (for a listing, each page): instead of the client's
    /// [`ClientBuilder::deadline`](crate::ClientBuilder::deadline).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The operation, to read its values.
    pub fn operation(&self) -> &O {
        &self.operation
    }

    /// The operation, to set optional values (query parameters, headers).
    pub fn operation_mut(&mut self) -> &mut O {
        &mut self.operation
    }

    /// Changes the operation and gives the request back, for chaining.
    pub fn with(mut self, change: impl FnOnce(&mut O)) -> Self {
        change(&mut self.operation);
        self
    }

    /// The operation alone, to send elsewhere or build an `http::Request`.
    /// Headers and query pairs added with [`Request::header`] and
    /// [`Request::query`] stay behind; add them to the operation with
    /// [`crate::OperationExt`] instead.
    pub fn into_operation(self) -> O {
        self.operation
    }

    /// Sends the request and parses the output.
    pub async fn send(self) -> Result<O::Output, Error> {
        self.send_with_response().await.map(Response::into_inner)
    }

    /// Sends the request; the output comes with status, headers, request id.
    pub async fn send_with_response(self) -> Result<Response<O::Output>, Error> {
        let parts = self.request_parts()?;
        self.client
            .send_parts_within::<O>(parts, self.deadline)
            .await
    }
}

impl<'a, O, T> Request<'a, O>
where
    O: Operation<Output = Page<T>>,
    T: serde::de::DeserializeOwned + 'a,
{
    /// Every page of the collection, following `@odata.nextLink` (see
    /// [`Client::pages`]).
    pub fn pages(&self) -> impl futures_core::Stream<Item = Result<Page<T>, Error>> + 'a {
        self.client
            .pages_within::<O, T>(self.request_parts(), self.deadline)
    }

    /// Every item of the collection, page after page, as a stream.
    pub fn items(&self) -> impl futures_core::Stream<Item = Result<T, Error>> + 'a {
        crate::paging::items(self.pages())
    }

    /// Every page of the collection, collected; the first error ends it.
    pub async fn all_pages(&self) -> Result<Vec<Page<T>>, Error> {
        futures_util::TryStreamExt::try_collect(self.pages()).await
    }

    /// Every item of the collection, collected; the first error ends it.
    /// Bounded by [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages);
    /// for a collection too large to hold, read [`Request::items`] as it
    /// comes.
    pub async fn all_items(&self) -> Result<Vec<T>, Error> {
        crate::paging::collect_items(self.pages()).await
    }
}

impl<'a, O> IntoFuture for Request<'a, O>
where
    O: Operation + Send + Sync + 'a,
    O::Output: Send + 'a,
{
    type Output = Result<O::Output, Error>;
    type IntoFuture = BoxFuture<'a, Result<O::Output, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
