//! The runtime against servers (and callers) that do not play fair: huge or
//! malformed headers, endless bodies, redirects and next links that try to
//! take credentials elsewhere or loop. Every case is bounded in time and
//! memory and asserts the exact error. Through the reqwest transport, so only
//! with the `reqwest` feature.
#![cfg(feature = "reqwest")]

mod support;

use std::time::Duration;

use msgraph_runtime::{RetryPolicy, StaticToken};
use support::*;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

// --- Retry-After ---------------------------------------------------------

#[tokio::test]
async fn a_huge_retry_after_after_an_earlier_wait_ends_the_call_without_panicking() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429).insert_header("retry-after", "18446744073709551615"),
        )
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let error = within(20, client(&server, &sleep).send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "HTTP 429 Too Many Requests without a Graph error body"
    );
    assert_eq!(sleep.waits(), [Duration::from_secs(1)]);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn one_wait_is_capped_even_when_the_total_delay_is_raised() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1000"))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = builder(&server.uri(), &sleep)
        .retry_policy(RetryPolicy {
            max_total_delay: Duration::from_secs(86_400),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let error = within(20, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert!(error.is_throttled(), "{error:?}");
    assert!(
        sleep.waits().is_empty(),
        "a 1000 s wait is over the per-wait cap: {:?}",
        sleep.waits()
    );
    assert_eq!(received(&server).await.len(), 1);
}

/// Each hostile `Retry-After` either ends the call at once (a wait too long
/// to make) or falls back to backoff (a value that is not a wait); none
/// panics.
#[tokio::test]
async fn no_retry_after_value_panics() {
    let cases: &[(&[u8], bool)] = &[
        (b"18446744073709551615", false),
        (b"99999999999999999999999999999", false),
        (b"Fri, 31 Dec 9999 23:59:59 GMT", false),
        (b"-1", true),
        (b"-18446744073709551616", true),
        (b"1e9", true),
        (b"soon", true),
        (b"", true),
        (b"\xff\xfe", true),
        (b"Thu, 01 Jan 1970 00:00:00 GMT", true),
    ];
    for (value, retried) in cases {
        let server = MockServer::start().await;
        let value = http::HeaderValue::from_bytes(value).unwrap();
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).insert_header("retry-after", value.clone()))
            .mount(&server)
            .await;
        let sleep = RecordingSleep::default();
        let client = builder(&server.uri(), &sleep)
            .retry_policy(RetryPolicy {
                max_attempts: 2,
                ..RetryPolicy::default()
            })
            .build()
            .unwrap();
        let error = within(20, client.send(&GetItem::new("a")))
            .await
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "HTTP 503 Service Unavailable without a Graph error body",
            "{value:?}"
        );
        let waits = sleep.waits();
        assert_eq!(waits.len(), usize::from(*retried), "{value:?}: {waits:?}");
        assert!(
            waits.iter().all(|w| *w <= Duration::from_secs(1)),
            "{value:?}: {waits:?}"
        );
        assert_eq!(received(&server).await.len(), 1 + usize::from(*retried));
    }
}

#[tokio::test]
async fn a_raised_per_wait_cap_allows_longer_waits() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1000"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "a"})))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = builder(&server.uri(), &sleep)
        .token_provider(StaticToken::new(TOKEN))
        .retry_policy(RetryPolicy {
            max_wait: Duration::from_secs(3600),
            max_total_delay: Duration::from_secs(3600),
            ..RetryPolicy::default()
        })
        .deadline(Duration::from_secs(7200))
        .build()
        .unwrap();
    let item = within(20, client.send(&GetItem::new("a"))).await.unwrap();
    assert_eq!(item.id, "a");
    assert_eq!(sleep.waits(), [Duration::from_secs(1000)]);
}

// --- Location resolution (RFC 3986) ----------------------------------------

/// A graph server whose GET answers 302 to `location`, and another server
/// that answers 200 with an item.
async fn redirecting(location: impl Fn(&MockServer) -> String) -> (MockServer, MockServer) {
    let graph = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location(&other)))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "f"})))
        .mount(&other)
        .await;
    (graph, other)
}

