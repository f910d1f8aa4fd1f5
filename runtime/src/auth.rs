//! Bearer tokens: where they come from (a provider asked for the cloud's
//! scopes), how they are cached and refreshed, the claims challenges that
//! ask for a fresh one, and keeping them out of logs.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine as _;

use crate::endpoint::Cloud;
use crate::transport::BoxFuture;

/// An OAuth access token, and when it expires when that is known. Its
/// `Debug` and `Display` never show the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    secret: Arc<str>,
    expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// Wraps a token string whose expiry is not known: a [`TokenCache`]
    /// keeps it until a claims challenge asks for a fresh one.
    pub fn new(token: impl Into<Arc<str>>) -> Self {
        AccessToken {
            secret: token.into(),
            expires_at: None,
        }
    }

    /// The same token, expiring at `at`: a [`TokenCache`] gets a fresh one
    /// shortly before then.
    pub fn expiring_at(mut self, at: SystemTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// The secret itself, for the `Authorization` header.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// When the token expires, when that is known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What a [`TokenProvider`] is asked for: the scopes of the client's cloud,
/// the cloud, and the claims of a challenge the service sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRequest {
    scopes: Vec<String>,
    cloud: Option<Cloud>,
    claims: Option<String>,
}

impl TokenRequest {
    /// A request for `scopes`, for a client of `cloud` (`None` for a custom
    /// base URL).
    pub fn new(scopes: Vec<String>, cloud: Option<Cloud>) -> Self {
        TokenRequest {
            scopes,
            cloud,
            claims: None,
        }
    }

    /// The request a client of `cloud` makes by default: the cloud's
    /// [`Cloud::graph_scope`].
    pub fn for_cloud(cloud: Cloud) -> Self {
        TokenRequest::new(vec![cloud.graph_scope().to_owned()], Some(cloud))
    }

    /// The same request carrying the claims of a challenge.
    pub fn with_claims(mut self, claims: impl Into<String>) -> Self {
        self.claims = Some(claims.into());
        self
    }

    /// The scopes: `https://graph.microsoft.com/.default` in the global
    /// cloud, `https://graph.microsoft.us/.default` in US Gov L4, ...
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The national cloud the client sends to; `None` for a custom base URL.
    pub fn cloud(&self) -> Option<Cloud> {
        self.cloud
    }

    /// The claims (JSON, decoded from the challenge's base64) that the
    /// service asked the next token to carry, after a 401 with a claims
    /// challenge (Continuous Access Evaluation, conditional access). A
    /// provider that gets claims must not answer from its cache.
    pub fn claims(&self) -> Option<&str> {
        self.claims.as_deref()
    }
}

/// Why no token could be had. Match on nothing inside: show it, and check
/// the credential's configuration; [`std::error::Error::source`] is the
/// credential's own error, when there is one.
#[derive(Debug)]
pub struct AuthError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl AuthError {
    /// An error with a message, for token providers to return.
    pub fn new(message: impl Into<String>) -> Self {
        AuthError {
            message: message.into(),
            source: None,
        }
    }

