//! The client: sends operations with a token, a `client-request-id`, a
//! timeout, retries on throttling and redirects that keep the token at home.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use http::Method;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth::{TokenProvider, TokenRequest};
use crate::endpoint::{Cloud, Endpoint, EndpointError};
use crate::error::{Error, RequestError};
use crate::operation::SuccessBody;
use crate::operation::{Operation, OperationMetadata, RequestParts, Target};
use crate::paging::{Listing, Page};
use crate::pipeline::{Call, Received};
use crate::response::{parse, Response};
use crate::response_body::DEFAULT_MAX_RESPONSE_BODY;
use crate::retry::RetryPolicy;
use crate::transport::{BoxFuture, Transport};

/// Waits between retries. Tests plug in one that records and returns at once;
/// the client counts each wait as asked against the call's deadline, whether
/// or not that time really passed.
pub trait Sleep: Send + Sync {
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// Waits on tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A Microsoft Graph client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) endpoint: Endpoint,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) token: Option<Arc<dyn TokenProvider>>,
    /// What the token provider is asked for: the cloud's scope, or the
    /// builder's.
    pub(crate) token_request: TokenRequest,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) max_redirects: u32,
    pub(crate) max_pages: u64,
    pub(crate) max_response_body: u64,
    pub(crate) deadline: Duration,
    pub(crate) sleep: Arc<dyn Sleep>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("deadline", &self.inner.deadline)
            .field("token", &self.inner.token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    endpoint: Result<Endpoint, EndpointError>,
    transport: Option<Arc<dyn Transport>>,
    token: Option<Arc<dyn TokenProvider>>,
    scopes: Option<Vec<String>>,
    retry: RetryPolicy,
    timeout: Duration,
    max_redirects: u32,
    max_pages: u64,
    max_response_body: u64,
    deadline: Duration,
    sleep: Arc<dyn Sleep>,
}

/// The default of [`ClientBuilder::deadline`]: 3 minutes.
///
/// Graph gives up on a request after 100 s (the default per-attempt
/// timeout); 3 minutes allows one such attempt and the retries and
/// throttling waits after a quick failure, and bounds a call to a server
/// that accepts and never answers, where 4 attempts of 100 s and their
/// waits took nearly 7 minutes.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(180);

/// The default of [`ClientBuilder::max_pages`].
pub const DEFAULT_MAX_PAGES: u64 = 100_000;

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            endpoint: Ok(Endpoint::default()),
            transport: None,
            token: None,
            scopes: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(100),
            max_redirects: 5,
            max_pages: DEFAULT_MAX_PAGES,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            deadline: DEFAULT_DEADLINE,
            sleep: Arc::new(TokioSleep),
        }
    }
}

