//! The open-file limit and the connection cap. Every connection holds a descriptor, and a
//! process out of descriptors can accept nothing (not even `/health/ready` or a log-in),
//! so `serve` raises its soft limit to the hard limit at start and keeps
//! `[http] max_connections` below it, leaving room for the store, the log and the listener.

/// Descriptors kept free of connections for everything else.
pub const RESERVED: u64 = 64;

/// Raises the soft limit on open files to the hard limit; returns the limit now in force.
#[cfg(unix)]
pub fn raise() -> std::io::Result<u64> {
    rlimit::increase_nofile_limit(u64::MAX)
}

#[cfg(not(unix))]
pub fn raise() -> std::io::Result<u64> {
    Ok(u64::MAX)
}

/// The connection cap that fits under `limit` open files: `wanted` when it does,
/// otherwise the most that does, with a warning that names the key.
pub fn fit(wanted: usize, limit: u64) -> (usize, Option<String>) {
    let room = limit.saturating_sub(RESERVED).max(limit / 2).max(1);
    if wanted as u64 <= room {
        return (wanted, None);
    }
    let fitted = usize::try_from(room).unwrap_or(usize::MAX);
    (
        fitted,
        Some(format!(
            "[http] max_connections = {wanted} does not fit under the open-file limit of {limit} \
             ({RESERVED} kept for the store and the log); using {fitted}. Raise the limit \
             (LimitNOFILE= in a systemd unit, ulimit -n) or lower the key"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_file_limit() {
        assert_eq!(fit(4096, 1_048_576), (4096, None));
        assert_eq!(fit(960, 1024), (960, None));
        let (cap, warning) = fit(4096, 1024);
        assert_eq!(cap, 960);
        let warning = warning.unwrap();
        assert!(
            warning.contains("[http] max_connections = 4096"),
            "{warning}"
        );
        assert!(warning.contains("1024"), "{warning}");
        assert_eq!(fit(100, 50).0, 25);
    }

    #[test]
    fn raising_reports_a_limit() {
        assert!(raise().unwrap() > RESERVED);
    }
}
