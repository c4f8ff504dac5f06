//! The list of common passwords shipped with the server (NIST SP 800-63B §5.1.1.2:
//! refuse values known to be commonly used, expected or compromised).
//!
//! The list is the `passwords` frequency dictionary bundled in the `zxcvbn` crate
//! (zxcvbn-rs 3.1.1, `src/frequency_lists.rs`, constant `PASSWORDS`): **30,000 entries**,
//! lowercase ASCII, 4 to 20 characters long, ranked by frequency (`123456`, `password`,
//! `12345678`, `qwerty`, …). It is Dropbox zxcvbn's list, built from Mark Burnett's
//! "10 million passwords" corpus published through Xato in 2015 (user name and password
//! pairs from many public leaks): passwords seen more than 10 times, lowercased, sorted
//! by count and cut at 30,000 after zxcvbn's filters (non-ASCII passwords dropped;
//! passwords that zxcvbn's date, repeat, sequence or keyboard matchers already guess
//! faster, or that rank better in one of its other dictionaries, or that are short and
//! rare, left out).
//!
//! A password is *common* when one reading of the whole of it is an entry: the password
//! lower-cased (any capitalisation), reversed, and with any of zxcvbn's l33t characters read
//! as the letter it may stand for or kept as it is, position by position (`p4ssw0rd`,
//! `P@ssw0rd1`, `m0nk3y123`; see [`super::common_list`]). That covers every whole-password
//! dictionary, reversed and l33t match zxcvbn finds, and the spellings it misses because it
//! reads a digit everywhere as a letter or nowhere. A common word inside a longer password
//! is not enough (`password` is common, `password-tulip-harbour` is not); the strength
//! estimate is the rule that weighs such compositions.

use zxcvbn::matching::patterns::{DictionaryPattern, MatchPattern};

use super::common_list::{self, LONGEST_ENTRY};

/// Whether the (normalised) password is on the common list.
pub(super) fn is_common(password: &str) -> bool {
    let len = password.chars().count();
    if len == 0 || len > LONGEST_ENTRY {
        return false;
    }
    let lower = password.to_lowercase();
    if lower.chars().count() != len {
        // `İ` lower-cases to two characters, and zxcvbn then compares a shifted text
        // (`Ferrarİ` matches `ferrari`): ask zxcvbn itself in that rare case.
        return one_password_match(password) || one_password_match(&lower);
    }
    // Every entry is ASCII, and a reading only replaces ASCII characters.
    lower.is_ascii() && common_list::has_entry_reading(lower.as_bytes())
}

/// zxcvbn's best explanation of `password` is one match from its `passwords` dictionary.
pub(super) fn one_password_match(password: &str) -> bool {
    let estimate = zxcvbn::zxcvbn(password, &[]);
    match estimate.sequence() {
        [only] => {
            only.i == 0
                && only.j + 1 == password.chars().count()
                && matches!(&only.pattern, MatchPattern::Dictionary(d) if from_passwords(d))
        }
        _ => false,
    }
}

/// zxcvbn does not export its dictionary type's name; its default value is the
/// `passwords` dictionary (a unit test pins that).
fn from_passwords(pattern: &DictionaryPattern) -> bool {
    pattern.dictionary_name == DictionaryPattern::default().dictionary_name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_dictionary_is_the_passwords_list() {
        let name = DictionaryPattern::default().dictionary_name;
        assert_eq!(format!("{name:?}"), "Passwords");
    }

    #[test]
    fn entries_are_common_in_any_case_reversed_and_l33t() {
        for pw in [
            "password",
            "Password1",
            "PASSWORD",
            "pAsSwOrD",
            "qwerty123",
            "letmein",
            "iloveyou",
            "trustno1",
            "drowssap",
            "p@ssw0rd",
            // l33t letters beside digits that stay digits
            "P@ssw0rd1",
            "m0nk3y123",
            "Pa55word1",
            // lower-casing `İ` adds a character; zxcvbn's reading is kept
            "Ferrar\u{130}",
            // the longest entries, 20 characters
            "q1w2e3r4t5y6u7i8o9p0",
            "nemvxyheqdd5oqxyxyzi",
        ] {
            assert!(is_common(pw), "{pw} should be common");
        }
    }

    #[test]
    fn other_passwords_are_not_common() {
        for pw in [
            "",
            "password-tulip-harbour",
            "correct horse battery staple",
            "Zq7#mLp2vX",
            "kanelbulle-fjord-73",
            // a word from another dictionary (English) only
            "responsibility",
        ] {
            assert!(!is_common(pw), "{pw} should not be common");
        }
        assert!(!is_common(&"x".repeat(LONGEST_ENTRY + 1)));
    }
}
