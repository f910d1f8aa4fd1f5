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

/// A redirect the page documents as an operation's answer: where the
/// resource is (a meeting's attendee report, an item's content), often a
/// pre-authenticated URL. `Debug` shows the URL without its query, which
/// carries the secret of such URLs.
#[derive(Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The status: 302, 303, ...
    pub status: StatusCode,
    /// The `Location` header, as sent.
    pub location: String,
}

impl std::fmt::Debug for Redirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redirect")
            .field("status", &self.status)
            .field("location", &crate::urls::redact(&self.location))
            .finish()
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

    /// A documented redirect: its status and `Location`. Any other success
    /// (the service answered in place) is a decode error that says so.
    pub fn redirect(response: http::Response<Bytes>) -> Result<Redirect, Error> {
        ensure_success(&response)?;
        let status = response.status();
        let location = response
            .headers()
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .filter(|_| status.is_redirection());
        match location {
            Some(location) => Ok(Redirect {
                status,
                location: location.to_owned(),
            }),
            None => {
                let source = <serde_json::Error as serde::de::Error>::custom(format!(
                    "expected a redirect with a Location header, got {status}"
                ));
                Err(decode_error(&response, source))
            }
        }
    }

    /// A download from a response already in memory (the sans-IO path:
    /// tests, other HTTP stacks). The client streams instead, through
    /// [`crate::Operation::parse_stream`] and [`download_stream`].
    pub fn download(response: http::Response<Bytes>) -> Result<crate::Download, Error> {
        ensure_success(&response)?;
        Ok(crate::Download::from_response(
            response.map(crate::ResponseBody::from),
        ))
    }

    /// A download whose body is still to be read.
    pub fn download_stream(
        response: http::Response<crate::ResponseBody>,
    ) -> Result<crate::Download, Error> {
        Ok(crate::Download::from_response(response))
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
