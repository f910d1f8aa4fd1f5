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
    /// How long the whole call may take, attempts and waits included.
    pub(crate) deadline: Duration,
    /// Whether redirects are followed; false where the operation documents
    /// a redirect as its answer.
    pub(crate) follow_redirects: bool,
}

/// The final response of a call, with where it came from.
pub(crate) struct Received {
    /// The successful (or 304) response; its body is empty when streamed.
    pub(crate) response: http::Response<Bytes>,
    /// The body still to be read, for [`SuccessBody::Stream`].
    pub(crate) stream: Option<crate::response_body::ResponseBody>,
    /// The URL that answered, after redirects: the base of relative links.
    pub(crate) url: Url,
    /// Whether credentials could still go to the Graph origin: false once a
    /// redirect left it.
    pub(crate) credentials: bool,
}

/// Time spent by one call, against its deadline. A [`crate::Sleep`] that
/// does not really sleep (a test's) still counts for what it was asked.
struct Clock {
    started: Instant,
    deadline: Duration,
    /// What the sleeper was asked to wait beyond what really passed.
    credit: Duration,
}

impl Clock {
    fn start(deadline: Duration) -> Clock {
        Clock {
            started: Instant::now(),
            deadline,
            credit: Duration::ZERO,
        }
    }

    /// The time left before the deadline.
    fn remaining(&self) -> Duration {
        let spent = self.started.elapsed().saturating_add(self.credit);
        self.deadline.saturating_sub(spent)
    }

    /// Records a wait of `asked` that really took `took`.
    fn slept(&mut self, asked: Duration, took: Duration) {
        self.credit = self.credit.saturating_add(asked.saturating_sub(took));
    }
}

