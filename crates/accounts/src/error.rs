//! The one error enum of the domain. Each variant has a stable code and a stable
//! SuperOffice-style exception type name; the protocol adapters map it once each
//! (SOAP `ExceptionInfo`/fault, REST JSON). The user-facing text never carries a
//! password, ticket, token or internal detail; the internal detail lives only in
//! `StoreError` and `Internal`'s text, which are logged, not sent.

use crate::associate::AssociateId;
use crate::policy::PolicyViolation;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("no credentials were supplied: send a ticket in the Credentials header")]
    CredentialsMissing,
    #[error("the ticket is not valid")]
    TicketInvalid,
    /// A name and password sent on the call (REST `Basic`) that do not log in: unknown,
    /// wrong, retired and locked all read alike.
    #[error("the user name or password is not correct")]
    CredentialsRefused,
    /// Online installations take a ticket and an application token, never a password on
    /// each call.
    #[error("this installation does not accept a user name and password on each call: log in and send the ticket")]
    PasswordCredentialsRefused,
    #[error("the ticket has expired; log in again")]
    TicketExpired,
    #[error("the caller lacks the functional right '{0}'")]
    RightMissing(&'static str),
    #[error("only a general administrator (admin-all) may change the password of another general administrator")]
    PrivilegeGuard,
    #[error("associate id {0} is not a valid id")]
    AssociateIdInvalid(AssociateId),
    #[error("associate {0} does not exist")]
    AssociateNotFound(AssociateId),
    #[error("there is no associate named '{0}'")]
    AssociateNameNotFound(String),
    #[error("associate {0} is retired")]
    AssociateRetired(AssociateId),
    #[error("the associate name '{0}' is already taken")]
    AssociateNameTaken(String),
    #[error("the caller's own associate is retired or gone")]
    CallerRetired,
    /// The password policy refused the password; `reason` is the policy's text for the
    /// violation (the administrator's message when one is configured).
    #[error("{reason}")]
    PasswordRejected {
        violation: PolicyViolation,
        reason: String,
    },
    /// No random password met the policy: its rules leave no room for one of the allowed
    /// length. Carries the rule the last draw broke; nothing was changed.
    #[error("no generated password can meet the password policy (the last one drawn broke the rule: {0}); set a password with SetPassword or relax the policy")]
    PasswordGenerationFailed(PolicyViolation),
    #[error("the old password is not correct")]
    OldPasswordWrong,
    #[error("the password must be changed before anything else: call ChangeOwnPassword")]
    PasswordChangeRequired,
    /// The per-address log-in rate limit.
    #[error("too many log-in attempts from this address; wait a minute and try again")]
    TooManyAttempts,
    /// The caller's password sets were refused as reused too often within the hour: each
    /// such refusal tells whether a guess is the target's current or a recent password.
    #[error("too many passwords this caller set were refused as recently used; wait up to an hour before setting passwords again")]
    ReuseRefusalsExceeded,
    /// The hashing queue is full: the work would wait longer than its bound.
    #[error(
        "the server is busy with other log-ins and password changes; try again in a few seconds"
    )]
    ServerBusy,
    /// Online: the ticket was obtained through another application than the one calling.
    #[error("the ticket was issued to another application; log in through this application")]
    TicketAppMismatch,
    #[error("the request is missing '{0}'")]
    ArgumentMissing(&'static str),
    #[error(
        "this installation requires an application token: send it in the ApplicationToken header"
    )]
    AppTokenMissing,
    #[error("the application token is not valid")]
    AppTokenInvalid,
    #[error("the User agent is not available on this installation")]
    UserAgentDisabled,
    #[error("partner applications may not manage users")]
    PartnerAppRestricted,
    #[error("the application name '{0}' is already taken")]
    AppNameTaken(String),
    #[error("there is no application named '{0}'")]
    AppNotFound(String),
    #[error("there is no customer '{0}' on this server")]
    TenantNotFound(String),
    #[error("the customer name '{0}' is already taken")]
    TenantNameTaken(String),
    #[error("'{0}' cannot be a customer name: use 1 to 64 ASCII letters, digits, '-' or '_'")]
    TenantNameInvalid(String),
    /// The store did not answer (database down or unreachable, or too slow): the request
    /// may succeed when retried; nothing was written.
    #[error("the user store is unavailable; try again shortly")]
    StoreUnavailable(StoreError),
    /// Anything else that went wrong inside: a store failure, a hashing thread that did
    /// not answer, a broken invariant. The detail is for the log only.
    #[error("the server could not complete the request")]
    Internal(String),
}