#[tokio::test]
async fn a_scheme_relative_location_goes_to_its_host_without_the_token() {
    let (graph, other) =
        redirecting(|other| format!("{}/download/file", other.uri().trim_start_matches("http:")))
            .await;
    let item = within(
        20,
        client(&graph, &RecordingSleep::default()).send(&GetItem::new("a")),
    )
    .await
    .unwrap();
    assert_eq!(item.id, "f");
    assert_eq!(received(&graph).await.len(), 1, "not sent home again");
    let at_other = received(&other).await;
    assert_eq!(at_other.len(), 1);
    assert_eq!(at_other[0].url.path(), "/download/file");
    assert!(at_other[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn an_uppercase_scheme_location_is_an_absolute_url() {
    let (graph, other) =
        redirecting(|other| format!("{}/download/file", other.uri().replacen("http", "HTTP", 1)))
            .await;
    let item = within(
        20,
        client(&graph, &RecordingSleep::default()).send(&GetItem::new("a")),
    )
    .await
    .unwrap();
    assert_eq!(item.id, "f");
    assert_eq!(received(&graph).await.len(), 1);
    let at_other = received(&other).await;
    assert_eq!(at_other[0].url.path(), "/download/file");
    assert!(at_other[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_query_only_location_keeps_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "q"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "?page=2"))
        .mount(&server)
        .await;
    let item = within(
        20,
        client(&server, &RecordingSleep::default()).send(&GetItem::new("a")),
    )
    .await
    .unwrap();
    assert_eq!(item.id, "q");
    let requests = received(&server).await;
    assert_eq!(requests[1].url.path(), "/v1.0/items/a");
    assert_eq!(requests[1].url.query(), Some("page=2"));
}

#[tokio::test]
async fn a_location_that_is_not_http_is_refused() {
    for location in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://example.com/x",
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", location))
            .mount(&server)
            .await;
        let error = within(
            20,
            client(&server, &RecordingSleep::default()).send(&GetItem::new("a")),
        )
        .await
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("redirect failed: the Location `{location}` is not an http or https URL"),
        );
    }
}

// --- Secrets in URLs stay out of errors and events -------------------------

const SECRET: &str = "tempauth-SECRET-value";

#[tokio::test]
async fn a_pre_authenticated_url_is_redacted_in_errors_and_retry_events() {
    let captured = Captured::default();
    let _guard = captured.install();
    let server = MockServer::start().await;
    // Port 1 on loopback refuses connections: a transport error, retried.
    let download = format!("http://user:pass@127.0.0.1:1/download/file?tempauth={SECRET}#{SECRET}");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", download.as_str()))
        .mount(&server)
        .await;
    let error = within(
        30,
        client(&server, &RecordingSleep::default()).send(&GetItem::new("a")),
    )
    .await
    .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(!shown.contains("pass"), "{shown}");
    // One attempt at Graph, four at the redirect target.
    // The cause is in the message: the refused connection, not only
    // reqwest's "error sending request".
    let message = error.to_string();
    assert!(
        message.starts_with(
            "transport error after 5 attempt(s): the request to \
             http://<redacted>@127.0.0.1:1/download/file?<redacted> failed: error sending \
             request: "
        ),
        "{message}"
    );
    assert!(message.contains("Connection refused"), "{message}");
    let output = captured.output();
    assert!(!output.contains(SECRET), "{output}");
    assert!(output.contains("retrying"), "{output}");
    assert!(
        output.contains("127.0.0.1:1/download/file?<redacted>"),
        "{output}"
    );
}

#[tokio::test]
async fn redirect_errors_redact_the_location() {
    let cases = [
        (
            format!("ftp://files.example/x?tempauth={SECRET}"),
            "redirect failed: the Location `ftp://files.example/x?<redacted>` is not an http or https URL",
        ),
        (
            format!("http://[::1/x?tempauth={SECRET}"),
            "redirect failed: the Location `http://[::1/x?<redacted>` is not a URL",
        ),
    ];
    for (location, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
            .mount(&server)
            .await;
        let error = within(
            20,
            client(&server, &RecordingSleep::default()).send(&GetItem::new("a")),
        )
        .await
        .unwrap_err();
        assert_eq!(error.to_string(), expected);
        assert!(!format!("{error:?}").contains(SECRET), "{error:?}");
    }
}

#[tokio::test]
async fn an_invalid_url_is_redacted_in_the_request_error() {
    let server = MockServer::start().await;
    let parts = msgraph_runtime::RequestParts::new(
        http::Method::GET,
        msgraph_runtime::Target::Absolute(format!("not a url?tempauth={SECRET}")),
    );
    let error = client(&server, &RecordingSleep::default())
        .execute(&META, parts)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: `not a url?<redacted>` is not a valid URL"
    );
    assert!(!format!("{error:?}").contains(SECRET), "{error:?}");
    assert!(received(&server).await.is_empty());
}

