//! The declarative model of the contract: schema fields, named types, operations and
//! what serving each does. Everything here is `'static` table data; the WSDL renderer
//! turns it into XML, the agents dispatch on it.

/// Where the type of a schema element comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A built-in XML Schema type: `Xs("int")` is written `xs:int`.
    Xs(&'static str),
    /// A named type of the Services88 schema (`tns:`), defined in the type catalog.
    Tns(&'static str),
    /// A type of WCF's serialization arrays namespace (`ArrayOfstring`, `ArrayOfint`).
    Arrays(&'static str),
    /// An anonymous complex type holding this sequence (dictionary entries).
    Inline(&'static [Field]),
}

/// The `xs:int` type.
pub const INT: Ty = Ty::Xs("int");
/// The `xs:string` type.
pub const STRING: Ty = Ty::Xs("string");
/// The `xs:boolean` type.
pub const BOOLEAN: Ty = Ty::Xs("boolean");
/// The `xs:dateTime` type.
pub const DATE_TIME: Ty = Ty::Xs("dateTime");

/// How often an element may occur inside its sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurs {
    /// Exactly once (no occurrence attributes written).
    Once,
    /// `minOccurs="0"`.
    Optional,
    /// `minOccurs="0" maxOccurs="unbounded"`.
    Many,
}

/// One element of a sequence (or a global element, where `occurs` is ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub nillable: bool,
    pub occurs: Occurs,
}

impl Field {
    /// `minOccurs="0"`, not nillable (WCF's shape for value types: int, boolean, enums).
    pub const fn opt(name: &'static str, ty: Ty) -> Field {
        Field {
            name,
            ty,
            nillable: false,
            occurs: Occurs::Optional,
        }
    }
    /// `minOccurs="0" nillable="true"` (WCF's shape for strings and reference types).
    pub const fn opt_nil(name: &'static str, ty: Ty) -> Field {
        Field {
            name,
            ty,
            nillable: true,
            occurs: Occurs::Optional,
        }
    }
    /// Required and nillable (dictionary `Key`/`Value`, nillable global elements).
    pub const fn req_nil(name: &'static str, ty: Ty) -> Field {
        Field {
            name,
            ty,
            nillable: true,
            occurs: Occurs::Once,
        }
    }
    /// Required, not nillable (the `Succeeded` global element).
    pub const fn req(name: &'static str, ty: Ty) -> Field {
        Field {
            name,
            ty,
            nillable: false,
            occurs: Occurs::Once,
        }
    }
    /// Repeated array item, not nillable.
    pub const fn many(name: &'static str, ty: Ty) -> Field {
        Field {
            name,
            ty,
            nillable: false,
            occurs: Occurs::Many,
        }
    }
    /// Repeated array item, nillable.
    pub const fn many_nil(name: &'static str, ty: Ty) -> Field {
        Field {
            name,
            ty,
            nillable: true,
            occurs: Occurs::Many,
        }
    }
}

/// A named schema type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeDef {
    /// `xs:complexType` with a sequence, optionally extending `base` (a `tns:` type).
    Complex {
        name: &'static str,
        base: Option<&'static str>,
        fields: &'static [Field],
    },
    /// `xs:simpleType` restricting `xs:string` to these names.
    Enum {
        name: &'static str,
        values: &'static [&'static str],
    },
    /// A `[Flags]` enum: `xs:list` of an anonymous restriction to these names.
    Flags {
        name: &'static str,
        values: &'static [&'static str],
    },
}

impl TypeDef {
    pub const fn name(&self) -> &'static str {
        match self {
            TypeDef::Complex { name, .. }
            | TypeDef::Enum { name, .. }
            | TypeDef::Flags { name, .. } => name,
        }
    }
}

/// One operation of an agent: everything netserver knows of it, read by dispatch, the
/// response writer, the WSDL and the audit trail alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperationSpec {
    /// Operation name, also the request wrapper element name (`SetPassword`).
    pub name: &'static str,
    /// What serving it does, which every protocol adapter matches exhaustively; `None`:
    /// the contract is known (for the tables' checks) but netserver does not serve it.
    pub action: Option<Action>,
    /// Children of the request wrapper element, in order.
    pub params: &'static [Field],
    /// Name of the response wrapper element and of the output message
    /// (`SetPasswordResponse`; `AuthenticateResponse` for every SoPrincipal Authenticate*).
    pub response_element: &'static str,
    /// Children of the response wrapper element, in order.
    pub response: &'static [Field],
}

impl OperationSpec {
    /// Whether netserver serves this operation; only these appear in the served WSDL.
    pub fn implemented(&self) -> bool {
        self.action.is_some()
    }

    /// The operation named in its audit records: every operation is audited under its own
    /// name (IsPasswordValidWithReason too), so the table derives it rather than stores it.
    pub fn audit_name(&self) -> &'static str {
        self.name
    }

    /// Name of the input message (`SetPasswordRequest`).
    pub fn request_message(&self) -> String {
        format!("{}Request", self.name)
    }
}

/// What an operation does, whatever the protocol that asked: an adapter reads the
/// parameters its protocol carries, calls the domain for the action, and writes the
/// answer. Matched exhaustively, so a new action is served by every adapter or none
/// compiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Log in with a user name and a password.
    Authenticate,
    /// An administrator sets an associate's password.
    SetPassword(NamedBy),
    /// A password changed by proving the old one (by its owner or an administrator).
    ChangePassword(NamedBy),
    /// The caller changes its own password, proving the old one.
    ChangeOwnPassword,
    /// Whether the caller may change an associate's password.
    CanChangePassword,
    /// The policy's verdict on a password, with the reason when `reason`.
    IsPasswordValid { reason: bool },
    /// An administrator has a password generated for an associate.
    SetGeneratedPassword(NamedBy),
    /// The ways an associate's password can be changed.
    SupportedChangeTypes,
}

/// How an operation names the associate it aims at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedBy {
    /// `AssociateId`.
    Id,
    /// `AssociateName`.
    Name,
}

/// The per-service constants of a WSDL document.
#[derive(Debug)]
pub(crate) struct ServiceSpec {
    /// `wsdl:definitions/@name` and `wsdl:service/@name`.
    pub service_name: &'static str,
    /// `wsdl:portType/@name`, also the action path segment (`.../Services88/User/SetPassword`).
    pub port_type: &'static str,
    /// File name in the endpoint path.
    pub svc_file: &'static str,
    /// Global header elements sent with every request, in order.
    pub request_headers: &'static [&'static str],
    /// Global header elements returned with every response, in order.
    pub response_headers: &'static [&'static str],
    /// Every operation netserver knows the contract of, in SuperOffice's order.
    pub operations: &'static [OperationSpec],
}
