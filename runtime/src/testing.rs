//! Testing code that calls Graph without a network (feature `testing`): a
//! [`MockTransport`] that records every request the client sends and answers
//! from a queue or a closure.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), msgraph_runtime::Error> {
//! use msgraph_runtime::testing::{json_response, MockTransport};
//! use msgraph_runtime::{Client, RetryPolicy, StaticToken};
//!
//! let mock = MockTransport::new();
//! mock.push(json_response(200, serde_json::json!({ "id": "call-1" })));
//! let client = Client::builder()
//!     .transport(mock.clone())
//!     .token_provider(StaticToken::new("test-token"))
//!     .retry_policy(RetryPolicy::none())
//!     .build()?;
//!
//! // The code under test sends through `client`, here a request built by hand.
//! let metadata = &msgraph_runtime::OperationMetadata {
//!     name: "getCall",
//!     version: "v1.0",
//!     method: "GET",
//!     paths: &["/communications/calls/{callId}"],
//!     permissions: msgraph_runtime::Permissions {
//!         delegated_work: msgraph_runtime::PermissionSet::Unsupported,
//!         delegated_personal: msgraph_runtime::PermissionSet::Unsupported,
//!         application: msgraph_runtime::PermissionSet::Unsupported,
//!     },
//!     clouds: None,
//!     deprecated: false,
//! };
//! let parts = msgraph_runtime::RequestParts::new(
//!     msgraph_runtime::http::Method::GET,
//!     msgraph_runtime::Target::Path {
//!         version_base: "/v1.0",
//!         path: "/communications/calls/call-1".into(),
//!     },
//! );
//! let response = client.execute(metadata, parts).await?;
//! assert_eq!(response.status(), 200);
//!
//! let sent = mock.requests();
//! assert_eq!(sent.len(), 1);
//! assert_eq!(sent[0].method, "GET");
//! assert_eq!(sent[0].uri, "https://graph.microsoft.com/v1.0/communications/calls/call-1");
//! assert_eq!(sent[0].header("authorization"), Some("Bearer test-token"));
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use http::{HeaderMap, Method, Uri};

use crate::body::Body;
use crate::error::TransportError;
use crate::transport::{BoxFuture, CredentialsWithheld, Transport};

/// A request as the transport got it: after the client added the token,
/// the `client-request-id` and the `User-Agent`.
#[derive(Clone)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The full URL.
    pub uri: Uri,
    /// Every header, the `Authorization` the client added included.
    pub headers: HeaderMap,
    /// The body, read whole (a streamed body too).
    pub body: Bytes,
    /// Whether the client sent it without credentials (to another origin).
    pub credentials_withheld: bool,
}

impl RecordedRequest {
    /// A header's value as text, when it is present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body parsed as JSON, when it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    // The token is in the headers: `http` shows values marked sensitive
    // (the client marks `Authorization` so) as `Sensitive`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("uri", &crate::urls::redact(&self.uri.to_string()))
            .field("headers", &self.headers)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .field("credentials_withheld", &self.credentials_withheld)
            .finish()
    }
}

type Responder = dyn Fn(&RecordedRequest) -> http::Response<Bytes> + Send + Sync;

#[derive(Default)]
struct State {
    requests: Vec<RecordedRequest>,
    queue: VecDeque<http::Response<Bytes>>,
}

/// A [`Transport`] for tests: records each request, and answers it with the
/// next queued response, else with its closure, else with a transport error
/// that names the request. Clones share their record and queue, so a test
/// keeps one and gives the other to [`crate::ClientBuilder::transport`].
#[derive(Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
    responder: Option<Arc<Responder>>,
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MockTransport")
            .field("recorded", &state.requests.len())
            .field("queued", &state.queue.len())
            .field("responder", &self.responder.is_some())
            .finish()
    }
}

impl MockTransport {
    /// A transport that answers from its queue ([`MockTransport::push`]).
    pub fn new() -> Self {
        MockTransport::default()
    }

    /// A transport that answers every request with `respond` (after the
    /// queue, when responses are pushed too).
    pub fn with_responder(
        respond: impl Fn(&RecordedRequest) -> http::Response<Bytes> + Send + Sync + 'static,
    ) -> Self {
        MockTransport {
            state: Arc::default(),
            responder: Some(Arc::new(respond)),
        }
    }