/// An unreachable store is the caller's to retry; every other store failure is internal.
impl From<StoreError> for AccountError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(_) => AccountError::StoreUnavailable(e),
            other => AccountError::Internal(other.to_string()),
        }
    }
}

impl AccountError {
    /// Stable machine code; part of the public contract (docs/errors.md lists them).
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::CredentialsMissing => "credentials_missing",
            AccountError::TicketInvalid => "ticket_invalid",
            AccountError::CredentialsRefused => "credentials_refused",
            AccountError::PasswordCredentialsRefused => "password_credentials_refused",
            AccountError::TicketExpired => "ticket_expired",
            AccountError::RightMissing(_) => "right_missing",
            AccountError::PrivilegeGuard => "privilege_guard",
            AccountError::AssociateIdInvalid(_) => "associate_id_invalid",
            AccountError::AssociateNotFound(_) => "associate_not_found",
            AccountError::AssociateNameNotFound(_) => "associate_name_not_found",
            AccountError::AssociateRetired(_) => "associate_retired",
            AccountError::AssociateNameTaken(_) => "associate_name_taken",
            AccountError::CallerRetired => "caller_retired",
            AccountError::PasswordRejected { violation, .. } => violation.code(),
            AccountError::PasswordGenerationFailed(_) => "password_generation_failed",
            AccountError::OldPasswordWrong => "old_password_wrong",
            AccountError::PasswordChangeRequired => "password_change_required",
            AccountError::TooManyAttempts => "too_many_attempts",
            AccountError::ReuseRefusalsExceeded => "password_reuse_limit",
            AccountError::ServerBusy => "server_busy",
            AccountError::TicketAppMismatch => "ticket_app_mismatch",
            AccountError::ArgumentMissing(_) => "argument_missing",
            AccountError::AppTokenMissing => "app_token_missing",
            AccountError::AppTokenInvalid => "app_token_invalid",
            AccountError::UserAgentDisabled => "user_agent_disabled",
            AccountError::PartnerAppRestricted => "partner_app_restricted",
            AccountError::AppNameTaken(_) => "app_name_taken",
            AccountError::AppNotFound(_) => "app_not_found",
            AccountError::TenantNotFound(_) => "tenant_not_found",
            AccountError::TenantNameTaken(_) => "tenant_name_taken",
            AccountError::TenantNameInvalid(_) => "tenant_name_invalid",
            AccountError::StoreUnavailable(_) => "store_unavailable",
            AccountError::Internal(_) => "internal",
        }
    }

    /// The `ExceptionType` a SOAP client sees; stable.
    pub fn exception_type(&self) -> &'static str {
        match self {
            AccountError::CredentialsMissing
            | AccountError::TicketInvalid
            | AccountError::TicketAppMismatch
            | AccountError::CallerRetired => "SoInvalidTicketException",
            AccountError::CredentialsRefused | AccountError::PasswordCredentialsRefused => {
                "SoCredentialsException"
            }
            AccountError::TicketExpired => "SoTicketExpiredException",
            AccountError::RightMissing(_)
            | AccountError::PrivilegeGuard
            | AccountError::PartnerAppRestricted => "SoAccessDeniedException",
            AccountError::AppTokenMissing => "SoApplicationTokenRequiredException",
            AccountError::AppTokenInvalid => "SoInvalidApplicationTokenException",
            AccountError::UserAgentDisabled => "SoAgentNotAvailableException",
            AccountError::AssociateIdInvalid(_) | AccountError::ArgumentMissing(_) => {
                "SoArgumentException"
            }
            AccountError::AssociateNotFound(_) | AccountError::AssociateNameNotFound(_) => {
                "SoNotFoundException"
            }
            AccountError::AssociateRetired(_) => "SoAssociateRetiredException",
            AccountError::AssociateNameTaken(_) | AccountError::AppNameTaken(_) => {
                "SoDuplicateException"
            }
            AccountError::AppNotFound(_) | AccountError::TenantNotFound(_) => "SoNotFoundException",
            AccountError::TenantNameTaken(_) => "SoDuplicateException",
            AccountError::TenantNameInvalid(_) => "SoArgumentException",
            AccountError::PasswordRejected { .. } => "SoPasswordPolicyException",
            AccountError::PasswordGenerationFailed(_) => "SoPasswordGenerationException",
            AccountError::OldPasswordWrong => "SoWrongPasswordException",
            AccountError::PasswordChangeRequired => "SoPasswordChangeRequiredException",
            AccountError::TooManyAttempts
            | AccountError::ReuseRefusalsExceeded
            | AccountError::ServerBusy => "SoTooManyAttemptsException",
            AccountError::StoreUnavailable(_) => "SoStoreUnavailableException",
            AccountError::Internal(_) => "SoServerException",
        }
    }

    /// A short text for an end user, as SuperOffice's `FriendlyText`.
    pub fn friendly_text(&self) -> &'static str {
        match self {
            AccountError::CredentialsMissing
            | AccountError::TicketInvalid
            | AccountError::TicketExpired
            | AccountError::TicketAppMismatch
            | AccountError::CallerRetired => "Please log in again.",
            AccountError::CredentialsRefused => "The user name or password is not correct.",
            AccountError::PasswordCredentialsRefused => "Please log in first.",
            AccountError::RightMissing(_) | AccountError::PrivilegeGuard => {
                "You are not allowed to do this."
            }
            AccountError::AssociateIdInvalid(_)
            | AccountError::AssociateNotFound(_)
            | AccountError::AssociateNameNotFound(_)
            | AccountError::AssociateRetired(_) => "The user was not found.",
            AccountError::AssociateNameTaken(_) => "That user name is taken.",
            AccountError::AppTokenMissing | AccountError::AppTokenInvalid => {
                "The application is not registered with this installation."
            }
            AccountError::UserAgentDisabled => "This service is not available.",
            AccountError::PartnerAppRestricted => {
                "This application is not allowed to manage users."
            }
            AccountError::AppNameTaken(_) => "That application name is taken.",
            AccountError::AppNotFound(_) => "The application was not found.",
            AccountError::TenantNotFound(_) => "This customer was not found.",
            AccountError::TenantNameTaken(_) => "That customer name is taken.",
            AccountError::TenantNameInvalid(_) => "That is not a valid customer name.",
            AccountError::PasswordRejected { .. } => {
                "The password does not meet the password policy."
            }
            AccountError::PasswordGenerationFailed(_) => {
                "No password meeting the password policy could be generated."
            }
            AccountError::ArgumentMissing(_) => "The request is incomplete.",
            AccountError::OldPasswordWrong => "The current password is not correct.",
            AccountError::PasswordChangeRequired => "Please change your password first.",
            AccountError::TooManyAttempts => "Too many attempts; please wait a minute.",
            AccountError::ReuseRefusalsExceeded => "Too many attempts; please wait a while.",
            AccountError::ServerBusy => "The server is busy; please try again in a few seconds.",
            AccountError::StoreUnavailable(_) => {
                "The service is briefly unavailable; please try again in a moment."
            }
            AccountError::Internal(_) => "The server had a problem; please try again later.",
        }
    }

    /// The message sent to callers: the Display text, except that internal errors never
    /// expose their detail.
    pub fn public_message(&self) -> String {
        match self {
            AccountError::Internal(_) => "the server could not complete the request".to_owned(),
            other => other.to_string(),
        }
    }

    /// Whether the fault (in fault mode) is the server's rather than the caller's. A
    /// policy no generated password can meet is the server's configuration, not the
    /// request's fault.
    pub fn is_server_side(&self) -> bool {
        matches!(
            self,
            AccountError::Internal(_)
                | AccountError::StoreUnavailable(_)
                | AccountError::PasswordGenerationFailed(_)
                | AccountError::ServerBusy
        )
    }
}

