//! Password hashing with Argon2id, kept off the async workers.
//!
//! Each hash costs tens of milliseconds and ~19 MiB, so the work runs on tokio's blocking
//! pool behind a semaphore sized to the cores: a burst of log-ins queues instead of
//! starving the HTTP workers or exhausting memory. Unknown users are verified against a
//! dummy hash made with the same parameters, so they cost the same as a wrong password.
//!
//! Each worker's ~19 MiB of Argon2 memory is kept and reused: allocating it afresh for
//! every hash costs thousands of page faults, a third of the hash's own time.

use std::sync::{Arc, Mutex};

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
};
use password_hash::rand_core::OsRng;
use password_hash::{Output, ParamsString, SaltString};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

use crate::error::{AccountError, StoreError};
use crate::secret::Secret;

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
    permits: Arc<Semaphore>,
    dummy: String,
    memory: Arc<MemoryPool>,
}

/// Argon2 work areas, one per concurrent hash at most.
struct MemoryPool {
    blocks: usize,
    free: Mutex<Vec<Vec<Block>>>,
}

impl MemoryPool {
    fn take(&self) -> Vec<Block> {
        let reused = self.free.lock().ok().and_then(|mut f| f.pop());
        reused.unwrap_or_else(|| vec![Block::default(); self.blocks])
    }

    fn give(&self, area: Vec<Block>) {
        if let Ok(mut f) = self.free.lock() {
            f.push(area);
        }
    }
}

impl Hasher {
    /// `workers` bounds concurrent hashes; pass the number of cores.
    pub fn new(params: KdfParams, workers: usize) -> Result<Self, String> {
        let argon = params.argon()?;
        let salt = SaltString::generate(&mut OsRng);
        let dummy = argon
            .hash_password(b"netserver dummy password for unknown users", &salt)
            .map_err(|e| format!("cannot hash: {e}"))?
            .to_string();
        let blocks = argon.params().block_count();
        Ok(Hasher {
            params,
            argon,
            permits: Arc::new(Semaphore::new(workers.max(1))),
            dummy,
            memory: Arc::new(MemoryPool {
                blocks,
                free: Mutex::new(Vec::new()),
            }),
        })
    }

    pub fn params(&self) -> KdfParams {
        self.params
    }

    /// Hashes on the blocking pool; returns a PHC string.
    pub async fn hash(&self, password: &Secret) -> Result<String, AccountError> {
        let argon = self.argon.clone();
        let pw = password.clone();
        let memory = self.memory.clone();
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            let mut area = memory.take();
            let phc = hash_with(&argon, pw.expose(), &salt, &mut area);
            memory.give(area);
            phc.map_err(|e| StoreError::Backend(format!("hashing failed: {e}")))
        })
        .await
    }

    /// Verifies on the blocking pool. `stored = None` (unknown user, no password set) runs
    /// the same work against the dummy hash and never matches.
    pub async fn verify(&self, password: &Secret, stored: Option<&str>) -> Verified {
        let argon = self.argon.clone();
        let pw = password.clone();
        let real = stored.map(str::to_owned);
        let dummy = self.dummy.clone();
        let params = self.params;
        let memory = self.memory.clone();
        let outcome = self
            .run(move || {
                let phc = real.as_deref().unwrap_or(&dummy);
                let mut area = memory.take();
                let verified = check(&argon, params, pw.expose(), phc, real.is_some(), &mut area);
                memory.give(area);
                Ok(verified)
            })
            .await;
        outcome.unwrap_or(Verified {
            matches: false,
            needs_rehash: false,
        })
    }

    async fn run<T, F>(&self, work: F) -> Result<T, AccountError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, StoreError> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Backend("hasher closed".into()))?;
        // The permit is released by the hashing thread itself as it finishes, so the next
        // queued hash starts at once rather than after this task has been woken and polled
        // (which, with every core hashing, waits for a scheduler slot).
        let joined = tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|_| StoreError::Backend("hashing task failed".into()))?;
        Ok(joined?)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let h = Hasher::new(KdfParams::insecure_for_tests(), 2).unwrap();
        let phc = h.hash(&Secret::new("correct horse")).await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(!phc.contains("correct horse"));
        assert!(
            h.verify(&Secret::new("correct horse"), Some(&phc))
                .await
                .matches
        );
        assert!(
            !h.verify(&Secret::new("wrong horse"), Some(&phc))
                .await
                .matches
        );
    }

    #[tokio::test]
    async fn unknown_user_never_matches_even_the_dummy_password() {
        let h = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
        let v = h
            .verify(
                &Secret::new("netserver dummy password for unknown users"),
                None,
            )
            .await;
        assert!(!v.matches);
    }

    #[tokio::test]
    async fn other_parameters_ask_for_a_rehash() {
        let old = Hasher::new(
            KdfParams {
                m_kib: 16,
                t: 1,
                p: 1,
            },
            1,
        )
        .unwrap();
        let new = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
        let phc = old.hash(&Secret::new("pw")).await.unwrap();
        let v = new.verify(&Secret::new("pw"), Some(&phc)).await;
        assert_eq!(
            v,
            Verified {
                matches: true,
                needs_rehash: true
            }
        );
        let same = old.verify(&Secret::new("pw"), Some(&phc)).await;
        assert_eq!(
            same,
            Verified {
                matches: true,
                needs_rehash: false
            }
        );
    }

    #[tokio::test]
    async fn reused_memory_gives_standard_phc_strings() {
        let h = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
        let phc = h.hash(&Secret::new("pw-1")).await.unwrap();
        // The standard verifier (fresh memory) agrees with ours.
        let parsed = PasswordHash::new(&phc).unwrap();
        assert!(h.argon.verify_password(b"pw-1", &parsed).is_ok());
        assert!(h.argon.verify_password(b"pw-2", &parsed).is_err());
        let standard = h
            .argon
            .hash_password(b"pw-1", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(
            h.verify(&Secret::new("pw-1"), Some(&standard))
                .await
                .matches
        );
        // A second hash reuses the pooled area and still verifies.
        let again = h.hash(&Secret::new("pw-1")).await.unwrap();
        assert_ne!(again, phc, "fresh salt each time");
        assert!(h.verify(&Secret::new("pw-1"), Some(&again)).await.matches);
    }

    #[tokio::test]
    async fn garbage_hash_does_not_match() {
        let h = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
        assert!(
            !h.verify(&Secret::new("pw"), Some("not-a-phc"))
                .await
                .matches
        );
    }
}