    /// Queues the answer to the next request.
    pub fn push(&self, response: http::Response<Bytes>) -> &Self {
        self.lock().queue.push_back(response);
        self
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// How many queued responses no request has taken yet.
    pub fn unanswered(&self) -> usize {
        self.lock().queue.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A test that panicked while holding the lock has failed already;
        // the record is still worth reading.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A response with a JSON body and its content type.
pub fn json_response(status: u16, body: serde_json::Value) -> http::Response<Bytes> {
    let mut response = http::Response::new(Bytes::from(body.to_string()));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

/// A Graph error response: `{"error": {"code": ..., "message": ...}}`.
pub fn graph_error(status: u16, code: &str, message: &str) -> http::Response<Bytes> {
    json_response(
        status,
        serde_json::json!({ "error": { "code": code, "message": message } }),
    )
}

impl Transport for MockTransport {
    fn send(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = match body {
                Body::Empty => Bytes::new(),
                Body::Bytes(bytes) => bytes,
                Body::Stream(stream) => {
                    let stream = stream
                        .into_inner()
                        .unwrap_or_else(PoisonError::into_inner)
                        .ok_or_else(|| {
                            TransportError::new("the streamed body was already sent").permanent()
                        })?;
                    let mut stream = stream;
                    let mut read = BytesMut::new();
                    while let Some(chunk) = stream.next().await {
                        let chunk = chunk.map_err(|e| {
                            TransportError::new(format!("reading the request body failed: {e}"))
                                .permanent()
                        })?;
                        read.extend_from_slice(&chunk);
                    }
                    read.freeze()
                }
            };
            let recorded = RecordedRequest {
                credentials_withheld: parts.extensions.get::<CredentialsWithheld>().is_some(),
                method: parts.method,
                uri: parts.uri,
                headers: parts.headers,
                body,
            };
            let queued = {
                let mut state = self.lock();
                state.requests.push(recorded.clone());
                state.queue.pop_front()
            };
            match (queued, &self.responder) {
                (Some(response), _) => Ok(response),
                (None, Some(respond)) => Ok(respond(&recorded)),
                (None, None) => Err(TransportError::new(format!(
                    "the mock transport has no response queued for {} {}",
                    recorded.method,
                    crate::urls::redact(&recorded.uri.to_string())
                ))
                .permanent()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Client, RetryPolicy, StaticToken};

    fn client(mock: &MockTransport) -> Client {
        Client::builder()
            .transport(mock.clone())
            .token_provider(StaticToken::new("t0ken"))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    }

    fn get(path: &str) -> crate::RequestParts {
        crate::RequestParts::new(
            Method::GET,
            crate::Target::Path {
                version_base: "/v1.0",
                path: path.into(),
            },
        )
    }

    const METADATA: &crate::OperationMetadata = &crate::OperationMetadata {
        name: "get",
        version: "v1.0",
        method: "GET",
        paths: &["/x"],
        permissions: crate::Permissions {
            delegated_work: crate::PermissionSet::Unsupported,
            delegated_personal: crate::PermissionSet::Unsupported,
            application: crate::PermissionSet::Unsupported,
        },
        clouds: None,
        deprecated: false,
    };

    #[tokio::test]
    async fn answers_from_the_queue_then_the_closure_and_records_everything() {
        let mock = MockTransport::with_responder(|request| {
            json_response(200, serde_json::json!({ "path": request.uri.path() }))
        });
        mock.push(graph_error(404, "itemNotFound", "gone"));
        let client = client(&mock);
        let error = client.execute(METADATA, get("/a")).await.unwrap_err();
        assert_eq!(error.code(), Some("itemNotFound"));
        let ok = client.execute(METADATA, get("/b")).await.unwrap();
        assert_eq!(ok.body().as_ref(), br#"{"path":"/v1.0/b"}"#);
        let sent = mock.requests();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1].uri.path(), "/v1.0/b");
        assert_eq!(sent[0].header("authorization"), Some("Bearer t0ken"));
        assert!(sent[0].header("client-request-id").is_some());
        assert!(!format!("{sent:?}").contains("t0ken"));
        assert_eq!(mock.unanswered(), 0);
    }

    #[tokio::test]
    async fn an_empty_queue_without_a_closure_is_a_transport_error_naming_the_request() {
        let mock = MockTransport::new();
        let error = client(&mock)
            .execute(METADATA, get("/nothing?secret=s3cret"))
            .await
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("no response queued for GET https://graph.microsoft.com/v1.0/nothing"),
            "{message}"
        );
        assert!(!message.contains("s3cret"), "{message}");
    }
}
