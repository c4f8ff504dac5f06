//! Password hashing with Argon2id, kept off the async workers.
//!
//! Each hash costs tens of milliseconds and ~19 MiB, so the work runs on a fixed set of
//! hashing threads (`workers`), one per core by default: a burst of log-ins queues
//! instead of starving the HTTP workers or exhausting memory. Unknown users are verified
//! against a dummy hash made with the same parameters, so they cost the same as a wrong
//! password.
//!
//! Each thread's ~19 MiB of Argon2 memory (`area`) is kept and reused: allocating it
//! afresh for every hash costs thousands of page faults, a third of the hash's own time.
//!
//! The queue is bounded: work that would wait longer than `max_wait` for a thread is
//! refused at once with [`AccountError::ServerBusy`], without hashing (see `workers`).
//! It has two lanes ([`Lane`], see `queue`): a log-in names its lane (the caller's
//! standing decides it, see `crate::standing`); the rest of the work here is a ticket
//! holder's or an administrator's and goes in the priority lane.

mod area;
mod load;
mod queue;
#[cfg(test)]
mod tests;
mod workers;

pub use area::WorkArea;
pub use queue::Lane;

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
};
use password_hash::rand_core::OsRng;
use password_hash::{Output, ParamsString, SaltString};
use subtle::ConstantTimeEq;

use std::time::{Duration, Instant};

use crate::error::AccountError;
use crate::secret::Secret;
use workers::{Refused, Workers};

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Iterations.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl Default for KdfParams {
    /// OWASP's recommended Argon2id setting.
    fn default() -> Self {
        KdfParams {
            m_kib: 19_456,
            t: 2,
            p: 1,
        }
    }
}

impl KdfParams {
    /// The cheapest legal parameters; for tests only, never a server default.
    pub fn insecure_for_tests() -> Self {
        KdfParams {
            m_kib: 8,
            t: 1,
            p: 1,
        }
    }

    fn argon(self) -> Result<Argon2<'static>, String> {
        let params = Params::new(self.m_kib, self.t, self.p, None)
            .map_err(|e| format!("invalid Argon2id parameters: {e}"))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub matches: bool,
    /// The stored hash was made with other parameters and should be replaced.
    pub needs_rehash: bool,
}

pub struct Hasher {
    params: KdfParams,
    argon: Argon2<'static>,
    dummy: String,
    workers: Workers,
}

/// A job that did not run to an answer, as the domain's error.
fn refused(r: Refused, what: &str) -> AccountError {
    match r {
        Refused::Busy => AccountError::ServerBusy,
        Refused::Failed => AccountError::Internal(format!("{what} failed")),
    }
}

impl Hasher {
    /// `workers` bounds concurrent hashes; pass the number of cores. The queue has no
    /// bound: see [`Hasher::bounded`].
    pub fn new(params: KdfParams, workers: usize) -> Result<Self, String> {
        Self::bounded(params, workers, None)
    }

    /// As [`Hasher::new`], with work refused as busy when it would wait longer than
    /// `max_wait` for a thread. The wait is judged by the measured time of the jobs; the
    /// first estimate is the time of the dummy hash made here.
    pub fn bounded(
        params: KdfParams,
        workers: usize,
        max_wait: Option<Duration>,
    ) -> Result<Self, String> {
        let argon = params.argon()?;
        let salt = SaltString::generate(&mut OsRng);
        let started = Instant::now();
        let dummy = argon
            .hash_password(b"netserver dummy password for unknown users", &salt)
            .map_err(|e| format!("cannot hash: {e}"))?
            .to_string();
        let estimate = started.elapsed();
        let blocks = argon.params().block_count();
        Ok(Hasher {
            params,
            argon,
            dummy,
            workers: Workers::start(workers, blocks, max_wait, estimate)?,
        })
    }

    /// Whether new work in `lane` would be refused as busy now: lets a log-in be refused
    /// before it costs a store look-up.
    pub fn full(&self, lane: Lane) -> bool {
        self.workers.full(lane)
    }

    pub fn params(&self) -> KdfParams {
        self.params
    }

    /// Hashes on a hashing thread (priority lane); returns a PHC string.
    pub async fn hash(&self, password: &Secret) -> Result<String, AccountError> {
        self.check_and_hash(password, || Ok(())).await
    }

