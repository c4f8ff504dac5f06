//! The domain service over an open store: the Argon2id pool sized and bounded as
//! configured, and the settings.

use std::sync::Arc;

use accounts::{Accounts, Hasher, KdfParams, Settings, Store};
use store::StoreOptions;

use super::open::open_store;

/// The domain service over an open store.
pub fn domain(
    store: Arc<dyn Store>,
    kdf: KdfParams,
    kdf_workers: usize,
    settings: Settings,
) -> Result<Accounts, String> {
    let hasher = Hasher::bounded(kdf, kdf_workers, Some(settings.hash_queue_max_wait))?;
    Ok(Accounts::new(store, Arc::new(hasher), settings))
}

/// Opens the store named by `database` with default store options and builds the domain
/// service over it.
pub async fn accounts(
    database: &str,
    kdf: KdfParams,
    kdf_workers: usize,
    settings: Settings,
) -> Result<Accounts, String> {
    let store = open_store(database, &StoreOptions::default()).await?;
    domain(store, kdf, kdf_workers, settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_service_has_the_settings_it_was_given() {
        let settings = Settings {
            login_rate_per_minute: 7,
            ..Settings::default()
        };
        let accounts = accounts(
            "sqlite::memory:",
            KdfParams::insecure_for_tests(),
            1,
            settings,
        )
        .await
        .unwrap();
        assert_eq!(accounts.settings().login_rate_per_minute, 7);
        accounts.ready().await.unwrap();
    }
}
