//! Successful responses: the parsed value with the status, headers and
//! request id beside it; and the parsers generated operations call.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{header, DecodeError, Error};

/// A successful response: the typed value and what came with it.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The parsed body.
    pub value: T,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers (`Location`, `Retry-After`, ...).
    pub headers: HeaderMap,
}

impl<T> Response<T> {
    /// The `request-id` header, to give Microsoft support.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|v| v.to_str().ok())
    }

    /// The `Location` header (for 201, 202 and 302 responses).
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The value alone.
    pub fn into_inner(self) -> T {
        self.value
    }
}

/// Parsers for the response shapes operations document.
pub mod parse {
    use super::*;

    /// Fails with the typed error unless the status is a success.
    pub fn ensure_success(response: &http::Response<Bytes>) -> Result<(), Error> {
        let status = response.status();
        if status.is_success() || status.is_redirection() {
            return Ok(());
        }
        Err(Error::from_status(
            status,
            response.headers().clone(),
            response.body().clone(),
            None,
            1,
        ))
    }

    /// A response without a body (204 No Content).
    pub fn empty(response: http::Response<Bytes>) -> Result<(), Error> {
        ensure_success(&response)
    }

    /// A JSON body of type `T`.
    pub fn json<T: DeserializeOwned>(response: http::Response<Bytes>) -> Result<T, Error> {
        ensure_success(&response)?;
        serde_json::from_slice(response.body()).map_err(|source| decode_error(&response, source))
    }

    /// A JSON body of type `T`, or `None` for a success without a body
    /// (an operation documented with both, e.g. 200 and 202).
    pub fn json_or_empty<T: DeserializeOwned>(
        response: http::Response<Bytes>,
    ) -> Result<Option<T>, Error> {
        ensure_success(&response)?;
        if response.body().iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        serde_json::from_slice(response.body())
            .map(Some)
            .map_err(|source| decode_error(&response, source))
    }

    /// A body of another media type, as bytes.
    pub fn bytes(response: http::Response<Bytes>) -> Result<Bytes, Error> {
        ensure_success(&response)?;
        Ok(response.into_body())
    }

    fn decode_error(response: &http::Response<Bytes>, source: serde_json::Error) -> Error {
        Error::Decode(Box::new(DecodeError {
            status: response.status(),
            raw_body: response.body().clone(),
            request_id: header(response.headers(), "request-id"),
            source,
        }))
    }
}
