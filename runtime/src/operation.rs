//! The sans-IO operation: a value that describes one documented request and
//! parses its response, with the page's facts as constants.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};

use crate::body::Body;
use crate::endpoint::Endpoint;
use crate::error::{Error, RequestError};

/// A permission type of the reference pages' permissions tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PermissionType {
    /// Delegated (work or school account).
    DelegatedWork,
    /// Delegated (personal Microsoft account).
    DelegatedPersonal,
    /// Application.
    Application,
}

impl PermissionType {
    /// Every permission type, in the pages' order.
    pub const ALL: [PermissionType; 3] = [
        PermissionType::DelegatedWork,
        PermissionType::DelegatedPersonal,
        PermissionType::Application,
    ];

    /// As the pages write it.
    pub const fn title(self) -> &'static str {
        match self {
            PermissionType::DelegatedWork => "Delegated (work or school account)",
            PermissionType::DelegatedPersonal => "Delegated (personal Microsoft account)",
            PermissionType::Application => "Application",
        }
    }
}

/// One row of a permissions table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermissionSet {
    /// The permission type cannot call the operation.
    Unsupported,
    /// The page says "None": the permission type calls the operation without
    /// any permission (an application answering a call it was sent, say).
    NotRequired,
    /// Any one of these permissions allows the call.
    Supported {
        /// The least privileged permissions.
        least: &'static [&'static str],
        /// Higher privileged permissions that also allow it.
        higher: &'static [&'static str],
    },
}

impl PermissionSet {
    /// Whether `permission` allows the call.
    pub fn allows(&self, permission: &str) -> bool {
        match self {
            PermissionSet::Unsupported => false,
            PermissionSet::NotRequired => true,
            PermissionSet::Supported { least, higher } => least
                .iter()
                .chain(higher.iter())
                .any(|p| p.eq_ignore_ascii_case(permission)),
        }
    }

    /// Whether any one of `granted` allows the call.
    pub fn allows_any<'a>(&self, granted: impl IntoIterator<Item = &'a str>) -> bool {
        if *self == PermissionSet::NotRequired {
            return true;
        }
        granted.into_iter().any(|p| self.allows(p))
    }
}

/// The permissions table of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Permissions {
    /// Delegated (work or school account).
    pub delegated_work: PermissionSet,
    /// Delegated (personal Microsoft account).
    pub delegated_personal: PermissionSet,
    /// Application.
    pub application: PermissionSet,
}

impl Permissions {
    /// The row of one permission type.
    pub const fn get(&self, permission_type: PermissionType) -> &PermissionSet {
        match permission_type {
            PermissionType::DelegatedWork => &self.delegated_work,
            PermissionType::DelegatedPersonal => &self.delegated_personal,
            PermissionType::Application => &self.application,
        }
    }
}

/// What the reference page says about an operation, as constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationMetadata {
    /// The operation's documented name: `deleteParticipant`.
    pub name: &'static str,
    /// The API version: `v1.0` or `beta`.
    pub version: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path templates, the default first.
    pub paths: &'static [&'static str],
    /// The permissions table.
    pub permissions: Permissions,
    /// The national clouds the page lists; `None` when it does not say.
    pub clouds: Option<&'static [crate::Cloud]>,
    /// Whether the operation is deprecated in this version.
    pub deprecated: bool,
}

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A path after the API version, already percent-encoded:
    /// `/communications/calls/abc/participants/def`.
    Path {
        /// The API version's base path: `/v1.0`.
        version_base: &'static str,
        /// The encoded path.
        path: String,
    },
    /// An absolute URL given by the service (`@odata.nextLink`, `Location`).
    Absolute(String),
}

/// A request, ready for any HTTP stack.
#[derive(Debug)]
pub struct RequestParts {
    /// The HTTP method.
    pub method: Method,
    /// The documented path template the request was built from, for traces;
    /// `None` for URLs the service gave (`@odata.nextLink`).
    pub path_template: Option<&'static str>,
    /// Where it goes.
    pub target: Target,
    /// Query pairs, not yet encoded.
    pub query: Vec<(String, String)>,
    /// Headers; `Authorization` and `client-request-id` are added when sent.
    pub headers: HeaderMap,
    /// The body.
    pub body: Body,
}

impl RequestParts {
    /// A request without query, headers or body.
    pub fn new(method: Method, target: Target) -> Self {
        RequestParts {
            method,
            path_template: None,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
        }
    }

    /// A request to a documented request line: the path is the template
    /// filled with the values of its parameters (see [`crate::path::fill`]),
    /// and the template is kept for traces.
    pub fn at(
        method: Method,
        version_base: &'static str,
        template: &'static str,
        values: &[&str],
    ) -> Result<Self, RequestError> {
        let path = crate::path::fill(template, values)?;
        Ok(Self::new(method, Target::Path { version_base, path }).with_template(template))
    }

    /// Records the path template, for traces.
    pub fn with_template(mut self, template: &'static str) -> Self {
        self.path_template = Some(template);
        self
    }

