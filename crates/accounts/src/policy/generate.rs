//! Random passwords that pass the policy: for bootstrap accounts, resets and the CLI.
//!
//! Characters come from the operating system's CSPRNG (`OsRng`) and from ASCII only, so
//! that any keyboard can type them. The special characters leave out quotes, backslash,
//! space and the XML and shell metacharacters `& < > |` so that the password survives
//! being pasted into a shell, a config file or a SOAP body.

use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use rand::Rng;

use super::{PasswordPolicy, PolicyViolation, Subject};
use crate::secret::Secret;

const DIGITS: &[u8] = b"0123456789";
const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const SPECIAL: &[u8] = b"!#$%()*+,-./:;=?@[]^_{}~";

/// Generated length unless the policy asks for more or allows less.
const PREFERRED_LEN: usize = 16;

/// Draws before giving up; one nearly always suffices.
const ATTEMPTS: usize = 1000;

impl PasswordPolicy {
    /// A random password from the OS CSPRNG that satisfies this policy for `subject`:
    /// `max(min_len, 16)` characters (more if the class minimums need it) clamped to
    /// `max_len`, at least the required count of each class, re-drawn until
    /// [`PasswordPolicy::verdict`] passes.
    ///
    /// Fails with the rule the last draw broke when no draw passes: class minimums above
    /// `max_len`, or rules (strength, name, common list) that leave no random password of
    /// the allowed length. CPU-bound (up to 1000 zxcvbn checks): run it off the
    /// async workers.
    pub fn generate(&self, subject: Option<&Subject<'_>>) -> Result<Secret, PolicyViolation> {
        let required = self.min_digits + self.min_lower + self.min_upper + self.min_special;
        if self.max_len == 0 {
            return Err(PolicyViolation::Empty);
        }
        if required > self.max_len {
            return Err(PolicyViolation::TooLong { max: self.max_len });
        }
        let len = self
            .min_len
            .max(PREFERRED_LEN)
            .max(required)
            .min(self.max_len);
        let mut last = PolicyViolation::Empty;
        for _ in 0..ATTEMPTS {
            let candidate = Secret::new(self.draw(len));
            match self.verdict(&candidate, subject) {
                Ok(()) => return Ok(candidate),
                Err(violation) => last = violation,
            }
        }
        Err(last)
    }

    fn draw(&self, len: usize) -> String {
        let mut rng = OsRng;
        let mut pick = |set: &[u8]| char::from(set[rng.gen_range(0..set.len())]);
        let mut chars: Vec<char> = Vec::with_capacity(len);
        for (n, set) in [
            (self.min_digits, DIGITS),
            (self.min_lower, LOWER),
            (self.min_upper, UPPER),
            (self.min_special, SPECIAL),
        ] {
            chars.extend((0..n).map(|_| pick(set)));
        }
        let all: Vec<u8> = [DIGITS, LOWER, UPPER, SPECIAL].concat();
        while chars.len() < len {
            chars.push(pick(&all));
        }
        chars.shuffle(&mut OsRng);
        chars.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{bare, BOB};
    use super::*;

    #[test]
    fn generated_passwords_satisfy_every_preset() {
        for name in PasswordPolicy::preset_names() {
            let p = PasswordPolicy::preset(name).unwrap_or_default();
            let mut seen = std::collections::HashSet::new();
            for _ in 0..200 {
                let g = p.generate(Some(&BOB)).expect("presets can be met");
                assert_eq!(g.expose().chars().count(), 16);
                assert_eq!(p.verdict(&g, Some(&BOB)), Ok(()), "{name}");
                assert!(seen.insert(g.expose().to_owned()));
            }
        }
    }

    #[test]
    fn generation_honours_lengths_and_large_minimums() {
        let long = PasswordPolicy {
            min_len: 40,
            ..PasswordPolicy::default()
        };
        assert_eq!(
            long.generate(None).expect("met").expose().chars().count(),
            40
        );
        let narrow = bare(4, 10);
        assert_eq!(
            narrow.generate(None).expect("met").expose().chars().count(),
            10
        );
        let classes = PasswordPolicy {
            min_digits: 6,
            min_lower: 6,
            min_upper: 6,
            min_special: 6,
            ..PasswordPolicy::default()
        };
        let g = classes.generate(None).expect("met");
        assert_eq!(g.expose().chars().count(), 24);
        assert_eq!(classes.verdict(&g, None), Ok(()));
        let impossible = PasswordPolicy {
            min_digits: 5,
            ..bare(1, 4)
        };
        assert_eq!(
            impossible.generate(None).map(|_| ()),
            Err(PolicyViolation::TooLong { max: 4 })
        );
    }
}
