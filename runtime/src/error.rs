//! One error type for every way a call can fail, so callers can tell a
//! network failure from a Graph error from a body that does not parse, and
//! branch on Graph's `error.code`.
//!
//! What to match on: [`Error::code`] (Graph's `error.code`, the stable
//! part of a Graph error), [`Error::status`], [`Error::is_throttled`] and
//! [`Error::is_timeout`], and the variants. Messages are for people: they
//! may change. Display shows the whole cause chain, with URLs redacted.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::Deserialize;

use crate::auth::AuthError;

/// A request that could not be built: nothing was sent. Each variant names
/// the value at fault; match on the variant to tell the caller which input
/// to fix, and never retry: the same values fail the same way.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestError {
    /// A path parameter was empty: the URL would lose a segment.
    EmptyParameter {
        /// The parameter's documented name.
        parameter: &'static str,
    },
    /// A path parameter was `.` or `..`, which URL normalisation would turn
    /// into a different path.
    DotSegment {
        /// The parameter's documented name.
        parameter: &'static str,
        /// The value.
        value: String,
    },
    /// A header value that HTTP does not allow (a newline, say).
    InvalidHeader {
        /// The header's name.
        name: &'static str,
    },
    /// The body could not be serialized.
    Serialize(serde_json::Error),
    /// The URL could not be built; it is shown with its query and user info
    /// redacted.
    InvalidUrl(String),
    /// A value is longer than the documented limit.
    TooLong {
        /// The parameter's documented name.
        parameter: &'static str,
        /// The documented limit, in characters.
        max: usize,
    },
    /// A request line's template and the values given for it do not agree
    /// (a hand-written operation gave too few or too many, or the template
    /// does not close a `{`).
    TemplateValues {
        /// The template.
        template: &'static str,
    },
    /// An operation was asked to stream a response it reads whole (an
    /// `Operation` implemented by hand whose `SUCCESS_BODY` says `Stream`
    /// without a `parse_stream`).
    NotStreamed {
        /// The operation's documented name.
        operation: &'static str,
    },
    /// A header added with `.header(name, value)` has a name that is not a
    /// valid HTTP header name (empty, a space, a colon, ...).
    InvalidHeaderName {
        /// The name as given.
        name: String,
    },
    /// A header added with `.header(name, value)` has a value that HTTP
    /// does not allow (a newline could inject another header). The value is
    /// not shown: it may be a secret.
    InvalidHeaderValue {
        /// The header's name.
        name: String,
    },
    /// A header the client sets itself (`Authorization` from the token
    /// provider, `client-request-id`, `Content-Length`, `Host`, ...) was
    /// added with `.header(name, value)`.
    ReservedHeader {
        /// The header's name, in lowercase.
        name: String,
        /// Who sets it, and what to do instead.
        reason: &'static str,
    },
    /// A header added with `.header(name, value)` is one the request
    /// already sets (a documented header given through its own setter).
    DuplicateHeader {
        /// The header's name, in lowercase.
        name: String,
    },
    /// A query pair added with `.query(name, value)` has an empty name.
    EmptyQueryName,
    /// A query pair added with `.query(name, value)` names an option the
    /// request already sets (`$select` through `.select()`, a fixed
    /// `$filter` of the request line, or an earlier `.query`); OData
    /// refuses an option given twice. `select` and `$select` are one option.
    DuplicateQuery {
        /// The option's name, as given.
        name: String,
    },
    /// An operation cannot go into a `$batch`: its body is a stream, or its
    /// target is an absolute URL.
    NotBatchable {
        /// The operation's documented name.
        operation: &'static str,
        /// Why.
        reason: &'static str,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::EmptyParameter { parameter } => {
                write!(f, "path parameter `{parameter}` is empty")
            }
            RequestError::DotSegment { parameter, value } => {
                write!(
                    f,
                    "path parameter `{parameter}` is `{value}`, which would change the URL's path"
                )
            }
            RequestError::InvalidHeader { name } => {
                write!(f, "the value of header `{name}` is not valid in HTTP")
            }
            RequestError::Serialize(e) => {
                write!(f, "the request body could not be serialized: {e}")
            }
            RequestError::InvalidUrl(url) => write!(f, "`{url}` is not a valid URL"),
            RequestError::TooLong { parameter, max } => {
                write!(
                    f,
                    "`{parameter}` is longer than the documented {max} characters"
                )
            }
            RequestError::TemplateValues { template } => write!(
                f,
                "the values given for the request line `{template}` are not one per parameter"
            ),
            RequestError::NotStreamed { operation } => write!(
                f,
                "operation `{operation}` says it streams its response but has no `parse_stream`"
            ),
            RequestError::InvalidHeaderName { name } => write!(
                f,
                "`{}` is not a valid HTTP header name (letters, digits and `!#$%&'*+-.^_`|~` only)",
                name.escape_debug()
            ),
            RequestError::InvalidHeaderValue { name } => write!(
                f,
                "the value given for header `{name}` is not valid in HTTP (no newlines or \
                 control characters)"
            ),
            RequestError::ReservedHeader { name, reason } => {
                write!(f, "header `{name}` cannot be set on a request: {reason}")
            }
            RequestError::DuplicateHeader { name } => write!(
                f,
                "header `{name}` is already set by the request (through its documented setter); \
                 set it in one place"
            ),
            RequestError::EmptyQueryName => f.write_str("a query pair has an empty name"),
            RequestError::DuplicateQuery { name } => write!(
                f,
                "query option `{}` is already set by the request (through its documented \
                 setter, the request line, or an earlier `.query`); OData refuses an option \
                 given twice",
                name.escape_debug()
            ),
            RequestError::NotBatchable { operation, reason } => {
                write!(
                    f,
                    "operation `{operation}` cannot go into a $batch: {reason}"
                )
            }
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::Serialize(e) => Some(e),
            _ => None,
        }
    }
}