// --- Credentials set by the caller stay at the Graph origin ----------------

fn sensitive(value: &str) -> http::HeaderValue {
    let mut value = http::HeaderValue::from_str(value).unwrap();
    value.set_sensitive(true);
    value
}

/// A reqwest client whose default headers carry credentials.
fn app_client() -> reqwest::Client {
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", sensitive("Bearer app-token"));
    headers.insert(
        "cookie",
        http::HeaderValue::from_static("session=app-cookie"),
    );
    headers.insert("x-api-key", sensitive("app-api-key"));
    headers.insert("x-plain", http::HeaderValue::from_static("kept"));
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

const CREDENTIALS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
];

fn assert_no_credentials(request: &wiremock::Request) {
    for name in CREDENTIALS {
        assert!(
            request.headers.get(name).is_none(),
            "`{name}` left the Graph origin: {:?}",
            request.headers
        );
    }
}

#[tokio::test]
async fn credential_headers_on_the_request_do_not_follow_a_cross_origin_redirect() {
    let (graph, other) = redirecting(|other| format!("{}/download", other.uri())).await;
    let sleep = RecordingSleep::default();
    let client = builder(&graph.uri(), &sleep).build().unwrap();
    let operation = GetItem::new("a")
        .header(
            "authorization",
            http::HeaderValue::from_static("Bearer caller-token"),
        )
        .header(
            "proxy-authorization",
            http::HeaderValue::from_static("Basic cHJveHk="),
        )
        .header("cookie", http::HeaderValue::from_static("session=caller"))
        .header("x-api-key", sensitive("caller-api-key"))
        .header("x-plain", http::HeaderValue::from_static("kept"));
    within(20, client.send(&operation)).await.unwrap();
    let at_graph = received(&graph).await;
    for name in CREDENTIALS {
        assert!(at_graph[0].headers.get(name).is_some(), "{name} at Graph");
    }
    let at_other = received(&other).await;
    assert_eq!(at_other.len(), 1);
    assert_no_credentials(&at_other[0]);
    assert_eq!(at_other[0].headers.get("x-plain").unwrap(), "kept");
}

#[tokio::test]
async fn default_credential_headers_of_a_preconfigured_client_do_not_follow_a_cross_origin_redirect(
) {
    let (graph, other) = redirecting(|other| format!("{}/download", other.uri())).await;
    let client = builder(&graph.uri(), &RecordingSleep::default())
        .reqwest_client(app_client())
        .build()
        .unwrap();
    within(20, client.send(&GetItem::new("a"))).await.unwrap();
    let at_graph = received(&graph).await;
    assert_eq!(
        at_graph[0].headers.get("authorization").unwrap(),
        "Bearer app-token"
    );
    assert_eq!(at_graph[0].headers.get("x-api-key").unwrap(), "app-api-key");
    let at_other = received(&other).await;
    assert_eq!(at_other.len(), 1);
    assert_no_credentials(&at_other[0]);
}

#[tokio::test]
async fn default_credential_headers_do_not_follow_a_next_link_to_another_origin() {
    let graph = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": "1"}],
            "@odata.nextLink": format!("{}/v1.0/items?page=2", other.uri()),
        })))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": [{"id": "2"}]})),
        )
        .mount(&other)
        .await;
    let client = builder(&graph.uri(), &RecordingSleep::default())
        .reqwest_client(app_client())
        .build()
        .unwrap();
    let pages: Vec<_> = within(
        20,
        futures_util::StreamExt::collect::<Vec<_>>(client.pages(&ListItems)),
    )
    .await;
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(Result::is_ok), "{pages:?}");
    assert!(received(&graph).await[0]
        .headers
        .get("authorization")
        .is_some());
    assert_no_credentials(&received(&other).await[0]);
}

