//! Bearer tokens: where they come from, and keeping them out of logs.

use std::fmt;
use std::sync::Arc;

use crate::transport::BoxFuture;

/// An OAuth access token. Its `Debug` and `Display` never show the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<Arc<str>>) -> Self {
        AccessToken(token.into())
    }

    /// The secret itself, for the `Authorization` header.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Why no token could be had.
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
        write!(f, "no access token: {}", self.message)
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
/// consulted again when a request is retried.
pub trait TokenProvider: Send + Sync {
    /// The token to send now.
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>>;
}

/// A fixed token: for scripts, tests, and tokens obtained elsewhere.
#[derive(Clone, Debug)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A provider that always gives `token`.
    pub fn new(token: impl Into<Arc<str>>) -> Self {
        StaticToken(AccessToken::new(token))
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<AccessToken, AuthError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let provider = StaticToken::new("super-secret-token");
        assert!(!format!("{provider:?}").contains("super-secret"));
        let token = AccessToken::new("super-secret-token");
        assert!(!format!("{token:?} {token}").contains("super-secret"));
        assert_eq!(token.secret(), "super-secret-token");
    }
}