/// A backend failure. Its text is for logs only: it may name tables or paths, never secrets.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the name is already taken")]
    Conflict,
    #[error("store backend error: {0}")]
    Backend(String),
    /// The backend could not be reached or did not answer in time; says why (no values).
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_detail() {
        let e = AccountError::Internal("disk I/O error at /var/x.db".into());
        assert!(!e.public_message().contains("/var/x.db"));
        assert_eq!(e.exception_type(), "SoServerException");
        assert!(e.is_server_side());
    }

    #[test]
    fn an_unreachable_store_is_its_own_error_without_detail() {
        let e = AccountError::from(StoreError::Unavailable(
            "connect to PostgreSQL at db.internal: refused".into(),
        ));
        assert_eq!(e.code(), "store_unavailable");
        assert_eq!(e.exception_type(), "SoStoreUnavailableException");
        assert!(!e.public_message().contains("db.internal"));
        assert!(e.is_server_side());
        let other = AccountError::from(StoreError::Backend("x".into()));
        assert_eq!(other.code(), "internal");
    }

    #[test]
    fn a_policy_no_generated_password_meets_is_its_own_server_side_error() {
        let e = AccountError::PasswordGenerationFailed(PolicyViolation::ContainsName);
        assert_eq!(e.code(), "password_generation_failed");
        assert_eq!(e.exception_type(), "SoPasswordGenerationException");
        assert!(e.is_server_side());
        assert!(e.public_message().contains("the user's name"), "{e}");
    }

    fn rejected(violation: PolicyViolation) -> AccountError {
        crate::policy::PasswordPolicy::default().rejection(violation)
    }

    #[test]
    fn password_rejections_show_the_reason_and_the_violation_code() {
        let e = rejected(PolicyViolation::TooShort { min: 8 });
        assert_eq!(e.to_string(), "the password is shorter than 8 characters");
        assert_eq!(e.public_message(), e.to_string());
        assert_eq!(e.code(), "password_too_short");
        assert_eq!(e.exception_type(), "SoPasswordPolicyException");
        assert_eq!(
            e.friendly_text(),
            "The password does not meet the password policy."
        );
        assert!(!e.is_server_side());
    }

    #[test]
    fn codes_are_distinct() {
        let all = [
            AccountError::CredentialsMissing,
            AccountError::TicketInvalid,
            AccountError::CredentialsRefused,
            AccountError::PasswordCredentialsRefused,
            AccountError::TicketExpired,
            AccountError::RightMissing("admin-users"),
            AccountError::PrivilegeGuard,
            AccountError::AssociateIdInvalid(0),
            AccountError::AssociateNotFound(1),
            AccountError::AssociateRetired(1),
            AccountError::AssociateNameNotFound("x".into()),
            AccountError::AssociateNameTaken("x".into()),
            AccountError::CallerRetired,
            rejected(PolicyViolation::Empty),
            rejected(PolicyViolation::TooShort { min: 8 }),
            rejected(PolicyViolation::TooLong { max: 256 }),
            rejected(PolicyViolation::TooFewDigits { min: 1 }),
            rejected(PolicyViolation::TooFewLower { min: 1 }),
            rejected(PolicyViolation::TooFewUpper { min: 1 }),
            rejected(PolicyViolation::TooFewSpecial { min: 1 }),
            rejected(PolicyViolation::TooWeak { score: 0, min: 2 }),
            rejected(PolicyViolation::Common),
            rejected(PolicyViolation::ContainsName),
            rejected(PolicyViolation::Reused { last: 3 }),
            AccountError::ArgumentMissing("Password"),
            AccountError::OldPasswordWrong,
            AccountError::PasswordChangeRequired,
            AccountError::AppTokenMissing,
            AccountError::AppTokenInvalid,
            AccountError::UserAgentDisabled,
            AccountError::PartnerAppRestricted,
            AccountError::AppNameTaken("x".into()),
            AccountError::AppNotFound("x".into()),
            AccountError::TenantNotFound("x".into()),
            AccountError::TenantNameTaken("x".into()),
            AccountError::TenantNameInvalid("x".into()),
            AccountError::TooManyAttempts,
            AccountError::ReuseRefusalsExceeded,
            AccountError::ServerBusy,
            AccountError::TicketAppMismatch,
            AccountError::Internal("broken".into()),
            AccountError::StoreUnavailable(StoreError::Unavailable("down".into())),
        ];
        let mut codes: Vec<_> = all.iter().map(|e| e.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