#[tokio::test]
async fn a_redirect_chain_that_left_the_graph_origin_brings_no_credentials_back() {
    let graph = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/v1.0/items/a"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/bounce", other.uri()).as_str()),
        )
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/v1.0/me/drive/root"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "b"})))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/v1.0/me/drive/root", graph.uri()).as_str(),
        ))
        .mount(&other)
        .await;
    let client = builder(&graph.uri(), &RecordingSleep::default())
        .token_provider(StaticToken::new(TOKEN))
        .reqwest_client(app_client())
        .build()
        .unwrap();
    let item = within(20, client.send(&GetItem::new("a"))).await.unwrap();
    assert_eq!(item.id, "b");
    let at_graph = received(&graph).await;
    assert_eq!(at_graph.len(), 2);
    assert!(at_graph[0].headers.get("authorization").is_some());
    assert_no_credentials(&at_graph[1]);
    assert_no_credentials(&received(&other).await[0]);
}

// --- User-Agent --------------------------------------------------------------

const RUNTIME_UA: &str = concat!("msgraph-runtime/", env!("CARGO_PKG_VERSION"));

async fn user_agent_seen(
    client: &msgraph_runtime::Client,
    server: &MockServer,
    operation: GetItem,
) -> String {
    within(20, client.send(&operation)).await.unwrap();
    let requests = received(server).await;
    let last = requests.last().unwrap();
    last.headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

async fn item_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "a"})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_user_agent_of_the_request_is_kept_and_the_runtime_appended() {
    let server = item_server().await;
    let client = client(&server, &RecordingSleep::default());
    let operation =
        GetItem::new("a").header("user-agent", http::HeaderValue::from_static("app/1.0"));
    assert_eq!(
        user_agent_seen(&client, &server, operation).await,
        format!("app/1.0 {RUNTIME_UA}")
    );
    assert_eq!(
        user_agent_seen(&client, &server, GetItem::new("a")).await,
        RUNTIME_UA
    );
}

#[tokio::test]
async fn the_default_user_agent_of_a_preconfigured_client_is_kept_and_the_runtime_appended() {
    let server = item_server().await;
    let app = reqwest::Client::builder()
        .user_agent("app/1.0")
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = builder(&server.uri(), &RecordingSleep::default())
        .reqwest_client(app)
        .build()
        .unwrap();
    assert_eq!(
        user_agent_seen(&client, &server, GetItem::new("a")).await,
        format!("app/1.0 {RUNTIME_UA}")
    );
    // The request's own User-Agent wins over the client's default, as in reqwest.
    let operation =
        GetItem::new("a").header("user-agent", http::HeaderValue::from_static("call/2.0"));
    assert_eq!(
        user_agent_seen(&client, &server, operation).await,
        format!("call/2.0 {RUNTIME_UA}")
    );
}

#[tokio::test]
async fn the_default_user_agent_is_kept_on_requests_without_credentials() {
    let (graph, other) = redirecting(|other| format!("{}/download", other.uri())).await;
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", sensitive("Bearer app-token"));
    let app = reqwest::Client::builder()
        .user_agent("app/1.0")
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = builder(&graph.uri(), &RecordingSleep::default())
        .reqwest_client(app)
        .build()
        .unwrap();
    within(20, client.send(&GetItem::new("a"))).await.unwrap();
    let at_other = received(&other).await;
    assert_no_credentials(&at_other[0]);
    assert_eq!(
        at_other[0].headers.get("user-agent").unwrap(),
        format!("app/1.0 {RUNTIME_UA}").as_str()
    );
}

// --- Paging ------------------------------------------------------------------

async fn collect_pages(
    client: &msgraph_runtime::Client,
    limit: usize,
) -> Vec<Result<msgraph_runtime::Page<Item>, msgraph_runtime::Error>> {
    use futures_util::StreamExt;
    within(20, client.pages(&ListItems).take(limit).collect::<Vec<_>>()).await
}

