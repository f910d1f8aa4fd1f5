//! A redirect the page documents as an operation's answer (a meeting's
//! attendee report, an item's content) comes back to the caller with its
//! Location; nothing is fetched from there. Other operations still follow
//! redirects.
#![cfg(feature = "reqwest")]

mod support;

use bytes::Bytes;
use http::Method;
use msgraph_runtime::{
    parse, Error, Operation, OperationMetadata, Redirect, RequestError, RequestParts, Target,
};
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// GET /v1.0/reports/{id}/content: documented as 302 with a Location.
struct GetReportContent(&'static str);

impl Operation for GetReportContent {
    type Output = Redirect;
    const METADATA: &'static OperationMetadata = &META;
    const REDIRECT_IS_OUTPUT: bool = true;
    fn to_request(&self) -> Result<RequestParts, RequestError> {
        Ok(RequestParts::new(
            Method::GET,
            Target::Path {
                version_base: "/v1.0",
                path: format!("/reports/{}/content", self.0),
            },
        ))
    }
    fn parse_response(response: http::Response<Bytes>) -> Result<Redirect, Error> {
        parse::redirect(response)
    }
}

#[tokio::test]
async fn a_documented_redirect_is_the_output_and_is_not_followed() {
    let server = MockServer::start().await;
    let download = format!("{}/download/report.csv?tempauth=secret-token", server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/reports/r1/content"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", download.as_str()))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let redirect = within(20, client(&server, &sleep).send(&GetReportContent("r1")))
        .await
        .expect("the redirect is the answer");
    assert_eq!(redirect.status, 302);
    assert_eq!(redirect.location, download);
    // The download URL was handed over, not fetched.
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "only the documented request was sent");
    // Its secret stays out of Debug output.
    let debug = format!("{redirect:?}");
    assert!(!debug.contains("secret-token"), "{debug}");
    assert!(debug.contains("/download/report.csv"), "{debug}");
}

#[tokio::test]
async fn an_answer_in_place_of_the_documented_redirect_is_a_clear_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("report"))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let error = within(20, client(&server, &sleep).send(&GetReportContent("r1")))
        .await
        .expect_err("a 200 is not the documented answer");
    assert!(
        error
            .to_string()
            .contains("expected a redirect with a Location header, got 200 OK"),
        "{error}"
    );
}

#[tokio::test]
async fn other_operations_still_follow_redirects() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/items/moved"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/v1.0/items/a", server.uri()).as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/items/a"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"a"}"#))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let item = within(20, client(&server, &sleep).send(&GetItem::new("moved")))
        .await
        .expect("followed");
    assert_eq!(item, Item { id: "a".into() });
}