/// A failure below HTTP: connecting, TLS, reading the response. Its
/// message carries the whole cause chain (URLs redacted); match on
/// [`TransportError::is_permanent`] to tell whether trying again could
/// help, and downcast [`std::error::Error::source`] (reqwest's error, an
/// `std::io::Error`) for more.
#[derive(Debug)]
pub struct TransportError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    permanent: bool,
}

impl TransportError {
    /// A transport failure with a message.
    pub fn new(message: impl Into<String>) -> Self {
        TransportError {
            message: message.into(),
            source: None,
            permanent: false,
        }
    }

    /// A transport failure caused by another error.
    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        TransportError {
            message: message.into(),
            source: Some(Box::new(source)),
            permanent: false,
        }
    }

    /// A transport failure caused by a boxed error (which is not itself an
    /// `Error`).
    pub(crate) fn from_boxed(
        message: impl Into<String>,
        source: Box<dyn std::error::Error + Send + Sync>,
    ) -> Self {
        TransportError {
            message: message.into(),
            source: Some(source),
            permanent: false,
        }
    }

    /// Marks the failure as one another attempt cannot cure (the request
    /// could not be built, its body was already sent): it is not retried.
    pub fn permanent(mut self) -> Self {
        self.permanent = true;
        self
    }

    /// Whether another attempt cannot cure the failure.
    pub fn is_permanent(&self) -> bool {
        self.permanent
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write_causes(f, source.as_ref())?;
        }
        Ok(())
    }
}

