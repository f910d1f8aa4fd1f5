//! Sending one HTTP request: a small trait, and reqwest behind it by default.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

use crate::body::Body;
use crate::error::TransportError;

/// A boxed future, so that transports and token providers can be trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one request and reads the whole response. It must not follow
/// redirects or retry: the client does both, with the token rules.
pub trait Transport: Send + Sync {
    /// Sends `request`.
    fn send(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
}

/// The default transport: reqwest with rustls.
#[cfg(feature = "reqwest")]
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

#[cfg(feature = "reqwest")]
impl ReqwestTransport {
    /// A reqwest client that follows no redirects (the Graph client follows
    /// them itself, dropping the token on other hosts).
    pub fn new() -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| TransportError::with_source("cannot build the HTTP client", e))?;
        Ok(ReqwestTransport { client })
    }

    /// Uses a preconfigured client (proxies, pools, TLS roots). Configure it
    /// with `redirect(Policy::none())` so that redirects are the Graph
    /// client's to follow.
    pub fn with_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }
}

#[cfg(feature = "reqwest")]
impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Body>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            // reqwest's errors show the URL, query included: they are kept
            // without it, and the URL is shown redacted instead.
            let shown = crate::urls::redact(&parts.uri.to_string());
            let body = match body {
                Body::Empty => reqwest::Body::from(Bytes::new()),
                Body::Bytes(bytes) => reqwest::Body::from(bytes),
                Body::Stream(stream) => match stream.into_inner().ok().flatten() {
                    Some(stream) => reqwest::Body::wrap_stream(stream),
                    None => return Err(TransportError::new("the streamed body was already sent")),
                },
            };
            let request = reqwest::Request::try_from(http::Request::from_parts(parts, body))
                .map_err(|e| {
                    TransportError::with_source(
                        format!("cannot build the request to {shown}"),
                        e.without_url(),
                    )
                })?;
            let response = self.client.execute(request).await.map_err(|e| {
                TransportError::with_source(
                    format!("the request to {shown} failed"),
                    e.without_url(),
                )
            })?;
            let status = response.status();
            let version = response.version();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(|e| {
                TransportError::with_source(
                    format!("reading the response from {shown} failed"),
                    e.without_url(),
                )
            })?;
            let mut out = http::Response::new(body);
            *out.status_mut() = status;
            *out.version_mut() = version;
            *out.headers_mut() = headers;
            Ok(out)
        })
    }
}
