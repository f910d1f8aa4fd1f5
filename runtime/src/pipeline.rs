//! One call through the pipeline: attempts with the token and a
//! `client-request-id`, retries within the policy, redirects that keep
//! credentials at the Graph origin.

use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use http::{HeaderValue, Method, StatusCode};
use tokio::time::{timeout_at, Instant};
use url::Url;

use crate::body::Body;
use crate::client::Client;
use crate::error::{Error, RequestError, TransportError};
use crate::operation::{RequestParts, SuccessBody};
use crate::response_body::{read_capped, read_limited, ReadError, MAX_ERROR_BODY};
use crate::transport::{CredentialsWithheld, RUNTIME_USER_AGENT};
use crate::urls::{self, UrlProblem};

/// How one call is made, beyond its request.
pub(crate) struct Call {
    /// Whether credentials may go to the Graph origin at all: false for a
    /// listing whose pages have left it.
    pub(crate) credentials: bool,
    /// Whether the body of a successful response is read.
    pub(crate) success_body: SuccessBody,
}

/// The final response of a call, with where it came from.
pub(crate) struct Received {
    /// The successful (or 304) response.
    pub(crate) response: http::Response<Bytes>,
    /// The URL that answered, after redirects: the base of relative links.
    pub(crate) url: Url,
    /// Whether credentials could still go to the Graph origin: false once a
    /// redirect left it.
    pub(crate) credentials: bool,
}

/// An attempt that got no whole response.
enum Failure {
    Transport(TransportError),
    Timeout,
}

impl Failure {
    fn is_retryable(&self) -> bool {
        match self {
            Failure::Transport(source) => !source.is_permanent(),
            Failure::Timeout => true,
        }
    }
}

/// The instant `duration` from now, or a far one when that overflows.
fn instant_after(duration: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(duration)
        .unwrap_or_else(|| now + Duration::from_secs(30 * 365 * 24 * 60 * 60))
}

fn redirect_error(problem: UrlProblem, location: &str) -> Error {
    let location = urls::redact(location);
    let message = match problem {
        UrlProblem::NotAUrl => format!("the Location `{location}` is not a URL"),
        UrlProblem::NotHttp => format!("the Location `{location}` is not an http or https URL"),
    };
    Error::Redirect { message }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

impl Client {
    /// Makes the attempts of one call, and follows its redirects, until a
    /// final response or an error.
    pub(crate) async fn run(
        &self,
        parts: RequestParts,
        call: Call,
        client_request_id: String,
    ) -> Result<Received, Error> {
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
        let mut credentials = call.credentials && inner.endpoint.is_home(&url);
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
            // The attempt's timeout covers its body too.
            let attempt_ends = instant_after(inner.timeout);
            let sent = timeout_at(attempt_ends, inner.transport.send_streaming(request)).await;
            let failure = match sent {
                Err(_elapsed) => Failure::Timeout,
                Ok(Err(source)) => Failure::Transport(source),
                Ok(Ok(response)) => {
                    let (head, mut response_body) = response.into_parts();
                    let status = head.status;
                    span.record("status", status.as_u16());
                    if let Some(id) = head.headers.get("request-id").and_then(|v| v.to_str().ok()) {
                        span.record("request_id", id);
                    }
                    // The bodies of responses that are retried or redirected
                    // are dropped unread.
                    if inner.retry.retries(status)
                        && may_retry
                        && self.wait(attempt, &head.headers, &mut waited).await
                    {
                        tracing::warn!(
                            attempt,
                            status = status.as_u16(),
                            "throttled or unavailable; retrying"
                        );
                        continue;
                    }
                    if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                        if let Some(location) = head
                            .headers
                            .get(http::header::LOCATION)
                            .and_then(|v| v.to_str().ok())
                        {
                            redirects += 1;
                            if redirects > inner.max_redirects {
                                return Err(Error::Redirect {
                                    message: format!("more than {} redirects", inner.max_redirects),
                                });
                            }
                            let next = urls::resolve(&url, location)
                                .map_err(|problem| redirect_error(problem, location))?;
                            if status == StatusCode::SEE_OTHER {
                                method = Method::GET;
                                body = Body::Empty;
                            } else if !replayable {
                                return Err(Error::Redirect {
                                    message: "a streamed body cannot be sent again to the \
                                              redirect target"
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
                    if !status.is_success() && !status.is_redirection() {
                        // The start of an error body is kept, whatever came
                        // before the attempt's time ran out; the rest is not
                        // read.
                        let mut kept = BytesMut::new();
                        let read = read_capped(&mut response_body, MAX_ERROR_BODY, &mut kept);
                        let _ = timeout_at(attempt_ends, read).await;
                        return Err(Error::from_status(
                            status,
                            head.headers,
                            kept.freeze(),
                            Some(client_request_id),
                            total_attempts,
                        ));
                    }
                    let read = match call.success_body {
                        SuccessBody::Ignore => Ok(Ok(Bytes::new())),
                        SuccessBody::Read => {
                            let limit = inner.max_response_body;
                            let read = read_limited(response_body, &head.headers, limit);
                            timeout_at(attempt_ends, read).await
                        }
                    };
                    match read {
                        Ok(Ok(bytes)) => {
                            return Ok(Received {
                                response: http::Response::from_parts(head, bytes),
                                url,
                                credentials,
                            })
                        }
                        Ok(Err(ReadError::TooLarge { announced })) => {
                            return Err(Error::BodyTooLarge {
                                status,
                                limit: inner.max_response_body,
                                announced,
                            })
                        }
                        Ok(Err(ReadError::Transport(source))) => Failure::Transport(
                            TransportError::from_boxed("reading the response body failed", source),
                        ),
                        Err(_elapsed) => Failure::Timeout,
                    }
                }
            };
            // No response came whole: another attempt may cure that, when
            // the request may be sent again.
            if failure.is_retryable()
                && may_retry
                && is_idempotent(&method)
                && self
                    .wait(attempt, &http::HeaderMap::new(), &mut waited)
                    .await
            {
                match &failure {
                    Failure::Transport(source) => {
                        tracing::warn!(attempt, error = %source, "transport error; retrying")
                    }
                    Failure::Timeout => tracing::warn!(attempt, "timed out; retrying"),
                }
                continue;
            }
            return Err(match failure {
                Failure::Transport(source) => Error::Transport {
                    source,
                    attempts: total_attempts,
                },
                Failure::Timeout => Error::Timeout {
                    after: inner.timeout,
                    attempts: total_attempts,
                },
            });
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
