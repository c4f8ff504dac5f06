//! The `[password]` section: a preset, then single keys overriding it, validated with
//! errors that name the key.
//!
//! ```toml
//! [password]
//! preset = "onsite-complex"   # default | onsite-complex | online
//! min_length = 10
//! message = "At least 10 characters, with a digit, a capital and a symbol."
//! ```

use accounts::PasswordPolicy;
use serde::Deserialize;

use super::Key;

/// NIST SP 800-63B §5.1.1.2: verifiers should permit passwords of at least 64 characters.
pub const NIST_MIN_MAX_LENGTH: usize = 64;

/// Each remembered password costs one hash verification per change; bound the work.
pub const MAX_HISTORY: usize = 100;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordSection {
    /// The starting point: `default`, `onsite-complex` or `online`.
    pub preset: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_digits: Option<usize>,
    pub min_lowercase: Option<usize>,
    pub min_uppercase: Option<usize>,
    pub min_special: Option<usize>,
    /// zxcvbn score 0..=4; 0 turns the estimate off.
    pub min_strength: Option<u8>,
    pub refuse_common: Option<bool>,
    pub refuse_names: Option<bool>,
    pub history: Option<usize>,
    pub must_change_on_admin_set: Option<bool>,
    /// An administrator's password sets refused as reused per hour before their further
    /// sets are refused for the rest of the hour.
    pub reuse_refusals_per_hour: Option<u32>,
    /// Shown as the reason of any violation instead of the rule's own text.
    pub message: Option<String>,
}

/// Each refusal confirms or rules out one guess of another associate's password, so the
/// limit stays small; 0 is not offered.
pub const REUSE_REFUSALS_PER_HOUR: Key<u32> =
    Key::new("[password] reuse_refusals_per_hour", 1..=100);

impl PasswordSection {
    /// `reuse_refusals_per_hour`, or its default, in its range.
    pub fn reuse_refusals_per_hour(&self) -> Result<u32, String> {
        REUSE_REFUSALS_PER_HOUR.or(
            self.reuse_refusals_per_hour,
            accounts::Settings::default().reuse_refusals_per_hour,
        )
    }

    /// The effective policy: the preset (or `default`) with the keys set here on top.
    pub fn policy(&self) -> Result<PasswordPolicy, String> {
        let base = match self.preset.as_deref() {
            None => PasswordPolicy::default(),
            Some(name) => PasswordPolicy::preset(name).ok_or_else(|| {
                format!(
                    "password.preset '{name}' is unknown; use one of: {}",
                    PasswordPolicy::preset_names().join(", ")
                )
            })?,
        };
        let min_strength = match self.min_strength {
            None => base.min_strength,
            Some(0) => None,
            Some(s @ 1..=4) => Some(s),
            Some(s) => {
                return Err(format!(
                    "password.min_strength ({s}) must be a zxcvbn score from 0 to 4"
                ))
            }
        };
        let message = match &self.message {
            Some(m) if m.trim().is_empty() => {
                return Err(
                    "password.message is empty; leave it out to show each rule's own text"
                        .to_owned(),
                )
            }
            Some(m) => Some(m.trim().to_owned()),
            None => base.message.clone(),
        };
        let policy = PasswordPolicy {
            min_len: self.min_length.unwrap_or(base.min_len),
            max_len: self.max_length.unwrap_or(base.max_len),
            min_digits: self.min_digits.unwrap_or(base.min_digits),
            min_lower: self.min_lowercase.unwrap_or(base.min_lower),
            min_upper: self.min_uppercase.unwrap_or(base.min_upper),
            min_special: self.min_special.unwrap_or(base.min_special),
            min_strength,
            refuse_common: self.refuse_common.unwrap_or(base.refuse_common),
            refuse_names: self.refuse_names.unwrap_or(base.refuse_names),
            history: self.history.unwrap_or(base.history),
            must_change_on_admin_set: self
                .must_change_on_admin_set
                .unwrap_or(base.must_change_on_admin_set),
            message,
        };
        validate(&policy)?;
        Ok(policy)
    }
}

