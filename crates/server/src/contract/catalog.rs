//! The named types and header elements of the Services88 schema that netserver's
//! operations use, with SuperOffice's names, field order, nillability and
//! occurrence. A type is written into a document only when something in that
//! document refers to it, so the catalog may hold more than one service needs.
//!
//! Left out on purpose: WCF's `IsDictionary`, `ActualType` and `EnumerationValue`
//! annotations (they live in the `http://schemas.microsoft.com/2003/10/Serialization/`
//! namespace and change nothing on the wire).

use super::model::{Field, Ty, TypeDef, BOOLEAN, DATE_TIME, INT, STRING};

/// Global header elements: `<xs:element name=… nillable=… type=…/>`.
pub(crate) const HEADER_ELEMENTS: &[Field] = &[
    Field::req_nil("ApplicationToken", STRING),
    Field::req_nil("Credentials", Ty::Tns("SoCredentials")),
    Field::req_nil("TimeZone", Ty::Tns("SoTimeZone")),
    Field::req_nil("ExceptionInfo", Ty::Tns("SoExceptionInfo")),
    Field::req_nil("ExtraInfo", Ty::Tns("SoExtraInfo")),
    Field::req("Succeeded", BOOLEAN),
];

const KEY_VALUE_STRING: &[Field] = &[
    Field::req_nil("Key", STRING),
    Field::req_nil("Value", STRING),
];