/// Writes `: cause` for `error` and each error under it, so that a message
/// says why ("error sending request: client error (Connect): tcp connect
/// error: Connection refused") instead of hiding the reason in `source()`.
/// A cause whose text repeats the previous one's is skipped, and any URL in
/// the text is shown without query or user info.
pub(crate) fn write_causes(
    f: &mut fmt::Formatter<'_>,
    error: &(dyn std::error::Error + 'static),
) -> fmt::Result {
    let mut previous = String::new();
    let mut next = Some(error);
    // A bound, against a source chain that loops back on itself.
    for _ in 0..16 {
        let Some(cause) = next else { break };
        let text = crate::urls::redact_in_text(&cause.to_string());
        if !text.is_empty() && !previous.contains(&text) {
            write!(f, ": {text}")?;
        }
        previous = text;
        next = cause.source();
    }
    Ok(())
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Graph's `innerError`: where the request ids and the date are. It may
/// nest; the innermost `code` is the most specific
/// ([`GraphError::innermost_code`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct InnerError {
    /// A more specific code, when Graph gives one.
    #[serde(default)]
    pub code: Option<String>,
    /// The request id to give Microsoft support.
    #[serde(default, rename = "request-id")]
    pub request_id: Option<String>,
    /// The `client-request-id` the request carried.
    #[serde(default, rename = "client-request-id")]
    pub client_request_id: Option<String>,
    /// When the error happened, as Graph wrote it.
    #[serde(default)]
    pub date: Option<String>,
    /// A further inner error.
    #[serde(default, rename = "innerError", alias = "innererror")]
    pub inner: Option<Box<InnerError>>,
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default, rename = "innerError", alias = "innererror")]
    inner: Option<InnerError>,
}

/// An error response in Graph's JSON shape. Match on `code` (stable, and
/// documented per API), then `status`; the message is for people.
#[derive(Clone, Debug)]
pub struct GraphError {
    /// The HTTP status.
    pub status: StatusCode,
    /// `error.code`: branch on this, not on the message.
    pub code: String,
    /// `error.message`, for people.
    pub message: String,
    /// `error.innerError`.
    pub inner: Option<InnerError>,
    /// The `request-id` response header.
    pub request_id: Option<String>,
    /// The `client-request-id` the request carried.
    pub client_request_id: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as received, up to its first [`crate::MAX_ERROR_BODY`]
    /// bytes.
    pub raw_body: Bytes,
    /// How many attempts were made.
    pub attempts: u32,
}

impl GraphError {
    /// The request id: the response header's, else the inner error's.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id
            .as_deref()
            .or_else(|| self.inner.as_ref().and_then(|i| i.request_id.as_deref()))
    }

    /// The innermost inner error's code, the most specific there is.
    pub fn innermost_code(&self) -> Option<&str> {
        let mut current = self.inner.as_ref()?;
        let mut code = current.code.as_deref();
        while let Some(next) = current.inner.as_deref() {
            code = next.code.as_deref().or(code);
            current = next;
        }
        code
    }
}

/// An error status whose body is not a Graph error: an HTML page from a
/// proxy, an empty 502. Match on `status`; `raw_body` says more to people.
#[derive(Clone, Debug)]
pub struct HttpError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as received, up to its first [`crate::MAX_ERROR_BODY`]
    /// bytes.
    pub raw_body: Bytes,
    /// The `request-id` response header.
    pub request_id: Option<String>,
    /// How many attempts were made.
    pub attempts: u32,
}

/// A successful status whose body does not parse into the documented type:
/// the service and the docs disagree. Nothing to match on: report it with
/// `raw_body`, `request_id` and what serde said.
#[derive(Debug)]
pub struct DecodeError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body as received.
    pub raw_body: Bytes,
    /// The `request-id` response header.
    pub request_id: Option<String>,
    /// What serde said.
    pub source: serde_json::Error,
}

