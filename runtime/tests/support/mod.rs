//! What the runtime's integration tests share: hand-built operations, a
//! sleeper that records waits instead of sleeping, a tracing capture, and a
//! raw HTTP server on loopback for answers wiremock cannot give (a
//! Content-Length that lies, a body that never ends or never comes).
#![allow(dead_code)]

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use msgraph_runtime::{
    parse, BoxFuture, Client, ClientBuilder, Error, Operation, OperationMetadata, Page,
    PermissionSet, Permissions, RequestError, RequestParts, Sleep, StaticToken, Target,
};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::MockServer;

pub const TOKEN: &str = "secret-token-value";

pub const META: OperationMetadata = OperationMetadata {
    name: "testOperation",
    version: "v1.0",
    method: "GET",
    paths: &["/items/{itemId}"],
    permissions: Permissions {
        delegated_work: PermissionSet::Unsupported,
        delegated_personal: PermissionSet::Unsupported,
        application: PermissionSet::Supported {
            least: &["Items.Read.All"],
            higher: &[],
        },
    },
    clouds: None,
    deprecated: false,
};

#[derive(Debug, Deserialize, PartialEq)]
pub struct Item {
    pub id: String,
}

/// GET /v1.0/items/{itemId} with optional extra headers, returning an item.
#[derive(Default)]
pub struct GetItem {
    pub item_id: String,
    pub headers: Vec<(&'static str, http::HeaderValue)>,
}

impl GetItem {
    pub fn new(id: &str) -> Self {
        GetItem {
            item_id: id.into(),
            headers: Vec::new(),
        }
    }

    pub fn header(mut self, name: &'static str, value: http::HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }
}

impl Operation for GetItem {
    type Output = Item;
    const METADATA: &'static OperationMetadata = &META;
    fn to_request(&self) -> Result<RequestParts, RequestError> {
        let path = format!(
            "/items/{}",
            msgraph_runtime::path::segment("itemId", &self.item_id)?
        );
        let mut parts = RequestParts::new(
            Method::GET,
            Target::Path {
                version_base: "/v1.0",
                path,
            },
        )
        .with_template("/items/{itemId}");
        for (name, value) in &self.headers {
            parts.headers.append(*name, value.clone());
        }
        Ok(parts)
    }
    fn parse_response(response: http::Response<Bytes>) -> Result<Item, Error> {
        parse::json(response)
    }
}

/// DELETE /v1.0/items/{itemId}, 204.
pub struct DeleteItem(pub String);

pub const DELETE_META: OperationMetadata = OperationMetadata {
    method: "DELETE",
    ..META
};

impl Operation for DeleteItem {
    type Output = ();
    const METADATA: &'static OperationMetadata = &DELETE_META;
    fn to_request(&self) -> Result<RequestParts, RequestError> {
        let path = format!(
            "/items/{}",
            msgraph_runtime::path::segment("itemId", &self.0)?
        );
        Ok(RequestParts::new(
            Method::DELETE,
            Target::Path {
                version_base: "/v1.0",
                path,
            },
        ))
    }
    fn parse_response(response: http::Response<Bytes>) -> Result<(), Error> {
        parse::empty(response)
    }
}

/// GET /v1.0/items, paged.
pub struct ListItems;

impl Operation for ListItems {
    type Output = Page<Item>;
    const METADATA: &'static OperationMetadata = &META;
    fn to_request(&self) -> Result<RequestParts, RequestError> {
        Ok(RequestParts::new(
            Method::GET,
            Target::Path {
                version_base: "/v1.0",
                path: "/items".into(),
            },
        ))
    }
    fn parse_response(response: http::Response<Bytes>) -> Result<Page<Item>, Error> {
        parse::json(response)
    }
}

/// Records each wait and returns at once.
#[derive(Clone, Default)]
pub struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

impl RecordingSleep {
    pub fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

/// A builder for a client of `base` with the recording sleeper and a 5 s
/// per-attempt timeout, without a token.
pub fn builder(base: &str, sleep: &RecordingSleep) -> ClientBuilder {
    Client::builder()
        .base_url(base)
        .sleep(sleep.clone())
        .timeout(Duration::from_secs(5))
}

/// A client of `server` with the token, the recording sleeper and a 5 s
/// per-attempt timeout.
pub fn client(server: &MockServer, sleep: &RecordingSleep) -> Client {
    builder(&server.uri(), sleep)
        .token_provider(StaticToken::new(TOKEN))
        .build()
        .unwrap()
}

pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

/// Runs `future` and fails the test if it takes longer than `seconds`.
pub async fn within<T>(seconds: u64, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(seconds), future)
        .await
        .unwrap_or_else(|_| panic!("did not finish within {seconds} s"))
}

/// A tracing subscriber that writes into a buffer, installed for the
/// current thread until the guard drops.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// What the raw server answers to every request: a head written as is,
/// then `body_bytes` bytes of `body_byte` in chunks, then (if `stall`) no
/// more bytes while the connection stays open.
#[derive(Clone)]
pub struct RawAnswer {
    pub head: String,
    pub body_bytes: u64,
    pub body_byte: u8,
    pub stall: bool,
}

/// A raw HTTP/1.1 server on loopback. Counts the body bytes it managed to
/// write, so a test can see that the client stopped reading.
pub struct RawServer {
    pub uri: String,
    pub written: Arc<AtomicU64>,
    pub requests: Arc<AtomicU64>,
}

impl RawServer {
    pub async fn start(answer: RawAnswer) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let uri = format!("http://{}", listener.local_addr().unwrap());
        let written = Arc::new(AtomicU64::new(0));
        let requests = Arc::new(AtomicU64::new(0));
        let (count, seen) = (written.clone(), requests.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let (answer, count, seen) = (answer.clone(), count.clone(), seen.clone());
                tokio::spawn(async move {
                    // Read the request head (the tests send no bodies).
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        match socket.read(&mut byte).await {
                            Ok(1) => head.push(byte[0]),
                            _ => return,
                        }
                    }
                    seen.fetch_add(1, Ordering::SeqCst);
                    if socket.write_all(answer.head.as_bytes()).await.is_err() {
                        return;
                    }
                    let chunk = vec![answer.body_byte; 64 * 1024];
                    let mut left = answer.body_bytes;
                    while left > 0 {
                        let n = left.min(chunk.len() as u64) as usize;
                        if socket.write_all(&chunk[..n]).await.is_err() {
                            return;
                        }
                        count.fetch_add(n as u64, Ordering::SeqCst);
                        left -= n as u64;
                    }
                    if answer.stall {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                    }
                });
            }
        });
        RawServer {
            uri,
            written,
            requests,
        }
    }

    pub fn written(&self) -> u64 {
        self.written.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}