    /// Runs `check` (the policy's rules) and, when it passes, hashes `password`, as one job
    /// on one hashing thread (priority lane): a SetPassword takes one turn in the queue instead of two,
    /// and the hash starts without another thread hand-off.
    pub async fn check_and_hash<F>(
        &self,
        password: &Secret,
        check: F,
    ) -> Result<String, AccountError>
    where
        F: FnOnce() -> Result<(), AccountError> + Send + 'static,
    {
        let argon = self.argon.clone();
        let pw = password.clone();
        self.workers
            .run(Lane::Priority, move |area| {
                check()?;
                let salt = SaltString::generate(&mut OsRng);
                hash_with(&argon, pw.expose(), &salt, area)
                    .map_err(|e| AccountError::Internal(format!("hashing failed: {e}")))
            })
            .await
            .map_err(|r| refused(r, "hashing task"))?
    }

    /// Runs other CPU-heavy work of a password operation (the strength estimate) on the
    /// hashing threads (priority lane), so that it queues with the hashes: at most `workers` such jobs
    /// run at once, whatever the number of requests, which bounds both the cores and the
    /// memory they take. `ServerBusy` when the queue is full, `Internal` if the work
    /// panicked.
    pub async fn compute<T, F>(&self, work: F) -> Result<T, AccountError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        self.workers
            .run(Lane::Priority, move |_| work())
            .await
            .map_err(|r| refused(r, "a job on the hashing threads"))
    }

    /// Verifies on a hashing thread, in `lane`. `stored = None` (unknown user, no password
    /// set) runs the same work against the dummy hash and never matches. `ServerBusy` when
    /// the lane is full (nothing was verified); a verification that failed does not match.
    pub async fn verify(
        &self,
        password: &Secret,
        stored: Option<&str>,
        lane: Lane,
    ) -> Result<Verified, AccountError> {
        let argon = self.argon.clone();
        let pw = password.clone();
        let real = stored.map(str::to_owned);
        let dummy = self.dummy.clone();
        let params = self.params;
        let outcome = self
            .workers
            .run(lane, move |area| {
                let phc = real.as_deref().unwrap_or(&dummy);
                check(&argon, params, pw.expose(), phc, real.is_some(), area)
            })
            .await;
        match outcome {
            Ok(verified) => Ok(verified),
            Err(Refused::Busy) => Err(AccountError::ServerBusy),
            Err(Refused::Failed) => Ok(Verified {
                matches: false,
                needs_rehash: false,
            }),
        }
    }
}

/// Argon2id into a reused work area; the PHC string is the same as `hash_password`'s.
fn hash_with(
    argon: &Argon2<'_>,
    password: &str,
    salt: &SaltString,
    area: &mut [Block],
) -> Result<String, String> {
    let salt = salt.as_salt();
    let mut raw_salt = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut raw_salt).map_err(|e| e.to_string())?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *area)
            .map_err(|_| password_hash::Error::Crypto)
    })
    .map_err(|e| e.to_string())?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(|e| e.to_string())?,
        salt: Some(salt),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

fn check(
    argon: &Argon2<'_>,
    params: KdfParams,
    password: &str,
    phc: &str,
    real: bool,
    area: &mut [Block],
) -> Verified {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return Verified {
            matches: false,
            needs_rehash: false,
        };
    };
    let current = same_params(&parsed, params);
    let matches = if current {
        matches_with(argon, password, &parsed, area)
    } else {
        // A hash of another algorithm or cost is checked with its own parameters.
        argon.verify_password(password.as_bytes(), &parsed).is_ok()
    } && real;
    Verified {
        matches,
        needs_rehash: matches && !current,
    }
}

/// Recomputes a current-parameter hash in the reused area; constant-time comparison.
fn matches_with(
    argon: &Argon2<'_>,
    password: &str,
    stored: &PasswordHash<'_>,
    area: &mut [Block],
) -> bool {
    let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
        return false;
    };
    let mut raw_salt = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut raw_salt) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if argon
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, area)
        .is_err()
    {
        return false;
    }
    out.as_slice().ct_eq(expected.as_bytes()).into()
}
fn same_params(hash: &PasswordHash<'_>, params: KdfParams) -> bool {
    let Ok(p) = Params::try_from(hash) else {
        return false;
    };
    hash.algorithm.as_str() == "argon2id"
        && p.m_cost() == params.m_kib
        && p.t_cost() == params.t
        && p.p_cost() == params.p
}