#[tokio::test]
async fn a_next_link_that_points_back_to_a_visited_page_ends_the_listing() {
    let server = MockServer::start().await;
    let same = format!("{}/v1.0/items?$skiptoken=a", server.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": "1"}],
            "@odata.nextLink": same,
        })))
        .mount(&server)
        .await;
    let client = client(&server, &RecordingSleep::default());
    let pages = collect_pages(&client, 50).await;
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages[0].is_ok() && pages[1].is_ok());
    assert_eq!(
        pages[2].as_ref().unwrap_err().to_string(),
        "paging failed: the @odata.nextLink `http://127.0.0.1:PORT/v1.0/items?<redacted>` \
         points to a page already visited in this listing: the service is looping"
            .replace("127.0.0.1:PORT", server.uri().trim_start_matches("http://"))
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_relative_next_link_is_resolved_against_the_request_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": [{"id": "2"}]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": "1"}],
            "@odata.nextLink": "/v1.0/items?page=2",
        })))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = client(&server, &sleep);
    let pages = collect_pages(&client, 10).await;
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.unwrap().value)
        .map(|item| item.id)
        .collect();
    assert_eq!(ids, ["1", "2"]);
    assert!(sleep.waits().is_empty());
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests[1].headers.get("authorization").is_some());
}

#[tokio::test]
async fn a_next_link_that_cannot_be_sent_is_a_permanent_error() {
    for (link, expected) in [
        (
            "ftp://files.example/items?$skiptoken=s3cret",
            "paging failed: the @odata.nextLink `ftp://files.example/items?<redacted>` is not an http or https URL",
        ),
        (
            "http://[::1/items?$skiptoken=s3cret",
            "paging failed: the @odata.nextLink `http://[::1/items?<redacted>` is not a URL",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "value": [],
                "@odata.nextLink": link,
            })))
            .mount(&server)
            .await;
        let sleep = RecordingSleep::default();
        let pages = collect_pages(&client(&server, &sleep), 10).await;
        assert_eq!(pages.len(), 2, "{link}");
        assert_eq!(pages[1].as_ref().unwrap_err().to_string(), expected);
        assert!(sleep.waits().is_empty(), "{link}: retried");
        assert_eq!(received(&server).await.len(), 1, "{link}");
    }
}

/// Answers every page with a next link to a page it has not given yet.
struct EndlessPages;

impl wiremock::Respond for EndlessPages {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let page: u64 = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .map_or(0, |(_, v)| v.parse().unwrap());
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": page.to_string()}],
            "@odata.nextLink": format!("/v1.0/items?page={}", page + 1),
        }))
    }
}

#[tokio::test]
async fn the_number_of_pages_is_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(EndlessPages)
        .mount(&server)
        .await;
    let client = builder(&server.uri(), &RecordingSleep::default())
        .max_pages(3)
        .build()
        .unwrap();
    let pages = collect_pages(&client, 50).await;
    assert_eq!(pages.len(), 4, "{pages:?}");
    assert!(pages[..3].iter().all(Result::is_ok));
    assert_eq!(
        pages[3].as_ref().unwrap_err().to_string(),
        "paging failed: the listing goes on past 3 pages; \
         raise `ClientBuilder::max_pages` if that many are expected"
    );
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_listing_that_left_the_graph_origin_brings_no_credentials_back() {
    let graph = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": []})))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [],
            "@odata.nextLink": format!("{}/v1.0/items?page=2", other.uri()),
        })))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [],
            "@odata.nextLink": format!("{}/v1.0/items?page=3", graph.uri()),
        })))
        .mount(&other)
        .await;
    let pages = collect_pages(&client(&graph, &RecordingSleep::default()), 10).await;
    assert_eq!(pages.len(), 3, "{pages:?}");
    let at_graph = received(&graph).await;
    assert!(at_graph[0].headers.get("authorization").is_some());
    assert!(at_graph[1].headers.get("authorization").is_none());
    assert!(received(&other).await[0]
        .headers
        .get("authorization")
        .is_none());
}

/// A transport that cannot build any request.
#[derive(Clone, Default)]
struct Unbuildable(std::sync::Arc<std::sync::atomic::AtomicU32>);

impl msgraph_runtime::Transport for Unbuildable {
    fn send(
        &self,
        _: http::Request<msgraph_runtime::Body>,
    ) -> msgraph_runtime::BoxFuture<
        '_,
        Result<http::Response<bytes::Bytes>, msgraph_runtime::TransportError>,
    > {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async {
            Err(msgraph_runtime::TransportError::new("cannot build the request").permanent())
        })
    }
}

