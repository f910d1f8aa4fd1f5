//! The runtime through the real reqwest transport against a local HTTP server
//! (wiremock, on loopback), with hand-built operations. Retry waits are
//! recorded by a test sleeper instead of slept.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures_util::StreamExt;
use http::Method;
use msgraph_runtime::{
    parse, BoxFuture, Client, Error, Operation, OperationMetadata, Page, PermissionSet,
    Permissions, RequestError, RequestParts, RetryPolicy, Sleep, StaticToken, Target,
};
use serde::Deserialize;
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "secret-token-value";

const META: OperationMetadata = OperationMetadata {
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

/// GET /v1.0/items/{itemId}, returning an item.
struct GetItem {
    item_id: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: String,
}

impl Operation for GetItem {
    type Output = Item;
    const METADATA: &'static OperationMetadata = &META;
    fn to_request(&self) -> Result<RequestParts, RequestError> {
        let path = format!(
            "/items/{}",
            msgraph_runtime::path::segment("itemId", &self.item_id)?
        );
        Ok(RequestParts::new(
            Method::GET,
            Target::Path {
                version_base: "/v1.0",
                path,
            },
        )
        .with_template("/items/{itemId}"))
    }
    fn parse_response(response: http::Response<Bytes>) -> Result<Item, Error> {
        parse::json(response)
    }
}

/// DELETE /v1.0/items/{itemId}, 204.
struct DeleteItem(String);

impl Operation for DeleteItem {
    type Output = ();
    const METADATA: &'static OperationMetadata = &META;
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

/// POST /v1.0/items with a streamed body.
struct UploadItem;

impl Operation for UploadItem {
    type Output = ();
    const METADATA: &'static OperationMetadata = &META;
    fn to_request(&self) -> Result<RequestParts, RequestError> {
        let mut parts = RequestParts::new(
            Method::POST,
            Target::Path {
                version_base: "/v1.0",
                path: "/items".into(),
            },
        );
        let chunks = futures_util::stream::iter(vec![Ok::<
            _,
            Box<dyn std::error::Error + Send + Sync>,
        >(Bytes::from_static(b"chunk"))]);
        parts.body = msgraph_runtime::Body::stream(chunks);
        Ok(parts)
    }
    fn parse_response(response: http::Response<Bytes>) -> Result<(), Error> {
        parse::empty(response)
    }
}

/// GET /v1.0/items, paged.
struct ListItems;

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

#[derive(Clone, Default)]
struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

impl RecordingSleep {
    fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

fn client(server: &MockServer, sleep: &RecordingSleep) -> Client {
    Client::builder()
        .base_url(&server.uri())
        .token_provider(StaticToken::new(TOKEN))
        .sleep(sleep.clone())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn success_with_a_body_sends_token_request_id_and_parses() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/items/abc"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header_exists("client-request-id"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req-1")
                .set_body_json(serde_json::json!({"id": "abc"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let response = client(&server, &sleep)
        .send_with_response(&GetItem {
            item_id: "abc".into(),
        })
        .await
        .unwrap();
    assert_eq!(response.value, Item { id: "abc".into() });
    assert_eq!(response.request_id(), Some("req-1"));
    let requests = received(&server).await;
    let id = requests[0]
        .headers
        .get("client-request-id")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn success_without_a_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/items/abc"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server, &RecordingSleep::default())
        .send(&DeleteItem("abc".into()))
        .await
        .unwrap();
}

#[tokio::test]
async fn every_request_gets_a_fresh_client_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server, &RecordingSleep::default());
    client.send(&DeleteItem("a".into())).await.unwrap();
    client.send(&DeleteItem("b".into())).await.unwrap();
    let requests = received(&server).await;
    let ids: Vec<_> = requests
        .iter()
        .map(|r| r.headers.get("client-request-id").unwrap().clone())
        .collect();
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn a_graph_error_body_becomes_a_typed_error() {
    let server = MockServer::start().await;
    let body = r#"{"error":{"code":"itemNotFound","message":"The item was not found.","innerError":{"request-id":"inner-req","date":"2024-05-01T10:00:00","innerError":{"code":"deeper"}}}}"#;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("request-id", "hdr-req")
                .set_body_raw(body, "application/json"),
        )
        .mount(&server)
        .await;
    let error = client(&server, &RecordingSleep::default())
        .send(&GetItem {
            item_id: "x".into(),
        })
        .await
        .unwrap_err();
    let Error::Graph(graph) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    assert_eq!(error.code(), Some("itemNotFound"));
    assert_eq!(graph.message, "The item was not found.");
    assert_eq!(error.request_id(), Some("hdr-req"));
    let inner = graph.inner.as_ref().unwrap();
    assert_eq!(inner.request_id.as_deref(), Some("inner-req"));
    assert_eq!(inner.date.as_deref(), Some("2024-05-01T10:00:00"));
    assert_eq!(graph.innermost_code(), Some("deeper"));
    assert_eq!(graph.raw_body.as_ref(), body.as_bytes());
    assert!(graph.client_request_id.is_some());
    assert_eq!(graph.attempts, 1);
}

#[tokio::test]
async fn throttled_429_with_retry_after_seconds_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "a"})))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let item = client(&server, &sleep)
        .send(&GetItem {
            item_id: "a".into(),
        })
        .await
        .unwrap();
    assert_eq!(item.id, "a");
    assert_eq!(sleep.waits(), [Duration::from_secs(1)]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].headers.get("retry-attempt").unwrap(), "1");
    assert_eq!(
        requests[0].headers.get("client-request-id"),
        requests[1].headers.get("client-request-id")
    );
}

