//! What a caller meets first: a base URL that is not usable is refused by
//! `build` saying what to pass instead, and a listing can be collected
//! whole, page by page or item by item.

mod support;

use msgraph_runtime::{Client, Error, Request, TryStreamExt};
use support::{client, ListItems, RecordingSleep};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn build_error(base: &str) -> String {
    match Client::builder().base_url(base).build() {
        Err(error @ Error::InvalidBaseUrl(_)) => error.to_string(),
        other => panic!("expected an invalid base URL, got {other:?}"),
    }
}

#[test]
fn a_base_url_with_the_api_version_is_refused_with_what_to_pass_instead() {
    assert_eq!(
        build_error("https://graph.microsoft.com/v1.0"),
        "invalid client configuration: `https://graph.microsoft.com/v1.0` ends with the API \
         version `/v1.0`, which every operation adds itself (the paths would have it twice); \
         pass `https://graph.microsoft.com` instead"
    );
    assert!(build_error("http://127.0.0.1:8080/beta/")
        .ends_with("pass `http://127.0.0.1:8080` instead"));
}

#[test]
fn a_bad_base_url_says_what_is_wrong_and_what_a_valid_one_looks_like() {
    let message = build_error("graph.microsoft.com");
    assert!(
        message.starts_with(
            "invalid client configuration: `graph.microsoft.com` is not a usable base URL: it \
             has no scheme (`https://`); a base URL is an absolute http or https URL"
        ),
        "{message}"
    );
    assert!(
        message.contains("such as `https://graph.microsoft.com`"),
        "{message}"
    );
    // Said once, not wrapped in another "is not a valid URL".
    assert_eq!(
        message.matches("graph.microsoft.com`").count(),
        2,
        "{message}"
    );
    assert!(build_error("https://").contains("it has no host"));
}

async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    let uri = server.uri();
    for (page, next) in [("1", Some("2")), ("2", Some("3")), ("3", None)] {
        let mut body = serde_json::json!({ "value": [{ "id": format!("{page}a") }, { "id": format!("{page}b") }] });
        if let Some(next) = next {
            body["@odata.nextLink"] = format!("{uri}/v1.0/items?page={next}").into();
        }
        let mock = Mock::given(method("GET")).and(path("/v1.0/items"));
        let mock = if page == "1" {
            mock.and(wiremock::matchers::query_param_is_missing("page"))
        } else {
            mock.and(query_param("page", page))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn a_listing_is_collected_as_items_or_pages() {
    let server = three_pages().await;
    let client = client(&server, &RecordingSleep::default());
    let ids = |items: Vec<support::Item>| items.into_iter().map(|i| i.id).collect::<Vec<_>>();

    let all = client.all_items(&ListItems).await.unwrap();
    assert_eq!(ids(all), ["1a", "1b", "2a", "2b", "3a", "3b"]);

    let request = Request::new(&client, ListItems);
    let pages = request.all_pages().await.unwrap();
    assert_eq!(
        pages.iter().map(|p| p.value.len()).collect::<Vec<_>>(),
        [2, 2, 2]
    );
    assert_eq!(ids(request.all_items().await.unwrap()).len(), 6);
    let streamed: Vec<support::Item> = request.items().try_collect().await.unwrap();
    assert_eq!(ids(streamed)[5], "3b");
}

#[tokio::test]
async fn collecting_stops_at_the_first_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            serde_json::json!({ "error": { "code": "Authorization_RequestDenied", "message": "no" } }),
        ))
        .mount(&server)
        .await;
    let client = client(&server, &RecordingSleep::default());
    let error = client.all_items(&ListItems).await.unwrap_err();
    assert_eq!(error.code(), Some("Authorization_RequestDenied"));
}