    /// Adds a query pair.
    pub fn query_pair(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets a JSON body and its content type.
    pub fn json_body<T: serde::Serialize + ?Sized>(
        mut self,
        value: &T,
    ) -> Result<Self, RequestError> {
        let bytes = serde_json::to_vec(value).map_err(RequestError::Serialize)?;
        self.headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        self.body = Body::Bytes(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets a header from a string, refusing values that are not valid in
    /// HTTP (a newline could inject another header).
    pub fn header(mut self, name: &'static str, value: &str) -> Result<Self, RequestError> {
        let value =
            HeaderValue::from_str(value).map_err(|_| RequestError::InvalidHeader { name })?;
        self.headers.insert(name, value);
        Ok(self)
    }

    /// The full URL at `endpoint`.
    pub fn url(&self, endpoint: &Endpoint) -> String {
        let mut url = match &self.target {
            Target::Path { version_base, path } => {
                format!("{}{}{}", endpoint.base(), version_base, path)
            }
            Target::Absolute(url) => url.clone(),
        };
        if !self.query.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&crate::path::query(&self.query));
        }
        url
    }

    /// An `http::Request` for `endpoint`, for callers with their own HTTP
    /// stack. No token is added. A streamed body is left empty here: send it
    /// through [`crate::Client`] or take it from `body` yourself.
    pub fn to_http(&self, endpoint: &Endpoint) -> Result<http::Request<Bytes>, RequestError> {
        let url = self.url(endpoint);
        let mut builder = http::Request::builder()
            .method(self.method.clone())
            .uri(&url);
        if let Some(headers) = builder.headers_mut() {
            headers.extend(self.headers.clone());
        }
        let body = self
            .body
            .as_bytes()
            .map(Bytes::copy_from_slice)
            .unwrap_or_default();
        builder
            .body(body)
            .map_err(|_| RequestError::InvalidUrl(crate::urls::redact(&url)))
    }
}

/// Whether an operation reads the body of its successful responses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuccessBody {
    /// The body is read (within the client's limit) and parsed.
    Read,
    /// The body is not read: `parse_response` gets an empty one, and a body
    /// the server sends anyway is left unread.
    Ignore,
    /// The body is handed to the caller as it arrives, through
    /// [`Operation::parse_stream`]: downloads, whatever their size.
    Stream,
}

impl SuccessBody {
    /// The default for a method: [`SuccessBody::Ignore`] for DELETE (Graph
    /// answers deletes with 204 No Content and documents no body for them),
    /// [`SuccessBody::Read`] otherwise.
    pub const fn for_method(method: &str) -> SuccessBody {
        let (method, delete) = (method.as_bytes(), b"DELETE");
        if method.len() != delete.len() {
            return SuccessBody::Read;
        }
        let mut i = 0;
        while i < method.len() {
            if !method[i].eq_ignore_ascii_case(&delete[i]) {
                return SuccessBody::Read;
            }
            i += 1;
        }
        SuccessBody::Ignore
    }
}

/// One documented operation, without I/O: it builds its request and parses
/// its response. Generated code implements it for every operation and
/// version; [`crate::Client`] sends it.
pub trait Operation {
    /// What a successful response parses into.
    type Output;

    /// The reference page's facts.
    const METADATA: &'static OperationMetadata;

    /// Whether [`Operation::parse_response`] reads the body of a successful
    /// response. By default, per [`SuccessBody::for_method`]: not for DELETE,
    /// which Graph documents without one. An operation whose output is `()`
    /// may say [`SuccessBody::Ignore`]; one that parses a body must say
    /// [`SuccessBody::Read`].
    const SUCCESS_BODY: SuccessBody = SuccessBody::for_method(Self::METADATA.method);

    /// Whether the page documents a redirect (302, 303) as this operation's
    /// answer: a meeting's attendee report, an item's content. The client
    /// then returns the redirect (see [`crate::Redirect`]) instead of
    /// following it and dropping what it pointed at.
    const REDIRECT_IS_OUTPUT: bool = false;

    /// The permissions table of the request line this value is sent to:
    /// the operation's, unless the page gives one per request line.
    fn permissions(&self) -> &'static Permissions {
        &Self::METADATA.permissions
    }

    /// The request for this operation's values.
    fn to_request(&self) -> Result<RequestParts, RequestError>;

    /// Parses a response to this operation: the typed output for a
    /// successful status, a typed [`Error`] otherwise.
    fn parse_response(response: http::Response<Bytes>) -> Result<Self::Output, Error>;

    /// The output of a successful response whose body is still to be read:
    /// for operations whose [`Operation::SUCCESS_BODY`] is
    /// [`SuccessBody::Stream`] (downloads). Others never get here; the
    /// default reads nothing and says so.
    fn parse_stream(
        response: http::Response<crate::response_body::ResponseBody>,
    ) -> Result<Self::Output, Error> {
        let _ = response;
        Err(Error::Request(RequestError::NotStreamed {
            operation: Self::METADATA.name,
        }))
    }

    /// The `http::Request` for `endpoint`, for callers with their own HTTP stack.
    fn to_http_request(&self, endpoint: &Endpoint) -> Result<http::Request<Bytes>, RequestError> {
        self.to_request()?.to_http(endpoint)
    }
}