#[tokio::test]
async fn a_request_the_transport_cannot_build_is_not_retried() {
    let transport = Unbuildable::default();
    let sleep = RecordingSleep::default();
    let client = builder("http://127.0.0.1:9", &sleep)
        .transport(transport.clone())
        .build()
        .unwrap();
    let error = client.send(&GetItem::new("a")).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "transport error after 1 attempt(s): cannot build the request"
    );
    assert_eq!(transport.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(sleep.waits().is_empty());
}

// --- Response bodies are bounded ----------------------------------------------

const MIB: u64 = 1024 * 1024;

fn raw(head: &str, body_bytes: u64, stall: bool) -> RawAnswer {
    RawAnswer {
        head: head.replace('\n', "\r\n"),
        body_bytes,
        body_byte: b'a',
        stall,
    }
}

#[tokio::test]
async fn a_body_announced_larger_than_the_limit_fails_before_it_is_read() {
    let server = RawServer::start(raw(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 1099511627776\n\n",
        0,
        true,
    ))
    .await;
    let client = builder(&server.uri, &RecordingSleep::default())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = within(20, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the 200 response announces a body of 1099511627776 bytes, more than the limit of \
         67108864 bytes; raise `ClientBuilder::max_response_body` if such bodies are expected"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_body_past_the_default_limit_stops_being_read_at_the_limit() {
    // No Content-Length: the body ends when the connection closes.
    let server = RawServer::start(raw(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nConnection: close\n\n",
        96 * MIB,
        false,
    ))
    .await;
    let client = builder(&server.uri, &RecordingSleep::default())
        .build()
        .unwrap();
    let error = within(60, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the 200 response body is larger than the limit of 67108864 bytes; \
         raise `ClientBuilder::max_response_body` if such bodies are expected"
    );
    assert_eq!(server.requests(), 1, "a body too large is not retried");
    assert!(
        server.written() < 96 * MIB,
        "read to the end: {}",
        server.written()
    );
}

#[tokio::test]
async fn the_body_limit_is_configurable() {
    let big = "x".repeat(3 * MIB as usize);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": big})))
        .mount(&server)
        .await;
    let small = builder(&server.uri(), &RecordingSleep::default())
        .max_response_body(MIB)
        .build()
        .unwrap();
    let error = within(20, small.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the 200 response announces a body of 3145737 bytes, more than the limit of 1048576 \
         bytes; raise `ClientBuilder::max_response_body` if such bodies are expected"
    );
    assert_eq!(error.status(), Some(http::StatusCode::OK));
    let large = builder(&server.uri(), &RecordingSleep::default())
        .max_response_body(4 * MIB)
        .build()
        .unwrap();
    let item = within(20, large.send(&GetItem::new("a"))).await.unwrap();
    assert_eq!(item.id.len(), 3 * MIB as usize);
}

#[tokio::test]
async fn a_body_past_the_limit_without_a_length_stops_at_the_limit() {
    let server = RawServer::start(raw(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nConnection: close\n\n",
        64 * MIB,
        false,
    ))
    .await;
    let client = builder(&server.uri, &RecordingSleep::default())
        .max_response_body(MIB)
        .build()
        .unwrap();
    let error = within(20, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the 200 response body is larger than the limit of 1048576 bytes; \
         raise `ClientBuilder::max_response_body` if such bodies are expected"
    );
    assert!(
        server.written() < 32 * MIB,
        "kept reading: {}",
        server.written()
    );
}

#[tokio::test]
async fn an_error_body_is_kept_only_up_to_its_cap() {
    let server = RawServer::start(raw(
        "HTTP/1.1 502 Bad Gateway\nContent-Type: text/html\nContent-Length: 67108864\n\n",
        64 * MIB,
        false,
    ))
    .await;
    let client = builder(&server.uri, &RecordingSleep::default())
        .build()
        .unwrap();
    let error = within(20, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    let msgraph_runtime::Error::Http(http) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(http.raw_body.len(), 64 * 1024);
    assert_eq!(
        error.to_string(),
        format!(
            "HTTP 502 Bad Gateway without a Graph error body: {}",
            "a".repeat(200)
        )
    );
    assert!(
        server.written() < 32 * MIB,
        "kept reading: {}",
        server.written()
    );
}

#[tokio::test]
async fn an_error_body_that_stalls_keeps_what_came() {
    let server = RawServer::start(raw(
        "HTTP/1.1 404 Not Found\nContent-Type: text/plain\nContent-Length: 1000\n\n",
        10,
        true,
    ))
    .await;
    let client = builder(&server.uri, &RecordingSleep::default())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = within(20, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "HTTP 404 Not Found without a Graph error body: aaaaaaaaaa"
    );
}

#[tokio::test]
async fn the_body_of_a_delete_is_not_read() {
    let server = RawServer::start(raw(
        "HTTP/1.1 200 OK\nContent-Type: application/json\nContent-Length: 67108864\n\n",
        64 * MIB,
        false,
    ))
    .await;
    let client = builder(&server.uri, &RecordingSleep::default())
        .build()
        .unwrap();
    within(20, client.send(&DeleteItem("a".into())))
        .await
        .unwrap();
    // Reading the body whole would have taken all 64 MiB before returning.
    assert!(
        server.written() < 32 * MIB,
        "read whole: {}",
        server.written()
    );
}

// --- A deadline per call -------------------------------------------------------

#[tokio::test]
async fn a_hung_call_ends_at_its_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let client = builder(&server.uri(), &RecordingSleep::default())
        .timeout(Duration::from_secs(100))
        .deadline(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = within(20, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the call could not finish within its deadline of 500ms (1 attempt(s)); set a longer \
         one with `ClientBuilder::deadline` or `Request::deadline`"
    );
}

#[tokio::test]
async fn a_retry_wait_that_would_pass_the_deadline_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = builder(&server.uri(), &sleep)
        .deadline(Duration::from_secs(10))
        .build()
        .unwrap();
    let error = within(20, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the call could not finish within its deadline of 10s (1 attempt(s); the last \
         response was 429 Too Many Requests); set a longer one with `ClientBuilder::deadline` \
         or `Request::deadline`"
    );
    assert!(sleep.waits().is_empty());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn waits_count_against_the_deadline_with_an_injected_sleeper() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "20"))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = builder(&server.uri(), &sleep)
        .retry_policy(RetryPolicy {
            max_attempts: 10,
            ..RetryPolicy::default()
        })
        .deadline(Duration::from_secs(50))
        .build()
        .unwrap();
    let error = within(20, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert!(
        error.to_string().starts_with(
            "the call could not finish within its deadline of 50s (3 attempt(s); the last \
             response was 503 Service Unavailable)"
        ),
        "{error}"
    );
    assert_eq!(
        sleep.waits(),
        [Duration::from_secs(20), Duration::from_secs(20)]
    );
}

