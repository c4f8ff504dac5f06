//! Property tests of the common-password rule against zxcvbn: words from zxcvbn's own list,
//! l33t-spelled at some positions and not at others, in any case, with digits appended.
//!
//! Two oracles, both built on zxcvbn rather than on our search: every reading of the
//! candidate enumerated one by one and looked up in zxcvbn's dictionary (read from the
//! zxcvbn source), and zxcvbn's own estimate (whatever it explains as one whole
//! `passwords` match must be common).

use std::collections::HashSet;
use std::sync::OnceLock;

use proptest::prelude::*;

use super::common::{is_common, one_password_match};
use super::common_list::tests::zxcvbn_passwords;
use super::common_list::{readings, L33T, LONGEST_ENTRY};

fn dictionary() -> &'static (Vec<String>, HashSet<String>) {
    static DICTIONARY: OnceLock<(Vec<String>, HashSet<String>)> = OnceLock::new();
    DICTIONARY.get_or_init(|| {
        let list = zxcvbn_passwords();
        let set = list.iter().cloned().collect();
        (list, set)
    })
}

/// Readings of a candidate enumerated one by one; `None` when there are too many to try.
fn readings_of(lower: &[u8]) -> Option<Vec<Vec<u8>>> {
    let count: usize = lower.iter().map(|&c| readings(c).count()).product();
    if count > 20_000 {
        return None;
    }
    let mut all = vec![Vec::new()];
    for &c in lower {
        all = all
            .into_iter()
            .flat_map(|prefix| {
                readings(c).map(move |b| {
                    let mut next = prefix.clone();
                    next.push(b);
                    next
                })
            })
            .collect();
    }
    Some(all)
}

/// Whether zxcvbn's dictionary holds a reading of `password` or of it reversed.
fn dictionary_holds_a_reading(password: &str) -> Option<bool> {
    let lower = password.to_lowercase();
    if lower.len() > LONGEST_ENTRY {
        return Some(false);
    }
    let reversed: Vec<u8> = lower.bytes().rev().collect();
    let (_, set) = dictionary();
    let mut found = false;
    for text in [lower.as_bytes(), &reversed] {
        for reading in readings_of(text)? {
            found |= set.contains(std::str::from_utf8(&reading).expect("ASCII"));
        }
    }
    Some(found)
}

/// An entry spelled with l33t characters at the positions `choices` picks, in the case it
/// picks, with `digits` appended.
fn spell(entry: &str, choices: &[u8], digits: &[u8]) -> String {
    let mut out = String::new();
    for (c, choice) in entry.chars().zip(choices.iter().cycle()) {
        let spellings: Vec<char> = L33T
            .iter()
            .filter(|(_, letters)| letters.contains(&(c as u8)))
            .map(|(l33t, _)| char::from(*l33t))
            .collect();
        let pick = usize::from(*choice) % (spellings.len() + 2);
        out.push(match pick {
            0 => c,
            1 => c.to_ascii_uppercase(),
            n => spellings[n - 2],
        });
    }
    out.extend(digits.iter().map(|d| char::from(b'0' + d)));
    out
}

fn candidates() -> impl Strategy<Value = String> {
    (
        0..30_000usize,
        proptest::collection::vec(any::<u8>(), 1..=20),
        proptest::collection::vec(0..10u8, 0..=3),
    )
        .prop_map(|(index, choices, digits)| {
            let (list, _) = dictionary();
            spell(&list[index], &choices, &digits)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn common_exactly_when_a_reading_is_in_zxcvbns_dictionary(password in candidates()) {
        let expected = dictionary_holds_a_reading(&password);
        prop_assume!(expected.is_some());
        prop_assert_eq!(is_common(&password), expected.unwrap(), "{}", password);
    }

    #[test]
    fn whatever_zxcvbn_matches_whole_is_common(password in candidates()) {
        if one_password_match(&password) {
            prop_assert!(is_common(&password), "{}", password);
        }
    }
}

#[test]
fn the_spellings_from_the_report_are_common_and_their_words_are_entries() {
    let (_, set) = dictionary();
    for (spelled, entry) in [
        ("P@ssw0rd1", "password1"),
        ("m0nk3y123", "monkey123"),
        ("P@ssw0rd", "p@ssw0rd"),
    ] {
        assert!(set.contains(entry), "{entry}");
        assert!(is_common(spelled), "{spelled}");
        assert_eq!(dictionary_holds_a_reading(spelled), Some(true), "{spelled}");
    }
    // zxcvbn reads a `1` as a letter everywhere or nowhere, so it misses these.
    assert!(!one_password_match("P@ssw0rd1"));
    assert!(!one_password_match("m0nk3y123"));
}
