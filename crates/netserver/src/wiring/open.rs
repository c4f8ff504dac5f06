//! The store named by a database URL, opened for the server and the commands that write,
//! or read-only for the commands that only read. A failure names the store by its
//! redacted URL: never its credentials.

use std::sync::Arc;

use accounts::Store;
use store::StoreOptions;

use super::redact::redact_url;

/// Opens (and migrates) the store named by `database`.
pub async fn open_store(database: &str, options: &StoreOptions) -> Result<Arc<dyn Store>, String> {
    store::open_with(database, options)
        .await
        .map_err(|e| cannot_open(database, &e))
}

/// Opens the store named by `database` for a command that only reads (a SQLite file
/// read-only: it must exist, and nothing is created or migrated).
pub async fn open_store_read_only(
    database: &str,
    options: &StoreOptions,
) -> Result<Arc<dyn Store>, String> {
    store::open_read_only(database, options)
        .await
        .map_err(|e| cannot_open(database, &e))
}

fn cannot_open(database: &str, e: &impl std::fmt::Display) -> String {
    format!("cannot open the store {}: {e}", redact_url(database))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_store_that_cannot_be_opened_is_named_without_its_credentials() {
        let url = "mysql://bob:s3cret@db/x";
        for result in [
            open_store(url, &StoreOptions::default()).await,
            open_store_read_only(url, &StoreOptions::default()).await,
        ] {
            let Err(e) = result else {
                panic!("a mysql URL opened a store");
            };
            assert!(
                e.starts_with("cannot open the store mysql://<redacted>@db/x: "),
                "{e}"
            );
            assert!(!e.contains("s3cret"), "{e}");
        }
    }

    #[tokio::test]
    async fn a_read_only_sqlite_store_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("missing.db").display());
        assert!(open_store_read_only(&url, &StoreOptions::default())
            .await
            .is_err());
        assert!(!dir.path().join("missing.db").exists());
        assert!(open_store(&url, &StoreOptions::default()).await.is_ok());
        assert!(dir.path().join("missing.db").exists());
    }
}