    /// An error caused by another.
    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        AuthError {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no access token: {}", self.message)?;
        if let Some(source) = &self.source {
            crate::error::write_causes(f, source.as_ref())?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// Gives the bearer token for each request; it may cache and refresh.
///
/// Called once per attempt, so a provider that refreshes an expired token is
/// consulted again when a request is retried. The request says which scopes
/// (those of the client's cloud, or [`crate::ClientBuilder::scopes`]) and,
/// after a claims challenge, which claims the token must carry.
///
/// [`TokenCache`] gives a provider caching until shortly before expiry with
/// one refresh in flight; `AzureCredential` (feature `azure`) adapts any
/// Azure SDK credential.
pub trait TokenProvider: Send + Sync {
    /// The token to send now.
    fn token<'a>(
        &'a self,
        request: &'a TokenRequest,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>>;
}

/// A fixed token: for scripts, tests, and tokens obtained elsewhere. A
/// claims challenge cannot be met with it: the retry sends the same token,
/// and its 401 is the call's error.
#[derive(Clone, Debug)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider that always gives `token`.
    pub fn new(token: impl Into<Arc<str>>) -> Self {
        StaticToken(AccessToken::new(token))
    }
}

impl TokenProvider for StaticToken {
    fn token<'a>(
        &'a self,
        _request: &'a TokenRequest,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// How long before its expiry a cached token is replaced by default: 5
/// minutes, as the Azure SDKs and MSAL do, so that a token does not expire
/// between the moment it is read and the moment Graph checks it (clock skew,
/// a slow upload).
pub const DEFAULT_REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// A token kept for its scopes.
struct Cached {
    token: AccessToken,
    scopes: Vec<String>,
}

/// Caches a provider's token until shortly before it expires, with one
/// refresh in flight: callers that arrive during a refresh wait for it and
/// get its token, instead of each asking the identity service.
///
/// A request with claims (after a claims challenge) always fetches, and the
/// token it gets replaces the cached one.
pub struct TokenCache {
    slot: tokio::sync::Mutex<Option<Cached>>,
    refresh_before: Duration,
}

impl Default for TokenCache {
    fn default() -> Self {
        TokenCache::new()
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// An empty cache that refreshes [`DEFAULT_REFRESH_BEFORE_EXPIRY`]
    /// before expiry.
    pub fn new() -> Self {
        TokenCache {
            slot: tokio::sync::Mutex::new(None),
            refresh_before: DEFAULT_REFRESH_BEFORE_EXPIRY,
        }
    }

    /// Refreshes this long before expiry instead.
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }

    /// The cached token for `request`'s scopes while it is fresh, else the
    /// one `fetch` gets (which is then cached). Only one `fetch` runs at a
    /// time; a failed fetch is not cached, and the next caller tries again.
    pub async fn get<F, Fut>(
        &self,
        request: &TokenRequest,
        fetch: F,
    ) -> Result<AccessToken, AuthError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<AccessToken, AuthError>>,
    {
        // The lock is held across the fetch: that is what keeps a second
        // refresh from starting while one is in flight.
        let mut slot = self.slot.lock().await;
        if request.claims().is_none() {
            if let Some(cached) = slot.as_ref() {
                if cached.scopes == request.scopes() && self.is_fresh(&cached.token) {
                    return Ok(cached.token.clone());
                }
            }
        }
        let token = fetch().await?;
        *slot = Some(Cached {
            token: token.clone(),
            scopes: request.scopes().to_vec(),
        });
        Ok(token)
    }

    /// Forgets the cached token: the next call fetches.
    pub async fn clear(&self) {
        *self.slot.lock().await = None;
    }

    fn is_fresh(&self, token: &AccessToken) -> bool {
        match token.expires_at() {
            None => true,
            Some(expiry) => SystemTime::now()
                .checked_add(self.refresh_before)
                .is_some_and(|soon| soon < expiry),
        }
    }
}

/// The claims a 401's `WWW-Authenticate` asks for (`Bearer ...,
/// error="insufficient_claims", claims="<base64 JSON>"`), decoded: what the
/// next token must carry. `None` when no challenge carries claims, or they
/// are not base64 of UTF-8 text.
pub(crate) fn claims_challenge(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| auth_param(value, "claims"))
        .and_then(|encoded| decode_claims(&encoded))
}

/// Base64 with or without padding, standard or URL-safe: services differ.
fn decode_claims(encoded: &str) -> Option<String> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let trimmed = encoded.trim().trim_end_matches('=');
    let bytes = STANDARD_NO_PAD
        .decode(trimmed)
        .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed))
        .ok()?;
    String::from_utf8(bytes)
        .ok()
        .filter(|claims| !claims.trim().is_empty())
}

/// The value of the auth-param `name` in a challenge (RFC 9110 11.6.1):
/// `name=token` or `name="quoted \" string"`, the name matched without case.
fn auth_param(challenge: &str, name: &str) -> Option<String> {
    let mut rest = challenge;
    let mut at_boundary = true;
    while let Some(c) = rest.chars().next() {
        if at_boundary
            && rest.len() > name.len()
            && rest.is_char_boundary(name.len())
            && rest[..name.len()].eq_ignore_ascii_case(name)
        {
            let after = rest[name.len()..].trim_start_matches([' ', '\t']);
            if let Some(value) = after.strip_prefix('=') {
                return Some(param_value(value.trim_start_matches([' ', '\t'])));
            }
        }
        // A parameter name starts after the scheme's space or a comma.
        at_boundary = matches!(c, ' ' | ',' | '\t');
        rest = &rest[c.len_utf8()..];
    }
    None
}