#[tokio::test]
async fn unavailable_503_with_an_http_date_retry_after_then_success() {
    let server = MockServer::start().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", date.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    client(&server, &sleep)
        .send(&DeleteItem("a".into()))
        .await
        .unwrap();
    let waits = sleep.waits();
    assert_eq!(waits.len(), 1);
    assert!(
        waits[0] > Duration::from_secs(27) && waits[0] <= Duration::from_secs(30),
        "{waits:?}"
    );
}

#[tokio::test]
async fn retries_end_after_the_configured_attempts_with_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).set_body_raw(
            r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = Client::builder()
        .base_url(&server.uri())
        .sleep(sleep.clone())
        .retry_policy(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let error = client
        .send(&GetItem {
            item_id: "a".into(),
        })
        .await
        .unwrap_err();
    let Error::Graph(graph) = &error else {
        panic!("{error:?}")
    };
    assert!(error.is_throttled());
    assert_eq!(graph.attempts, 3);
    assert_eq!(received(&server).await.len(), 3);
    assert_eq!(sleep.waits().len(), 2);
}

#[tokio::test]
async fn the_total_delay_budget_stops_retries_early() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "50"))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = Client::builder()
        .base_url(&server.uri())
        .sleep(sleep.clone())
        .retry_policy(RetryPolicy {
            max_attempts: 5,
            max_total_delay: Duration::from_secs(80),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let error = client
        .send(&GetItem {
            item_id: "a".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(
        sleep.waits(),
        [Duration::from_secs(50)],
        "a second 50 s wait would pass the 80 s budget"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_non_json_502_from_a_proxy_is_a_clear_error() {
    let server = MockServer::start().await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;
    let error = client(&server, &RecordingSleep::default())
        .send(&GetItem {
            item_id: "a".into(),
        })
        .await
        .unwrap_err();
    let Error::Http(http) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(http.status, http::StatusCode::BAD_GATEWAY);
    assert_eq!(http.raw_body.as_ref(), html.as_bytes());
    assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
}

#[tokio::test]
async fn a_success_body_that_does_not_parse_keeps_status_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"id\": 42}", "application/json"))
        .mount(&server)
        .await;
    let error = client(&server, &RecordingSleep::default())
        .send(&GetItem {
            item_id: "a".into(),
        })
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status, http::StatusCode::OK);
    assert_eq!(decode.raw_body.as_ref(), b"{\"id\": 42}");
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = Client::builder()
        .base_url(&server.uri())
        .sleep(sleep.clone())
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let error = client
        .send(&GetItem {
            item_id: "a".into(),
        })
        .await
        .unwrap_err();
    match error {
        Error::Timeout { after, attempts } => {
            assert_eq!(after, Duration::from_millis(200));
            assert_eq!(attempts, 2, "a GET is retried after a timeout");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_does_not_carry_the_token() {
    let graph = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/download/file", elsewhere.uri()).as_str(),
        ))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "f"})))
        .mount(&elsewhere)
        .await;
    let item = client(&graph, &RecordingSleep::default())
        .send(&GetItem {
            item_id: "a".into(),
        })
        .await
        .unwrap();
    assert_eq!(item.id, "f");
    let at_graph = received(&graph).await;
    assert_eq!(
        at_graph[0].headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
    let at_other = received(&elsewhere).await;
    assert_eq!(at_other.len(), 1);
    assert_eq!(at_other[0].url.path(), "/download/file");
    assert!(
        at_other[0].headers.get("authorization").is_none(),
        "the token left the Graph host"
    );
}

#[tokio::test]
async fn redirects_on_the_same_host_keep_the_token_and_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/items/a"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/v1.0/items/a"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(&server.uri())
        .token_provider(StaticToken::new(TOKEN))
        .max_redirects(3)
        .build()
        .unwrap();
    let error = client
        .send(&GetItem {
            item_id: "a".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 4);
    assert!(requests
        .iter()
        .all(|r| r.headers.get("authorization").is_some()));
}

