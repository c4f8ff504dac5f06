//! Operation tables of the two agents, with SuperOffice's contract for each
//! operation netserver knows. Serving a new operation in the WSDL means setting
//! its `implemented` flag (or adding an entry, with any new types in `catalog`).

use super::model::{Field, Operation, ServiceSpec, Ty, BOOLEAN, INT, STRING};

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
const USER_OPERATIONS: &[Operation] = &[
    Operation {
        name: "CanChangePassword",
        params: ASSOCIATE_ID,
        response_element: "CanChangePasswordResponse",
        response: BOOL_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "GetSupportedChangePasswordTypes",
        params: ASSOCIATE_ID,
        response_element: "GetSupportedChangePasswordTypesResponse",
        response: &[Field::opt_nil(
            "Response",
            Ty::Tns("ArrayOfChangePasswordType"),
        )],
        implemented: true,
    },
    Operation {
        name: "ChangePassword",
        params: &[
            Field::opt("AssociateId", INT),
            Field::opt_nil("OldPassword", STRING),
            Field::opt_nil("NewPassword", STRING),
        ],
        response_element: "ChangePasswordResponse",
        response: BOOL_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "SendChangePasswordEMail",
        params: ASSOCIATE_ID,
        response_element: "SendChangePasswordEMailResponse",
        response: &[Field::opt_nil("Response", Ty::Tns("OperationResult"))],
        implemented: false,
    },
    Operation {
        name: "SetPasswordFromName",
        params: &[
            Field::opt_nil("AssociateName", STRING),
            Field::opt_nil("Password", STRING),
        ],
        response_element: "SetPasswordFromNameResponse",
        response: BOOL_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "SetPassword",
        params: &[
            Field::opt("AssociateId", INT),
            Field::opt_nil("Password", STRING),
        ],
        response_element: "SetPasswordResponse",
        response: BOOL_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "ChangeOwnPassword",
        params: &[
            Field::opt_nil("OldPassword", STRING),
            Field::opt_nil("NewPassword", STRING),
        ],
        response_element: "ChangeOwnPasswordResponse",
        response: BOOL_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "ChangePasswordFromName",
        params: &[
            Field::opt_nil("AssociateName", STRING),
            Field::opt_nil("OldPassword", STRING),
            Field::opt_nil("NewPassword", STRING),
        ],
        response_element: "ChangePasswordFromNameResponse",
        response: BOOL_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "IsPasswordValid",
        params: PASSWORD_CHECK,
        response_element: "IsPasswordValidResponse",
        response: BOOL_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "SetGeneratedPassword",
        params: ASSOCIATE_ID,
        response_element: "SetGeneratedPasswordResponse",
        response: STRING_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "SetGeneratedPasswordFromName",
        params: &[Field::opt_nil("AssociateName", STRING)],
        response_element: "SetGeneratedPasswordFromNameResponse",
        response: STRING_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "IsPasswordValidWithReason",
        params: PASSWORD_CHECK,
        response_element: "IsPasswordValidWithReasonResponse",
        response: &[Field::opt_nil("Response", Ty::Tns("UserValidationResult"))],
        implemented: true,
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
const PRINCIPAL_OPERATIONS: &[Operation] = &[
    Operation {
        name: "AuthenticateUsernamePassword",
        params: &[
            Field::opt_nil("UserName", STRING),
            Field::opt_nil("Password", STRING),
        ],
        response_element: "AuthenticateResponse",
        response: AUTHENTICATE_RESPONSE,
        implemented: true,
    },
    Operation {
        name: "AuthenticateWithAccessToken",
        params: &[Field::opt_nil("AccessToken", STRING)],
        response_element: "AuthenticateResponse",
        response: AUTHENTICATE_RESPONSE,
        implemented: false,
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
