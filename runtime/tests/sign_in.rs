//! Signing in: the scope follows the client's cloud, an Azure SDK credential
//! signs in through `AzureCredential` with its tokens cached and one refresh
//! in flight, and a claims challenge gets one retry with a fresh token. No
//! network: a fake credential and the mock transport.
#![cfg(all(feature = "azure", feature = "testing"))]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use azure_core::credentials::{TokenCredential, TokenRequestOptions};
use bytes::Bytes;
use msgraph_runtime::testing::{graph_error, json_response, MockTransport};
use msgraph_runtime::{
    AccessToken, AuthError, AzureCredential, BoxFuture, Client, Cloud, Error, RetryPolicy,
    TokenProvider, TokenRequest,
};
use support::GetItem;

/// An Azure SDK credential that hands out `token-0`, `token-1`, ... and
/// records the scopes it was asked for.
#[derive(Debug)]
struct FakeCredential {
    asked: Mutex<Vec<Vec<String>>>,
    issued: AtomicUsize,
    lifetime: Duration,
    delay: Duration,
}

impl FakeCredential {
    fn new(lifetime: Duration) -> Arc<Self> {
        Arc::new(FakeCredential {
            asked: Mutex::new(Vec::new()),
            issued: AtomicUsize::new(0),
            lifetime,
            delay: Duration::ZERO,
        })
    }

    fn asked(&self) -> Vec<Vec<String>> {
        self.asked.lock().unwrap().clone()
    }
}

#[async_trait::async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<azure_core::credentials::AccessToken> {
        self.asked
            .lock()
            .unwrap()
            .push(scopes.iter().map(|s| s.to_string()).collect());
        let n = self.issued.fetch_add(1, Ordering::SeqCst);
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        Ok(azure_core::credentials::AccessToken::new(
            format!("token-{n}"),
            azure_core::time::OffsetDateTime::now_utc() + self.lifetime,
        ))
    }
}

/// A credential that always fails, with a message that names a URL with a
/// secret in its query.
#[derive(Debug)]
struct FailingCredential;

#[async_trait::async_trait]
impl TokenCredential for FailingCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<azure_core::credentials::AccessToken> {
        Err(azure_core::Error::with_message(
            azure_core::error::ErrorKind::Credential,
            "AADSTS7000215: invalid client secret",
        ))
    }
}

fn ok_item() -> http::Response<Bytes> {
    json_response(200, serde_json::json!({ "id": "a" }))
}

const CLAIMS_JSON: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#;

fn claims_challenge() -> http::Response<Bytes> {
    use base64::Engine as _;
    let claims = base64::engine::general_purpose::STANDARD.encode(CLAIMS_JSON);
    let mut response = graph_error(401, "InvalidAuthenticationToken", "claims required");
    response.headers_mut().insert(
        http::header::WWW_AUTHENTICATE,
        format!(
            r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{claims}""#
        )
        .parse()
        .unwrap(),
    );
    response
}

