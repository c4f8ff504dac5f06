//! Configuration, layered: built-in defaults, then a TOML file, then `NETSERVER_*`
//! environment variables and command-line flags (clap reads those two). Secrets never
//! live here, so the whole configuration may be printed.

use std::path::Path;
use std::time::Duration;

use accounts::{KdfParams, LockoutSettings, Mode, Settings};
use serde::Deserialize;

mod http;
mod password;
mod range;

pub use http::HttpSection;
pub use password::PasswordSection;
pub use range::Key;

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

/// Below 50 ms healthy databases would time out, above ten minutes clients would long
/// have given up.
pub const STORE_TIMEOUT_MS: Key<u64> = Key::new("[store] timeout_ms", 50..=600_000);

/// The audit trail's retention.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSection {
    /// Records older than this many days are swept by `serve`; 0 keeps them forever.
    pub retention_days: Option<u32>,
}

/// Days an audit record is kept when the file does not say.
pub const DEFAULT_AUDIT_RETENTION_DAYS: u32 = 365;
/// Up to a hundred years; 0 keeps records forever.
pub const AUDIT_RETENTION_DAYS: Key<u32> = Key::new("[audit] retention_days", 0..=36_500);

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KdfSection {
    pub memory_kib: Option<u32>,
    pub iterations: Option<u32>,
    pub parallelism: Option<u32>,
    /// Concurrent hashes; defaults to the number of cores.
    pub workers: Option<usize>,
    /// The longest a log-in or password change may wait for a hashing thread, judged by
    /// the measured time of a hash; beyond it, it is refused as busy at once.
    pub max_queue_ms: Option<u64>,
}

/// Argon2 needs at least 8 KiB (and 8 KiB per lane); 4 GiB per hash is beyond any sane
/// server.
pub const KDF_MEMORY_KIB: Key<u32> = Key::new("[kdf] memory_kib", 8..=4_194_304);
pub const KDF_ITERATIONS: Key<u32> = Key::new("[kdf] iterations", 1..=64);
pub const KDF_PARALLELISM: Key<u32> = Key::new("[kdf] parallelism", 1..=64);
/// Each worker is a thread holding up to `memory_kib` while it hashes.
pub const KDF_WORKERS: Key<usize> = Key::new("[kdf] workers", 1..=1024);
/// 50 ms (a couple of hashes) to a minute (clients have given up long before).
pub const KDF_MAX_QUEUE_MS: Key<u64> = Key::new("[kdf] max_queue_ms", 50..=60_000);

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
    /// The ceiling: a ticket expires this long after its log-in, however it is used.
    pub max_lifetime_seconds: Option<u64>,
}

/// Five minutes to thirty days: less and clients log in again all the time, more and the
/// ceiling means nothing.
pub const TICKET_MAX_LIFETIME_SECONDS: Key<u64> =
    Key::new("[tickets] max_lifetime_seconds", 300..=2_592_000);

impl TicketSection {
    /// `(lifetime, ceiling)`, checked: each in its range, the ceiling not below the lifetime.
    pub fn lifetimes(&self, d: &Settings) -> Result<(Duration, Duration), String> {
        let ttl = TICKET_LIFETIME_SECONDS
            .check(self.lifetime_seconds)?
            .map_or(d.ticket_ttl, Duration::from_secs);
        let max = TICKET_MAX_LIFETIME_SECONDS
            .check(self.max_lifetime_seconds)?
            .map_or(d.ticket_max_lifetime, Duration::from_secs);
        if max < ttl {
            return Err(format!(
                "{} ({}) must not be less than {} ({})",
                TICKET_MAX_LIFETIME_SECONDS.name,
                max.as_secs(),
                TICKET_LIFETIME_SECONDS.name,
                ttl.as_secs()
            ));
        }
        Ok((ttl, max))
    }
}

/// A minute to thirty days: a shorter ticket expires before a client can use it twice.
pub const TICKET_LIFETIME_SECONDS: Key<u64> =
    Key::new("[tickets] lifetime_seconds", 60..=2_592_000);

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoapSection {
    pub max_message_bytes: Option<usize>,
    pub max_depth: Option<u32>,
    pub max_nodes: Option<u32>,
    /// Send application errors as SOAP faults instead of `Succeeded=false` + `ExceptionInfo`.
    pub faults: Option<bool>,
}

/// The smallest request (a log-in) is some 500 bytes; 16 MiB is far beyond any call.
pub const SOAP_MAX_MESSAGE_BYTES: Key<usize> =
    Key::new("[soap] max_message_bytes", 1024..=16_777_216);
/// A request nests about five deep; deep nesting only costs parser stack.
pub const SOAP_MAX_DEPTH: Key<u32> = Key::new("[soap] max_depth", 8..=256);
/// A request has a few dozen nodes.
pub const SOAP_MAX_NODES: Key<u32> = Key::new("[soap] max_nodes", 64..=1_000_000);

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

/// 0 never locks; more than a thousand failures is no lock at all.
pub const LOCKOUT_THRESHOLD: Key<u32> = Key::new("[lockout] threshold", 0..=1000);
/// Up to a day: longer ones are almost certainly a unit mistake (minutes or milliseconds
/// for seconds).
pub const LOCKOUT_WINDOW_SECONDS: Key<u64> = Key::new("[lockout] window_seconds", 1..=86_400);
pub const LOCKOUT_BASE_DELAY_SECONDS: Key<u64> =
    Key::new("[lockout] base_delay_seconds", 1..=86_400);
pub const LOCKOUT_MAX_DELAY_SECONDS: Key<u64> = Key::new("[lockout] max_delay_seconds", 1..=86_400);
/// 0 = no limit.
pub const LOGIN_ATTEMPTS_PER_MINUTE: Key<u32> = Key::new(
    "[lockout] login_attempts_per_minute_per_address",
    0..=100_000,
);

