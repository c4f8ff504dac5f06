//! A quick, exact "certainly not common" answer, so that most passwords skip the zxcvbn runs
//! of [`super::common`] (two full estimates, ≈ 0.15 ms each, on every SetPassword).
//!
//! zxcvbn can explain a whole password with one match from its `passwords` dictionary only
//! if one of these *forms* of it is an entry: the password lower-cased (zxcvbn compares
//! lower-cased text), that reversed, or that with each l33t character (`4`, `@`, `1`, `|`,
//! `$`, …) read as one of the letters it may stand for, the same letter for every place it
//! appears (zxcvbn's substitution tables). The entries are held as a Bloom filter
//! (`common.bloom`, 64 KiB, 4 probes): a form that is not in it is certainly not an entry;
//! a form that is in it (an entry, or ≈ 0.2 % of other strings) sends the password on to
//! zxcvbn, which decides. The filter is generated from the dictionary of the zxcvbn version
//! we build with, and a test regenerates it and compares (see the tests).

/// The filter: `BITS` bits, little-endian within each byte.
static FILTER: &[u8; BITS / 8] = include_bytes!("common.bloom");
const BITS: usize = 1 << 19;
const PROBES: u64 = 4;

/// zxcvbn's l33t table: the letters each character may stand for.
const L33T: &[(char, &[char])] = &[
    ('4', &['a']),
    ('@', &['a']),
    ('8', &['b']),
    ('(', &['c']),
    ('{', &['c']),
    ('[', &['c']),
    ('<', &['c']),
    ('3', &['e']),
    ('6', &['g']),
    ('9', &['g']),
    ('1', &['i', 'l']),
    ('!', &['i']),
    ('|', &['i', 'l']),
    ('7', &['l', 't']),
    ('0', &['o']),
    ('$', &['s']),
    ('5', &['s']),
    ('+', &['t']),
    ('%', &['x']),
    ('2', &['z']),
];

/// Whether some form of `password` may be an entry; `false` means it certainly is not.
pub(super) fn may_be_an_entry(password: &str) -> bool {
    let lower = password.to_lowercase();
    if lower.chars().count() != password.chars().count() {
        return true; // lower-casing changed the length: let zxcvbn decide
    }
    if !lower.is_ascii() {
        return false; // every entry is ASCII, and l33t reading only replaces ASCII
    }
    let lower = lower.into_bytes();
    let reversed: Vec<u8> = lower.iter().rev().copied().collect();
    holds(&lower) || holds(&reversed) || l33t_forms_may_hold(&lower)
}

/// Every reading of the l33t characters in `lower` (each distinct character read as one of
/// its letters throughout), looked up in the filter.
fn l33t_forms_may_hold(lower: &[u8]) -> bool {
    let mut present: Vec<(u8, &[char])> = Vec::new();
    for &b in lower {
        if let Some((c, letters)) = L33T.iter().find(|(c, _)| *c as u32 == u32::from(b)) {
            if !present.iter().any(|(p, _)| u32::from(*p) == *c as u32) {
                present.push((b, letters));
            }
        }
    }
    if present.is_empty() {
        return false;
    }
    // At most three characters have two readings (`1`, `|`, `7`): ≤ 8 forms.
    let forms: usize = present.iter().map(|(_, l)| l.len()).product();
    let mut form = lower.to_vec();
    for mut choice in 0..forms {
        form.copy_from_slice(lower);
        for (c, letters) in &present {
            let letter = letters[choice % letters.len()] as u8;
            choice /= letters.len();
            for (i, b) in lower.iter().enumerate() {
                if b == c {
                    form[i] = letter;
                }
            }
        }
        if holds(&form) {
            return true;
        }
    }
    false
}

fn holds(word: &[u8]) -> bool {
    probes(word).all(|bit| FILTER[bit / 8] & (1 << (bit % 8)) != 0)
}

/// The filter's bit positions for `word`: double hashing over two FNV-1a variants.
fn probes(word: &[u8]) -> impl Iterator<Item = usize> {
    let h1 = fnv1a(word, 0xcbf2_9ce4_8422_2325);
    let h2 = fnv1a(word, 0x8422_2325_cbf2_9ce4) | 1;
    (0..PROBES).map(move |i| (h1.wrapping_add(i.wrapping_mul(h2)) % BITS as u64) as usize)
}

fn fnv1a(word: &[u8], seed: u64) -> u64 {
    word.iter().fold(seed, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The filter for `entries`, as `common.bloom` holds it.
#[cfg(test)]
pub(super) fn build(entries: &[&str]) -> Vec<u8> {
    let mut bits = vec![0u8; BITS / 8];
    for entry in entries {
        for bit in probes(entry.as_bytes()) {
            bits[bit / 8] |= 1 << (bit % 8);
        }
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// zxcvbn's `passwords` dictionary, read from the source of the zxcvbn crate this
    /// build uses (found with `cargo metadata`).
    fn zxcvbn_passwords() -> Vec<String> {
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
    fn the_filter_is_built_from_the_zxcvbn_passwords_we_build_with() {
        let entries = zxcvbn_passwords();
        assert_eq!(entries.len(), 30_000);
        let refs: Vec<&str> = entries.iter().map(String::as_str).collect();
        let built = build(&refs);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/policy/common.bloom");
        if std::env::var_os("NETSERVER_WRITE_COMMON_FILTER").is_some() {
            std::fs::write(path, &built).expect("write the filter");
        }
        assert!(
            built.as_slice() == FILTER.as_slice(),
            "common.bloom is stale: rerun this test with NETSERVER_WRITE_COMMON_FILTER=1"
        );
        // What may_be_an_entry relies on: entries are ASCII and at most 20 characters.
        for e in &entries {
            assert!(e.is_ascii() && (4..=20).contains(&e.len()), "{e}");
            assert!(may_be_an_entry(e), "{e}");
        }
    }

    #[test]
    fn forms_of_entries_pass_and_most_other_passwords_do_not() {
        for pw in [
            "password", "PASSWORD", "drowssap", "p@ssw0rd", "P4SSW0RD", "1etmein",
        ] {
            assert!(may_be_an_entry(pw), "{pw}");
        }
        for pw in [
            "Quiet-Harbor-123",
            "kanelbulle-fjord-73",
            "Zq7#mLp2vX",
            "correct horse",
            "pässwörd",
        ] {
            assert!(!may_be_an_entry(pw), "{pw}");
        }
    }

    #[test]
    fn false_positives_are_rare() {
        let passed = (0..20_000u32)
            .filter(|i| may_be_an_entry(&format!("Tide-Lantern-{i}")))
            .count();
        assert!(passed < 200, "{passed} of 20000");
    }
}