fn client_in(cloud: Cloud, mock: &MockTransport, provider: impl TokenProvider + 'static) -> Client {
    Client::builder()
        .cloud(cloud)
        .transport(mock.clone())
        .token_provider(provider)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn azure_credentials_are_asked_for_the_scope_of_the_clients_cloud() {
    for cloud in Cloud::ALL {
        let credential = FakeCredential::new(Duration::from_secs(3600));
        let mock = MockTransport::with_responder(|_| ok_item());
        let client = client_in(cloud, &mock, AzureCredential::new(credential.clone()));
        client.send(&GetItem::new("a")).await.unwrap();
        client.send(&GetItem::new("b")).await.unwrap();
        // One sign-in for both calls: the token is cached.
        assert_eq!(credential.asked(), [vec![cloud.graph_scope().to_owned()]]);
        let sent = mock.requests();
        assert_eq!(sent.len(), 2);
        for request in &sent {
            assert_eq!(request.header("authorization"), Some("Bearer token-0"));
            assert_eq!(
                format!(
                    "{}://{}",
                    request.uri.scheme_str().unwrap(),
                    request.uri.host().unwrap()
                ),
                cloud.host()
            );
        }
    }
    assert_eq!(
        Cloud::UsGov.graph_scope(),
        "https://graph.microsoft.us/.default"
    );
}

#[tokio::test]
async fn scopes_set_on_the_builder_replace_the_clouds() {
    let credential = FakeCredential::new(Duration::from_secs(3600));
    let mock = MockTransport::with_responder(|_| ok_item());
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .scopes(["https://graph.microsoft.us/User.Read"])
        .transport(mock.clone())
        .token_provider(AzureCredential::new(credential.clone()))
        .build()
        .unwrap();
    client.send(&GetItem::new("a")).await.unwrap();
    assert_eq!(
        credential.asked(),
        [vec!["https://graph.microsoft.us/User.Read".to_owned()]]
    );
}

#[tokio::test]
async fn a_token_close_to_expiry_is_refreshed_before_use() {
    // Four minutes left: within the default five-minute margin.
    let credential = FakeCredential::new(Duration::from_secs(240));
    let mock = MockTransport::with_responder(|_| ok_item());
    let client = client_in(
        Cloud::Global,
        &mock,
        AzureCredential::new(credential.clone()),
    );
    client.send(&GetItem::new("a")).await.unwrap();
    client.send(&GetItem::new("b")).await.unwrap();
    assert_eq!(credential.asked().len(), 2);
    let tokens: Vec<_> = mock
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(tokens, ["Bearer token-0", "Bearer token-1"]);

    // With a one-minute margin the same token is fresh enough.
    let credential = FakeCredential::new(Duration::from_secs(240));
    let provider = AzureCredential::new(credential.clone()).refresh_before(Duration::from_secs(60));
    let client = client_in(Cloud::Global, &mock, provider);
    client.send(&GetItem::new("a")).await.unwrap();
    client.send(&GetItem::new("b")).await.unwrap();
    assert_eq!(credential.asked().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_sign_in() {
    let credential = Arc::new(FakeCredential {
        asked: Mutex::new(Vec::new()),
        issued: AtomicUsize::new(0),
        lifetime: Duration::from_secs(3600),
        delay: Duration::from_millis(100),
    });
    let mock = MockTransport::with_responder(|_| ok_item());
    let client = client_in(
        Cloud::Global,
        &mock,
        AzureCredential::new(credential.clone()),
    );
    let calls = (0..12).map(|i| {
        let client = client.clone();
        tokio::spawn(async move { client.send(&GetItem::new(&format!("item-{i}"))).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(credential.asked().len(), 1);
    assert!(mock
        .requests()
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer token-0")));
}

#[tokio::test]
async fn a_claims_challenge_is_retried_once_with_a_fresh_token() {
    let credential = FakeCredential::new(Duration::from_secs(3600));
    let mock = MockTransport::new();
    mock.push(claims_challenge()).push(ok_item());
    let client = client_in(
        Cloud::Global,
        &mock,
        AzureCredential::new(credential.clone()),
    );
    let item = client.send(&GetItem::new("a")).await.unwrap();
    assert_eq!(item.id, "a");
    // The cached token was not reused: the credential was asked again.
    assert_eq!(credential.asked().len(), 2);
    let tokens: Vec<_> = mock
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(tokens, ["Bearer token-0", "Bearer token-1"]);
    // The fresh token is the one cached after.
    mock.push(ok_item());
    client.send(&GetItem::new("b")).await.unwrap();
    assert_eq!(credential.asked().len(), 2);
    assert_eq!(
        mock.requests()[2].header("authorization"),
        Some("Bearer token-1")
    );
}

#[tokio::test]
async fn a_second_claims_challenge_is_the_calls_error() {
    let credential = FakeCredential::new(Duration::from_secs(3600));
    let mock = MockTransport::new();
    mock.push(claims_challenge())
        .push(claims_challenge())
        .push(ok_item());
    let client = client_in(Cloud::Global, &mock, AzureCredential::new(credential));
    let error = client.send(&GetItem::new("a")).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(error.code(), Some("InvalidAuthenticationToken"));
    assert_eq!(mock.requests().len(), 2);
    assert_eq!(mock.unanswered(), 1);
}

#[tokio::test]
async fn a_401_without_claims_is_not_retried() {
    let credential = FakeCredential::new(Duration::from_secs(3600));
    let mock = MockTransport::new();
    mock.push(graph_error(401, "InvalidAuthenticationToken", "expired"))
        .push(ok_item());
    let client = client_in(
        Cloud::Global,
        &mock,
        AzureCredential::new(credential.clone()),
    );
    let error = client.send(&GetItem::new("a")).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(credential.asked().len(), 1);
}

/// A provider of its own, which records what it is asked for.
#[derive(Default)]
struct Recording(Mutex<Vec<TokenRequest>>);

impl TokenProvider for Recording {
    fn token<'a>(
        &'a self,
        request: &'a TokenRequest,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        self.0.lock().unwrap().push(request.clone());
        Box::pin(async { Ok(AccessToken::new("t")) })
    }
}

#[tokio::test]
async fn a_provider_of_its_own_gets_the_cloud_and_the_decoded_claims() {
    let provider = Arc::new(Recording::default());
    struct Shared(Arc<Recording>);
    impl TokenProvider for Shared {
        fn token<'a>(
            &'a self,
            request: &'a TokenRequest,
        ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
            self.0.token(request)
        }
    }
    let mock = MockTransport::new();
    mock.push(claims_challenge()).push(ok_item());
    let client = client_in(Cloud::China, &mock, Shared(provider.clone()));
    client.send(&GetItem::new("a")).await.unwrap();
    let asked = provider.0.lock().unwrap().clone();
    assert_eq!(asked.len(), 2);
    assert_eq!(asked[0], TokenRequest::for_cloud(Cloud::China));
    assert_eq!(asked[0].claims(), None);
    assert_eq!(asked[1].cloud(), Some(Cloud::China));
    assert_eq!(
        asked[1].scopes(),
        ["https://microsoftgraph.chinacloudapi.cn/.default"]
    );
    assert_eq!(asked[1].claims(), Some(CLAIMS_JSON));
}

#[tokio::test]
async fn a_failing_credential_is_an_auth_error_that_says_why() {
    let mock = MockTransport::new();
    let client = client_in(
        Cloud::Global,
        &mock,
        AzureCredential::new(Arc::new(FailingCredential)),
    );
    let error = client.send(&GetItem::new("a")).await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with("no access token: the Azure credential gave no token: "),
        "{message}"
    );
    assert!(message.contains("AADSTS7000215"), "{message}");
    assert!(mock.requests().is_empty());
}

#[test]
fn the_adapter_shows_no_token_in_debug() {
    let provider = AzureCredential::new(FakeCredential::new(Duration::from_secs(1)));
    assert!(format!("{provider:?}").contains("AzureCredential"));
}
