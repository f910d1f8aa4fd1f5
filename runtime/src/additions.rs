//! Headers and query pairs a caller adds to one request beyond what its
//! page documents: on the fluent [`crate::Request`] and on any sans-IO
//! operation ([`OperationExt`]), checked as the documented ones are.

use bytes::Bytes;
use http::{HeaderName, HeaderValue};

use crate::error::{Error, RequestError};
use crate::operation::{Operation, OperationMetadata, Permissions, RequestParts, SuccessBody};
use crate::response_body::ResponseBody;

/// Headers the client sets itself, and why each cannot be added by hand.
const RESERVED_HEADERS: &[(&str, &str)] = &[
    (
        "authorization",
        "the token provider's token goes there; configure `ClientBuilder::token_provider`",
    ),
    (
        "proxy-authorization",
        "proxy credentials belong to the transport; configure them on the reqwest client",
    ),
    (
        "client-request-id",
        "the client sets a fresh one per call and keeps it across retries",
    ),
    ("retry-attempt", "the client sets it on each retry"),
    ("host", "it follows from the URL"),
    ("content-length", "it follows from the body"),
    ("transfer-encoding", "it follows from the body"),
    ("connection", "the transport manages connections"),
    ("keep-alive", "the transport manages connections"),
    ("upgrade", "the transport manages connections"),
    ("te", "the transport manages connections"),
    ("trailer", "the transport manages connections"),
];

/// What a caller added: kept as given, checked when the request is built,
/// so that a mistake is an error of that call, like any other value's.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Additions {
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
}

impl std::fmt::Debug for Additions {
    // Header values may be secrets (an API key a proxy wants): names only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Additions")
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("query", &self.query)
            .finish()
    }
}

impl Additions {
    pub(crate) fn header(&mut self, name: String, value: String) {
        self.headers.push((name, value));
    }

    pub(crate) fn query(&mut self, name: String, value: String) {
        self.query.push((name, value));
    }

    /// Adds the headers and query pairs to `parts`, or says which is wrong.
    pub(crate) fn apply(&self, parts: &mut RequestParts) -> Result<(), RequestError> {
        // Checked against what the operation set, not against each other:
        // a header given twice here is sent twice, as HTTP allows.
        let documented = parts.headers.clone();
        for (name, value) in &self.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| RequestError::InvalidHeaderName { name: name.clone() })?;
            if let Some((_, reason)) = RESERVED_HEADERS
                .iter()
                .find(|(reserved, _)| *reserved == header.as_str())
            {
                return Err(RequestError::ReservedHeader {
                    name: header.as_str().to_owned(),
                    reason,
                });
            }
            if documented.contains_key(&header) {
                return Err(RequestError::DuplicateHeader {
                    name: header.as_str().to_owned(),
                });
            }
            let value =
                HeaderValue::from_str(value).map_err(|_| RequestError::InvalidHeaderValue {
                    name: header.as_str().to_owned(),
                })?;
            parts.headers.append(header, value);
        }
        for (name, value) in &self.query {
            if name.is_empty() {
                return Err(RequestError::EmptyQueryName);
            }
            let key = option_key(name);
            let in_target = match &parts.target {
                crate::Target::Path { path, .. } => path_query_keys(path),
                crate::Target::Absolute(url) => path_query_keys(url),
            };
            if parts.query.iter().any(|(set, _)| option_key(set) == key)
                || in_target.iter().any(|set| option_key(set) == key)
            {
                return Err(RequestError::DuplicateQuery { name: name.clone() });
            }
            parts.query.push((name.clone(), value.clone()));
        }
        Ok(())
    }
}

/// A query option's identity: OData names are case-insensitive, and Graph
/// takes system options with or without their `$`.
fn option_key(name: &str) -> String {
    name.trim_start_matches('$').to_ascii_lowercase()
}

/// The keys of a query already written into a path or URL.
fn path_query_keys(path: &str) -> Vec<String> {
    let Some((_, query)) = path.split_once('?') else {
        return Vec::new();
    };
    query
        .split('&')
        .map(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            percent_encoding::percent_decode_str(key)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// An operation with headers and query pairs added: what
/// [`OperationExt::header`] and [`OperationExt::query`] make. It is an
/// [`Operation`] like the one it wraps, with the same output, metadata and
/// permissions, so it can be sent, batched or turned into an
/// `http::Request`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customized<O> {
    operation: O,
    additions: Additions,
}

impl<O> Customized<O> {
    /// Adds a header: checked when the request is built (a valid name and
    /// value; not one the client sets itself, such as `Authorization`; not
    /// one the operation already sets). An application `User-Agent` is
    /// kept, with the runtime's after it.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.additions.header(name.into(), value.into());
        self
    }

    /// Adds a query pair, percent-encoded when the request is built. An
    /// option the request already sets (`$select` through its setter, the
    /// request line's own `$filter`) is refused rather than sent twice.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.additions.query(name.into(), value.into());
        self
    }

    /// The operation that was customized.
    pub fn operation(&self) -> &O {
        &self.operation
    }

    /// The operation, to change its own values.
    pub fn operation_mut(&mut self) -> &mut O {
        &mut self.operation
    }

    /// The operation, without the additions.
    pub fn into_operation(self) -> O {
        self.operation
    }
}

impl<O: Operation> Operation for Customized<O> {
    type Output = O::Output;
    const METADATA: &'static OperationMetadata = O::METADATA;
    const SUCCESS_BODY: SuccessBody = O::SUCCESS_BODY;
    const REDIRECT_IS_OUTPUT: bool = O::REDIRECT_IS_OUTPUT;

    fn permissions(&self) -> &'static Permissions {
        self.operation.permissions()
    }

    fn to_request(&self) -> Result<RequestParts, RequestError> {
        let mut parts = self.operation.to_request()?;
        self.additions.apply(&mut parts)?;
        Ok(parts)
    }

    fn parse_response(response: http::Response<Bytes>) -> Result<Self::Output, Error> {
        O::parse_response(response)
    }

    fn parse_stream(response: http::Response<ResponseBody>) -> Result<Self::Output, Error> {
        O::parse_stream(response)
    }
}

/// `.header(name, value)` and `.query(name, value)` on every sans-IO
/// operation, for what its page does not document:
///
/// ```
/// # use msgraph_runtime::{Operation, OperationExt, Endpoint};
/// # fn show<O: Operation>(operation: O) -> Result<(), msgraph_runtime::RequestError> {
/// let request = operation
///     .header("Prefer", "include-unknown-enum-members")
///     .query("$count", "true")
///     .to_http_request(&Endpoint::default())?;
/// # let _ = request; Ok(()) }
/// ```
pub trait OperationExt: Operation + Sized {
    /// The operation with a header added; see [`Customized::header`].
    fn header(self, name: impl Into<String>, value: impl Into<String>) -> Customized<Self> {
        Customized {
            operation: self,
            additions: Additions::default(),
        }
        .header(name, value)
    }

    /// The operation with a query pair added; see [`Customized::query`].
    fn query(self, name: impl Into<String>, value: impl Into<String>) -> Customized<Self> {
        Customized {
            operation: self,
            additions: Additions::default(),
        }
        .query(name, value)
    }
}

impl<O: Operation> OperationExt for O {}
