//! Pretty-printed JSON written in pieces: a document too large to hold is written as
//! `serde_json::to_string_pretty` would print it whole, an array element at a time
//! ([`Elements`]), each element printed at its depth ([`pretty_at`]), around a skeleton whose
//! empty arrays are filled as it is written ([`splice`], [`split_array`]). Used by the
//! streamed assessment and the streamed report (issue 21).

use std::io::{self, Write};

use serde::Serialize;

/// Pretty JSON of `v` as it stands `level` containers deep in a pretty-printed document (every
/// line after the first indented two spaces a level), as `serde_json::to_string_pretty` of
/// the whole document prints it.
pub fn pretty_at<T: Serialize + ?Sized>(v: &T, level: usize) -> io::Result<String> {
    let text = serde_json::to_string_pretty(v).map_err(io::Error::other)?;
    if level == 0 || !text.contains('\n') {
        return Ok(text);
    }
    let pad = " ".repeat(2 * level);
    let mut s = String::with_capacity(text.len() + text.len() / 4);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            s.push('\n');
            s.push_str(&pad);
        }
        s.push_str(line);
    }
    Ok(s)
}

/// A pretty-printed JSON array written an element at a time: the array is the value of a key
/// `level` containers deep (its elements one deeper).
#[derive(Debug)]
pub struct Elements {
    level: usize,
    n: usize,
}

impl Elements {
    /// An array whose key stands `level` containers deep.
    pub const fn new(level: usize) -> Self {
        Self { level, n: 0 }
    }

    /// Whether no element was written.
    pub const fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Start the next element: the caller writes it, printed at `self.level + 1`.
    pub fn next(&mut self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(if self.n == 0 { b"[\n" } else { b",\n" })?;
        pad(w, self.level + 1)?;
        self.n += 1;
        Ok(())
    }

    /// Write an element already printed at `self.level + 1` (see [`pretty_at`]).
    pub fn raw(&mut self, w: &mut dyn Write, text: &str) -> io::Result<()> {
        self.next(w)?;
        w.write_all(text.as_bytes())
    }

    /// Write `v` as the next element.
    pub fn push<T: Serialize + ?Sized>(&mut self, w: &mut dyn Write, v: &T) -> io::Result<()> {
        let text = pretty_at(v, self.level + 1)?;
        self.raw(w, &text)
    }

    /// Close the array (`[]` when nothing was written).
    pub fn close(&self, w: &mut dyn Write) -> io::Result<()> {
        if self.n == 0 {
            return w.write_all(b"[]");
        }
        w.write_all(b"\n")?;
        pad(w, self.level)?;
        w.write_all(b"]")
    }
}

/// Two spaces per `level`.
pub fn pad(w: &mut dyn Write, level: usize) -> io::Result<()> {
    const SPACES: [u8; 64] = [b' '; 64];
    let mut left = 2 * level;
    while left > 0 {
        let n = left.min(SPACES.len());
        w.write_all(SPACES.get(..n).unwrap_or_default())?;
        left -= n;
    }
    Ok(())
}

/// Write `text` to `w` with the empty array of each `"KEY": []` whose key is in `keys`
/// replaced by what `fill` writes for it, given the key and the array's level (the key's
/// indentation). Keys are matched in the order they appear; a JSON string never holds an
/// unescaped quote, so the pattern only ever matches a key.
pub fn splice(
    text: &str,
    keys: &[&str],
    w: &mut dyn Write,
    fill: &mut dyn FnMut(&str, usize, &mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let patterns: Vec<(String, &str)> = keys.iter().map(|k| (format!("\"{k}\": []"), *k)).collect();
    let mut rest = text;
    loop {
        let next = patterns
            .iter()
            .filter_map(|(p, k)| rest.find(p.as_str()).map(|i| (i, p.len(), *k)))
            .min_by_key(|(i, _, _)| *i);
        let Some((at, len, key)) = next else {
            return w.write_all(rest.as_bytes());
        };
        let before = rest.get(..at + len - 2).unwrap_or_default();
        w.write_all(before.as_bytes())?;
        let line = rest.get(..at).unwrap_or_default();
        let indent = at - line.rfind('\n').map_or(0, |i| i + 1);
        fill(key, indent / 2, w)?;
        rest = rest.get(at + len..).unwrap_or_default();
    }
}

/// `text` (pretty JSON) around the empty array of its first `"KEY": []`: what comes before the
/// array and what follows it, or `None` when there is no such key.
pub fn split_array<'t>(text: &'t str, key: &str) -> Option<(&'t str, &'t str)> {
    let pattern = format!("\"{key}\": []");
    let at = text.find(&pattern)?;
    let end = at + pattern.len();
    Some((text.get(..end - 2)?, text.get(end..)?))
}
