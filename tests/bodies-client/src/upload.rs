//! The body of an operation that sends raw bytes (`application/octet-stream`, `image/png`, …):
//! bytes in memory, or a stream sent as it is read, so a large file never sits in memory whole.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ChunkStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A raw request body.
///
/// From bytes (`Vec<u8>`, `&'static [u8]`, `String`, `&'static str`, [`Bytes`](bytes::Bytes)) it
/// stays in memory and is sent again by a retry or a redirect. From a stream
/// ([`Upload::from_stream`]) or a reader ([`Upload::from_reader`], e.g. a `tokio::fs::File`) it
/// is read while it is sent, once: such a request gets one attempt (no retries), and a 307/308
/// redirect, which would need the body again, is returned as the response. It goes out chunked
/// unless [`with_length`](Upload::with_length) gives its size.
///
/// ```rust,ignore
/// let file = tokio::fs::File::open("scan.png").await?;
/// let length = file.metadata().await?.len();
/// client.put_blob("scan.png", Upload::from_reader(file).with_length(length)).send().await?;
/// ```
#[derive(Clone)]
pub struct Upload(Source);

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// Shared by clones of a request builder: the first to send takes it.
    Stream {
        chunks: Arc<Mutex<Option<ChunkStream>>>,
        length: Option<u64>,
    },
}

/// Chunks read from a reader at a time.
const READ_CHUNK: usize = 64 * 1024;

impl Upload {
    /// A body read from `stream` as it is sent. An error from the stream aborts the request
    /// (a transport error).
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        let chunks = stream.map(|chunk| chunk.map(Into::into).map_err(Into::into));
        Upload(Source::Stream {
            chunks: Arc::new(Mutex::new(Some(Box::pin(chunks)))),
            length: None,
        })
    }

    /// A body read from `reader` (a file, a pipe, a decompressor) as it is sent, 64 KiB at a
    /// time.
    pub fn from_reader<R>(reader: R) -> Self
    where
        R: tokio::io::AsyncRead + Send + 'static,
    {
        let chunks = futures_util::stream::unfold(Box::pin(reader), |mut reader| async move {
            let mut buffer = bytes::BytesMut::with_capacity(READ_CHUNK);
            match tokio::io::AsyncReadExt::read_buf(&mut reader, &mut buffer).await {
                Ok(0) => None,
                Ok(_) => Some((Ok::<_, std::io::Error>(buffer.freeze()), reader)),
                Err(e) => Some((Err(e), reader)),
            }
        });
        Self::from_stream(chunks)
    }

    /// Sends a streamed body with `Content-Length: length` instead of chunked (some servers,
    /// object stores among them, need it). The stream must yield exactly that many bytes, or
    /// the request fails with a transport error (a longer stream is not cut to fit). No effect
    /// on a body in memory, whose length is known.
    pub fn with_length(mut self, length: u64) -> Self {
        if let Source::Stream { length: l, .. } = &mut self.0 {
            *l = Some(length);
        }
        self
    }

    /// The bytes, for a body in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.0 {
            Source::Bytes(bytes) => Some(bytes),
            Source::Stream { .. } => None,
        }
    }

    /// The bytes to send for a body in memory (cheap: shared, not copied).
    pub(crate) fn in_memory(&self) -> Option<Bytes> {
        match &self.0 {
            Source::Bytes(bytes) => Some(bytes.clone()),
            Source::Stream { .. } => None,
        }
    }

    /// Whether the body is a stream, sent once.
    pub(crate) fn is_stream(&self) -> bool {
        matches!(self.0, Source::Stream { .. })
    }

    /// The streamed body, the first time it is asked for; `None` for bytes or once taken.
    pub(crate) fn take_stream(&self) -> Option<reqwest::Body> {
        let Source::Stream { chunks, length } = &self.0 else {
            return None;
        };
        let chunks = chunks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()?;
        Some(reqwest::Body::wrap(StreamBody {
            chunks: Mutex::new(chunks),
            length: *length,
            sent: 0,
            held: None,
            complete: false,
        }))
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Bytes(bytes) => write!(f, "Upload({} bytes)", bytes.len()),
            Source::Stream {
                length: Some(length),
                ..
            } => write!(f, "Upload(stream of {length} bytes)"),
            Source::Stream { length: None, .. } => f.write_str("Upload(stream)"),
        }
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload(Source::Bytes(bytes))
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload(Source::Bytes(bytes.into()))
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Upload(Source::Bytes(Bytes::from_static(bytes)))
    }
}

impl<const N: usize> From<&'static [u8; N]> for Upload {
    fn from(bytes: &'static [u8; N]) -> Self {
        Upload(Source::Bytes(Bytes::from_static(bytes)))
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload(Source::Bytes(text.into()))
    }
}

impl From<&'static str> for Upload {
    fn from(text: &'static str) -> Self {
        Upload(Source::Bytes(Bytes::from_static(text.as_bytes())))
    }
}

/// A stream as an HTTP body. reqwest asks a body to be `Sync`; a caller's stream need not be,
/// and polling goes through `&mut`, so the mutex is never contended.
struct StreamBody {
    chunks: Mutex<ChunkStream>,
    length: Option<u64>,
    /// Bytes read from the stream so far, checked against `length`.
    sent: u64,
    /// The chunk that completed `length`, sent once the stream has ended.
    held: Option<Bytes>,
    /// The stream has ended and every chunk was sent.
    complete: bool,
}

fn length_mismatch(length: u64, which: &str) -> BoxError {
    format!("the upload stream yielded {which} bytes than the {length} its `with_length` declared")
        .into()
}

impl http_body::Body for StreamBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        let chunks = this
            .chunks
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(length) = this.length else {
            return chunks
                .as_mut()
                .poll_next(cx)
                .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)));
        };
        // A declared length the stream does not keep to fails the request: the HTTP stack
        // would send a shorter body, or stop reading at the length and drop the rest, silently.
        // So the chunk that completes the length is held until the stream is seen to end.
        loop {
            if this.complete {
                return Poll::Ready(None);
            }
            let next = match chunks.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(next) => next,
            };
            match next {
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                Some(Ok(bytes)) if bytes.is_empty() => continue,
                Some(Ok(_)) if this.held.is_some() => {
                    return Poll::Ready(Some(Err(length_mismatch(length, "more"))))
                }
                Some(Ok(bytes)) => {
                    this.sent += bytes.len() as u64;
                    if this.sent > length {
                        return Poll::Ready(Some(Err(length_mismatch(length, "more"))));
                    }
                    if this.sent < length {
                        return Poll::Ready(Some(Ok(http_body::Frame::data(bytes))));
                    }
                    this.held = Some(bytes);
                }
                None => {
                    this.complete = true;
                    return Poll::Ready(match this.held.take() {
                        Some(last) => Some(Ok(http_body::Frame::data(last))),
                        None if this.sent < length => Some(Err(length_mismatch(length, "fewer"))),
                        None => None,
                    });
                }
            }
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.length {
            Some(length) => http_body::SizeHint::with_exact(length),
            None => http_body::SizeHint::default(),
        }
    }
}
