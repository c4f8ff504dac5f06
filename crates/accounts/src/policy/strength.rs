//! The zxcvbn strength estimate (SuperOffice Online asks for a score of at least 2).
//!
//! The score runs from 0 (guessed in under 10^3 tries) to 4 (over 10^10 tries); the
//! subject's name parts are passed to zxcvbn as user inputs, so a password built on them
//! scores lower. zxcvbn looks at the first 100 characters only, which bounds its cost.

use super::{rules, PolicyViolation, Subject};

/// The zxcvbn score (0..=4) of a normalised password.
pub(super) fn score(password: &str, subject: Option<&Subject<'_>>) -> u8 {
    let inputs = subject.map(rules::name_parts).unwrap_or_default();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    u8::from(zxcvbn::zxcvbn(password, &inputs).score())
}

pub(super) fn at_least(
    password: &str,
    subject: Option<&Subject<'_>>,
    min: u8,
) -> Result<(), PolicyViolation> {
    let score = score(password, subject);
    if score < min {
        return Err(PolicyViolation::TooWeak { score, min });
    }
    Ok(())
}
