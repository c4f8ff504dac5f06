//! Resource limits for reading a request.
//!
//! A SetPassword envelope is well under 2 KiB and seven elements deep, so the defaults
//! leave a wide margin for verbose clients while keeping the cost of a hostile message
//! small and predictable. The server exposes them as settings.

/// Limits applied to a request before and while it is parsed.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted body in bytes (checked before anything else). Default 65536.
    pub max_bytes: usize,
    /// Deepest accepted element nesting; the Envelope is depth 1. Default 32.
    ///
    /// This also bounds the recursion of the XML parser, which descends once per open
    /// element: the nesting is measured by a byte scan *before* the parser runs, so keep
    /// this small (hundreds at most).
    pub max_depth: u32,
    /// Most XML nodes (elements, text runs, comments, processing instructions) the parser
    /// will build. Default 4096.
    pub max_nodes: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 65536,
            max_depth: 32,
            max_nodes: 4096,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let l = Limits::default();
        assert_eq!((l.max_bytes, l.max_depth, l.max_nodes), (65536, 32, 4096));
    }
}