impl ClientBuilder {
    /// Sends to a national cloud (default: [`Cloud::Global`]).
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.endpoint = Ok(Endpoint::cloud(cloud));
        self
    }

    /// Sends to a custom base URL: a proxy, or a local server in tests,
    /// such as `http://127.0.0.1:8080`, without the API version (the
    /// operations add `/v1.0` or `/beta`). A URL that is not usable is
    /// reported by [`ClientBuilder::build`] as [`Error::InvalidBaseUrl`],
    /// saying what to pass instead.
    ///
    /// Tokens are asked for the global cloud's scope unless
    /// [`ClientBuilder::scopes`] says otherwise.
    pub fn base_url(mut self, base_url: &str) -> Self {
        self.endpoint = Endpoint::custom(base_url);
        self
    }

    /// The token provider; without one, requests carry no `Authorization`.
    /// It is asked for the scope of the client's cloud
    /// ([`Cloud::graph_scope`]: `https://graph.microsoft.us/.default` for
    /// [`Cloud::UsGov`], ...) unless [`ClientBuilder::scopes`] is set.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// The scopes the token provider is asked for, instead of the cloud's
    /// `/.default` scope: for a proxy in front of a national cloud, or
    /// delegated sign-in with named permissions
    /// (`https://graph.microsoft.com/User.Read`).
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// A transport other than reqwest.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// A preconfigured reqwest client (proxies, pools, TLS roots).
    #[cfg(feature = "reqwest")]
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.transport = Some(Arc::new(crate::transport::ReqwestTransport::with_client(
            client,
        )));
        self
    }

    /// How throttled and unavailable responses are retried.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// How long one call may take in all: its attempts, the waits between
    /// them, its redirects (default [`DEFAULT_DEADLINE`], 3 minutes, which
    /// says why). An attempt still running at the deadline is cut short, and
    /// a retry wait that would end past it is not begun: the call ends with
    /// [`Error::Deadline`]. [`crate::Request::deadline`] sets it for one call;
    /// for a listing it applies to each page.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The timeout of each attempt (default 100 seconds, as Graph's own).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many redirects one call follows (default 5).
    pub fn max_redirects(mut self, max_redirects: u32) -> Self {
        self.max_redirects = max_redirects;
        self
    }

    /// How many pages one listing ([`Client::pages`]) fetches before it
    /// ends with an error (default [`DEFAULT_MAX_PAGES`], 100,000: a million
    /// items at Graph's smallest default page size of 10). The bound is there
    /// so that a service that keeps answering with new next links cannot
    /// keep a listing going forever; raise it for larger collections.
    pub fn max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// The largest response body read, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`], 64 MiB, which says why). A larger body
    /// ends the call with [`Error::BodyTooLarge`] as soon as the limit is
    /// passed, or before reading when its `Content-Length` announces more.
    /// Error bodies are kept only up to [`crate::MAX_ERROR_BODY`] whatever
    /// the limit.
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// How the client waits between retries.
    pub fn sleep(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Arc::new(sleep);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let endpoint = self.endpoint.map_err(Error::InvalidBaseUrl)?;
        let cloud = endpoint.national_cloud();
        let scopes = self
            .scopes
            .unwrap_or_else(|| vec![cloud.unwrap_or(Cloud::Global).graph_scope().to_owned()]);
        let token_request = TokenRequest::new(scopes, cloud);
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport()?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                endpoint,
                transport,
                token: self.token,
                token_request,
                retry: self.retry,
                timeout: self.timeout,
                max_redirects: self.max_redirects,
                max_pages: self.max_pages,
                max_response_body: self.max_response_body,
                deadline: self.deadline,
                sleep: self.sleep,
            }),
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    let transport =
        crate::transport::ReqwestTransport::new().map_err(|source| Error::Transport {
            source,
            attempts: 0,
        })?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    Err(Error::Transport {
        source: crate::error::TransportError::new(
            "no transport: enable the `reqwest` feature or call `ClientBuilder::transport`",
        ),
        attempts: 0,
    })
}

