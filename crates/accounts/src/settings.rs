//! Domain settings with their defaults; the binary fills them from configuration.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::lockout::LockoutSettings;
use crate::policy::PasswordPolicy;

/// Which kind of installation the server plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// An on-site installation: application tokens are not checked.
    #[default]
    Onsite,
    /// An Online installation: every call needs a registered application token, and the
    /// User agent is off unless enabled (and then only for apps with user management).
    Online,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Onsite => "onsite",
            Mode::Online => "online",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "onsite" => Ok(Mode::Onsite),
            "online" => Ok(Mode::Online),
            other => Err(format!(
                "unknown mode '{other}': use \"onsite\" or \"online\""
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub policy: PasswordPolicy,
    /// How long a ticket lives after its last use (SuperOffice: 6 hours, sliding).
    pub ticket_ttl: Duration,
    /// Slide the expiry on each use.
    pub renew_tickets: bool,
    /// The ceiling: a ticket expires this long after it was issued, however it is used.
    pub ticket_max_lifetime: Duration,
    /// The longest a log-in or password change may expect to wait for a hashing thread;
    /// beyond it, it is refused as busy at once (`ServerBusy`), without hashing.
    pub hash_queue_max_wait: Duration,
    /// On-site (no application tokens) or Online (tokens required).
    pub mode: Mode,
    /// Online only: whether the User agent answers at all.
    pub user_agent_enabled: bool,
    /// The per-associate soft lock after repeated failed log-ins.
    pub lockout: LockoutSettings,
    /// Log-in attempts per minute per client address; 0 = no limit.
    pub login_rate_per_minute: u32,
    /// An administrator's password sets refused as reused, per hour, after which that
    /// administrator's further sets are refused until the hour is over; 0 = no limit.
    pub reuse_refusals_per_hour: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            policy: PasswordPolicy::default(),
            ticket_ttl: Duration::from_secs(6 * 3600),
            renew_tickets: true,
            ticket_max_lifetime: Duration::from_secs(24 * 3600),
            hash_queue_max_wait: Duration::from_secs(2),
            mode: Mode::Onsite,
            user_agent_enabled: false,
            lockout: LockoutSettings::default(),
            login_rate_per_minute: 30,
            reuse_refusals_per_hour: 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_default_to_onsite() {
        assert_eq!("online".parse::<Mode>(), Ok(Mode::Online));
        assert_eq!(" OnSite ".parse::<Mode>(), Ok(Mode::Onsite));
        assert!("cloud".parse::<Mode>().unwrap_err().contains("cloud"));
        assert_eq!(Settings::default().mode, Mode::Onsite);
        assert!(!Settings::default().user_agent_enabled);
    }
}
