//! Parsing of database URLs into a backend and its location.
//!
//! Only the scheme is ever put into an error message: a PostgreSQL URL carries a password.

use std::path::PathBuf;

use crate::error::OpenError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// `sqlite://PATH`; the path is taken literally (no percent-decoding).
    SqliteFile(PathBuf),
    /// `sqlite::memory:` or `sqlite://:memory:`.
    SqliteMemory,
    /// `postgres://…` or `postgresql://…`, kept whole for the driver to parse.
    Postgres(PostgresUrl),
}

/// A PostgreSQL URL. Its `Debug` hides it: it may hold a password.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct PostgresUrl(pub(crate) String);

impl std::fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PostgresUrl(..)")
    }
}

pub(crate) fn parse(url: &str) -> Result<Location, OpenError> {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once(':') else {
        return Err(OpenError::MissingScheme);
    };
    if !is_scheme(scheme) {
        return Err(OpenError::MissingScheme);
    }
    if scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql") {
        if !rest.starts_with("//") {
            return Err(OpenError::BadPostgresUrl);
        }
        return Ok(Location::Postgres(PostgresUrl(url.to_owned())));
    }
    if !scheme.eq_ignore_ascii_case("sqlite") {
        return Err(OpenError::UnsupportedScheme(scheme.to_ascii_lowercase()));
    }
    if rest == ":memory:" {
        return Ok(Location::SqliteMemory);
    }
    let Some(path) = rest.strip_prefix("//") else {
        return Err(OpenError::BadSqliteUrl("expected '//' after 'sqlite:'"));
    };
    if path == ":memory:" {
        return Ok(Location::SqliteMemory);
    }
    if path.is_empty() {
        return Err(OpenError::BadSqliteUrl("the path is empty"));
    }
    if path.contains('?') {
        return Err(OpenError::BadSqliteUrl(
            "query parameters are not supported",
        ));
    }
    Ok(Location::SqliteFile(PathBuf::from(path)))
}

/// RFC 3986: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        assert_eq!(
            parse("sqlite://data/ns.db").unwrap(),
            Location::SqliteFile(PathBuf::from("data/ns.db"))
        );
        assert_eq!(
            parse("sqlite:///var/lib/ns.db").unwrap(),
            Location::SqliteFile(PathBuf::from("/var/lib/ns.db"))
        );
        assert_eq!(
            parse("SQLite://x.db").unwrap(),
            Location::SqliteFile(PathBuf::from("x.db"))
        );
        assert_eq!(parse("sqlite::memory:").unwrap(), Location::SqliteMemory);
        assert_eq!(parse("sqlite://:memory:").unwrap(), Location::SqliteMemory);
    }

    #[test]
    fn postgres_urls_are_kept_whole_and_hidden_from_debug() {
        for url in [
            "postgres://u:hunter2@db:5432/ns",
            "postgresql://db/ns",
            "PostgreSQL://db/ns",
        ] {
            let Location::Postgres(found) = parse(url).unwrap() else {
                panic!("{url} is not a postgres location");
            };
            assert_eq!(found.0, url);
            assert!(!format!("{:?}", parse(url).unwrap()).contains("hunter2"));
        }
    }

    #[test]
    fn refusals_name_the_problem_but_not_the_url() {
        let e = parse("mysql://user:hunter2@db/ns").unwrap_err();
        assert!(matches!(e, OpenError::UnsupportedScheme(ref s) if s == "mysql"));
        let text = e.to_string();
        assert!(
            text.contains("'mysql'")
                && text.contains("sqlite://PATH")
                && text.contains("postgres://"),
            "{text}"
        );
        assert!(!text.contains("hunter2"));
        let e = parse("postgres:user:hunter2@db/ns").unwrap_err();
        assert!(matches!(e, OpenError::BadPostgresUrl));
        assert!(!e.to_string().contains("hunter2"));

        assert!(matches!(parse("ns.db"), Err(OpenError::MissingScheme)));
        assert!(matches!(parse(""), Err(OpenError::MissingScheme)));
        assert!(matches!(parse("1x://a"), Err(OpenError::MissingScheme)));
        assert!(matches!(
            parse("sqlite://"),
            Err(OpenError::BadSqliteUrl(_))
        ));
        assert!(matches!(
            parse("sqlite:ns.db"),
            Err(OpenError::BadSqliteUrl(_))
        ));
        assert!(matches!(
            parse("sqlite://ns.db?mode=rwc"),
            Err(OpenError::BadSqliteUrl(_))
        ));
    }
}
