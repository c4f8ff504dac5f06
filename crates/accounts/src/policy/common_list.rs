//! The bundled list of common passwords (`common.txt`) and the search for a *reading* of a
//! password that is one of its entries.
//!
//! A reading takes each character of the lower-cased password either as it is or, when it
//! is one of zxcvbn's l33t characters (`4`, `@`, `1`, `|`, `$`, …), as one of the letters it
//! may stand for, chosen anew at every position: `m0nk3y123` reads as `monkey123` (the first
//! `3` an `e`, the second a digit), `P@ssw0rd1` as `password1`. zxcvbn itself reads one
//! character the same way everywhere it appears, so every whole-password match it finds is
//! one of these readings, and more (a property test pins both).
//!
//! The entries are kept sorted, and the search walks the password one position at a time
//! over the range of entries that begin with what has been read so far (two binary searches
//! a step): a reading that leaves the range empty is dropped at once, so the work is bounded
//! by the entries' prefixes, not by the number of readings (up to 3^20 for 20 characters).
//! `common.txt` is generated from the zxcvbn version we build with; a test regenerates it
//! and compares.

use std::sync::OnceLock;

/// One entry a line, sorted by bytes.
static LIST: &str = include_str!("common.txt");

/// zxcvbn's l33t table, read backwards: the letters each character may stand for.
pub(super) const L33T: &[(u8, &[u8])] = &[
    (b'4', b"a"),
    (b'@', b"a"),
    (b'8', b"b"),
    (b'(', b"c"),
    (b'{', b"c"),
    (b'[', b"c"),
    (b'<', b"c"),
    (b'3', b"e"),
    (b'6', b"g"),
    (b'9', b"g"),
    (b'1', b"il"),
    (b'!', b"i"),
    (b'|', b"il"),
    (b'7', b"lt"),
    (b'0', b"o"),
    (b'$', b"s"),
    (b'5', b"s"),
    (b'+', b"t"),
    (b'%', b"x"),
    (b'2', b"z"),
];

/// The longest entry on the list, in bytes (entries are ASCII).
pub(super) const LONGEST_ENTRY: usize = 20;

/// The entries, sorted; split once, on first use.
pub(super) fn entries() -> &'static [&'static str] {
    static ENTRIES: OnceLock<Vec<&'static str>> = OnceLock::new();
    ENTRIES.get_or_init(|| LIST.lines().collect())
}

/// Whether some reading of `lower` (lower-cased ASCII), or of it reversed, is an entry.
pub(super) fn has_entry_reading(lower: &[u8]) -> bool {
    if lower.is_empty() || lower.len() > LONGEST_ENTRY {
        return false;
    }
    let reversed: Vec<u8> = lower.iter().rev().copied().collect();
    reads_as_entry(entries(), lower, 0) || reads_as_entry(entries(), &reversed, 0)
}

/// `entries` all begin with one reading of `text[..depth]`: whether one of them is a whole
/// reading of `text`.
fn reads_as_entry(entries: &[&'static str], text: &[u8], depth: usize) -> bool {
    let Some(&c) = text.get(depth) else {
        // Sorted: an entry equal to the prefix comes before its longer neighbours.
        return entries.first().is_some_and(|e| e.len() == depth);
    };
    readings(c).any(|b| {
        let next = narrow(entries, depth, b);
        !next.is_empty() && reads_as_entry(next, text, depth + 1)
    })
}

/// The character itself, then the letters it may stand for.
pub(super) fn readings(c: u8) -> impl Iterator<Item = u8> {
    let letters: &[u8] = L33T
        .iter()
        .find(|(l33t, _)| *l33t == c)
        .map_or(&[], |(_, letters)| letters);
    std::iter::once(c).chain(letters.iter().copied())
}

/// The entries whose byte at `depth` is `b` (a sub-range: they are sorted and share the
/// bytes before `depth`).
fn narrow<'e>(entries: &'e [&'static str], depth: usize, b: u8) -> &'e [&'static str] {
    let at = |e: &&str| e.as_bytes().get(depth).copied();
    let start = entries.partition_point(|e| at(e) < Some(b));
    let len = entries[start..].partition_point(|e| at(e) == Some(b));
    &entries[start..start + len]
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// zxcvbn's `passwords` dictionary, in its rank order, read from the source of the
    /// zxcvbn crate this build uses (found with `cargo metadata`).
    pub(in crate::policy) fn zxcvbn_passwords() -> Vec<String> {
        let rustc = std::process::Command::new("rustc")
            .arg("-vV")
            .output()
            .expect("rustc runs");
        let host = String::from_utf8_lossy(&rustc.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
            .expect("rustc names its host");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        // Only this platform's packages, which the build has already fetched.
        let out = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--offline"])
            .args(["--filter-platform", &host])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata runs");
        let text = String::from_utf8_lossy(&out.stdout);
        let manifest = text
            .split("\"manifest_path\":\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .find(|p| p.contains("/zxcvbn-"))
            .expect("the zxcvbn package in cargo metadata");
        let dir = std::path::Path::new(manifest).parent().expect("its folder");
        let source = std::fs::read_to_string(dir.join("src/frequency_lists.rs"))
            .expect("zxcvbn's frequency lists");
        let start = source
            .find("const PASSWORDS: &str = \"")
            .expect("the passwords list")
            + "const PASSWORDS: &str = \"".len();
        let end = start + source[start..].find('"').expect("its end");
        source[start..end].split(',').map(str::to_owned).collect()
    }

    #[test]
    fn the_list_is_the_zxcvbn_passwords_we_build_with() {
        let mut entries = zxcvbn_passwords();
        assert_eq!(entries.len(), 30_000);
        entries.sort_unstable();
        let text: String = entries.iter().map(|e| format!("{e}\n")).collect();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/policy/common.txt");
        if std::env::var_os("NETSERVER_WRITE_COMMON_LIST").is_some() {
            std::fs::write(path, &text).expect("write the list");
        }
        assert!(
            text == LIST,
            "common.txt is stale: rerun this test with NETSERVER_WRITE_COMMON_LIST=1"
        );
        // What the search relies on: ASCII, lower-case, at most LONGEST_ENTRY bytes.
        for e in &entries {
            assert!(
                e.is_ascii() && (4..=LONGEST_ENTRY).contains(&e.len()),
                "{e}"
            );
            assert_eq!(e.to_lowercase(), *e);
            assert!(has_entry_reading(e.as_bytes()), "{e}");
        }
    }

    #[test]
    fn readings_mix_letters_and_kept_characters_per_position() {
        for pw in [
            "password",
            "drowssap",
            "p@ssw0rd",
            "p4ssw0rd",
            "1etmein",
            "p@ssw0rd1",
            "m0nk3y123",
            "m0nkey123",
            "321y3kn0m",
            "pa55word",
            "pa5sword",
        ] {
            assert!(has_entry_reading(pw.as_bytes()), "{pw}");
        }
        for pw in [
            "quiet-harbor-123",
            "kanelbulle-fjord-73",
            "zq7#mlp2vx",
            "correct horse",
            "p4@ssword1x",
            "",
        ] {
            assert!(!has_entry_reading(pw.as_bytes()), "{pw}");
        }
    }
}