#[tokio::test]
async fn a_deadline_set_on_the_request_wins() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let client = builder(&server.uri(), &RecordingSleep::default())
        .timeout(Duration::from_secs(100))
        .build()
        .unwrap();
    let error = within(
        20,
        msgraph_runtime::Request::new(&client, GetItem::new("a"))
            .deadline(Duration::from_millis(300))
            .send(),
    )
    .await
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("the call could not finish within its deadline of 300ms (1 attempt(s))"),
        "{error}"
    );
}

/// With the default settings, a server that accepts and never answers holds
/// an idempotent call for the default deadline (3 minutes), no longer: not
/// 4 attempts of 100 s and the waits between them. Time is tokio's paused
/// clock, which jumps ahead whenever everything waits.
#[tokio::test(start_paused = true)]
async fn with_the_defaults_a_hung_call_ends_within_three_minutes() {
    let server = RawServer::start(raw("", 0, true)).await;
    let sleep = RecordingSleep::default();
    let client = msgraph_runtime::Client::builder()
        .base_url(&server.uri)
        .sleep(sleep.clone())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = client.send(&GetItem::new("a")).await.unwrap_err();
    let took = started.elapsed() + sleep.waits().iter().sum::<Duration>();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("the call could not finish within its deadline of 180s"),
        "{error}"
    );
    assert!(took <= Duration::from_secs(181), "{took:?}");
}

// --- More hostile servers ----------------------------------------------------

#[tokio::test]
async fn a_redirect_without_a_location_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302))
        .mount(&server)
        .await;
    let error = within(
        20,
        client(&server, &RecordingSleep::default()).send(&GetItem::new("a")),
    )
    .await
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "redirect failed: the 302 response has no Location header"
    );
}

