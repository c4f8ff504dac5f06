//! The domain service over an open store: the Argon2id pool sized and bounded as
//! configured, and the settings.

use std::sync::Arc;

use accounts::{Accounts, Hasher, KdfParams, Settings, Store};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wiring::open_store;
    use store::StoreOptions;

    #[tokio::test]
    async fn the_service_has_the_settings_it_was_given() {
        let settings = Settings {
            login_rate_per_minute: 7,
            ..Settings::default()
        };
        let store = open_store("sqlite::memory:", &StoreOptions::default())
            .await
            .unwrap();
        let accounts = domain(store, KdfParams::insecure_for_tests(), 1, settings).unwrap();
        assert_eq!(accounts.settings().login_rate_per_minute, 7);
        accounts.ready().await.unwrap();
    }
}
