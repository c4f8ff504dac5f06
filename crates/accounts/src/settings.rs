//! Domain settings with their defaults; the binary fills them from configuration.

use std::time::Duration;

use crate::lockout::LockoutSettings;
use crate::policy::PasswordPolicy;

#[derive(Debug, Clone)]
pub struct Settings {
    pub policy: PasswordPolicy,
    /// How long a ticket lives after its last use (SuperOffice: 6 hours, sliding).
    pub ticket_ttl: Duration,
    /// Slide the expiry on each use.
    pub renew_tickets: bool,
    /// The per-associate soft lock after repeated failed log-ins.
    pub lockout: LockoutSettings,
    /// Log-in attempts per minute per client address; 0 = no limit.
    pub login_rate_per_minute: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            policy: PasswordPolicy::default(),
            ticket_ttl: Duration::from_secs(6 * 3600),
            renew_tickets: true,
            lockout: LockoutSettings::default(),
            login_rate_per_minute: 30,
        }
    }
}