#[tokio::test]
async fn a_location_that_is_not_utf8_is_an_error_and_one_in_utf8_is_followed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/v1.0/items/a"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            http::HeaderValue::from_bytes(b"/v1.0/items/\xc3\xbcn").unwrap(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/v1.0/items/%C3%BCn"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "u"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/v1.0/items/b"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            http::HeaderValue::from_bytes(b"/v1.0/items/\xff\xfe").unwrap(),
        ))
        .mount(&server)
        .await;
    let client = client(&server, &RecordingSleep::default());
    let item = within(20, client.send(&GetItem::new("a"))).await.unwrap();
    assert_eq!(item.id, "u");
    let error = within(20, client.send(&GetItem::new("b")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "redirect failed: the 302 response has a Location header that is not UTF-8"
    );
}

#[tokio::test]
async fn header_values_that_are_not_utf8_are_ignored() {
    let server = MockServer::start().await;
    let junk = http::HeaderValue::from_bytes(b"\xff\xfe\x80").unwrap();
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", junk.clone())
                .insert_header("content-type", junk.clone())
                .insert_header("retry-after", junk)
                .set_body_raw(r#"{"id": "a"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let response = within(
        20,
        client(&server, &RecordingSleep::default()).send_with_response(&GetItem::new("a")),
    )
    .await
    .unwrap();
    assert_eq!(response.value.id, "a");
    assert_eq!(response.request_id(), None);
}

#[tokio::test]
async fn a_redirect_loop_between_two_hosts_is_bounded() {
    let a = MockServer::start().await;
    let b = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/x", b.uri()).as_str()),
        )
        .mount(&a)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("location", format!("{}/y", a.uri()).as_str()),
        )
        .mount(&b)
        .await;
    let error = within(
        20,
        client(&a, &RecordingSleep::default()).send(&GetItem::new("a")),
    )
    .await
    .unwrap_err();
    assert_eq!(error.to_string(), "redirect failed: more than 5 redirects");
    let (at_a, at_b) = (received(&a).await, received(&b).await);
    assert_eq!(at_a.len() + at_b.len(), 6);
    assert!(at_a[0].headers.get("authorization").is_some());
    assert!(at_a[1..]
        .iter()
        .all(|r| r.headers.get("authorization").is_none()));
}

#[tokio::test]
async fn a_content_type_that_lies_changes_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/v1.0/items/html"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html>surprise</html>", "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/v1.0/items/json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"id": "j"}"#, "text/html"))
        .mount(&server)
        .await;
    let client = client(&server, &RecordingSleep::default());
    let error = within(20, client.send(&GetItem::new("html")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the 200 response body does not parse: expected value at line 1 column 1"
    );
    let item = within(20, client.send(&GetItem::new("json")))
        .await
        .unwrap();
    assert_eq!(item.id, "j");
}

#[tokio::test]
async fn a_graph_error_nested_deeper_than_the_parser_goes_is_an_http_error() {
    // 100,000 levels would be 1.4 MB; what is kept of an error body (64 KiB)
    // still nests thousands deep, far past serde_json's limit of 128.
    let depth = 100_000;
    let body = format!(
        r#"{{"error":{{"code":"deep","message":"m","innerError":{}{}}}}}"#,
        r#"{"innerError":"#.repeat(depth),
        "null".to_owned() + &"}".repeat(depth)
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let error = within(
        20,
        client(&server, &RecordingSleep::default()).send(&GetItem::new("a")),
    )
    .await
    .unwrap_err();
    let msgraph_runtime::Error::Http(http) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(http.raw_body.len(), 64 * 1024);
    assert!(
        error.to_string().starts_with(
            r#"HTTP 400 Bad Request without a Graph error body: {"error":{"code":"deep","message":"m","innerError":{"innerError":"#
        ),
        "{error}"
    );
}

#[tokio::test]
async fn an_endless_response_head_is_cut_short() {
    // A header line that never ends.
    let server = RawServer::start(raw("HTTP/1.1 200 OK\nX-Junk: ", 64 * MIB, false)).await;
    let client = builder(&server.uri, &RecordingSleep::default())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = within(20, client.send(&GetItem::new("a")))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "transport error after 1 attempt(s): the request to {}/v1.0/items/a failed: \
             error sending request: client error (SendRequest): message head is too large",
            server.uri
        )
    );
    assert!(
        server.written() < 32 * MIB,
        "kept reading: {}",
        server.written()
    );
}
