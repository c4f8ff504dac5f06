//! Configuration, layered: built-in defaults, then a TOML file, then `NETSERVER_*`
//! environment variables and command-line flags (clap reads those two). Secrets never
//! live here, so the whole configuration may be printed.

use std::path::Path;
use std::time::Duration;

use accounts::{KdfParams, LockoutSettings, Mode, Settings};
use serde::Deserialize;

mod http;
mod password;

pub use http::HttpSection;
pub use password::PasswordSection;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE: &str = "sqlite://netserver.db";

/// The TOML file's shape; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub database: Option<String>,
    /// `onsite` (default) or `online`.
    pub mode: Option<String>,
    #[serde(default)]
    pub online: OnlineSection,
    #[serde(default)]
    pub kdf: KdfSection,
    #[serde(default)]
    pub tickets: TicketSection,
    #[serde(default)]
    pub password: PasswordSection,
    #[serde(default)]
    pub soap: SoapSection,
    #[serde(default)]
    pub lockout: LockoutSection,
    #[serde(default)]
    pub audit: AuditSection,
    #[serde(default)]
    pub store: StoreSection,
    #[serde(default)]
    pub http: HttpSection,
}

/// How the store is used (the database itself is named by `database`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSection {
    /// The longest one store operation may take before the request fails with
    /// `store_unavailable` (PostgreSQL).
    pub timeout_ms: Option<u64>,
}

/// Bounds of `[store] timeout_ms`: below 50 ms healthy databases would time out, above
/// ten minutes clients would long have given up.
pub const STORE_TIMEOUT_MS: std::ops::RangeInclusive<u64> = 50..=600_000;

/// The audit trail's retention.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSection {
    /// Records older than this many days are swept by `serve`; 0 keeps them forever.
    pub retention_days: Option<u32>,
}

/// Days an audit record is kept when the file does not say.
pub const DEFAULT_AUDIT_RETENTION_DAYS: u32 = 365;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KdfSection {
    pub memory_kib: Option<u32>,
    pub iterations: Option<u32>,
    pub parallelism: Option<u32>,
    /// Concurrent hashes; defaults to the number of cores.
    pub workers: Option<usize>,
}

/// Settings that only matter when `mode = "online"`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlineSection {
    /// Whether the User agent answers (only apps with user management may use it).
    pub user_agent_enabled: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketSection {
    pub lifetime_seconds: Option<u64>,
    pub renew_on_use: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoapSection {
    pub max_message_bytes: Option<usize>,
    pub max_depth: Option<u32>,
    pub max_nodes: Option<u32>,
    /// Send application errors as SOAP faults instead of `Succeeded=false` + `ExceptionInfo`.
    pub faults: Option<bool>,
}

/// Brute-force protection: the per-associate soft lock and the per-address rate limit.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockoutSection {
    /// Failed log-ins within the window that lock an associate; 0 = never lock.
    pub threshold: Option<u32>,
    pub window_seconds: Option<u64>,
    /// The first lock's length; each further failure after a lock doubles it.
    pub base_delay_seconds: Option<u64>,
    pub max_delay_seconds: Option<u64>,
    /// Per client address, in this process; 0 = no limit.
    pub login_attempts_per_minute_per_address: Option<u32>,
}

/// The longest lock or window the configuration accepts: a day. Longer ones are almost
/// certainly a unit mistake (minutes or milliseconds for seconds).
pub const MAX_LOCKOUT_SECONDS: u64 = 86_400;

impl LockoutSection {
    pub fn settings(&self) -> Result<LockoutSettings, String> {
        let d = LockoutSettings::default();
        let secs = |key: &str, value: Option<u64>, default: Duration| match value {
            None => Ok(default),
            Some(0) => Err(format!("lockout.{key} must be at least 1")),
            Some(s) if s > MAX_LOCKOUT_SECONDS => Err(format!(
                "lockout.{key} ({s}) must be at most {MAX_LOCKOUT_SECONDS} (one day)"
            )),
            Some(s) => Ok(Duration::from_secs(s)),
        };
        let settings = LockoutSettings {
            threshold: self.threshold.unwrap_or(d.threshold),
            window: secs("window_seconds", self.window_seconds, d.window)?,
            base_delay: secs("base_delay_seconds", self.base_delay_seconds, d.base_delay)?,
            max_delay: secs("max_delay_seconds", self.max_delay_seconds, d.max_delay)?,
        };
        if settings.max_delay < settings.base_delay {
            return Err(format!(
                "lockout.max_delay_seconds ({}) must not be less than lockout.base_delay_seconds ({})",
                settings.max_delay.as_secs(),
                settings.base_delay.as_secs()
            ));
        }
        Ok(settings)
    }
}

