//! How a command fails. Every failure ends the process with status 1; what is printed
//! depends on the variant: `error: <text>` on standard error, or nothing when the
//! command has already given its verdict on standard output.

use accounts::{AccountError, StoreError};

#[derive(Debug)]
pub enum CliError {
    /// A domain refusal or failure, shown as the domain words it for its callers
    /// ([`AccountError::public_message`]).
    Domain(AccountError),
    /// A store failure outside the domain's operations (a read for a listing), shown in
    /// full: the operator owns the store, and its text never carries a secret.
    Store(StoreError),
    /// Any other failure: a flag, the configuration, a password prompt, the network.
    Failed(String),
    /// The command printed its verdict itself (`policy check`'s `rejected: …`); nothing
    /// more is printed.
    Reported,
}

impl CliError {
    /// The line for standard error, if any.
    pub fn message(&self) -> Option<String> {
        match self {
            CliError::Domain(e) => Some(e.public_message()),
            CliError::Store(e) => Some(e.to_string()),
            CliError::Failed(text) => Some(text.clone()),
            CliError::Reported => None,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.message() {
            Some(text) => f.write_str(&text),
            None => f.write_str("the command failed (reported above)"),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::Domain(e) => Some(e),
            CliError::Store(e) => Some(e),
            CliError::Failed(_) | CliError::Reported => None,
        }
    }
}

impl From<AccountError> for CliError {
    fn from(e: AccountError) -> Self {
        CliError::Domain(e)
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Store(e)
    }
}

impl From<String> for CliError {
    fn from(text: String) -> Self {
        CliError::Failed(text)
    }
}

impl From<&str> for CliError {
    fn from(text: &str) -> Self {
        CliError::Failed(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_prints_its_text_and_a_reported_failure_nothing() {
        let domain = CliError::from(AccountError::AppNotFound("crm".into()));
        assert_eq!(
            domain.message().as_deref(),
            Some("there is no application named 'crm'")
        );
        let internal = CliError::from(AccountError::Internal("disk".into()));
        assert_eq!(
            internal.message().as_deref(),
            Some("the server could not complete the request")
        );
        let store = CliError::from(StoreError::Backend("disk".into()));
        assert!(store.message().is_some_and(|m| m.contains("disk")));
        assert_eq!(
            CliError::from("bad flag").message().as_deref(),
            Some("bad flag")
        );
        assert_eq!(CliError::Reported.message(), None);
    }
}