impl LockoutSection {
    pub fn settings(&self) -> Result<LockoutSettings, String> {
        let d = LockoutSettings::default();
        let secs = |key: &Key<u64>, value: Option<u64>, default: Duration| {
            Ok::<_, String>(key.check(value)?.map_or(default, Duration::from_secs))
        };
        let settings = LockoutSettings {
            threshold: LOCKOUT_THRESHOLD.or(self.threshold, d.threshold)?,
            window: secs(&LOCKOUT_WINDOW_SECONDS, self.window_seconds, d.window)?,
            base_delay: secs(
                &LOCKOUT_BASE_DELAY_SECONDS,
                self.base_delay_seconds,
                d.base_delay,
            )?,
            max_delay: secs(
                &LOCKOUT_MAX_DELAY_SECONDS,
                self.max_delay_seconds,
                d.max_delay,
            )?,
        };
        if settings.max_delay < settings.base_delay {
            return Err(format!(
                "[lockout] max_delay_seconds = {} must not be less than base_delay_seconds = {}",
                settings.max_delay.as_secs(),
                settings.base_delay.as_secs()
            ));
        }
        Ok(settings)
    }
}

impl FileConfig {
    /// Reads and checks a configuration file: every key is known and every value in its
    /// range, so a bad file stops any command at start, naming the key.
    pub fn load(path: &Path) -> Result<FileConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read configuration file {}: {e}", path.display()))?;
        let file: FileConfig = toml::from_str(&text)
            .map_err(|e| format!("configuration file {}: {e}", path.display()))?;
        file.check()
            .map_err(|e| format!("configuration file {}: {e}", path.display()))?;
        Ok(file)
    }

    /// Every check the getters make, at once.
    pub fn check(&self) -> Result<(), String> {
        self.kdf()?;
        self.kdf_workers()?;
        self.settings()?;
        self.store_options()?;
        self.audit_retention_days()?;
        self.server()?;
        Ok(())
    }

    pub fn kdf(&self) -> Result<KdfParams, String> {
        let d = KdfParams::default();
        let params = KdfParams {
            m_kib: KDF_MEMORY_KIB.or(self.kdf.memory_kib, d.m_kib)?,
            t: KDF_ITERATIONS.or(self.kdf.iterations, d.t)?,
            p: KDF_PARALLELISM.or(self.kdf.parallelism, d.p)?,
        };
        if params.m_kib < 8 * params.p {
            return Err(format!(
                "[kdf] memory_kib = {} must be at least 8 per lane (parallelism = {}: {})",
                params.m_kib,
                params.p,
                8 * params.p
            ));
        }
        Ok(params)
    }

    pub fn kdf_workers(&self) -> Result<usize, String> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        KDF_WORKERS.or(self.kdf.workers, cores)
    }

    pub fn settings(&self) -> Result<Settings, String> {
        let d = Settings::default();
        let policy = self.password.policy()?;
        let (ticket_ttl, ticket_max_lifetime) = self.tickets.lifetimes(&d)?;
        Ok(Settings {
            policy,
            ticket_ttl,
            ticket_max_lifetime,
            hash_queue_max_wait: KDF_MAX_QUEUE_MS
                .check(self.kdf.max_queue_ms)?
                .map_or(d.hash_queue_max_wait, Duration::from_millis),
            renew_tickets: self.tickets.renew_on_use.unwrap_or(d.renew_tickets),
            mode: self.mode()?,
            user_agent_enabled: self
                .online
                .user_agent_enabled
                .unwrap_or(d.user_agent_enabled),
            lockout: self.lockout.settings()?,
            login_rate_per_minute: LOGIN_ATTEMPTS_PER_MINUTE.or(
                self.lockout.login_attempts_per_minute_per_address,
                d.login_rate_per_minute,
            )?,
            reuse_refusals_per_hour: self.password.reuse_refusals_per_hour()?,
        })
    }

    pub fn store_options(&self) -> Result<store::StoreOptions, String> {
        let d = store::StoreOptions::default();
        Ok(store::StoreOptions {
            timeout: STORE_TIMEOUT_MS
                .check(self.store.timeout_ms)?
                .map_or(d.timeout, Duration::from_millis),
        })
    }

    /// `[audit] retention_days`, or its default; 0 means keep forever.
    pub fn audit_retention_days(&self) -> Result<u32, String> {
        AUDIT_RETENTION_DAYS.or(self.audit.retention_days, DEFAULT_AUDIT_RETENTION_DAYS)
    }

    pub fn mode(&self) -> Result<Mode, String> {
        self.mode
            .as_deref()
            .map_or(Ok(Mode::default()), str::parse::<Mode>)
            .map_err(|e| format!("mode: {e}"))
    }

    /// The HTTP/SOAP layer's settings; the message names a key that is wrong.
    pub fn server(&self) -> Result<server::ServerConfig, String> {
        let d = server::ServerConfig::default();
        Ok(server::ServerConfig {
            limits: soap::Limits {
                max_bytes: SOAP_MAX_MESSAGE_BYTES
                    .or(self.soap.max_message_bytes, d.limits.max_bytes)?,
                max_depth: SOAP_MAX_DEPTH.or(self.soap.max_depth, d.limits.max_depth)?,
                max_nodes: SOAP_MAX_NODES.or(self.soap.max_nodes, d.limits.max_nodes)?,
            },
            faults: self.soap.faults.unwrap_or(d.faults),
            public_url: self.http.public_url()?,
            trusted_proxies: self.http.trusted_proxies()?,
            http: self.http.settings()?,
            clock: d.clock,
        })
    }
}

#[cfg(test)]
mod tests;