/// Whether to make another attempt after a wait.
enum Wait {
    /// Waited: retry.
    Retry,
    /// The retry policy allows no (further) wait: the last error stands.
    GiveUp,
    /// The wait would pass the call's deadline.
    Deadline,
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

fn redirect_failed(status: StatusCode, what: &str) -> Error {
    Error::Redirect {
        message: format!("the {} response {what}", status.as_u16()),
    }
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
        let mut clock = Clock::start(call.deadline);
        let mut last_status = None;
        // The claims of a challenge, for the next token; a challenge is
        // answered once per call.
        let mut claims: Option<String> = None;
        let mut claims_answered = false;
        let deadline_passed = |attempts: u32, last_status: Option<StatusCode>| Error::Deadline {
            deadline: call.deadline,
            attempts,
            last_status,
        };
        loop {
            let remaining = clock.remaining();
            if remaining.is_zero() {
                return Err(deadline_passed(total_attempts, last_status));
            }
            attempt += 1;
            total_attempts += 1;
            span.record("attempt", attempt);
            let destination = Destination {
                method: &method,
                url: &url,
                credentials,
            };
            // Only the attempt right after a challenge asks for its claims:
            // a provider caches the token it got for them.
            let claims_now = claims.take();
            // Getting the token counts against the deadline too.
            let request = self.http_request(
                destination,
                &parts.headers,
                body.for_attempt(),
                &client_request_id,
                attempt,
                claims_now.as_deref(),
            );
            let request = timeout_at(instant_after(remaining), request)
                .await
                .map_err(|_| deadline_passed(total_attempts, last_status))??;
            tracing::debug!(attempt, "sending");
            let may_retry = replayable && attempt < inner.retry.max_attempts;
            // The attempt's timeout covers its body too, and ends at the
            // deadline if that comes first.
            let remaining = clock.remaining();
            let cut_by_deadline = remaining <= inner.timeout;
            let attempt_ends = instant_after(inner.timeout.min(remaining));
            let sent = timeout_at(attempt_ends, inner.transport.send_streaming(request)).await;
            let failure = match sent {
                Err(_elapsed) => Failure::Timeout,
                Ok(Err(source)) => Failure::Transport(source),
                Ok(Ok(response)) => {
                    let (head, mut response_body) = response.into_parts();
                    let status = head.status;
                    last_status = Some(status);
                    span.record("status", status.as_u16());
                    if let Some(id) = head.headers.get("request-id").and_then(|v| v.to_str().ok()) {
                        span.record("request_id", id);
                    }
                    // The bodies of responses that are retried or redirected
                    // are dropped unread.
                    if inner.retry.retries(status) && may_retry {
                        match self
                            .wait(attempt, &head.headers, &mut waited, &mut clock)
                            .await
                        {
                            Wait::Retry => {
                                tracing::warn!(
                                    attempt,
                                    status = status.as_u16(),
                                    "throttled or unavailable; retrying"
                                );
                                continue;
                            }
                            Wait::Deadline => {
                                return Err(deadline_passed(total_attempts, last_status))
                            }
                            Wait::GiveUp => {}
                        }
                    }
                    // A 401 whose challenge asks for claims (Continuous
                    // Access Evaluation revoked the token, or conditional
                    // access wants more) is answered once with a fresh token
                    // that carries them.
                    if status == StatusCode::UNAUTHORIZED
                        && credentials
                        && inner.token.is_some()
                        && replayable
                        && !claims_answered
                    {
                        if let Some(asked) = crate::auth::claims_challenge(&head.headers) {
                            tracing::info!(
                                attempt,
                                "claims challenge; retrying once with a fresh token"
                            );
                            claims = Some(asked);
                            claims_answered = true;
                            continue;
                        }
                    }
                    if status.is_redirection()
                        && status != StatusCode::NOT_MODIFIED
                        && call.follow_redirects
                    {
                        // A Location may hold UTF-8 the server did not
                        // percent-encode; the URL parser encodes it.
                        let location = match head.headers.get(http::header::LOCATION) {
                            None => return Err(redirect_failed(status, "has no Location header")),
                            Some(value) => std::str::from_utf8(value.as_bytes()).map_err(|_| {
                                redirect_failed(status, "has a Location header that is not UTF-8")
                            })?,
                        };
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
                        SuccessBody::Stream => {
                            // Handed over unread: the caller reads it at its
                            // own pace, and it is never retried from here.
                            return Ok(Received {
                                response: http::Response::from_parts(head, Bytes::new()),
                                stream: Some(response_body),
                                url,
                                credentials,
                            });
                        }
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
                                stream: None,
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
            if matches!(failure, Failure::Timeout) && cut_by_deadline {
                return Err(deadline_passed(total_attempts, last_status));
            }
            // No response came whole: another attempt may cure that, when
            // the request may be sent again.
            if failure.is_retryable() && may_retry && is_idempotent(&method) {
                let no_headers = http::HeaderMap::new();
                match self
                    .wait(attempt, &no_headers, &mut waited, &mut clock)
                    .await
                {
                    Wait::Retry => {
                        match &failure {
                            Failure::Transport(source) => {
                                tracing::warn!(attempt, error = %source, "transport error; retrying")
                            }
                            Failure::Timeout => tracing::warn!(attempt, "timed out; retrying"),
                        }
                        continue;
                    }
                    Wait::Deadline => return Err(deadline_passed(total_attempts, last_status)),
                    Wait::GiveUp => {}
                }
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

    /// Waits before the next attempt when the policy and the deadline allow.
    async fn wait(
        &self,
        attempt: u32,
        headers: &http::HeaderMap,
        waited: &mut Duration,
        clock: &mut Clock,
    ) -> Wait {
        let retry = &self.inner.retry;
        let delay = retry.delay(attempt, headers, SystemTime::now());
        if delay > retry.max_wait {
            tracing::warn!(
                attempt,
                wait = ?delay,
                max_wait = ?retry.max_wait,
                "the server asks for a wait longer than the retry policy's max_wait; not retrying"
            );
            return Wait::GiveUp;
        }
        let total = match waited.checked_add(delay) {
            Some(total) if total <= retry.max_total_delay => total,
            _ => return Wait::GiveUp,
        };
        // A wait that would end past the deadline is not begun.
        if delay >= clock.remaining() {
            return Wait::Deadline;
        }
        *waited = total;
        let before = Instant::now();
        self.inner.sleep.sleep(delay).await;
        clock.slept(delay, before.elapsed());
        Wait::Retry
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
        claims: Option<&str>,
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
            let token = match claims {
                None => provider.token(&self.inner.token_request).await?,
                Some(claims) => {
                    let asked = self.inner.token_request.clone().with_claims(claims);
                    provider.token(&asked).await?
                }
            };
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