#[tokio::test]
async fn hostile_ids_reach_the_server_as_one_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server, &RecordingSleep::default());
    let cases = [
        ("a/b", "a%2Fb"),
        ("a?b=c", "a%3Fb%3Dc"),
        ("a#frag", "a%23frag"),
        ("50%off", "50%25off"),
        ("with space", "with%20space"),
        ("ünïcødé", "%C3%BCn%C3%AFc%C3%B8d%C3%A9"),
        ("../../admin", "..%2F..%2Fadmin"),
        ("a..b", "a..b"),
    ];
    for (id, _) in cases {
        client.send(&DeleteItem(id.into())).await.unwrap();
    }
    let requests = received(&server).await;
    for ((id, encoded), request) in cases.iter().zip(&requests) {
        assert_eq!(
            request.url.path(),
            format!("/v1.0/items/{encoded}"),
            "id {id:?}"
        );
        assert_eq!(request.url.path_segments().unwrap().count(), 3, "id {id:?}");
        assert_eq!(request.url.query(), None, "id {id:?}");
        assert_eq!(request.url.fragment(), None, "id {id:?}");
        let decoded = percent_encoding::percent_decode_str(
            request.url.path_segments().unwrap().next_back().unwrap(),
        )
        .decode_utf8()
        .unwrap();
        assert_eq!(decoded, *id);
    }
}

#[tokio::test]
async fn ids_that_would_change_the_path_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server, &RecordingSleep::default());
    for id in ["..", ".", ""] {
        let error = client.send(&DeleteItem(id.into())).await.unwrap_err();
        assert!(matches!(error, Error::Request(_)), "{id:?}: {error:?}");
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_streamed_body_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let error = client(&server, &sleep).send(&UploadItem).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, b"chunk");
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn paging_follows_next_links_until_absent() {
    let server = MockServer::start().await;
    let next = format!("{}/v1.0/items?$skiptoken=page2", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/items"))
        .and(wiremock::matchers::query_param("$skiptoken", "page2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": [{"id": "3"}]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"value": [{"id": "1"}, {"id": "2"}], "@odata.nextLink": next}),
        ))
        .mount(&server)
        .await;
    let client = client(&server, &RecordingSleep::default());
    let pages: Vec<Page<Item>> = client.pages(&ListItems).map(|p| p.unwrap()).collect().await;
    let ids: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.value.iter().map(|i| i.id.as_str()))
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert!(received(&server)
        .await
        .iter()
        .all(|r| r.headers.get("authorization").is_some()));
}

#[tokio::test]
async fn a_next_link_on_another_host_is_followed_without_the_token() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": [], "@odata.nextLink": format!("{}/v1.0/items?page=2", other.uri())})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": [{"id": "x"}]})),
        )
        .mount(&other)
        .await;
    let client = client(&server, &RecordingSleep::default());
    let pages: Vec<_> = client.pages(&ListItems).collect().await;
    assert_eq!(pages.len(), 2);
    assert!(received(&other).await[0]
        .headers
        .get("authorization")
        .is_none());
}

#[test]
fn the_token_is_not_in_the_clients_debug_output() {
    let client = Client::builder()
        .token_provider(StaticToken::new(TOKEN))
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("redacted"));
}

#[test]
fn operations_build_http_requests_without_io() {
    let request = GetItem {
        item_id: "a b".into(),
    }
    .to_http_request(&msgraph_runtime::Endpoint::cloud(
        msgraph_runtime::Cloud::UsGov,
    ))
    .unwrap();
    assert_eq!(request.method(), Method::GET);
    assert_eq!(
        request.uri().to_string(),
        "https://graph.microsoft.us/v1.0/items/a%20b"
    );
    assert!(request.headers().get("authorization").is_none());
}

mod tracing_output {
    use super::*;
    use std::io::Write;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn each_request_has_a_span_with_method_path_attempt_and_request_id_and_no_secret() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("request-id", "rid-77")
                    .set_body_json(serde_json::json!({"id": "a"})),
            )
            .mount(&server)
            .await;
        client(&server, &RecordingSleep::default())
            .send(&GetItem {
                item_id: "a".into(),
            })
            .await
            .unwrap();
        let output = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert!(output.contains("graph.request"), "{output}");
        assert!(output.contains("method=GET"), "{output}");
        assert!(
            output.contains("path=\"/items/{itemId}\"") || output.contains("path=/items/{itemId}"),
            "{output}"
        );
        assert!(output.contains("attempt=2"), "{output}");
        assert!(
            output.contains("request_id=\"rid-77\"") || output.contains("request_id=rid-77"),
            "{output}"
        );
        assert!(
            output.contains("operation=\"testOperation\"")
                || output.contains("operation=testOperation"),
            "{output}"
        );
        assert!(
            !output.contains(TOKEN),
            "the token is in the trace: {output}"
        );
    }
}
