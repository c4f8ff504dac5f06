//! Password policy: NFKC normalisation and every rule a new password must pass.
//!
//! The rules combine what SuperOffice offers with NIST SP 800-63B §5.1.1.2:
//!
//! - length: `min_len ..= max_len` characters (Unicode scalar values after NFKC); the
//!   password is never truncated, and the configuration refuses a `max_len` below 64;
//! - character classes (SuperOffice's onsite "complex password" rule): minimum counts of
//!   digits, lowercase and uppercase letters and special characters ([`rules`]);
//! - names: no part of the user's name or full name ([`rules`]);
//! - common passwords: not on the bundled list of frequently used passwords ([`common`]);
//! - strength: a minimum zxcvbn score, as SuperOffice Online asks ([`strength`]);
//! - history and "must change at next log-in" are only carried here as settings: the
//!   operations layer compares against stored hashes and sets the flag.
//!
//! Three presets name typical combinations ([`PasswordPolicy::preset`]); the configuration
//! starts from one and overrides single keys. [`PasswordPolicy::generate`] draws a random
//! password that passes the policy ([`generate`]).

mod common;
mod common_list;
#[cfg(test)]
mod common_props;
mod generate;
mod rules;
mod strength;
#[cfg(test)]
mod tests;
mod violation;

use unicode_normalization::UnicodeNormalization;

pub use violation::PolicyViolation;

use crate::error::AccountError;
use crate::secret::Secret;

/// Every password rule; see the module documentation. Compare with [`PasswordPolicy::preset`].
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordPolicy {
    /// Minimum length in characters (Unicode scalar values, after NFKC).
    pub min_len: usize,
    /// Maximum length in characters; bounds the KDF input too. Never truncated.
    pub max_len: usize,
    /// Minimum number of digits (Unicode numeric characters).
    pub min_digits: usize,
    /// Minimum number of lowercase letters.
    pub min_lower: usize,
    /// Minimum number of uppercase letters.
    pub min_upper: usize,
    /// Minimum number of special characters: anything that is neither a letter nor a digit.
    pub min_special: usize,
    /// Minimum zxcvbn score, 0..=4; `None` skips the estimate.
    pub min_strength: Option<u8>,
    /// Refuse passwords on the bundled list of common passwords.
    pub refuse_common: bool,
    /// Refuse passwords containing the user's name or a part of the full name.
    pub refuse_names: bool,
    /// How many previous passwords may not be reused; 0 turns the check off.
    pub history: usize,
    /// A password set by someone else than its owner must be changed at the next log-in.
    pub must_change_on_admin_set: bool,
    /// The administrator's text, shown instead of the rule's text for any violation.
    pub message: Option<String>,
}

/// Whose password is checked: the name rule and the strength estimate look at these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject<'a> {
    /// The log-in name.
    pub name: &'a str,
    /// The full name; split on white space into parts.
    pub full_name: &'a str,
}

const PRESET_NAMES: &[&str] = &["default", "onsite-complex", "online"];

impl Default for PasswordPolicy {
    /// The preset `default`: 8 to 256 characters, not common, no name in it.
    fn default() -> Self {
        PasswordPolicy {
            min_len: 8,
            max_len: 256,
            min_digits: 0,
            min_lower: 0,
            min_upper: 0,
            min_special: 0,
            min_strength: None,
            refuse_common: true,
            refuse_names: true,
            history: 0,
            must_change_on_admin_set: false,
            message: None,
        }
    }
}

/// NFKC-normalises a password so that visually identical input from different keyboards
/// and clients hashes the same; applied both when setting and when logging in.
pub fn normalize(password: &Secret) -> Secret {
    Secret::new(password.expose().nfkc().collect::<String>())
}

impl PasswordPolicy {
    /// A named preset: `default` (8..=256 characters, common passwords and names refused),
    /// `onsite-complex` (the default plus one digit, one lowercase, one uppercase and one
    /// special character) or `online` (the default with a minimum of 6 characters and a
    /// zxcvbn score of at least 2). `None` for any other name.
    pub fn preset(name: &str) -> Option<PasswordPolicy> {
        let base = PasswordPolicy::default();
        match name {
            "default" => Some(base),
            "onsite-complex" => Some(PasswordPolicy {
                min_digits: 1,
                min_lower: 1,
                min_upper: 1,
                min_special: 1,
                ..base
            }),
            "online" => Some(PasswordPolicy {
                min_len: 6,
                min_strength: Some(2),
                ..base
            }),
            _ => None,
        }
    }

    /// The names [`PasswordPolicy::preset`] knows.
    pub fn preset_names() -> &'static [&'static str] {
        PRESET_NAMES
    }

    /// Every rule except history, on an already NFKC-normalised password; the first rule
    /// broken wins (length, character classes, names, common list, strength).
    pub fn verdict(
        &self,
        password: &Secret,
        subject: Option<&Subject<'_>>,
    ) -> Result<(), PolicyViolation> {
        let password = password.expose();
        rules::length(self, password)?;
        rules::classes(self, password)?;
        if self.refuse_names {
            if let Some(subject) = subject {
                rules::names(password, subject)?;
            }
        }
        if self.refuse_common && common::is_common(password) {
            return Err(PolicyViolation::Common);
        }
        if let Some(min) = self.min_strength {
            strength::at_least(password, subject, min)?;
        }
        Ok(())
    }

    /// Human-readable reason for a violation: the custom message when set, else the rule's
    /// text. Never contains the password.
    pub fn reason(&self, violation: &PolicyViolation) -> String {
        match &self.message {
            Some(message) => message.clone(),
            None => violation.to_string(),
        }
    }

    /// The domain error for a violation, with [`PasswordPolicy::reason`] as its text.
    pub fn rejection(&self, violation: PolicyViolation) -> AccountError {
        AccountError::PasswordRejected {
            reason: self.reason(&violation),
            violation,
        }
    }

    /// [`PasswordPolicy::verdict`] mapped to the domain error.
    pub fn check_for(
        &self,
        password: &Secret,
        subject: Option<&Subject<'_>>,
    ) -> Result<(), AccountError> {
        self.verdict(password, subject)
            .map_err(|v| self.rejection(v))
    }

    /// Kept for existing callers: [`PasswordPolicy::verdict`] without a subject, mapped to
    /// the domain error.
    pub fn check(&self, password: &Secret) -> Result<(), AccountError> {
        self.check_for(password, None)
    }
}
