//! The Services88 contract netserver serves, as data: the agents ([`Service`]), one table
//! of operations per agent (`operations`: name, action, audit name, request and response
//! fields, response element) and the named types they use (`catalog`).
//!
//! Everything that differs from one operation to the next is read from its entry:
//! dispatch (the agents match the entry's [`Action`] exhaustively), the response element,
//! the WSDL and the audit name. Nothing here knows a protocol, so a second protocol
//! adapter reads the same table.

pub(crate) mod catalog;
pub(crate) mod model;
mod operations;

pub use model::{Action, NamedBy, OperationSpec};

use model::ServiceSpec;

/// A Services88 agent netserver serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// `User.svc`.
    User,
    /// `SoPrincipal.svc`.
    SoPrincipal,
}

impl Service {
    /// Both agents.
    pub const ALL: [Service; 2] = [Service::User, Service::SoPrincipal];

    pub(crate) fn spec(self) -> &'static ServiceSpec {
        match self {
            Service::User => &operations::USER,
            Service::SoPrincipal => &operations::SO_PRINCIPAL,
        }
    }

    /// `WcfUserService` / `WcfSoPrincipalService`.
    pub fn service_name(self) -> &'static str {
        self.spec().service_name
    }

    /// `User` / `SoPrincipal`: the portType, the action path segment, the log's name.
    pub fn port_type(self) -> &'static str {
        self.spec().port_type
    }

    /// `User.svc` / `SoPrincipal.svc`.
    pub fn svc_file(self) -> &'static str {
        self.spec().svc_file
    }

    /// The agent named by an endpoint file name, case-insensitively (IIS matches paths
    /// that way).
    pub fn from_svc_file(file: &str) -> Option<Service> {
        Service::ALL
            .into_iter()
            .find(|s| s.svc_file().eq_ignore_ascii_case(file))
    }

    /// Every operation whose contract netserver knows, served or not.
    pub fn known_operations(self) -> &'static [OperationSpec] {
        self.spec().operations
    }

    /// The served operation of this name with its action; `None` when netserver does
    /// not serve one of that name.
    pub fn served(self, name: &str) -> Option<(&'static OperationSpec, Action)> {
        self.known_operations()
            .iter()
            .find(|op| op.name == name)
            .and_then(|op| Some((op, op.action?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_agent_and_response_elements_end_in_response() {
        for service in Service::ALL {
            let ops = service.known_operations();
            for (i, op) in ops.iter().enumerate() {
                assert!(
                    ops[..i].iter().all(|other| other.name != op.name),
                    "{} twice",
                    op.name
                );
                assert!(op.response_element.ends_with("Response"), "{}", op.name);
            }
        }
    }

    #[test]
    fn only_operations_with_an_action_are_served() {
        assert!(Service::User.served("SendChangePasswordEMail").is_none());
        assert!(Service::SoPrincipal
            .served("AuthenticateWithAccessToken")
            .is_none());
        assert!(Service::User
            .served("AuthenticateUsernamePassword")
            .is_none());
        let (op, action) = Service::User.served("IsPasswordValidWithReason").unwrap();
        assert_eq!(action, Action::IsPasswordValid { reason: true });
        assert_eq!(op.response_element, "IsPasswordValidWithReasonResponse");
    }
}