/// A parameter's value: a quoted string (escapes undone) or a token.
fn param_value(value: &str) -> String {
    match value.strip_prefix('"') {
        Some(quoted) => {
            let mut out = String::new();
            let mut chars = quoted.chars();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => out.extend(chars.next()),
                    c => out.push(c),
                }
            }
            out
        }
        None => value
            .split([',', ' ', '\t'])
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let provider = StaticToken::new("super-secret-token");
        assert!(!format!("{provider:?}").contains("super-secret"));
        let token = AccessToken::new("super-secret-token").expiring_at(SystemTime::now());
        assert!(!format!("{token:?} {token}").contains("super-secret"));
        assert_eq!(token.secret(), "super-secret-token");
    }

    #[test]
    fn the_default_request_asks_for_the_clouds_graph_scope() {
        let request = TokenRequest::for_cloud(Cloud::UsGov);
        assert_eq!(request.scopes(), ["https://graph.microsoft.us/.default"]);
        assert_eq!(request.cloud(), Some(Cloud::UsGov));
        assert_eq!(request.claims(), None);
    }

    fn challenge(value: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::WWW_AUTHENTICATE, value.parse().unwrap());
        headers
    }

    #[test]
    fn claims_challenges_are_found_and_decoded() {
        // Graph's documented challenge; the claims are base64 of JSON.
        let graph = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=""#;
        assert_eq!(
            claims_challenge(&challenge(graph)).as_deref(),
            Some(r#"{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}"#)
        );
        // Unpadded, the name in another case, unquoted.
        assert_eq!(
            claims_challenge(&challenge("Bearer error=x, CLAIMS=eyJhIjoxfQ")).as_deref(),
            Some(r#"{"a":1}"#)
        );
        // A parameter whose name only ends in `claims` is not it.
        assert_eq!(
            claims_challenge(&challenge(r#"Bearer xclaims="eyJhIjoxfQ""#)),
            None
        );
        assert_eq!(claims_challenge(&challenge(r#"Bearer realm="""#)), None);
        assert_eq!(
            claims_challenge(&challenge(r#"Bearer claims="not base64!""#)),
            None
        );
        assert_eq!(claims_challenge(&challenge(r#"Bearer claims=""#)), None);
        assert_eq!(claims_challenge(&http::HeaderMap::new()), None);
    }

    #[tokio::test]
    async fn a_cached_token_is_reused_until_shortly_before_it_expires() {
        let cache = TokenCache::new();
        let request = TokenRequest::for_cloud(Cloud::Global);
        let fetches = AtomicUsize::new(0);
        let fetch = |lifetime: u64| {
            let n = fetches.fetch_add(1, Ordering::SeqCst);
            let token = AccessToken::new(format!("token-{n}"))
                .expiring_at(SystemTime::now() + Duration::from_secs(lifetime));
            async move { Ok(token) }
        };
        let first = cache.get(&request, || fetch(3600)).await.unwrap();
        let again = cache.get(&request, || fetch(3600)).await.unwrap();
        assert_eq!((first.secret(), again.secret()), ("token-0", "token-0"));

        // Another scope is another token.
        let other = TokenRequest::for_cloud(Cloud::China);
        let china = cache.get(&other, || fetch(3600)).await.unwrap();
        assert_eq!(china.secret(), "token-1");

        // A token within the refresh margin is replaced at the next call.
        cache.clear().await;
        let short = cache.get(&request, || fetch(60)).await.unwrap();
        let replaced = cache.get(&request, || fetch(3600)).await.unwrap();
        assert_eq!((short.secret(), replaced.secret()), ("token-2", "token-3"));

        // Claims always fetch, and their token is the one cached after.
        let claims = request.clone().with_claims("{}");
        let fresh = cache.get(&claims, || fetch(3600)).await.unwrap();
        let after = cache.get(&request, || fetch(3600)).await.unwrap();
        assert_eq!((fresh.secret(), after.secret()), ("token-4", "token-4"));
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_refresh_and_failures_are_not_cached() {
        let cache = Arc::new(TokenCache::new());
        let request = TokenRequest::for_cloud(Cloud::Global);
        let fetches = Arc::new(AtomicUsize::new(0));
        let callers = (0..16).map(|_| {
            let (cache, request, fetches) = (cache.clone(), request.clone(), fetches.clone());
            tokio::spawn(async move {
                cache
                    .get(&request, || async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        // Long enough for every other caller to arrive.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(AccessToken::new("shared")
                            .expiring_at(SystemTime::now() + Duration::from_secs(3600)))
                    })
                    .await
            })
        });
        for caller in callers.collect::<Vec<_>>() {
            assert_eq!(caller.await.unwrap().unwrap().secret(), "shared");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);

        let empty = TokenCache::new();
        let failed = empty
            .get(&request, || async { Err(AuthError::new("offline")) })
            .await;
        assert!(failed.is_err());
        let next = empty
            .get(&request, || async { Ok(AccessToken::new("later")) })
            .await
            .unwrap();
        assert_eq!(next.secret(), "later");
    }
}