impl Client {
    /// A builder with the defaults: global cloud, reqwest, retries on 429,
    /// 503 and 504, 100 s per attempt, 3 minutes per call.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Where requests go.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// Sends an operation and parses its output.
    pub async fn send<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        self.send_with_response(operation)
            .await
            .map(Response::into_inner)
    }

    /// Sends an operation; the output comes with the status, the headers and
    /// the request id.
    pub async fn send_with_response<O: Operation>(
        &self,
        operation: &O,
    ) -> Result<Response<O::Output>, Error> {
        self.send_within(operation, None).await
    }

    /// [`Client::send_with_response`] with a deadline of its own, or the
    /// client's.
    pub(crate) async fn send_within<O: Operation>(
        &self,
        operation: &O,
        deadline: Option<Duration>,
    ) -> Result<Response<O::Output>, Error> {
        self.send_parts_within::<O>(operation.to_request()?, deadline)
            .await
    }

    /// Sends the request an operation of type `O` built (and a caller may
    /// have added to), and parses it as `O`'s output.
    pub(crate) async fn send_parts_within<O: Operation>(
        &self,
        parts: RequestParts,
        deadline: Option<Duration>,
    ) -> Result<Response<O::Output>, Error> {
        let call = Call {
            credentials: true,
            success_body: O::SUCCESS_BODY,
            deadline: deadline.unwrap_or(self.inner.deadline),
            follow_redirects: !O::REDIRECT_IS_OUTPUT,
        };
        let received = self.call(O::METADATA, parts, call).await?;
        let response = received.response;
        let status = response.status();
        let headers = response.headers().clone();
        let value = match received.stream {
            Some(stream) => {
                let (head, _) = response.into_parts();
                O::parse_stream(http::Response::from_parts(head, stream))?
            }
            None => O::parse_response(response)?,
        };
        Ok(Response {
            value,
            status,
            headers,
        })
    }

    /// The pages of a paged collection, following `@odata.nextLink` until it
    /// is absent. A relative next link is resolved against the URL of the
    /// page that gave it. A next link on another origin is followed without
    /// credentials, and so is every page after it.
    ///
    /// The listing ends with [`Error::Paging`] when a next link points to a
    /// page it already fetched (the service is looping), cannot be sent, or
    /// would fetch more than [`ClientBuilder::max_pages`] pages; the pages
    /// before come through first.
    pub fn pages<'a, O, T>(
        &'a self,
        operation: &O,
    ) -> impl Stream<Item = Result<Page<T>, Error>> + 'a
    where
        O: Operation<Output = Page<T>>,
        T: DeserializeOwned + 'a,
    {
        self.pages_within::<O, T>(operation.to_request(), None)
    }

    /// Every item of a paged collection, page after page: [`Client::pages`]
    /// flattened.
    pub fn items<'a, O, T>(&'a self, operation: &O) -> impl Stream<Item = Result<T, Error>> + 'a
    where
        O: Operation<Output = Page<T>>,
        T: DeserializeOwned + 'a,
    {
        crate::paging::items(self.pages(operation))
    }

    /// Every item of a paged collection, collected: the first error ends
    /// it. The listing is bounded by [`ClientBuilder::max_pages`]; for a
    /// collection too large to hold, read [`Client::items`] as it comes.
    pub async fn all_items<O, T>(&self, operation: &O) -> Result<Vec<T>, Error>
    where
        O: Operation<Output = Page<T>>,
        T: DeserializeOwned,
    {
        crate::paging::collect_items(self.pages(operation)).await
    }

    /// [`Client::pages`] with a deadline of its own for each page, or the
    /// client's, from the first page's request.
    pub(crate) fn pages_within<'a, O, T>(
        &'a self,
        first: Result<RequestParts, RequestError>,
        deadline: Option<Duration>,
    ) -> impl Stream<Item = Result<Page<T>, Error>> + 'a
    where
        O: Operation<Output = Page<T>>,
        T: DeserializeOwned + 'a,
    {
        let deadline = deadline.unwrap_or(self.inner.deadline);
        enum Next {
            First(Box<Result<RequestParts, RequestError>>),
            Link(url::Url),
            Fail(Error),
            Done,
        }
        let metadata = O::METADATA;
        let listing = Listing::new(self.inner.max_pages);
        futures_util::stream::try_unfold(
            (Next::First(Box::new(first)), listing),
            move |(next, mut listing)| async move {
                let parts = match next {
                    Next::First(parts) => (*parts)?,
                    Next::Link(url) => RequestParts::new(Method::GET, Target::Absolute(url.into())),
                    Next::Fail(error) => return Err(error),
                    Next::Done => return Ok(None),
                };
                listing.count_page()?;
                let call = Call {
                    credentials: listing.credentials(),
                    success_body: SuccessBody::Read,
                    deadline,
                    follow_redirects: true,
                };
                let Received {
                    response,
                    url,
                    credentials,
                    ..
                } = self.call(metadata, parts, call).await?;
                listing.fetched(&url, credentials);
                let page: Page<T> = parse::json(response)?;
                let next = match &page.next_link {
                    Some(link) => listing
                        .follow(&url, link)
                        .map_or_else(Next::Fail, Next::Link),
                    None => Next::Done,
                };
                Ok(Some((page, (next, listing))))
            },
        )
    }

    /// Sends a request through the whole pipeline and returns the final
    /// successful response, or the error. Generated operations call it
    /// through [`Client::send`]; it is public for requests built by hand.
    pub async fn execute(
        &self,
        metadata: &OperationMetadata,
        parts: RequestParts,
    ) -> Result<http::Response<Bytes>, Error> {
        let call = Call {
            credentials: true,
            success_body: SuccessBody::Read,
            deadline: self.inner.deadline,
            follow_redirects: true,
        };
        Ok(self.call(metadata, parts, call).await?.response)
    }

    /// [`Client::execute`] with the call's options, in a span.
    pub(crate) async fn call(
        &self,
        metadata: &OperationMetadata,
        parts: RequestParts,
        call: Call,
    ) -> Result<Received, Error> {
        let client_request_id = uuid::Uuid::new_v4().to_string();
        let span = tracing::info_span!(
            "graph.request",
            operation = metadata.name,
            version = metadata.version,
            method = %parts.method,
            path = parts.path_template.unwrap_or("(service link)"),
            client_request_id = %client_request_id,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        self.run(parts, call, client_request_id)
            .instrument(span)
            .await
    }
}
