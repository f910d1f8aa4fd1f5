//! Content that is not JSON, streamed: a download hands the caller the body
//! as it arrives (a 1 GB recording never sits in memory), and an upload
//! sends bytes or a stream the caller gives.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt;
use http::{HeaderMap, StatusCode};

use crate::body::{Body, BodyStream};
use crate::error::{Error, TransportError};
use crate::response_body::ResponseBody;

/// The answer of a download: status, headers, and the body as a stream of
/// chunks that the caller reads at its own pace.
///
/// The client hands it over as soon as the headers are in; nothing of the
/// body is read until the caller polls it, and a download is never retried
/// once the caller has it (a retry would restart what was partly read).
pub struct Download {
    status: StatusCode,
    headers: HeaderMap,
    body: ResponseBody,
}

impl Download {
    /// A download from a response whose body is still to be read.
    pub fn from_response(response: http::Response<ResponseBody>) -> Download {
        let (head, body) = response.into_parts();
        Download {
            status: head.status,
            headers: head.headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type` (`video/mp4`, `text/vtt`, ...), when sent.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// The `Content-Length`, when sent.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok())
    }

    /// The next chunk of the body, `None` at its end: read a download
    /// without a stream trait in scope (`while let Some(chunk) = download.chunk().await`).
    pub async fn chunk(&mut self) -> Option<Result<Bytes, Error>> {
        self.next().await
    }

    /// The whole body in memory, for content known to be small; fails
    /// with [`Error::BodyTooLarge`] past `limit` bytes, without reading
    /// further.
    pub async fn bytes(mut self, limit: u64) -> Result<Bytes, Error> {
        let status = self.status;
        let too_large = |announced| Error::BodyTooLarge {
            status,
            limit,
            announced,
        };
        if let Some(announced) = self.content_length().filter(|&n| n > limit) {
            return Err(too_large(Some(announced)));
        }
        let mut out = BytesMut::new();
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            if (out.len() + chunk.len()) as u64 > limit {
                return Err(too_large(None));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out.freeze())
    }
}

impl Stream for Download {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.body).poll_next(cx).map(|chunk| {
            chunk.map(|c| {
                c.map_err(|source| Error::Transport {
                    source: TransportError::from_boxed("reading the download failed", source),
                    attempts: 1,
                })
            })
        })
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

/// The body of an upload: bytes in memory (sent again on a retry), or a
/// stream the caller gives (sent once, never retried).
#[derive(Clone)]
pub struct Upload {
    inner: UploadInner,
}

#[derive(Clone)]
enum UploadInner {
    Bytes(Bytes),
    /// Shared so that the operation stays `Clone`; the first request built
    /// takes the stream.
    Stream(Arc<Mutex<Option<BodyStream>>>),
}

impl Upload {
    /// Content read from a stream of chunks as it is sent.
    pub fn stream(
        stream: impl Stream<Item = Result<Bytes, Box<dyn std::error::Error + Send + Sync>>>
            + Send
            + 'static,
    ) -> Upload {
        Upload {
            inner: UploadInner::Stream(Arc::new(Mutex::new(Some(Box::pin(stream))))),
        }
    }

    /// The request body: the bytes, or the stream (taken by the first
    /// request; a second one sends nothing).
    pub fn to_body(&self) -> Body {
        match &self.inner {
            UploadInner::Bytes(bytes) => Body::Bytes(bytes.clone()),
            UploadInner::Stream(stream) => match stream.lock().ok().and_then(|mut s| s.take()) {
                Some(stream) => Body::Stream(Mutex::new(Some(stream))),
                None => Body::Empty,
            },
        }
    }
}

impl<T: Into<Bytes>> From<T> for Upload {
    fn from(bytes: T) -> Self {
        Upload {
            inner: UploadInner::Bytes(bytes.into()),
        }
    }
}

impl PartialEq for Upload {
    /// Bytes compare by content; streams only with themselves.
    fn eq(&self, other: &Self) -> bool {
        match (&self.inner, &other.inner) {
            (UploadInner::Bytes(a), UploadInner::Bytes(b)) => a == b,
            (UploadInner::Stream(a), UploadInner::Stream(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            UploadInner::Bytes(bytes) => write!(f, "Upload({} bytes)", bytes.len()),
            UploadInner::Stream(_) => f.write_str("Upload(stream)"),
        }
    }
}