fn validate(p: &PasswordPolicy) -> Result<(), String> {
    if p.min_len == 0 {
        return Err("password.min_length must be at least 1".to_owned());
    }
    if p.max_len < NIST_MIN_MAX_LENGTH {
        return Err(format!(
            "password.max_length ({}) must be at least {NIST_MIN_MAX_LENGTH}: NIST SP 800-63B \
             asks that passwords of up to 64 characters be allowed",
            p.max_len
        ));
    }
    if p.min_len > p.max_len {
        return Err(format!(
            "password.min_length ({}) must not exceed password.max_length ({})",
            p.min_len, p.max_len
        ));
    }
    let classes = p.min_digits + p.min_lower + p.min_upper + p.min_special;
    if classes > p.max_len {
        return Err(format!(
            "password.min_digits + min_lowercase + min_uppercase + min_special ({classes}) \
             must not exceed password.max_length ({})",
            p.max_len
        ));
    }
    if p.history > MAX_HISTORY {
        return Err(format!(
            "password.history ({}) must be at most {MAX_HISTORY}",
            p.history
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(toml_text: &str) -> Result<PasswordPolicy, String> {
        #[derive(Deserialize)]
        struct File {
            password: PasswordSection,
        }
        let file: File =
            toml::from_str(&format!("[password]\n{toml_text}")).map_err(|e| e.to_string())?;
        file.password.policy()
    }

    #[test]
    fn no_keys_give_the_default_preset() {
        assert_eq!(policy(""), Ok(PasswordPolicy::default()));
        for name in PasswordPolicy::preset_names() {
            assert_eq!(
                policy(&format!("preset = \"{name}\"")).ok(),
                PasswordPolicy::preset(name)
            );
        }
    }

    #[test]
    fn keys_override_the_preset() {
        let p = policy(
            "preset = \"online\"\nmin_length = 10\nmax_length = 128\nmin_digits = 2\n\
             min_lowercase = 1\nmin_uppercase = 3\nmin_special = 4\nrefuse_common = false\n\
             refuse_names = false\nhistory = 5\nmust_change_on_admin_set = true\n\
             message = \"  Ask the help desk.  \"\n",
        )
        .unwrap();
        assert_eq!(
            p,
            PasswordPolicy {
                min_len: 10,
                max_len: 128,
                min_digits: 2,
                min_lower: 1,
                min_upper: 3,
                min_special: 4,
                min_strength: Some(2),
                refuse_common: false,
                refuse_names: false,
                history: 5,
                must_change_on_admin_set: true,
                message: Some("Ask the help desk.".into()),
            }
        );
        assert_eq!(policy("min_strength = 3").unwrap().min_strength, Some(3));
        let off = policy("preset = \"online\"\nmin_strength = 0").unwrap();
        assert_eq!(off.min_strength, None);
    }

    #[test]
    fn reuse_refusals_per_hour_is_read_and_bounded() {
        let read = |t: &str| {
            toml::from_str::<PasswordSection>(t)
                .unwrap()
                .reuse_refusals_per_hour()
        };
        assert_eq!(read(""), Ok(5));
        assert_eq!(read("reuse_refusals_per_hour = 20"), Ok(20));
        for bad in [0, 101] {
            let e = read(&format!("reuse_refusals_per_hour = {bad}")).unwrap_err();
            assert!(
                e.contains("reuse_refusals_per_hour") && e.contains("use 1 to 100"),
                "{e}"
            );
        }
    }

    #[test]
    fn bad_values_are_refused_by_key() {
        let err = |t: &str| policy(t).unwrap_err();
        let e = err("preset = \"strict\"");
        assert!(
            e.contains("'strict'") && e.contains("default, onsite-complex, online"),
            "{e}"
        );
        assert!(err("max_length = 63").contains("password.max_length (63) must be at least 64"));
        assert!(err("min_length = 0").contains("password.min_length must be at least 1"));
        assert!(err("min_length = 300")
            .contains("password.min_length (300) must not exceed password.max_length (256)"));
        assert!(err("min_digits = 100\nmin_special = 200").contains("(300) must not exceed"));
        assert!(err("min_strength = 5").contains("password.min_strength (5)"));
        assert!(err("min_strength = -1").contains("min_strength"));
        assert!(err("history = 101").contains("password.history (101) must be at most 100"));
        assert!(err("message = \" \"").contains("password.message is empty"));
        assert!(err("min_lenght = 9").contains("min_lenght"));
        assert!(err("refuse_common = \"yes\"").contains("refuse_common"));
    }
}