impl FileConfig {
    pub fn load(path: &Path) -> Result<FileConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read configuration file {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("configuration file {}: {e}", path.display()))
    }

    pub fn kdf(&self) -> KdfParams {
        let d = KdfParams::default();
        KdfParams {
            m_kib: self.kdf.memory_kib.unwrap_or(d.m_kib),
            t: self.kdf.iterations.unwrap_or(d.t),
            p: self.kdf.parallelism.unwrap_or(d.p),
        }
    }

    pub fn kdf_workers(&self) -> usize {
        self.kdf
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    pub fn settings(&self) -> Result<Settings, String> {
        let d = Settings::default();
        let policy = self.password.policy()?;
        Ok(Settings {
            policy,
            ticket_ttl: self
                .tickets
                .lifetime_seconds
                .map_or(d.ticket_ttl, Duration::from_secs),
            renew_tickets: self.tickets.renew_on_use.unwrap_or(d.renew_tickets),
            mode: self.mode()?,
            user_agent_enabled: self
                .online
                .user_agent_enabled
                .unwrap_or(d.user_agent_enabled),
            lockout: self.lockout.settings()?,
            login_rate_per_minute: self
                .lockout
                .login_attempts_per_minute_per_address
                .unwrap_or(d.login_rate_per_minute),
        })
    }

    pub fn store_options(&self) -> Result<store::StoreOptions, String> {
        let d = store::StoreOptions::default();
        match self.store.timeout_ms {
            None => Ok(d),
            Some(ms) if STORE_TIMEOUT_MS.contains(&ms) => Ok(store::StoreOptions {
                timeout: Duration::from_millis(ms),
            }),
            Some(ms) => Err(format!(
                "[store] timeout_ms = {ms} is out of range: use {} to {}",
                STORE_TIMEOUT_MS.start(),
                STORE_TIMEOUT_MS.end()
            )),
        }
    }

    /// `[audit] retention_days`, or its default; 0 means keep forever.
    pub fn audit_retention_days(&self) -> u32 {
        self.audit
            .retention_days
            .unwrap_or(DEFAULT_AUDIT_RETENTION_DAYS)
    }

    pub fn mode(&self) -> Result<Mode, String> {
        self.mode
            .as_deref()
            .map_or(Ok(Mode::default()), str::parse::<Mode>)
            .map_err(|e| format!("mode: {e}"))
    }

    pub fn server(&self) -> server::ServerConfig {
        let d = server::ServerConfig::default();
        server::ServerConfig {
            limits: soap::Limits {
                max_bytes: self.soap.max_message_bytes.unwrap_or(d.limits.max_bytes),
                max_depth: self.soap.max_depth.unwrap_or(d.limits.max_depth),
                max_nodes: self.soap.max_nodes.unwrap_or(d.limits.max_nodes),
            },
            faults: self.soap.faults.unwrap_or(d.faults),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_override_defaults() {
        let f: FileConfig = toml::from_str(
            "listen = \"0.0.0.0:9\"\n[kdf]\nmemory_kib = 64\n[password]\nmin_length = 12\n[soap]\nfaults = true\n",
        )
        .unwrap();
        assert_eq!(f.listen.as_deref(), Some("0.0.0.0:9"));
        assert_eq!(f.kdf().m_kib, 64);
        assert_eq!(f.kdf().t, 2);
        assert_eq!(f.settings().unwrap().policy.min_len, 12);
        assert!(f.server().faults);
    }

    #[test]
    fn mode_and_online_settings() {
        let d = FileConfig::default().settings().unwrap();
        assert_eq!(d.mode, Mode::Onsite);
        assert!(!d.user_agent_enabled);
        let f: FileConfig =
            toml::from_str("mode = \"online\"\n[online]\nuser_agent_enabled = true\n").unwrap();
        let s = f.settings().unwrap();
        assert_eq!(s.mode, Mode::Online);
        assert!(s.user_agent_enabled);
        let bad: FileConfig = toml::from_str("mode = \"cloud\"\n").unwrap();
        assert!(bad.settings().unwrap_err().contains("mode"));
        assert!(toml::from_str::<FileConfig>("[online]\nuser_agent = true\n").is_err());
    }

    #[test]
    fn audit_retention_defaults_to_a_year() {
        assert_eq!(FileConfig::default().audit_retention_days(), 365);
        let f: FileConfig = toml::from_str("[audit]\nretention_days = 0\n").unwrap();
        assert_eq!(f.audit_retention_days(), 0);
        assert!(toml::from_str::<FileConfig>("[audit]\nretention = 3\n").is_err());
    }

    #[test]
    fn the_store_timeout_is_read_and_bounded() {
        assert_eq!(
            FileConfig::default().store_options().unwrap().timeout,
            Duration::from_secs(5)
        );
        let f: FileConfig = toml::from_str("[store]\ntimeout_ms = 750\n").unwrap();
        assert_eq!(
            f.store_options().unwrap().timeout,
            Duration::from_millis(750)
        );
        for bad in [0, 49, 600_001] {
            let f: FileConfig = toml::from_str(&format!("[store]\ntimeout_ms = {bad}\n")).unwrap();
            let e = f.store_options().unwrap_err();
            assert!(
                e.contains("timeout_ms") && e.contains("out of range"),
                "{e}"
            );
        }
        assert!(toml::from_str::<FileConfig>("[store]\ntimeout = 1\n").is_err());
    }

    #[test]
    fn unknown_keys_and_bad_policies_are_refused() {
        assert!(toml::from_str::<FileConfig>("lisen = \"x\"").is_err());
        let f: FileConfig = toml::from_str("[password]\nmin_length = 300\n").unwrap();
        assert!(f.settings().unwrap_err().contains("min_length"));
    }

    #[test]
    fn the_lockout_section_is_read_and_checked() {
        let f: FileConfig = toml::from_str(
            "[lockout]\nthreshold = 3\nwindow_seconds = 60\nbase_delay_seconds = 10\nmax_delay_seconds = 40\nlogin_attempts_per_minute_per_address = 0\n",
        )
        .unwrap();
        let s = f.settings().unwrap();
        assert_eq!(s.lockout.threshold, 3);
        assert_eq!(s.lockout.window, Duration::from_secs(60));
        assert_eq!(s.lockout.base_delay, Duration::from_secs(10));
        assert_eq!(s.lockout.max_delay, Duration::from_secs(40));
        assert_eq!(s.login_rate_per_minute, 0);
        let d = FileConfig::default().settings().unwrap();
        assert_eq!(d.lockout, LockoutSettings::default());
        assert_eq!(d.login_rate_per_minute, 30);
        for (toml, expected) in [
            ("window_seconds = 0", "lockout.window_seconds must be at least 1"),
            ("base_delay_seconds = 0", "lockout.base_delay_seconds must be at least 1"),
            ("max_delay_seconds = 90000", "lockout.max_delay_seconds (90000) must be at most"),
            (
                "base_delay_seconds = 600\nmax_delay_seconds = 60",
                "lockout.max_delay_seconds (60) must not be less than lockout.base_delay_seconds (600)",
            ),
        ] {
            let f: FileConfig = toml::from_str(&format!("[lockout]\n{toml}\n")).unwrap();
            let e = f.settings().unwrap_err();
            assert!(e.contains(expected), "{toml}: {e}");
        }
        assert!(toml::from_str::<FileConfig>("[lockout]\nthreshhold = 3\n").is_err());
        assert!(toml::from_str::<FileConfig>("[lockout]\nthreshold = -1\n").is_err());
    }
}
