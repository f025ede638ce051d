//! A transparent stream wrapper that notes when the first byte of the response head arrives,
//! on the target's monotonic clock.
//!
//! HTTP/1.x: the first byte read after the request was sent is the first byte of the response
//! head (servers send nothing first). HTTP/2: the server speaks first (its SETTINGS), so the
//! wrapper follows the frame headers (RFC 9113 §4.1: 24-bit length, type, flags, stream id)
//! and notes the read that carries the start of the first HEADERS frame (type 0x1) on a
//! stream other than 0.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

use kensa_probe::Clock;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Shared between the wrapper (inside hyper's connection task) and the probe.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// Set by the probe just before it hands the request to hyper.
    armed: AtomicBool,
    /// When the first byte of the response head was read.
    first_byte: OnceLock<Instant>,
}

impl Marks {
    pub(crate) fn arm(&self) {
        self.armed.store(true, Ordering::Release);
    }

    pub(crate) fn first_byte(&self) -> Option<Instant> {
        self.first_byte.get().copied()
    }
}

/// The frame-header follower for HTTP/2.
#[derive(Debug, Default)]
struct H2Frames {
    header: [u8; 9],
    have: usize,
    skip: usize,
}

impl H2Frames {
    /// Feed bytes read from the server; true when they contain the start of a response
    /// HEADERS frame.
    fn feed(&mut self, mut bytes: &[u8]) -> bool {
        while !bytes.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(bytes.len());
                bytes = bytes.get(n..).unwrap_or_default();
                self.skip -= n;
                continue;
            }
            let want = 9usize.saturating_sub(self.have).min(bytes.len());
            let Some((head, rest)) = bytes.split_at_checked(want) else {
                return false;
            };
            for (slot, b) in self.header.iter_mut().skip(self.have).zip(head) {
                *slot = *b;
            }
            self.have += want;
            bytes = rest;
            if self.have == 9 {
                self.have = 0;
                let [l0, l1, l2, kind, _flags, s0, s1, s2, s3] = self.header;
                let len = u32::from_be_bytes([0, l0, l1, l2]);
                let stream = u32::from_be_bytes([s0, s1, s2, s3]) & 0x7fff_ffff;
                if kind == 0x1 && stream != 0 {
                    return true;
                }
                self.skip = usize::try_from(len).unwrap_or(usize::MAX);
            }
        }
        false
    }
}

/// The wrapper.
pub(crate) struct Watch<S> {
    inner: S,
    clock: Arc<dyn Clock>,
    marks: Arc<Marks>,
    /// `Some` for HTTP/2, until the response HEADERS frame was seen.
    h2: Option<H2Frames>,
}

impl<S> Watch<S> {
    pub(crate) fn new(inner: S, clock: Arc<dyn Clock>, marks: Arc<Marks>, h2: bool) -> Self {
        Self {
            inner,
            clock,
            marks,
            h2: h2.then(H2Frames::default),
        }
    }

    fn saw(&mut self, bytes: &[u8]) {
        if bytes.is_empty() || self.marks.first_byte.get().is_some() {
            return;
        }
        let hit = match &mut self.h2 {
            Some(frames) => frames.feed(bytes),
            None => true,
        };
        if hit && self.marks.armed.load(Ordering::Acquire) {
            let _ = self.marks.first_byte.set(self.clock.instant());
            self.h2 = None;
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watch<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &polled {
            let new = buf.filled().get(before..).unwrap_or_default();
            self.saw(new);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watch<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: u8, stream: u32, payload: usize) -> Vec<u8> {
        let len = u32::try_from(payload).unwrap().to_be_bytes();
        let mut f = vec![len[1], len[2], len[3], kind, 0];
        f.extend_from_slice(&stream.to_be_bytes());
        f.extend(std::iter::repeat_n(0xAA, payload));
        f
    }

    #[test]
    fn finds_the_first_response_headers_frame_across_reads() {
        let mut bytes = frame(0x4, 0, 18); // SETTINGS
        bytes.extend(frame(0x4, 0, 0)); // SETTINGS ack
        bytes.extend(frame(0x8, 0, 4)); // WINDOW_UPDATE
        let headers_at = bytes.len();
        bytes.extend(frame(0x1, 1, 30)); // HEADERS on stream 1
        // Byte by byte: the hit must be the first byte... of the frame header's last byte,
        // i.e. within the frame's 9-byte header.
        let mut f = H2Frames::default();
        let hit = bytes.iter().position(|b| f.feed(std::slice::from_ref(b)));
        assert_eq!(hit, Some(headers_at + 8));
        // All at once.
        assert!(H2Frames::default().feed(&bytes));
        // A HEADERS frame type on stream 0 is not a response.
        assert!(!H2Frames::default().feed(&frame(0x1, 0, 3)));
    }
}
