//! What may be shown of a database URL: never its credentials.

/// Drops any `user:password@` part of a database URL before it is shown or logged.
pub fn redact_url(url: &str) -> String {
    // Query parameters may carry a password too (`postgres://h/db?password=…`).
    let (url, query) = match url.split_once('?') {
        Some((base, _)) => (base, "?<redacted>"),
        None => (url, ""),
    };
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!(
                "{}://<redacted>@{}{query}",
                &url[..scheme_end],
                &url[at + 1..]
            )
        }
        _ => format!("{url}{query}"),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn credentials_in_database_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://bob:s3cret@db/x"),
            "postgres://<redacted>@db/x"
        );
        assert_eq!(redact_url("sqlite://a.db"), "sqlite://a.db");
        assert_eq!(
            redact_url("postgres://db/x?user=bob&password=s3cret"),
            "postgres://db/x?<redacted>"
        );
    }
}
