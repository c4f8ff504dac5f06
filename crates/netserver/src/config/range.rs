//! Numeric configuration keys with their accepted ranges: one [`Key`] per key, declared
//! beside its section, so the name in an error and the range documented in
//! `docs/configuration.md` are written once. A value outside its range stops the program
//! at start with a message naming the key, rather than a server that starts and cannot
//! work (a zero-byte message limit, a ticket that expires as it is issued).
//!
//! ```ignore
//! pub const MAX_DEPTH: Key<u32> = Key::new("[soap] max_depth", 8..=256);
//! let depth = MAX_DEPTH.or(self.soap.max_depth, default)?;
//! ```

use std::fmt::Display;
use std::ops::RangeInclusive;

/// A numeric key: its name as written in the file (`[section] key`) and its range.
#[derive(Debug, Clone)]
pub struct Key<T> {
    pub name: &'static str,
    pub range: RangeInclusive<T>,
}

impl<T> Key<T> {
    pub const fn new(name: &'static str, range: RangeInclusive<T>) -> Self {
        Key { name, range }
    }
}

impl<T: PartialOrd + Display + Copy> Key<T> {
    /// `value` itself when it is absent or in range; otherwise an error naming the key,
    /// the value and the range.
    pub fn check(&self, value: Option<T>) -> Result<Option<T>, String> {
        match value {
            Some(v) if !self.range.contains(&v) => Err(self.out_of_range(v)),
            v => Ok(v),
        }
    }

    /// The value when it is given and in range, `default` when it is absent.
    pub fn or(&self, value: Option<T>, default: T) -> Result<T, String> {
        Ok(self.check(value)?.unwrap_or(default))
    }

    /// The message for a value outside the range, for checks that need more than
    /// [`Key::check`] (the same wording everywhere).
    pub fn out_of_range(&self, value: T) -> String {
        format!(
            "{} = {value} is out of range: use {} to {}",
            self.name,
            self.range.start(),
            self.range.end()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: Key<u32> = Key::new("[demo] count", 1..=10);

    #[test]
    fn values_in_range_pass_and_absent_ones_take_the_default() {
        assert_eq!(KEY.check(None), Ok(None));
        assert_eq!(KEY.check(Some(1)), Ok(Some(1)));
        assert_eq!(KEY.check(Some(10)), Ok(Some(10)));
        assert_eq!(KEY.or(None, 4), Ok(4));
        assert_eq!(KEY.or(Some(7), 4), Ok(7));
    }

    #[test]
    fn values_out_of_range_name_the_key_and_the_range() {
        for bad in [0, 11, u32::MAX] {
            assert_eq!(
                KEY.or(Some(bad), 4),
                Err(format!("[demo] count = {bad} is out of range: use 1 to 10"))
            );
        }
    }
}
