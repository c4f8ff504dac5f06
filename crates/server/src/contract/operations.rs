//! The operation tables of the two agents: SuperOffice's contract for each operation
//! netserver knows, and the action that serves it. Serving a new operation means giving
//! its entry an action (or adding an entry, with any new types in `catalog`); dispatch,
//! the response element, the WSDL and the audit name follow from the entry.

use super::model::{Action, Field, NamedBy, OperationSpec, ServiceSpec, Ty, BOOLEAN, INT, STRING};

/// Headers every User agent request may carry.
const USER_REQUEST_HEADERS: &[&str] = &["ApplicationToken", "Credentials", "TimeZone"];
/// Headers SoPrincipal requests carry (a log-in has no ticket yet).
const PRINCIPAL_REQUEST_HEADERS: &[&str] = &["ApplicationToken"];
/// Headers every response of both agents carries, in SuperOffice's order.
const RESPONSE_HEADERS: &[&str] = &["ExceptionInfo", "ExtraInfo", "Succeeded", "TimeZone"];

const BOOL_RESPONSE: &[Field] = &[Field::opt("Response", BOOLEAN)];
const STRING_RESPONSE: &[Field] = &[Field::opt_nil("Response", STRING)];
const ASSOCIATE_ID: &[Field] = &[Field::opt("AssociateId", INT)];
const PASSWORD_CHECK: &[Field] = &[
    Field::opt("AssociateId", INT),
    Field::opt("Type", Ty::Tns("UserType")),
    Field::opt("PersonId", INT),
    Field::opt_nil("Password", STRING),
];

/// User agent (`User.svc`) operations, in the order of SuperOffice's WSDL.
const USER_OPERATIONS: &[OperationSpec] = &[
    OperationSpec {
        name: "CanChangePassword",
        action: Some(Action::CanChangePassword),
        params: ASSOCIATE_ID,
        response_element: "CanChangePasswordResponse",
        response: BOOL_RESPONSE,
    },
    OperationSpec {
        name: "GetSupportedChangePasswordTypes",
        action: Some(Action::SupportedChangeTypes),
        params: ASSOCIATE_ID,
        response_element: "GetSupportedChangePasswordTypesResponse",
        response: &[Field::opt_nil(
            "Response",
            Ty::Tns("ArrayOfChangePasswordType"),
        )],
    },
    OperationSpec {
        name: "ChangePassword",
        action: Some(Action::ChangePassword(NamedBy::Id)),
        params: &[
            Field::opt("AssociateId", INT),
            Field::opt_nil("OldPassword", STRING),
            Field::opt_nil("NewPassword", STRING),
        ],
        response_element: "ChangePasswordResponse",
        response: BOOL_RESPONSE,
    },
    OperationSpec {
        name: "SendChangePasswordEMail",
        action: None,
        params: ASSOCIATE_ID,
        response_element: "SendChangePasswordEMailResponse",
        response: &[Field::opt_nil("Response", Ty::Tns("OperationResult"))],
    },
    OperationSpec {
        name: "SetPasswordFromName",
        action: Some(Action::SetPassword(NamedBy::Name)),
        params: &[
            Field::opt_nil("AssociateName", STRING),
            Field::opt_nil("Password", STRING),
        ],
        response_element: "SetPasswordFromNameResponse",
        response: BOOL_RESPONSE,
    },
    OperationSpec {
        name: "SetPassword",
        action: Some(Action::SetPassword(NamedBy::Id)),
        params: &[
            Field::opt("AssociateId", INT),
            Field::opt_nil("Password", STRING),
        ],
        response_element: "SetPasswordResponse",
        response: BOOL_RESPONSE,
    },
    OperationSpec {
        name: "ChangeOwnPassword",
        action: Some(Action::ChangeOwnPassword),
        params: &[
            Field::opt_nil("OldPassword", STRING),
            Field::opt_nil("NewPassword", STRING),
        ],
        response_element: "ChangeOwnPasswordResponse",
        response: BOOL_RESPONSE,
    },
    OperationSpec {
        name: "ChangePasswordFromName",
        action: Some(Action::ChangePassword(NamedBy::Name)),
        params: &[
            Field::opt_nil("AssociateName", STRING),
            Field::opt_nil("OldPassword", STRING),
            Field::opt_nil("NewPassword", STRING),
        ],
        response_element: "ChangePasswordFromNameResponse",
        response: BOOL_RESPONSE,
    },
    OperationSpec {
        name: "IsPasswordValid",
        action: Some(Action::IsPasswordValid { reason: false }),
        params: PASSWORD_CHECK,
        response_element: "IsPasswordValidResponse",
        response: BOOL_RESPONSE,
    },
    OperationSpec {
        name: "SetGeneratedPassword",
        action: Some(Action::SetGeneratedPassword(NamedBy::Id)),
        params: ASSOCIATE_ID,
        response_element: "SetGeneratedPasswordResponse",
        response: STRING_RESPONSE,
    },
    OperationSpec {
        name: "SetGeneratedPasswordFromName",
        action: Some(Action::SetGeneratedPassword(NamedBy::Name)),
        params: &[Field::opt_nil("AssociateName", STRING)],
        response_element: "SetGeneratedPasswordFromNameResponse",
        response: STRING_RESPONSE,
    },
    OperationSpec {
        name: "IsPasswordValidWithReason",
        action: Some(Action::IsPasswordValid { reason: true }),
        params: PASSWORD_CHECK,
        response_element: "IsPasswordValidWithReasonResponse",
        response: &[Field::opt_nil("Response", Ty::Tns("UserValidationResult"))],
    },
];

/// The body every SoPrincipal `Authenticate*` operation answers with.
const AUTHENTICATE_RESPONSE: &[Field] = &[
    Field::opt_nil("Response", Ty::Tns("SoPrincipalCarrier")),
    Field::opt_nil("Credentials", Ty::Tns("SoCredentials")),
    Field::opt("AuthenticationSucceeded", BOOLEAN),
];

/// SoPrincipal agent (`SoPrincipal.svc`) operations. `GetSystemInfo`,
/// `AuthenticateImplicit` and `AuthenticateGeneric` are not listed: their types
/// (license and key carriers) are not in the catalog.
const PRINCIPAL_OPERATIONS: &[OperationSpec] = &[
    OperationSpec {
        name: "AuthenticateUsernamePassword",
        action: Some(Action::Authenticate),
        params: &[
            Field::opt_nil("UserName", STRING),
            Field::opt_nil("Password", STRING),
        ],
        response_element: "AuthenticateResponse",
        response: AUTHENTICATE_RESPONSE,
    },
    OperationSpec {
        name: "AuthenticateWithAccessToken",
        action: None,
        params: &[Field::opt_nil("AccessToken", STRING)],
        response_element: "AuthenticateResponse",
        response: AUTHENTICATE_RESPONSE,
    },
];

pub(crate) const USER: ServiceSpec = ServiceSpec {
    service_name: "WcfUserService",
    port_type: "User",
    svc_file: "User.svc",
    request_headers: USER_REQUEST_HEADERS,
    response_headers: RESPONSE_HEADERS,
    operations: USER_OPERATIONS,
};

pub(crate) const SO_PRINCIPAL: ServiceSpec = ServiceSpec {
    service_name: "WcfSoPrincipalService",
    port_type: "SoPrincipal",
    svc_file: "SoPrincipal.svc",
    request_headers: PRINCIPAL_REQUEST_HEADERS,
    response_headers: RESPONSE_HEADERS,
    operations: PRINCIPAL_OPERATIONS,
};
