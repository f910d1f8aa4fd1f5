//! The client: sends operations with a token, a `client-request-id`, a
//! timeout, retries on throttling and redirects that keep the token at home.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures_core::Stream;
use http::{HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth::TokenProvider;
use crate::body::Body;
use crate::endpoint::{Cloud, Endpoint};
use crate::error::{Error, RequestError};
use crate::operation::{Operation, OperationMetadata, RequestParts, Target};
use crate::paging::Page;
use crate::response::{parse, Response};
use crate::retry::RetryPolicy;
use crate::transport::{BoxFuture, CredentialsWithheld, Transport, RUNTIME_USER_AGENT};
use crate::urls::{self, UrlProblem};
use url::Url;

/// Waits between retries. Tests plug in one that records and returns at once.
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
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: Endpoint,
    transport: Arc<dyn Transport>,
    token: Option<Arc<dyn TokenProvider>>,
    retry: RetryPolicy,
    timeout: Duration,
    max_redirects: u32,
    sleep: Arc<dyn Sleep>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("token", &self.inner.token.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    endpoint: Result<Endpoint, String>,
    transport: Option<Arc<dyn Transport>>,
    token: Option<Arc<dyn TokenProvider>>,
    retry: RetryPolicy,
    timeout: Duration,
    max_redirects: u32,
    sleep: Arc<dyn Sleep>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            endpoint: Ok(Endpoint::default()),
            transport: None,
            token: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(100),
            max_redirects: 5,
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

    /// Sends to a custom base URL: a proxy, or a local server in tests.
    pub fn base_url(mut self, base_url: &str) -> Self {
        self.endpoint = Endpoint::custom(base_url).map_err(|e| e.to_string());
        self
    }

    /// The token provider; without one, requests carry no `Authorization`.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
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

    /// How the client waits between retries.
    pub fn sleep(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Arc::new(sleep);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let endpoint = self
            .endpoint
            .map_err(|message| Error::Request(RequestError::InvalidUrl(message)))?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport()?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                endpoint,
                transport,
                token: self.token,
                retry: self.retry,
                timeout: self.timeout,
                max_redirects: self.max_redirects,
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

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

impl Client {
    /// A builder with the defaults: global cloud, reqwest, retries on 429,
    /// 503 and 504, 100 s timeout.
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
        let parts = operation.to_request()?;
        let response = self.execute(O::METADATA, parts).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let value = O::parse_response(response)?;
        Ok(Response {
            value,
            status,
            headers,
        })
    }

    /// The pages of a paged collection, following `@odata.nextLink` until it
    /// is absent. A next link on another host is followed without the token.
    pub fn pages<'a, O, T>(
        &'a self,
        operation: &O,
    ) -> impl Stream<Item = Result<Page<T>, Error>> + 'a
    where
        O: Operation<Output = Page<T>>,
        T: DeserializeOwned + 'a,
    {
        enum Next {
            First(Box<Result<RequestParts, RequestError>>),
            Link(String),
            Done,
        }
        let metadata = O::METADATA;
        futures_util::stream::try_unfold(
            Next::First(Box::new(operation.to_request())),
            move |next| async move {
                let parts = match next {
                    Next::First(parts) => (*parts)?,
                    Next::Link(url) => RequestParts::new(Method::GET, Target::Absolute(url)),
                    Next::Done => return Ok(None),
                };
                let response = self.execute(metadata, parts).await?;
                let page: Page<T> = parse::json(response)?;
                let next = match &page.next_link {
                    Some(link) => Next::Link(link.clone()),
                    None => Next::Done,
                };
                Ok(Some((page, next)))
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
        self.run(parts, client_request_id).instrument(span).await
    }

    async fn run(
        &self,
        parts: RequestParts,
        client_request_id: String,
    ) -> Result<http::Response<Bytes>, Error> {
        let inner = &self.inner;
        let span = tracing::Span::current();
        let replayable = parts.body.is_replayable();
        // A URL that cannot be sent is refused here, once: another attempt
        // would not make it valid.
        let full = parts.url(&inner.endpoint);
        let mut url =
            urls::parse_http(&full).map_err(|_| RequestError::InvalidUrl(urls::redact(&full)))?;
        // Credentials (the token, and any the caller set) go to the Graph
        // endpoint's origin only; once a redirect chain has left it, they do
        // not come back: the way back was chosen by another origin.
        let mut credentials = inner.endpoint.is_home(&url);
        let mut method = parts.method.clone();
        let mut body = parts.body;
        let mut attempt: u32 = 0;
        let mut total_attempts: u32 = 0;
        let mut waited = Duration::ZERO;
        let mut redirects = 0;
        loop {
            attempt += 1;
            total_attempts += 1;
            span.record("attempt", attempt);
            let request = self
                .http_request(
                    Destination {
                        method: &method,
                        url: &url,
                        credentials,
                    },
                    &parts.headers,
                    body.for_attempt(),
                    &client_request_id,
                    attempt,
                )
                .await?;
            tracing::debug!(attempt, "sending");
            let may_retry = replayable && attempt < inner.retry.max_attempts;
            let outcome = tokio::time::timeout(inner.timeout, inner.transport.send(request)).await;
            let response = match outcome {
                Ok(Ok(response)) => response,
                Ok(Err(source)) => {
                    if may_retry
                        && is_idempotent(&method)
                        && self
                            .wait(attempt, &http::HeaderMap::new(), &mut waited)
                            .await
                    {
                        tracing::warn!(attempt, error = %source, "transport error; retrying");
                        continue;
                    }
                    return Err(Error::Transport {
                        source,
                        attempts: total_attempts,
                    });
                }
                Err(_elapsed) => {
                    if may_retry
                        && is_idempotent(&method)
                        && self
                            .wait(attempt, &http::HeaderMap::new(), &mut waited)
                            .await
                    {
                        tracing::warn!(attempt, "timed out; retrying");
                        continue;
                    }
                    return Err(Error::Timeout {
                        after: inner.timeout,
                        attempts: total_attempts,
                    });
                }
            };
            let status = response.status();
            span.record("status", status.as_u16());
            if let Some(id) = response
                .headers()
                .get("request-id")
                .and_then(|v| v.to_str().ok())
            {
                span.record("request_id", id);
            }
            if inner.retry.retries(status)
                && may_retry
                && self.wait(attempt, response.headers(), &mut waited).await
            {
                tracing::warn!(
                    attempt,
                    status = status.as_u16(),
                    "throttled or unavailable; retrying"
                );
                continue;
            }
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                if let Some(location) = response
                    .headers()
                    .get(http::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                {
                    redirects += 1;
                    if redirects > inner.max_redirects {
                        return Err(Error::Redirect {
                            message: format!("more than {} redirects", inner.max_redirects),
                        });
                    }
                    let next = urls::resolve(&url, location).map_err(|problem| {
                        let location = urls::redact(location);
                        let message = match problem {
                            UrlProblem::NotAUrl => {
                                format!("the Location `{location}` is not a URL")
                            }
                            UrlProblem::NotHttp => {
                                format!("the Location `{location}` is not an http or https URL")
                            }
                        };
                        Error::Redirect { message }
                    })?;
                    if status == StatusCode::SEE_OTHER {
                        method = Method::GET;
                        body = Body::Empty;
                    } else if !replayable {
                        return Err(Error::Redirect {
                            message: "a streamed body cannot be sent again to the redirect target"
                                .into(),
                        });
                    }
                    credentials = credentials && inner.endpoint.is_home(&next);
                    tracing::debug!(
                        status = status.as_u16(),
                        to = %urls::redact(next.as_str()),
                        credentials,
                        "following a redirect"
                    );
                    url = next;
                    attempt = 0;
                    continue;
                }
            }
            if status.is_success() || status.is_redirection() {
                return Ok(response);
            }
            let (head, bytes) = response.into_parts();
            return Err(Error::from_status(
                status,
                head.headers,
                bytes,
                Some(client_request_id),
                total_attempts,
            ));
        }
    }

    /// Waits before the next attempt if the policy allows; false when it
    /// does not (one wait longer than `max_wait`, or the total budget spent).
    async fn wait(&self, attempt: u32, headers: &http::HeaderMap, waited: &mut Duration) -> bool {
        let retry = &self.inner.retry;
        let delay = retry.delay(attempt, headers, SystemTime::now());
        if delay > retry.max_wait {
            tracing::warn!(
                attempt,
                wait = ?delay,
                max_wait = ?retry.max_wait,
                "the server asks for a wait longer than the retry policy's max_wait; not retrying"
            );
            return false;
        }
        match waited.checked_add(delay) {
            Some(total) if total <= retry.max_total_delay => *waited = total,
            _ => return false,
        }
        self.inner.sleep.sleep(delay).await;
        true
    }

    async fn http_request(
        &self,
        Destination {
            method,
            url,
            credentials,
        }: Destination<'_>,
        headers: &http::HeaderMap,
        body: Body,
        client_request_id: &str,
        attempt: u32,
    ) -> Result<http::Request<Body>, Error> {
        let mut request = http::Request::new(body);
        *request.method_mut() = method.clone();
        *request.uri_mut() = url
            .as_str()
            .parse()
            .map_err(|_| RequestError::InvalidUrl(urls::redact(url.as_str())))?;
        let out = request.headers_mut();
        out.extend(headers.clone());
        out.insert(
            "client-request-id",
            HeaderValue::from_str(client_request_id).map_err(|_| RequestError::InvalidHeader {
                name: "client-request-id",
            })?,
        );
        // The application's User-Agent comes first; the runtime's follows.
        let user_agent = match out.get(http::header::USER_AGENT) {
            Some(app) => {
                let joined = [app.as_bytes(), b" ", RUNTIME_USER_AGENT.as_bytes()].concat();
                HeaderValue::from_bytes(&joined)
                    .map_err(|_| RequestError::InvalidHeader { name: "user-agent" })?
            }
            None => HeaderValue::from_static(RUNTIME_USER_AGENT),
        };
        out.insert(http::header::USER_AGENT, user_agent);
        if attempt > 1 {
            out.insert("retry-attempt", HeaderValue::from(attempt - 1));
        }
        if !credentials {
            // Whatever the caller set, and whatever the transport would add.
            strip_credentials(out);
            request.extensions_mut().insert(CredentialsWithheld);
        } else if let Some(provider) = &self.inner.token {
            let token = provider.token().await?;
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", token.secret())).map_err(|_| {
                    RequestError::InvalidHeader {
                        name: "authorization",
                    }
                })?;
            value.set_sensitive(true);
            out.insert(http::header::AUTHORIZATION, value);
        }
        Ok(request)
    }
}

/// Where one attempt goes, and whether credentials may go with it.
struct Destination<'a> {
    method: &'a Method,
    url: &'a Url,
    credentials: bool,
}

/// Removes every credential header: `Authorization`, `Proxy-Authorization`,
/// `Cookie`, and any header whose value is marked sensitive
/// ([`HeaderValue::set_sensitive`]).
fn strip_credentials(headers: &mut http::HeaderMap) {
    let doomed: Vec<http::HeaderName> = headers
        .iter()
        .filter(|(name, value)| {
            value.is_sensitive()
                || [
                    http::header::AUTHORIZATION,
                    http::header::PROXY_AUTHORIZATION,
                    http::header::COOKIE,
                ]
                .contains(name)
        })
        .map(|(name, _)| name.clone())
        .collect();
    for name in doomed {
        headers.remove(name);
    }
}
