//! Sending one HTTP request: a small trait, and reqwest behind it by default.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
#[cfg(feature = "reqwest")]
use http::HeaderValue;

use crate::body::Body;
use crate::error::TransportError;
#[cfg(feature = "reqwest")]
use crate::response_body::ReadError;
use crate::response_body::ResponseBody;
#[cfg(feature = "reqwest")]
use futures_util::StreamExt;

/// The runtime's product token, which follows the application's own in the
/// `User-Agent` of every request.
pub(crate) const RUNTIME_USER_AGENT: &str = concat!("msgraph-runtime/", env!("CARGO_PKG_VERSION"));

/// A boxed future, so that transports and token providers can be trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one request. It must not follow redirects or retry: the client
/// does both, with its credential rules.
///
/// A request whose extensions hold [`CredentialsWithheld`] must go without
/// any credential the transport would add of its own (default
/// `Authorization` or `Cookie` headers, say).
pub trait Transport: Send + Sync {
    /// Sends `request` and reads the whole response.
    fn send(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;

    /// Sends `request` and returns once the response's head has arrived;
    /// the client reads the body, chunk by chunk, within its limits
    /// ([`crate::ClientBuilder::max_response_body`]), and leaves unread what
    /// it does not need. This is what the client calls.
    ///
    /// The default reads the whole body with [`Transport::send`] first, so
    /// the limits apply but memory is not spared: a transport should
    /// implement this to stream.
    fn send_streaming(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<http::Response<ResponseBody>, TransportError>> {
        let response = self.send(request);
        Box::pin(async move { Ok(response.await?.map(ResponseBody::from)) })
    }
}

/// In a request's extensions: the request goes to an origin other than the
/// Graph endpoint's (a redirect target, a next link, a download URL), or was
/// reached through one, and must carry no credentials. The client has
/// removed those it knows of; a transport must add none of its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CredentialsWithheld;

/// The default transport: reqwest with rustls.
#[cfg(feature = "reqwest")]
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    withheld: Withheld,
    /// The preconfigured client's default `User-Agent`: reqwest adds it only
    /// to requests without one, and every request has the runtime's.
    user_agent: Option<HeaderValue>,
}

/// How requests marked [`CredentialsWithheld`] are sent.
#[cfg(feature = "reqwest")]
#[derive(Clone, Debug)]
enum Withheld {
    /// With the same client: it adds no credentials of its own.
    Same,
    /// With a client of the runtime's: the caller's adds (or may add)
    /// default credential headers, which reqwest cannot be told to skip.
    Bare(reqwest::Client),
    /// Not at all: no such client could be built.
    Unavailable,
}

#[cfg(feature = "reqwest")]
impl ReqwestTransport {
    /// A reqwest client that follows no redirects (the Graph client follows
    /// them itself, dropping the token on other hosts).
    pub fn new() -> Result<Self, TransportError> {
        Ok(ReqwestTransport {
            client: bare_client()?,
            withheld: Withheld::Same,
            user_agent: None,
        })
    }

    /// Uses a preconfigured client (proxies, pools, TLS roots). Configure it
    /// with `redirect(Policy::none())` so that redirects are the Graph
    /// client's to follow.
    ///
    /// When its default headers hold credentials (`Authorization`,
    /// `Proxy-Authorization`, `Cookie`, or any value marked sensitive),
    /// requests that must go without credentials (to another origin) are
    /// sent with a plain client of the runtime's instead, which uses the
    /// system's proxy settings but none of the preconfigured client's.
    ///
    /// A default `User-Agent` is kept, with the runtime's after it.
    pub fn with_client(client: reqwest::Client) -> Self {
        let defaults = crate::reqwest_defaults::Defaults::of(&client);
        let withheld = if defaults.credentials {
            bare_client().map_or(Withheld::Unavailable, Withheld::Bare)
        } else {
            Withheld::Same
        };
        ReqwestTransport {
            client,
            withheld,
            user_agent: defaults.user_agent,
        }
    }

