//! Request bodies: bytes that can be sent again, or a stream read once.

use std::fmt;
use std::pin::Pin;
use std::sync::Mutex;

use bytes::Bytes;
use futures_core::Stream;

/// A stream of body chunks.
pub type BodyStream =
    Pin<Box<dyn Stream<Item = Result<Bytes, Box<dyn std::error::Error + Send + Sync>>> + Send>>;

/// A request body.
pub enum Body {
    /// No body.
    Empty,
    /// Bytes in memory: a request with them can be retried and redirected.
    Bytes(Bytes),
    /// A stream, read once: a request with it is never retried.
    Stream(Mutex<Option<BodyStream>>),
}

impl Body {
    /// A body read from a stream, sent once.
    pub fn stream(
        stream: impl Stream<Item = Result<Bytes, Box<dyn std::error::Error + Send + Sync>>>
            + Send
            + 'static,
    ) -> Body {
        Body::Stream(Mutex::new(Some(Box::pin(stream))))
    }

    /// Whether the body can be sent again on a retry or a redirect.
    pub fn is_replayable(&self) -> bool {
        !matches!(self, Body::Stream(_))
    }

    /// The body for one attempt: a cheap copy of bytes, or the stream taken
    /// out (a second attempt with a stream is never made).
    pub(crate) fn for_attempt(&self) -> Body {
        match self {
            Body::Empty => Body::Empty,
            Body::Bytes(bytes) => Body::Bytes(bytes.clone()),
            Body::Stream(stream) => {
                let taken = stream.lock().map(|mut s| s.take()).unwrap_or(None);
                Body::Stream(Mutex::new(taken))
            }
        }
    }

    /// The bytes, when the body is in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Body::Empty => Some(&[]),
            Body::Bytes(bytes) => Some(bytes),
            Body::Stream(_) => None,
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Body::Empty"),
            Body::Bytes(bytes) => write!(f, "Body::Bytes({} bytes)", bytes.len()),
            Body::Stream(_) => f.write_str("Body::Stream"),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body::Bytes(bytes)
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body::Bytes(bytes.into())
    }
}
