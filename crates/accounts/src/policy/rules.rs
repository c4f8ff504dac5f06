//! The rules that only look at the characters: length, character classes (SuperOffice's
//! "complex password"), and the user's own name.
//!
//! Classes are Unicode-aware, on the NFKC form: a digit is a numeric character, lowercase
//! and uppercase follow the Unicode properties, and a special character is anything that
//! is neither a letter nor a digit (punctuation, symbols, spaces). Letters without case
//! (CJK, for instance) count as letters only.

use unicode_normalization::UnicodeNormalization;

use super::{PasswordPolicy, PolicyViolation, Subject};

/// Name parts shorter than this are ignored: "Li" or "Bo" would refuse too much.
pub(super) const MIN_NAME_PART: usize = 3;

pub(super) fn length(policy: &PasswordPolicy, password: &str) -> Result<(), PolicyViolation> {
    let len = password.chars().count();
    if len == 0 {
        return Err(PolicyViolation::Empty);
    }
    if len < policy.min_len {
        return Err(PolicyViolation::TooShort {
            min: policy.min_len,
        });
    }
    if len > policy.max_len {
        return Err(PolicyViolation::TooLong {
            max: policy.max_len,
        });
    }
    Ok(())
}

pub(super) fn is_digit(c: char) -> bool {
    c.is_numeric()
}

pub(super) fn is_special(c: char) -> bool {
    !c.is_alphanumeric()
}

pub(super) fn classes(policy: &PasswordPolicy, password: &str) -> Result<(), PolicyViolation> {
    let count = |pred: fn(char) -> bool| password.chars().filter(|&c| pred(c)).count();
    if count(is_digit) < policy.min_digits {
        return Err(PolicyViolation::TooFewDigits {
            min: policy.min_digits,
        });
    }
    if count(char::is_lowercase) < policy.min_lower {
        return Err(PolicyViolation::TooFewLower {
            min: policy.min_lower,
        });
    }
    if count(char::is_uppercase) < policy.min_upper {
        return Err(PolicyViolation::TooFewUpper {
            min: policy.min_upper,
        });
    }
    if count(is_special) < policy.min_special {
        return Err(PolicyViolation::TooFewSpecial {
            min: policy.min_special,
        });
    }
    Ok(())
}

/// NFKC, lowercase, NFKC again (lowercasing may leave a non-NFKC sequence).
pub(super) fn fold(s: &str) -> String {
    let lower = s.nfkc().collect::<String>().to_lowercase();
    lower.nfkc().collect()
}

/// The folded parts of the subject's names worth looking for: the log-in name and each
/// white-space separated part of the full name, each at least [`MIN_NAME_PART`] long.
pub(super) fn name_parts(subject: &Subject<'_>) -> Vec<String> {
    let mut parts: Vec<String> = std::iter::once(subject.name)
        .chain(subject.full_name.split_whitespace())
        .map(fold)
        .map(|p| p.trim().to_owned())
        .filter(|p| p.chars().count() >= MIN_NAME_PART)
        .collect();
    parts.sort();
    parts.dedup();
    parts
}

pub(super) fn names(password: &str, subject: &Subject<'_>) -> Result<(), PolicyViolation> {
    let folded = fold(password);
    if name_parts(subject)
        .iter()
        .any(|part| folded.contains(part.as_str()))
    {
        return Err(PolicyViolation::ContainsName);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{pw, BOB};
    use super::super::PasswordPolicy;
    use super::*;

    #[test]
    fn names_are_refused_case_insensitively_in_nfkc_form() {
        let p = PasswordPolicy::default();
        let v = |s: &str, subject: &Subject<'_>| p.verdict(&pw(s), Some(subject));
        assert_eq!(v("xx-BOB-yy-42", &BOB), Err(PolicyViolation::ContainsName));
        assert_eq!(v("my-builder-42", &BOB), Err(PolicyViolation::ContainsName));
        assert_eq!(v("tulip-harbour-42", &BOB), Ok(()));
        // Without a subject the rule cannot apply.
        assert_eq!(p.verdict(&pw("xx-bob-yy-42"), None), Ok(()));

        let sofie = Subject {
            name: "sofie",
            full_name: "Søren Ødegård Li",
        };
        assert_eq!(
            v("ØDEGÅRD-tulip-9", &sofie),
            Err(PolicyViolation::ContainsName)
        );
        // A decomposed å (a + U+030A) matches the precomposed one in the name...
        assert_eq!(
            v("x-ødega\u{30A}rd-9", &sofie),
            Err(PolicyViolation::ContainsName)
        );
        // ...but a look-alike from another script (Cyrillic а) or a stripped accent
        // is another letter.
        assert_eq!(v("x-ødegа\u{30A}rd-9", &sofie), Ok(()));
        assert_eq!(v("x-odegard-9", &sofie), Ok(()));
        // The ligature U+FB01 in a name part folds to "fi".
        let fiona = Subject {
            name: "f1",
            full_name: "\u{FB01}ona",
        };
        assert_eq!(
            v("tulip-FIONA-harbour", &fiona),
            Err(PolicyViolation::ContainsName)
        );
        // Parts shorter than three characters ("Li") are ignored.
        assert_eq!(v("li-tulip-harbour", &sofie), Ok(()));
        // Compatibility forms in the name fold too: fullwidth letters.
        let wide = Subject {
            name: "\u{FF4A}\u{FF4F}\u{FF45}",
            full_name: "",
        };
        assert_eq!(
            v("tulip-Joe-harbour", &wide),
            Err(PolicyViolation::ContainsName)
        );
        // Turned off, names are allowed.
        let off = PasswordPolicy {
            refuse_names: false,
            ..PasswordPolicy::default()
        };
        assert_eq!(off.verdict(&pw("xx-bob-yy-42"), Some(&BOB)), Ok(()));
    }
}
