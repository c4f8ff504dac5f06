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
//! A password is *common* when zxcvbn explains the whole of it with one single match from
//! that dictionary: the word itself in any capitalisation, reversed, or with zxcvbn's
//! l33t substitutions (`p4ssw0rd`). A common word inside a longer password is not enough
//! (`password` is common, `password-tulip-harbour` is not); the strength estimate is the
//! rule that weighs such compositions. The password is tried as it is and lowercased, so
//! an odd capitalisation cannot hide an entry. Most passwords never reach zxcvbn: a
//! Bloom filter of the list answers "certainly not" first ([`super::common_filter`]).

use zxcvbn::matching::patterns::{DictionaryPattern, MatchPattern};

use super::common_filter;

/// The longest entry on the list, in characters: a longer password cannot be one match.
const LONGEST_ENTRY: usize = 20;

/// Whether the (normalised) password is on the common list.
pub(super) fn is_common(password: &str) -> bool {
    let len = password.chars().count();
    if len == 0 || len > LONGEST_ENTRY || !common_filter::may_be_an_entry(password) {
        return false;
    }
    if one_password_match(password) {
        return true;
    }
    let lower = password.to_lowercase();
    lower != password && one_password_match(&lower)
}

/// zxcvbn's best explanation of `password` is one match from its `passwords` dictionary.
fn one_password_match(password: &str) -> bool {
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