/// Why a call failed.
///
/// Match on the variant for the kind of failure, and on [`Error::code`]
/// (Graph's `error.code`) for what Graph refused:
///
/// ```
/// # fn handle(error: msgraph_runtime::Error) {
/// use msgraph_runtime::Error;
/// match &error {
///     e if e.is_throttled() => { /* retried already; back off for longer */ }
///     e if e.code() == Some("itemNotFound") => { /* gone: nothing to do */ }
///     Error::Graph(graph) if graph.status.as_u16() == 403 => { /* missing permission */ }
///     Error::Transport { .. } | Error::Timeout { .. } | Error::Deadline { .. } => { /* network */ }
///     other => eprintln!("{other}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built from the values given; nothing was
    /// sent. Match on the [`RequestError`] for the value at fault.
    Request(RequestError),
    /// The client's base URL is not usable ([`crate::ClientBuilder::base_url`]):
    /// the message says what is wrong and what to pass instead.
    InvalidBaseUrl(crate::endpoint::EndpointError),
    /// No token could be had: the token provider failed. Not retried.
    Auth(AuthError),
    /// The request did not get an HTTP response (connection refused, DNS,
    /// TLS, a body that broke off): the message carries the cause. Retried
    /// already for idempotent methods; a POST or PATCH may or may not have
    /// been applied.
    Transport {
        /// What failed.
        source: TransportError,
        /// How many attempts were made.
        attempts: u32,
    },
    /// No response came within the timeout of an attempt
    /// ([`crate::ClientBuilder::timeout`]).
    Timeout {
        /// The timeout of each attempt.
        after: Duration,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The call's deadline passed, or a retry wait would have passed it
    /// ([`crate::ClientBuilder::deadline`], [`crate::Request::deadline`]).
    Deadline {
        /// The call's deadline.
        deadline: Duration,
        /// How many attempts were made.
        attempts: u32,
        /// The status of the last response, when one came (a 429 whose
        /// `Retry-After` would pass the deadline, say).
        last_status: Option<StatusCode>,
    },
    /// Graph answered with an error: match on [`Error::code`] (its
    /// `error.code`), and [`GraphError::innermost_code`] for the most
    /// specific one; give [`Error::request_id`] to support.
    Graph(Box<GraphError>),
    /// An error status without a Graph error body (an HTML page from a
    /// proxy, an empty 502): match on [`Error::status`].
    Http(Box<HttpError>),
    /// A successful response whose body does not parse into the documented
    /// type: the raw body is kept to report it.
    Decode(Box<DecodeError>),
    /// Redirects went on for too long, or pointed nowhere.
    Redirect {
        /// What went wrong.
        message: String,
    },
    /// A response body is larger than [`crate::ClientBuilder::max_response_body`].
    BodyTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: u64,
        /// The `Content-Length`, when it announced more than the limit and
        /// nothing was read.
        announced: Option<u64>,
    },
    /// A listing's `@odata.nextLink` loops back, cannot be sent, or the
    /// listing goes on past [`crate::ClientBuilder::max_pages`].
    Paging {
        /// What went wrong.
        message: String,
    },
    /// One item of a `$batch` got no answer of its own: the `$batch` request
    /// carrying it failed, the batch response left it out, an item it
    /// depends on failed, or its output was already taken. Errors that
    /// Graph gave the item itself are [`Error::Graph`] and the others.
    Batch {
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Graph(e) => Some(e.status),
            Error::Http(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Graph's `error.code`, when Graph sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Graph(e) => Some(&e.code),
            _ => None,
        }
    }

    /// The response's request id, to give Microsoft support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Graph(e) => e.request_id(),
            Error::Http(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the call ran out of time: an attempt's timeout, or the call's
    /// deadline.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. } | Error::Deadline { .. })
    }

    /// Whether the service throttled the call: 429, or 503 with a
    /// `Retry-After` (Graph's throttling guidance names both). The client
    /// has retried already, within its [`crate::RetryPolicy`]; the
    /// response's headers (in [`GraphError::headers`] or
    /// [`HttpError::headers`]) say how long to wait.
    pub fn is_throttled(&self) -> bool {
        let (status, headers) = match self {
            Error::Graph(e) => (e.status, &e.headers),
            Error::Http(e) => (e.status, &e.headers),
            _ => return false,
        };
        status == StatusCode::TOO_MANY_REQUESTS
            || (status == StatusCode::SERVICE_UNAVAILABLE
                && headers.contains_key(http::header::RETRY_AFTER))
    }

    /// Builds the error for an error status from a response.
    pub(crate) fn from_status(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        client_request_id: Option<String>,
        attempts: u32,
    ) -> Error {
        let request_id = header(&headers, "request-id");
        match serde_json::from_slice::<ErrorEnvelope>(&body) {
            Ok(envelope) => Error::Graph(Box::new(GraphError {
                status,
                code: envelope.error.code,
                message: envelope.error.message,
                inner: envelope.error.inner,
                request_id,
                client_request_id: client_request_id
                    .or_else(|| header(&headers, "client-request-id")),
                headers,
                raw_body: body,
                attempts,
            })),
            Err(_) => Error::Http(Box::new(HttpError {
                status,
                headers,
                raw_body: body,
                request_id,
                attempts,
            })),
        }
    }
}

