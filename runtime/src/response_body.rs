//! Response bodies as they arrive, and the one place that reads them within
//! a limit: whole for a success the operation parses, the first bytes only
//! for an error, nothing at all for a body nobody reads.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt;
use http::HeaderMap;

use crate::body::BodyStream;

/// The default of [`crate::ClientBuilder::max_response_body`]: 64 MiB.
///
/// Graph's JSON responses are single resources or pages of at most a few
/// hundred items (999 with `$top`), a few MiB even with `$expand`; 64 MiB
/// leaves wide room for those while no server, broken or hostile, can make
/// one call hold more than that in memory. File content is not read this way.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 64 * 1024 * 1024;

/// How much of an error response's body is kept (64 KiB): enough for any
/// Graph error and the start of a proxy's HTML page. The rest is not read.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// A response body as a [`crate::Transport`] delivers it: chunks that the
/// client reads within its limits, or bytes already in memory.
pub struct ResponseBody {
    inner: Inner,
}

enum Inner {
    Bytes(Option<Bytes>),
    Stream(BodyStream),
}

impl ResponseBody {
    /// No body.
    pub fn empty() -> ResponseBody {
        ResponseBody {
            inner: Inner::Bytes(None),
        }
    }

    /// A body that arrives as a stream of chunks.
    pub fn from_stream(
        stream: impl Stream<Item = Result<Bytes, Box<dyn std::error::Error + Send + Sync>>>
            + Send
            + 'static,
    ) -> ResponseBody {
        ResponseBody {
            inner: Inner::Stream(Box::pin(stream)),
        }
    }
}

impl From<Bytes> for ResponseBody {
    fn from(bytes: Bytes) -> Self {
        ResponseBody {
            inner: Inner::Bytes(Some(bytes)),
        }
    }
}

impl Stream for ResponseBody {
    type Item = Result<Bytes, Box<dyn std::error::Error + Send + Sync>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.inner {
            Inner::Bytes(bytes) => Poll::Ready(bytes.take().map(Ok)),
            Inner::Stream(stream) => stream.as_mut().poll_next(cx),
        }
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Bytes(Some(bytes)) => write!(f, "ResponseBody({} bytes)", bytes.len()),
            Inner::Bytes(None) => f.write_str("ResponseBody(empty)"),
            Inner::Stream(_) => f.write_str("ResponseBody(stream)"),
        }
    }
}

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// It is larger than the limit; `announced` is its `Content-Length`
    /// when that alone said so, before anything was read.
    TooLarge { announced: Option<u64> },
    /// The transport failed while it arrived.
    Transport(Box<dyn std::error::Error + Send + Sync>),
}

/// Reads a whole body of at most `limit` bytes. Fails before reading when
/// the `Content-Length` announces more, and as soon as more arrives.
pub(crate) async fn read_limited(
    mut body: ResponseBody,
    headers: &HeaderMap,
    limit: u64,
) -> Result<Bytes, ReadError> {
    let announced = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(length) = announced.filter(|length| *length > limit) {
        return Err(ReadError::TooLarge {
            announced: Some(length),
        });
    }
    if let Inner::Bytes(bytes) = &mut body.inner {
        let bytes = bytes.take().unwrap_or_default();
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge { announced: None });
        }
        return Ok(bytes);
    }
    // What is announced (and allowed) is reserved up front, within reason:
    // a server that announces and never sends should not cost much.
    let reserve = announced.unwrap_or(0).min(1024 * 1024) as usize;
    let mut out = BytesMut::with_capacity(reserve);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(ReadError::Transport)?;
        if (out.len() + chunk.len()) as u64 > limit {
            return Err(ReadError::TooLarge { announced: None });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out.freeze())
}

/// Reads up to `cap` bytes of `body` into `out`, and no more: the rest is
/// left unread. Stops quietly at the end or at a transport failure; `out`
/// keeps what came even if this future is dropped (at a timeout).
pub(crate) async fn read_capped(body: &mut ResponseBody, cap: usize, out: &mut BytesMut) {
    while out.len() < cap {
        match body.next().await {
            Some(Ok(chunk)) => {
                let room = cap - out.len();
                out.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Some(Err(_)) | None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(sizes: &[usize]) -> ResponseBody {
        let chunks: Vec<Result<Bytes, Box<dyn std::error::Error + Send + Sync>>> = sizes
            .iter()
            .map(|n| Ok(Bytes::from(vec![b'a'; *n])))
            .collect();
        ResponseBody::from_stream(futures_util::stream::iter(chunks))
    }

    fn length(n: u64) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::CONTENT_LENGTH, n.into());
        headers
    }

    #[tokio::test]
    async fn reads_a_body_within_the_limit_and_stops_past_it() {
        let body = read_limited(chunks(&[3, 4]), &HeaderMap::new(), 7)
            .await
            .unwrap();
        assert_eq!(body.len(), 7);
        let error = read_limited(chunks(&[3, 4, 1]), &HeaderMap::new(), 7)
            .await
            .unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { announced: None }));
        let error = read_limited(chunks(&[]), &length(8), 7).await.unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { announced: Some(8) }));
        let error = read_limited(Bytes::from_static(b"12345678").into(), &HeaderMap::new(), 7)
            .await
            .unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { announced: None }));
        let empty = read_limited(ResponseBody::empty(), &HeaderMap::new(), 0)
            .await
            .unwrap();
        assert!(empty.is_empty());
    }

    #[tokio::test]
    async fn error_bodies_are_cut_at_the_cap() {
        let mut out = BytesMut::new();
        read_capped(&mut chunks(&[5, 5, 5]), 7, &mut out).await;
        assert_eq!(out.len(), 7);
        let mut out = BytesMut::new();
        read_capped(&mut chunks(&[2]), 7, &mut out).await;
        assert_eq!(out.len(), 2);
    }
}
