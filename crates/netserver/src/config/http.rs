//! `[http]`: how the HTTP listener treats connections and the requests on them.

use serde::Deserialize;
use server::{PublicUrl, TrustedProxies};

/// The `[http]` section; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSection {
    /// Proxies (addresses or networks) whose `Forwarded` / `X-Forwarded-For` headers
    /// name the client; empty: the TCP peer is the client, whatever the headers say.
    pub trusted_proxies: Option<Vec<String>>,
    /// The address clients reach the server at (`https://crm.example.com/prefix`), the
    /// only one the WSDL and info pages name; unset: the request's plain `Host`.
    pub public_url: Option<String>,
}

impl HttpSection {
    /// `[http] trusted_proxies`, checked; the message names the key and the entry.
    pub fn trusted_proxies(&self) -> Result<TrustedProxies, String> {
        TrustedProxies::parse(self.trusted_proxies.as_deref().unwrap_or_default())
            .map_err(|e| format!("[http] trusted_proxies: {e}"))
    }

    /// `[http] public_url`, checked; the message names the key.
    pub fn public_url(&self) -> Result<Option<PublicUrl>, String> {
        self.public_url
            .as_deref()
            .map(PublicUrl::parse)
            .transpose()
            .map_err(|e| format!("[http] public_url: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use crate::config::FileConfig;

    #[test]
    fn both_keys_are_read_and_checked_with_the_key_in_the_message() {
        let f: FileConfig = toml::from_str(
            "[http]\ntrusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\"]\npublic_url = \"https://crm.example.com/ns\"\n",
        )
        .unwrap();
        assert!(!f.http.trusted_proxies().unwrap().is_empty());
        assert_eq!(
            f.http.public_url().unwrap().unwrap().to_string(),
            "https://crm.example.com/ns"
        );
        let d = FileConfig::default();
        assert!(d.http.trusted_proxies().unwrap().is_empty());
        assert_eq!(d.http.public_url().unwrap(), None);

        let f: FileConfig =
            toml::from_str("[http]\ntrusted_proxies = [\"10.0.0.0/8\", \"proxy.lan\"]\n").unwrap();
        let e = f.http.trusted_proxies().unwrap_err();
        assert!(
            e.contains("[http] trusted_proxies") && e.contains("\"proxy.lan\""),
            "{e}"
        );
        let f: FileConfig = toml::from_str("[http]\npublic_url = \"crm.example.com\"\n").unwrap();
        let e = f.http.public_url().unwrap_err();
        assert!(
            e.contains("[http] public_url") && e.contains("http://"),
            "{e}"
        );
        assert!(toml::from_str::<FileConfig>("[http]\ntrusted_proxy = []\n").is_err());
    }
}
