//! Follows the bytes a client sends on one connection, message by message: whether a
//! request head, a body or nothing is arriving right now. hyper reads ahead into its own
//! buffer and does not say, yet the timeouts (head, body, keep-alive) and the idle test
//! for eviction need exactly that. While following heads it also refuses the ones hyper
//! would accept and we do not: larger than the head limit, more header lines than the
//! count limit, a `Content-Length` beside a `Transfer-Encoding`, two `Content-Length`s,
//! or a `Content-Length` that is not a number (request smuggling needs one of these).
//!
//! It reads only what framing needs: head lines (each scanned for its `\n` and, when it
//! names `Content-Length` or `Transfer-Encoding`, its value), a declared length skipped by
//! counting, chunk-size lines. Malformed input it does not need to judge (a bad request
//! line, a bad chunk size) is left to hyper, which refuses it and closes the connection.

/// The head limits (request line and header lines together).
#[derive(Debug, Clone, Copy)]
pub struct HeadLimits {
    /// Bytes of one head, from the request line's first byte to the blank line's `\n`.
    pub max_bytes: usize,
    /// Header lines in one head.
    pub max_headers: usize,
}

/// Why a head is refused; the connection is closed after the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    HeadTooLarge,
    TooManyHeaders,
    LengthWithTransferEncoding,
    TwoLengths,
    BadLength,
}

/// What is arriving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Nothing: between requests (or before the first).
    Between,
    /// A request head, not yet complete.
    Head,
    /// A request body, not yet complete.
    Body,
}

/// What one chunk of input moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Heads completed in the chunk (each one a request hyper will hand to the service).
    pub heads: u64,
    /// Whether the chunk moved from one phase or message to another.
    pub moved: bool,
}

/// Header values longer than this are not kept (a length has at most 20 digits).
const KEPT_LINE: usize = 64;

#[derive(Debug)]
enum State {
    Between,
    Head,
    Length(u64),
    /// Reading a chunk-size line (the size so far).
    ChunkSize(u64),
    /// The rest of a chunk-size line (extensions, CRLF), after the size.
    ChunkLine(u64),
    ChunkData(u64),
    /// The CRLF after a chunk's data.
    ChunkEnd,
    /// Trailer lines after the last chunk; the count is the current line's length.
    Trailers(usize),
}

/// The follower of one connection's input.
#[derive(Debug)]
pub struct Framer {
    limits: HeadLimits,
    state: State,
    head_bytes: usize,
    /// Lines completed in the current head (the request line included).
    lines: usize,
    /// Length of the current line so far, without a trailing `\r`.
    line_len: usize,
    /// The start of the current line (at most [`KEPT_LINE`] bytes).
    line: Vec<u8>,
    length: Option<u64>,
    chunked: bool,
}

impl Framer {
    pub fn new(limits: HeadLimits) -> Framer {
        Framer {
            limits,
            state: State::Between,
            head_bytes: 0,
            lines: 0,
            line_len: 0,
            line: Vec::new(),
            length: None,
            chunked: false,
        }
    }

    pub fn phase(&self) -> Phase {
        match self.state {
            State::Between => Phase::Between,
            State::Head => Phase::Head,
            _ => Phase::Body,
        }
    }

    /// Follows `bytes`, the next input of the connection. A refusal concerns the head
    /// being read; the connection must not be used further.
    pub fn feed(&mut self, mut bytes: &[u8]) -> Result<Progress, Refusal> {
        let mut progress = Progress::default();
        while !bytes.is_empty() {
            let before = self.phase();
            let used = match self.state {
                State::Between => self.between(bytes),
                State::Head => {
                    let (used, done) = self.head(bytes)?;
                    if done {
                        progress.heads += 1;
                        progress.moved = true;
                    }
                    used
                }
                State::Length(left) => {
                    let used = usize::try_from(left).map_or(bytes.len(), |l| l.min(bytes.len()));
                    let left = left - used as u64;
                    self.state = if left == 0 {
                        State::Between
                    } else {
                        State::Length(left)
                    };
                    used
                }
                _ => self.chunked(bytes),
            };
            progress.moved |= self.phase() != before;
            bytes = &bytes[used..];
        }
        Ok(progress)
    }

    /// Empty lines before a request line are skipped, as hyper does; anything else starts
    /// a head.
    fn between(&mut self, bytes: &[u8]) -> usize {
        match bytes.iter().position(|b| !matches!(b, b'\r' | b'\n')) {
            None => bytes.len(),
            Some(at) => {
                self.state = State::Head;
                self.head_bytes = 0;
                self.lines = 0;
                self.line_len = 0;
                self.line.clear();
                self.length = None;
                self.chunked = false;
                at
            }
        }
    }