    /// The client for `request`.
    fn client_for(
        &self,
        request: &http::request::Parts,
    ) -> Result<&reqwest::Client, TransportError> {
        if request.extensions.get::<CredentialsWithheld>().is_none() {
            return Ok(&self.client);
        }
        match &self.withheld {
            Withheld::Same => Ok(&self.client),
            Withheld::Bare(client) => Ok(client),
            Withheld::Unavailable => Err(TransportError::new(
                "the preconfigured reqwest client adds credential headers, and no client \
                 without them could be built for a request to another origin",
            )
            .permanent()),
        }
    }
}

/// A reqwest client with no default headers that follows no redirects (the
/// Graph client follows them itself, with its credential rules).
#[cfg(feature = "reqwest")]
fn bare_client() -> Result<reqwest::Client, TransportError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| TransportError::with_source("cannot build the HTTP client", e))
}

#[cfg(feature = "reqwest")]
impl Transport for ReqwestTransport {
    /// Sends `request` and reads the whole body, within
    /// [`crate::DEFAULT_MAX_RESPONSE_BODY`]. The client calls
    /// [`Transport::send_streaming`] instead, and reads within its own limit.
    fn send(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let response = self.send_streaming(request).await?;
            let (head, body) = response.into_parts();
            let limit = crate::response_body::DEFAULT_MAX_RESPONSE_BODY;
            let bytes = crate::response_body::read_limited(body, &head.headers, limit)
                .await
                .map_err(|error| match error {
                    ReadError::TooLarge { .. } => TransportError::new(format!(
                        "the response body is larger than {limit} bytes"
                    ))
                    .permanent(),
                    ReadError::Transport(source) => {
                        TransportError::new(format!("reading the response body failed: {source}"))
                    }
                })?;
            Ok(http::Response::from_parts(head, bytes))
        })
    }

    fn send_streaming(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<http::Response<ResponseBody>, TransportError>> {
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let client = self.client_for(&parts)?;
            if let Some(app) = &self.user_agent {
                let user_agent = parts.headers.get(http::header::USER_AGENT);
                if user_agent.is_some_and(|ua| ua == RUNTIME_USER_AGENT) {
                    let joined = [app.as_bytes(), b" ", RUNTIME_USER_AGENT.as_bytes()].concat();
                    if let Ok(joined) = HeaderValue::from_bytes(&joined) {
                        parts.headers.insert(http::header::USER_AGENT, joined);
                    }
                }
            }
            // reqwest's errors show the URL, query included: they are kept
            // without it, and the URL is shown redacted instead.
            let shown = crate::urls::redact(&parts.uri.to_string());
            let body = match body {
                Body::Empty => reqwest::Body::from(Bytes::new()),
                Body::Bytes(bytes) => reqwest::Body::from(bytes),
                Body::Stream(stream) => match stream.into_inner().ok().flatten() {
                    Some(stream) => reqwest::Body::wrap_stream(stream),
                    None => {
                        return Err(
                            TransportError::new("the streamed body was already sent").permanent()
                        )
                    }
                },
            };
            let request = reqwest::Request::try_from(http::Request::from_parts(parts, body))
                .map_err(|e| {
                    TransportError::with_source(
                        format!("cannot build the request to {shown}"),
                        e.without_url(),
                    )
                    .permanent()
                })?;
            let response = client.execute(request).await.map_err(|e| {
                // A builder error (a scheme reqwest refuses, say) is the
                // request's, not the network's.
                let permanent = e.is_builder();
                let error = TransportError::with_source(
                    format!("the request to {shown} failed"),
                    e.without_url(),
                );
                if permanent {
                    error.permanent()
                } else {
                    error
                }
            })?;
            let mut out = http::Response::new(());
            *out.status_mut() = response.status();
            *out.version_mut() = response.version();
            *out.headers_mut() = response.headers().clone();
            let chunks = response.bytes_stream().map(|chunk| {
                chunk.map_err(|e| {
                    Box::new(e.without_url()) as Box<dyn std::error::Error + Send + Sync>
                })
            });
            Ok(out.map(|()| ResponseBody::from_stream(chunks)))
        })
    }
}
