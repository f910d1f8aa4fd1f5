//! Headers and query pairs added to one request, on the fluent request and
//! on a sans-IO operation: sent encoded, and refused with a clear error when
//! they would break the request (reserved names, duplicates, bad values).

mod support;

use bytes::Bytes;
use http::Method;
use msgraph_runtime::{
    parse, Endpoint, Error, Operation, OperationExt, OperationMetadata, RequestError, RequestParts,
    Target,
};
use support::{client, received, GetItem, RecordingSleep, META};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// GET /v1.0/items?$select=id, with `Prefer` set as a documented header.
struct ListSelected;

impl Operation for ListSelected {
    type Output = serde_json::Value;
    const METADATA: &'static OperationMetadata = &META;
    fn to_request(&self) -> Result<RequestParts, RequestError> {
        RequestParts::new(
            Method::GET,
            Target::Path {
                version_base: "/v1.0",
                path: "/items".into(),
            },
        )
        .query_pair("$select", "id")
        .header("prefer", "return=minimal")
    }
    fn parse_response(response: http::Response<Bytes>) -> Result<Self::Output, Error> {
        parse::json(response)
    }
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/items/a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "a"})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn added_headers_and_query_pairs_are_sent_encoded() {
    let server = server().await;
    let client = client(&server, &RecordingSleep::default());
    let item = msgraph_runtime::Request::new(&client, GetItem::new("a"))
        .header("X-Trace", "t-1")
        .header("User-Agent", "my-app/2.0")
        .query("$count", "true")
        .query("odd key", "a&b=c#d e")
        .send()
        .await
        .unwrap();
    assert_eq!(item.id, "a");
    let request = &received(&server).await[0];
    assert_eq!(request.headers["x-trace"], "t-1");
    // The application's User-Agent first, the runtime's after it.
    let user_agent = request.headers["user-agent"].to_str().unwrap();
    assert!(
        user_agent.starts_with("my-app/2.0 msgraph-runtime/"),
        "{user_agent}"
    );
    assert_eq!(
        request.url.query(),
        Some("$count=true&odd%20key=a%26b%3Dc%23d%20e")
    );
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("$count".to_owned(), "true".to_owned()),
            ("odd key".to_owned(), "a&b=c#d e".to_owned())
        ]
    );
}

async fn refused(request: msgraph_runtime::Request<'_, impl Operation>) -> RequestError {
    match request.send().await {
        Err(Error::Request(error)) => error,
        other => panic!("expected a request error, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn reserved_bad_and_duplicate_additions_are_refused_before_sending() {
    let server = server().await;
    let client = client(&server, &RecordingSleep::default());
    let new = || msgraph_runtime::Request::new(&client, GetItem::new("a"));

    let error = refused(new().header("Authorization", "Bearer stolen")).await;
    assert!(matches!(&error, RequestError::ReservedHeader { name, .. } if name == "authorization"));
    assert_eq!(
        error.to_string(),
        "header `authorization` cannot be set on a request: the token provider's token goes \
         there; configure `ClientBuilder::token_provider`"
    );
    for reserved in ["client-request-id", "Content-Length", "host"] {
        let error = refused(new().header(reserved, "x")).await;
        assert!(
            matches!(error, RequestError::ReservedHeader { .. }),
            "{reserved}"
        );
    }

    let error = refused(new().header("Bad Name", "x")).await;
    assert!(matches!(error, RequestError::InvalidHeaderName { .. }));
    assert!(error
        .to_string()
        .contains("`Bad Name` is not a valid HTTP header name"));

    let error = refused(new().header("X-Injected", "a\r\nX-Evil: 1")).await;
    assert!(matches!(error, RequestError::InvalidHeaderValue { .. }));
    assert!(!error.to_string().contains("X-Evil"), "{error}");

    let error = refused(new().query("", "x")).await;
    assert!(matches!(error, RequestError::EmptyQueryName));

    // The same option twice, with or without `$` and in another case.
    let error = refused(new().query("$top", "1").query("TOP", "2")).await;
    assert!(matches!(&error, RequestError::DuplicateQuery { name } if name == "TOP"));

    let selected = || msgraph_runtime::Request::new(&client, ListSelected);
    let error = refused(selected().query("select", "displayName")).await;
    assert!(matches!(error, RequestError::DuplicateQuery { .. }));
    assert!(error.to_string().contains("already set by the request"));
    let error = refused(selected().header("Prefer", "odata.maxpagesize=5")).await;
    assert!(matches!(&error, RequestError::DuplicateHeader { name } if name == "prefer"));

    assert!(received(&server).await.is_empty());
}

#[test]
fn sans_io_operations_take_the_same_additions() {
    let endpoint = Endpoint::custom("https://graph.example").unwrap();
    // `GetItem` has a `header` of its own: the trait's is named in full.
    let request = OperationExt::header(GetItem::new("a"), "ConsistencyLevel", "eventual")
        .query("$count", "true")
        .to_http_request(&endpoint)
        .unwrap();
    assert_eq!(
        request.uri(),
        "https://graph.example/v1.0/items/a?$count=true"
    );
    assert_eq!(request.headers()["consistencylevel"], "eventual");

    let refused = ListSelected
        .query("$select", "id")
        .to_http_request(&endpoint)
        .unwrap_err();
    assert!(matches!(refused, RequestError::DuplicateQuery { .. }));
    let refused = OperationExt::header(GetItem::new("a"), "authorization", "Bearer x")
        .to_request()
        .unwrap_err();
    assert!(matches!(refused, RequestError::ReservedHeader { .. }));
    // The wrapper keeps the operation's facts.
    assert_eq!(
        <msgraph_runtime::Customized<GetItem> as Operation>::METADATA.name,
        GetItem::METADATA.name
    );
}