pub(crate) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Request(e) => write!(f, "invalid request: {e}"),
            Error::InvalidBaseUrl(e) => write!(f, "invalid client configuration: {e}"),
            Error::Auth(e) => write!(f, "{e}"),
            Error::Transport { source, attempts } => {
                write!(f, "transport error after {attempts} attempt(s): {source}")
            }
            Error::Timeout { after, attempts } => {
                write!(
                    f,
                    "no response within {after:?} after {attempts} attempt(s)"
                )
            }
            Error::Deadline {
                deadline,
                attempts,
                last_status,
            } => {
                write!(
                    f,
                    "the call could not finish within its deadline of {deadline:?} \
                     ({attempts} attempt(s)"
                )?;
                if let Some(status) = last_status {
                    write!(f, "; the last response was {status}")?;
                }
                f.write_str(
                    "); set a longer one with `ClientBuilder::deadline` or `Request::deadline`",
                )
            }
            Error::Graph(e) => {
                write!(
                    f,
                    "Graph error {} {}: {}",
                    e.status.as_u16(),
                    e.code,
                    e.message
                )?;
                if let Some(id) = e.request_id() {
                    write!(f, " (request-id {id})")?;
                }
                Ok(())
            }
            Error::Http(e) => {
                let snippet: String = String::from_utf8_lossy(&e.raw_body)
                    .chars()
                    .take(200)
                    .collect();
                write!(f, "HTTP {} without a Graph error body", e.status)?;
                if !snippet.trim().is_empty() {
                    write!(f, ": {}", snippet.trim())?;
                }
                Ok(())
            }
            Error::Decode(e) => write!(
                f,
                "the {} response body does not parse: {}",
                e.status.as_u16(),
                e.source
            ),
            Error::Redirect { message } => write!(f, "redirect failed: {message}"),
            Error::Paging { message } => write!(f, "paging failed: {message}"),
            Error::Batch { message } => write!(f, "batch item failed: {message}"),
            Error::BodyTooLarge {
                status,
                limit,
                announced,
            } => {
                let status = status.as_u16();
                match announced {
                    Some(length) => write!(
                        f,
                        "the {status} response announces a body of {length} bytes, more than \
                         the limit of {limit} bytes"
                    )?,
                    None => write!(
                        f,
                        "the {status} response body is larger than the limit of {limit} bytes"
                    )?,
                }
                f.write_str(
                    "; raise `ClientBuilder::max_response_body` if such bodies are expected",
                )
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Request(e) => Some(e),
            Error::InvalidBaseUrl(e) => Some(e),
            Error::Auth(e) => Some(e),
            Error::Transport { source, .. } => Some(source),
            Error::Decode(e) => Some(&e.source),
            _ => None,
        }
    }
}

impl From<RequestError> for Error {
    fn from(e: RequestError) -> Self {
        Error::Request(e)
    }
}

