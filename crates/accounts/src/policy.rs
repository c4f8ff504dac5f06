//! Password policy: normalisation and the length rules. The full policy (character
//! classes, history) arrives with the password family; this is the seam it extends.

use unicode_normalization::UnicodeNormalization;

use crate::error::AccountError;
use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum length in characters (Unicode scalar values, after NFKC).
    pub min_len: usize,
    /// Maximum length in characters; bounds the KDF input too.
    pub max_len: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_len: 8,
            max_len: 256,
        }
    }
}

/// NFKC-normalises a password so that visually identical input from different keyboards
/// and clients hashes the same; applied both when setting and when logging in.
pub fn normalize(password: &Secret) -> Secret {
    Secret::new(password.expose().nfkc().collect::<String>())
}

impl PasswordPolicy {
    /// Checks an already normalised password.
    pub fn check(&self, password: &Secret) -> Result<(), AccountError> {
        let len = password.expose().chars().count();
        if len == 0 {
            return Err(AccountError::PasswordEmpty);
        }
        if len < self.min_len {
            return Err(AccountError::PasswordTooShort(self.min_len));
        }
        if len > self.max_len {
            return Err(AccountError::PasswordTooLong(self.max_len));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_counted_in_characters() {
        let p = PasswordPolicy {
            min_len: 3,
            max_len: 4,
        };
        assert!(matches!(
            p.check(&"".into()),
            Err(AccountError::PasswordEmpty)
        ));
        assert!(matches!(
            p.check(&"ab".into()),
            Err(AccountError::PasswordTooShort(3))
        ));
        assert!(p.check(&"åäö".into()).is_ok());
        assert!(matches!(
            p.check(&"abcde".into()),
            Err(AccountError::PasswordTooLong(4))
        ));
    }

    #[test]
    fn nfkc_folds_compatibility_forms() {
        // U+FB01 LATIN SMALL LIGATURE FI and a decomposed å become "fi" and a precomposed å.
        assert_eq!(normalize(&"\u{FB01}a\u{30A}".into()).expose(), "fi\u{E5}");
    }
}
