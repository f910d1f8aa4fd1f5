//! The runtime against servers (and callers) that do not play fair: huge or
//! malformed headers, endless bodies, redirects and next links that try to
//! take credentials elsewhere or loop. Every case is bounded in time and
//! memory and asserts the exact error.

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
        .build()
        .unwrap();
    let item = within(20, client.send(&GetItem::new("a"))).await.unwrap();
    assert_eq!(item.id, "a");
    assert_eq!(sleep.waits(), [Duration::from_secs(1000)]);
}