impl From<AuthError> for Error {
    fn from(e: AuthError) -> Self {
        Error::Auth(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_error_bodies_are_parsed_with_nested_inner_errors() {
        let body = br#"{"error":{"code":"itemNotFound","message":"Not found","innerError":{"request-id":"r-1","date":"2024-01-01T00:00:00","client-request-id":"c-1","innerError":{"code":"participantNotFound"}}}}"#;
        let error = Error::from_status(
            StatusCode::NOT_FOUND,
            HeaderMap::new(),
            Bytes::from_static(body),
            None,
            1,
        );
        let Error::Graph(graph) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(error.code(), Some("itemNotFound"));
        assert_eq!(graph.message, "Not found");
        assert_eq!(error.request_id(), Some("r-1"));
        assert_eq!(
            graph.inner.as_ref().unwrap().date.as_deref(),
            Some("2024-01-01T00:00:00")
        );
        assert_eq!(graph.innermost_code(), Some("participantNotFound"));
        assert_eq!(graph.raw_body.as_ref(), body);
    }

    #[test]
    fn non_json_error_bodies_become_http_errors_with_the_body_kept() {
        let body = Bytes::from_static(b"<html><body>502 Bad Gateway</body></html>");
        let error = Error::from_status(
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            body.clone(),
            None,
            3,
        );
        let Error::Http(http) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(http.raw_body, body);
        assert_eq!(http.attempts, 3);
        assert_eq!(error.code(), None);
        assert!(error.to_string().contains("502 Bad Gateway"));
    }

    #[test]
    fn throttled_means_429_or_503_with_retry_after() {
        let error = |status: StatusCode, retry_after: bool| {
            let mut headers = HeaderMap::new();
            if retry_after {
                headers.insert(http::header::RETRY_AFTER, "5".parse().unwrap());
            }
            Error::from_status(status, headers, Bytes::new(), None, 1)
        };
        assert!(error(StatusCode::TOO_MANY_REQUESTS, false).is_throttled());
        assert!(error(StatusCode::TOO_MANY_REQUESTS, true).is_throttled());
        assert!(error(StatusCode::SERVICE_UNAVAILABLE, true).is_throttled());
        assert!(!error(StatusCode::SERVICE_UNAVAILABLE, false).is_throttled());
        assert!(!error(StatusCode::GATEWAY_TIMEOUT, true).is_throttled());
        let graph = Error::from_status(
            StatusCode::SERVICE_UNAVAILABLE,
            [(http::header::RETRY_AFTER, "1".parse().unwrap())]
                .into_iter()
                .collect(),
            Bytes::from_static(br#"{"error":{"code":"serviceNotAvailable"}}"#),
            None,
            1,
        );
        assert!(matches!(graph, Error::Graph(_)) && graph.is_throttled());
    }

    #[derive(Debug)]
    struct Cause(&'static str, Option<Box<Cause>>);
    impl fmt::Display for Cause {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for Cause {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|c| c as _)
        }
    }

    #[test]
    fn transport_errors_show_their_whole_cause_chain_without_url_secrets() {
        let chain = Cause(
            "error sending request",
            Some(Box::new(Cause(
                "client error (Connect)",
                Some(Box::new(Cause(
                    "tcp connect error via http://user:s3cret@proxy.example:3128/?k=s3cret",
                    Some(Box::new(Cause("Connection refused (os error 111)", None))),
                ))),
            ))),
        );
        let error = Error::Transport {
            source: TransportError::with_source(
                "the request to http://127.0.0.1:1/v1.0/me failed",
                chain,
            ),
            attempts: 1,
        };
        assert_eq!(
            error.to_string(),
            "transport error after 1 attempt(s): the request to http://127.0.0.1:1/v1.0/me \
             failed: error sending request: client error (Connect): tcp connect error via \
             http://<redacted>@proxy.example:3128/?<redacted>: Connection refused (os error 111)"
        );
    }

    #[test]
    fn error_bodies_nested_past_the_parsers_limit_do_not_overflow_the_stack() {
        let depth = 100_000;
        let inner = format!(
            "{}null{}",
            r#"{"innerError":"#.repeat(depth),
            "}".repeat(depth)
        );
        let nested = format!(r#"{{"error":{{"code":"deep","innerError":{inner}}}}}"#);
        let junk = format!(
            r#"{{"error":{{"code":"deep"}},"junk":{}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let parse = |body: String| {
            Error::from_status(
                StatusCode::BAD_REQUEST,
                HeaderMap::new(),
                Bytes::from(body),
                None,
                1,
            )
        };
        // Past the recursion limit (128): not a Graph error, the body kept.
        assert!(matches!(parse(nested), Error::Http(_)));
        // A deep value in a field nobody reads is skipped without recursing.
        assert_eq!(parse(junk).code(), Some("deep"));
    }
}
