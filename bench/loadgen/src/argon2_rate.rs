//! `loadgen argon2`: hashes with the server's Argon2id parameters on N threads, each
//! reusing one work area of the kind the server's hashing threads use (huge pages on
//! Linux), so the limit is measured with the same memory as the server hashes in.

use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use password_hash::rand_core::{OsRng, RngCore};

use crate::Argon2Args;

pub(crate) fn argon2_rate(args: Argon2Args) -> Result<String, String> {
    let server = accounts::KdfParams::default();
    let (m, t, p) = (
        args.m_kib.unwrap_or(server.m_kib),
        args.t.unwrap_or(server.t),
        args.p.unwrap_or(server.p),
    );
    let params = Params::new(m, t, p, None).map_err(|e| format!("Argon2id parameters: {e}"))?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let dur = Duration::from_secs_f64(args.duration);
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let params = params.clone();
            std::thread::spawn(move || -> Result<u64, String> {
                let blocks = params.block_count();
                let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
                // One work area per thread, reused: the server's own kind of area.
                let mut area = accounts::WorkArea::new(blocks);
                let mut out = [0u8; 32];
                let mut salt = [0u8; 16];
                let mut n = 0u64;
                while start.elapsed() < dur {
                    OsRng.fill_bytes(&mut salt);
                    argon
                        .hash_password_into_with_memory(
                            b"benchmark password",
                            &salt,
                            &mut out,
                            area.blocks(),
                        )
                        .map_err(|e| format!("hashing failed: {e}"))?;
                    n += 1;
                }
                Ok(n)
            })
        })
        .collect();
    let mut total = 0;
    for h in handles {
        total += h.join().map_err(|_| "a hashing thread panicked")??;
    }
    let secs = start.elapsed().as_secs_f64();
    Ok(format!(
        "hashes={total} seconds={secs:.3} rate={:.2} threads={threads} m_kib={m} t={t} p={p}",
        total as f64 / secs
    ))
}
