//! The rule a password broke: a stable code for programs and a default text for people.

use std::fmt;

/// Why a password was refused; carries the rule's threshold, never the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyViolation {
    Empty,
    TooShort { min: usize },
    TooLong { max: usize },
    TooFewDigits { min: usize },
    TooFewLower { min: usize },
    TooFewUpper { min: usize },
    TooFewSpecial { min: usize },
    TooWeak { score: u8, min: u8 },
    Common,
    ContainsName,
    Reused { last: usize },
}

impl PolicyViolation {
    /// Stable machine code; part of the public contract (the error's `code()`).
    pub fn code(&self) -> &'static str {
        match self {
            PolicyViolation::Empty => "password_empty",
            PolicyViolation::TooShort { .. } => "password_too_short",
            PolicyViolation::TooLong { .. } => "password_too_long",
            PolicyViolation::TooFewDigits { .. } => "password_too_few_digits",
            PolicyViolation::TooFewLower { .. } => "password_too_few_lowercase",
            PolicyViolation::TooFewUpper { .. } => "password_too_few_uppercase",
            PolicyViolation::TooFewSpecial { .. } => "password_too_few_special",
            PolicyViolation::TooWeak { .. } => "password_too_weak",
            PolicyViolation::Common => "password_common",
            PolicyViolation::ContainsName => "password_contains_name",
            PolicyViolation::Reused { .. } => "password_reused",
        }
    }
}

/// `n` followed by the singular or plural noun.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for PolicyViolation {
    /// The rule's text, used as the reason when the administrator set no message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at_least = |what: String| format!("the password must contain at least {what}");
        let text = match self {
            PolicyViolation::Empty => "the password is empty".to_owned(),
            PolicyViolation::TooShort { min } => {
                format!("the password is shorter than {min} characters")
            }
            PolicyViolation::TooLong { max } => {
                format!("the password is longer than {max} characters")
            }
            PolicyViolation::TooFewDigits { min } => at_least(count(*min, "digit", "digits")),
            PolicyViolation::TooFewLower { min } => {
                at_least(count(*min, "lowercase letter", "lowercase letters"))
            }
            PolicyViolation::TooFewUpper { min } => {
                at_least(count(*min, "uppercase letter", "uppercase letters"))
            }
            PolicyViolation::TooFewSpecial { min } => at_least(count(
                *min,
                "special character (neither a letter nor a digit)",
                "special characters (neither letters nor digits)",
            )),
            PolicyViolation::TooWeak { score, min } => format!(
                "the password is too easy to guess: its strength is {score} of 4, at least {min} is required"
            ),
            PolicyViolation::Common => {
                "the password is too common: it is on the list of frequently used passwords"
                    .to_owned()
            }
            PolicyViolation::ContainsName => {
                "the password must not contain the user's name".to_owned()
            }
            PolicyViolation::Reused { last } => format!(
                "the password was used recently: it must differ from the last {}",
                count(*last, "password", "passwords")
            ),
        };
        f.write_str(&text)
    }
}