    /// Reads head bytes up to the end of the head; returns the bytes used and whether the
    /// head is complete.
    fn head(&mut self, bytes: &[u8]) -> Result<(usize, bool), Refusal> {
        let mut used = 0;
        while used < bytes.len() {
            let rest = &bytes[used..];
            let (segment, ends_line) = match memchr::memchr(b'\n', rest) {
                Some(at) => (&rest[..at], true),
                None => (rest, false),
            };
            let step = segment.len() + usize::from(ends_line);
            self.head_bytes += step;
            if self.head_bytes > self.limits.max_bytes {
                return Err(Refusal::HeadTooLarge);
            }
            self.extend_line(segment);
            used += step;
            if ends_line && self.end_line()? {
                return Ok((used, true));
            }
        }
        Ok((used, false))
    }

    fn extend_line(&mut self, segment: &[u8]) {
        self.line_len += segment.len();
        let room = KEPT_LINE.saturating_sub(self.line.len());
        self.line
            .extend_from_slice(&segment[..segment.len().min(room)]);
    }

    /// A line ended; returns whether it was the blank line that ends the head.
    fn end_line(&mut self) -> Result<bool, Refusal> {
        let mut line = std::mem::take(&mut self.line);
        let kept = line.strip_suffix(b"\r").unwrap_or(&line);
        let blank = self.line_len == 0 || (self.line_len == 1 && kept.is_empty());
        let ended = if blank {
            self.body_state().map(|state| {
                self.state = state;
                true
            })
        } else if self.lines > self.limits.max_headers {
            Err(Refusal::TooManyHeaders)
        } else {
            let header = if self.lines > 0 {
                self.header(kept)
            } else {
                Ok(())
            };
            self.lines += 1;
            self.line_len = 0;
            header.map(|()| false)
        };
        // The buffer is kept for the next line.
        line.clear();
        self.line = line;
        ended
    }

    fn header(&mut self, line: &[u8]) -> Result<(), Refusal> {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            return Ok(());
        };
        let name = &line[..colon];
        if name.eq_ignore_ascii_case(b"content-length") {
            if self.length.is_some() {
                return Err(Refusal::TwoLengths);
            }
            if self.line_len > KEPT_LINE {
                return Err(Refusal::BadLength);
            }
            let value = line[colon + 1..].trim_ascii();
            let digits = !value.is_empty() && value.iter().all(u8::is_ascii_digit);
            let length = std::str::from_utf8(value)
                .ok()
                .filter(|_| digits)
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or(Refusal::BadLength)?;
            self.length = Some(length);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            self.chunked = true;
        }
        Ok(())
    }

    /// What follows the head. A `Transfer-Encoding` other than chunked is refused by hyper.
    fn body_state(&self) -> Result<State, Refusal> {
        match (self.length, self.chunked) {
            (Some(_), true) => Err(Refusal::LengthWithTransferEncoding),
            (_, true) => Ok(State::ChunkSize(0)),
            (Some(0), false) | (None, false) => Ok(State::Between),
            (Some(n), false) => Ok(State::Length(n)),
        }
    }

    /// Chunked framing: size line (hex, then extensions), data, CRLF, … a zero size, then
    /// trailer lines up to a blank one.
    fn chunked(&mut self, bytes: &[u8]) -> usize {
        match self.state {
            State::ChunkData(left) => {
                let used = usize::try_from(left).map_or(bytes.len(), |l| l.min(bytes.len()));
                let left = left - used as u64;
                self.state = if left == 0 {
                    State::ChunkEnd
                } else {
                    State::ChunkData(left)
                };
                used
            }
            State::ChunkEnd => line_end(bytes).map_or(bytes.len(), |at| {
                self.state = State::ChunkSize(0);
                at
            }),
            State::ChunkSize(size) => {
                let digits = bytes.iter().take_while(|b| b.is_ascii_hexdigit()).count();
                let size = bytes[..digits].iter().fold(size, |acc, b| {
                    let d = (*b as char).to_digit(16).unwrap_or(0);
                    acc.saturating_mul(16).saturating_add(u64::from(d))
                });
                self.state = if digits == bytes.len() {
                    State::ChunkSize(size)
                } else {
                    State::ChunkLine(size)
                };
                digits
            }
            // Extensions and the line end: skip to the `\n`.
            State::ChunkLine(size) => line_end(bytes).map_or(bytes.len(), |at| {
                self.state = if size == 0 {
                    State::Trailers(0)
                } else {
                    State::ChunkData(size)
                };
                at
            }),
            State::Trailers(len) => {
                let mut len = len;
                for (i, b) in bytes.iter().enumerate() {
                    match b {
                        b'\n' if len == 0 => {
                            self.state = State::Between;
                            return i + 1;
                        }
                        b'\n' => len = 0,
                        b'\r' => {}
                        _ => len += 1,
                    }
                }
                self.state = State::Trailers(len);
                bytes.len()
            }
            _ => bytes.len(),
        }
    }
}

/// The position just after the first `\n`.
fn line_end(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes).map(|at| at + 1)
}

#[cfg(test)]
mod tests;