/// Named types of the Services88 namespace, in the order they are written.
pub(crate) const TYPES: &[TypeDef] = &[
    // Header types.
    TypeDef::Complex {
        name: "SoCredentials",
        base: None,
        fields: &[Field::opt_nil("Ticket", STRING)],
    },
    TypeDef::Complex {
        name: "SoTimeZone",
        base: None,
        fields: &[
            Field::opt("SoTimeZoneId", INT),
            Field::opt_nil("SoTimeZoneLocationCode", STRING),
        ],
    },
    TypeDef::Complex {
        name: "SoExceptionInfo",
        base: None,
        fields: &[
            Field::opt_nil("Message", STRING),
            Field::opt_nil("StackTrace", STRING),
            Field::opt_nil("FriendlyText", STRING),
            Field::opt_nil("ExceptionType", STRING),
            Field::opt_nil("Source", STRING),
            Field::opt_nil("InnerException", Ty::Tns("SoExceptionInfo")),
            Field::opt_nil("Parameters", Ty::Tns("SoExceptionInfoParameters")),
        ],
    },
    TypeDef::Complex {
        name: "SoExceptionInfoParameters",
        base: None,
        fields: &[Field::many(
            "SoExceptionInfoParametersKeyValuePair",
            Ty::Inline(KEY_VALUE_STRING),
        )],
    },
    TypeDef::Complex {
        name: "SoExtraInfo",
        base: None,
        fields: &[Field::many(
            "ExtraInfoNameValuePair",
            Ty::Inline(KEY_VALUE_STRING),
        )],
    },
    // Carrier base and its rights.
    TypeDef::Complex {
        name: "Carrier",
        base: None,
        fields: &[
            Field::opt_nil("TableRight", Ty::Tns("TableRight")),
            Field::opt_nil("FieldProperties", Ty::Tns("FieldPropertyDictionary")),
        ],
    },
    TypeDef::Complex {
        name: "TableRight",
        base: None,
        fields: &[
            Field::opt("Mask", Ty::Tns("ETableRight")),
            Field::opt_nil("Reason", STRING),
        ],
    },
    TypeDef::Flags {
        name: "ETableRight",
        values: &[
            "Select",
            "Update",
            "Insert",
            "Delete",
            "Filtering",
            "RestrictedUpdate",
            "Unused1",
            "Uninitialized",
            "R",
            "F",
        ],
    },
    TypeDef::Complex {
        name: "FieldPropertyDictionary",
        base: None,
        fields: &[Field::many(
            "FieldPropertyDictionaryKeyValuePair",
            Ty::Inline(&[
                Field::req_nil("Key", STRING),
                Field::req_nil("Value", Ty::Tns("FieldProperty")),
            ]),
        )],
    },
    TypeDef::Complex {
        name: "FieldProperty",
        base: None,
        fields: &[
            Field::opt_nil("FieldRight", Ty::Tns("FieldRight")),
            Field::opt_nil("FieldType", STRING),
            Field::opt("FieldLength", INT),
        ],
    },
    TypeDef::Complex {
        name: "FieldRight",
        base: None,
        fields: &[
            Field::opt("Mask", Ty::Tns("EFieldRight")),
            Field::opt_nil("Reason", STRING),
        ],
    },
    TypeDef::Flags {
        name: "EFieldRight",
        values: &[
            "Read",
            "Write",
            "Unused1",
            "Unused2",
            "Unused3",
            "Unused4",
            "UIHintMandatory",
            "UIHintReadOnly",
            "UndefinedValue256",
            "Nullable",
        ],
    },
    // Shared enums.
    TypeDef::Enum {
        name: "LicenseType",
        values: &["Unknown", "SiteLicense", "SatelliteLicense", "UserLicense"],
    },
    TypeDef::Enum {
        name: "UserType",
        values: &[
            "Unknown",
            "InternalAssociate",
            "ResourceAssociate",
            "ExternalAssociate",
            "AnonymousAssociate",
            "SystemAssociate",
        ],
    },
    // User agent password operations.
    TypeDef::Complex {
        name: "ArrayOfChangePasswordType",
        base: None,
        fields: &[Field::many(
            "ChangePasswordType",
            Ty::Tns("ChangePasswordType"),
        )],
    },
    TypeDef::Enum {
        name: "ChangePasswordType",
        values: &["Email", "Password"],
    },
    TypeDef::Complex {
        name: "OperationResult",
        base: None,
        fields: &[
            Field::opt("Success", BOOLEAN),
            Field::opt_nil("Message", STRING),
        ],
    },
    TypeDef::Complex {
        name: "UserValidationResult",
        base: Some("Carrier"),
        fields: &[
            Field::opt_nil("Reason", STRING),
            Field::opt("Result", BOOLEAN),
        ],
    },
    // SoPrincipal.
    TypeDef::Complex {
        name: "SoPrincipalCarrier",
        base: None,
        fields: &[
            Field::opt("UserType", Ty::Tns("UserType")),
            Field::opt_nil("Associate", STRING),
            Field::opt("AssociateId", INT),
            Field::opt("IsPerson", BOOLEAN),
            Field::opt("PersonId", INT),
            Field::opt("CountryId", INT),
            Field::opt("HomeCountryId", INT),
            Field::opt("ContactId", INT),
            Field::opt("GroupId", INT),
            Field::opt("BusinessId", INT),
            Field::opt("CategoryId", INT),
            Field::opt("ContactOwner", INT),
            Field::opt("RoleId", INT),
            Field::opt_nil("RoleName", STRING),
            Field::opt_nil("RoleDescription", STRING),
            Field::opt("RoleType", Ty::Tns("RoleType")),
            Field::opt_nil("Licenses", Ty::Tns("ArrayOfGrantedModuleLicense")),
            Field::opt_nil("FullName", STRING),
            Field::opt_nil("EMailAddress", STRING),
            Field::opt_nil("FunctionRights", Ty::Arrays("ArrayOfstring")),
            Field::opt("EjUserId", INT),
            Field::opt("EjAccessLevel", INT),
            Field::opt("EjUserStatus", Ty::Tns("EjUserStatus")),
            Field::opt_nil("ProvidedCredentials", Ty::Tns("ArrayOfProvidedCredential")),
            Field::opt_nil("SecondaryGroups", Ty::Arrays("ArrayOfint")),
            Field::opt_nil("DatabaseContextIdentifier", STRING),
        ],
    },
    TypeDef::Enum {
        name: "RoleType",
        values: &["Employee", "ExternalUser", "Anonymous", "System"],
    },
    TypeDef::Complex {
        name: "ArrayOfGrantedModuleLicense",
        base: None,
        fields: &[Field::many_nil(
            "GrantedModuleLicense",
            Ty::Tns("GrantedModuleLicense"),
        )],
    },
    TypeDef::Complex {
        name: "GrantedModuleLicense",
        base: Some("Carrier"),
        fields: &[
            Field::opt("OwnerId", INT),
            Field::opt_nil("OwnerName", STRING),
            Field::opt_nil("OwnerDescription", STRING),
            Field::opt("ModuleId", INT),
            Field::opt_nil("Name", STRING),
            Field::opt_nil("Description", STRING),
            Field::opt_nil("Version", STRING),
            Field::opt("LicenseType", Ty::Tns("LicenseType")),
            Field::opt("ExtraFlags", INT),
            Field::opt("SortOrder", INT),
            Field::opt("LicenseNumber", INT),
            Field::opt("IsHidden", BOOLEAN),
            Field::opt("IsUnrestricted", BOOLEAN),
            Field::opt("ExpiryDate", DATE_TIME),
        ],
    },
    TypeDef::Enum {
        name: "EjUserStatus",
        values: &[
            "StatusNone",
            "StatusNormal",
            "StatusNotAvailable",
            "StatusDeleted",
            "StatusReadOnly",
            "StatusSpm",
            "StatusSystem",
        ],
    },
    TypeDef::Complex {
        name: "ArrayOfProvidedCredential",
        base: None,
        fields: &[Field::many_nil(
            "ProvidedCredential",
            Ty::Tns("ProvidedCredential"),
        )],
    },
    TypeDef::Complex {
        name: "ProvidedCredential",
        base: None,
        fields: &[
            Field::opt_nil("Type", STRING),
            Field::opt_nil("SearchName", STRING),
            Field::opt_nil("DisplayName", STRING),
            Field::opt("CredentialId", INT),
        ],
    },
];

/// Named types of `http://schemas.microsoft.com/2003/10/Serialization/Arrays`.
pub(crate) const ARRAY_TYPES: &[TypeDef] = &[
    TypeDef::Complex {
        name: "ArrayOfstring",
        base: None,
        fields: &[Field::many_nil("string", STRING)],
    },
    TypeDef::Complex {
        name: "ArrayOfint",
        base: None,
        fields: &[Field::many("int", INT)],
    },
];

/// The Services88 type of this name.
pub(crate) fn tns_type(name: &str) -> Option<&'static TypeDef> {
    TYPES.iter().find(|t| t.name() == name)
}

/// The arrays-namespace type of this name.
pub(crate) fn array_type(name: &str) -> Option<&'static TypeDef> {
    ARRAY_TYPES.iter().find(|t| t.name() == name)
}
