//! Sign-in through the Azure SDK for Rust (feature `azure`): any
//! `azure_core` [`TokenCredential`], such as `azure_identity`'s
//! `ClientSecretCredential` (client credentials), `ManagedIdentityCredential`
//! or `AzureCliCredential`, as the client's [`TokenProvider`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use azure_core::credentials::TokenCredential;

use crate::auth::{AccessToken, AuthError, TokenCache, TokenProvider, TokenRequest};
use crate::transport::BoxFuture;

/// An Azure SDK credential as a [`TokenProvider`]: asked for the scope of
/// the client's cloud (`https://graph.microsoft.us/.default` for
/// [`crate::Cloud::UsGov`], ...), its tokens cached until shortly before
/// they expire with one refresh in flight ([`TokenCache`]).
///
/// ```no_run
/// # use std::sync::Arc;
/// # async fn run(credential: Arc<dyn azure_core::credentials::TokenCredential>) -> Result<(), msgraph_runtime::Error> {
/// // `credential`: e.g. `azure_identity::ClientSecretCredential::new(tenant, client_id,
/// // secret, options)?`, with the cloud's `authority_host()` outside the global cloud.
/// use msgraph_runtime::{AzureCredential, Client, Cloud};
///
/// let client = Client::builder()
///     .cloud(Cloud::UsGov)
///     .token_provider(AzureCredential::new(credential))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
///
/// A claims challenge (a 401 whose `WWW-Authenticate` carries `claims`)
/// bypasses the cache and asks the credential for a fresh token once.
/// `azure_core`'s `TokenCredential` has no parameter for the claims, so they
/// cannot be passed on: a credential that must put them in its token
/// request needs a [`TokenProvider`] of its own, which gets them in
/// [`TokenRequest::claims`].
pub struct AzureCredential {
    credential: Arc<dyn TokenCredential>,
    cache: TokenCache,
}

impl AzureCredential {
    /// Adapts `credential`.
    pub fn new(credential: Arc<dyn TokenCredential>) -> Self {
        AzureCredential {
            credential,
            cache: TokenCache::new(),
        }
    }

    /// Refreshes this long before a token expires (default
    /// [`crate::DEFAULT_REFRESH_BEFORE_EXPIRY`], 5 minutes).
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.cache = self.cache.refresh_before(margin);
        self
    }

    async fn fetch(&self, request: &TokenRequest) -> Result<AccessToken, AuthError> {
        let scopes: Vec<&str> = request.scopes().iter().map(String::as_str).collect();
        let token = self
            .credential
            .get_token(&scopes, None)
            .await
            .map_err(|error| AuthError::with_source("the Azure credential gave no token", error))?;
        // A timestamp before 1970 (a broken credential) is an expired token.
        let expires_at = u64::try_from(token.expires_on.unix_timestamp())
            .map_or(SystemTime::UNIX_EPOCH, |seconds| {
                SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
            });
        Ok(AccessToken::new(token.token.secret()).expiring_at(expires_at))
    }
}

impl fmt::Debug for AzureCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The credential's own Debug is the Azure SDK's, which keeps secrets
        // out of it; the cache is shown without its token.
        f.debug_struct("AzureCredential")
            .field("credential", &self.credential)
            .field("cache", &self.cache)
            .finish()
    }
}

impl TokenProvider for AzureCredential {
    fn token<'a>(
        &'a self,
        request: &'a TokenRequest,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(self.cache.get(request, move || self.fetch(request)))
    }
}
