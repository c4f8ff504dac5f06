//! Response bodies, written in SuperOffice's element order so strict clients (zeep)
//! that read `xs:sequence` in order accept them.

use accounts::{Authenticated, Secret};
use soap::{XmlWriter, SERVICES88_NS};

const ARRAYS_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

pub enum Body {
    /// `<{element}><Response>bool</Response></{element}>`
    Boolean { element: &'static str, value: bool },
    /// `AuthenticateResponse`; `None` is a failed log-in.
    Authenticate(Option<Box<Authenticated>>),
    /// `<{element}><Response>text</Response></{element}>`: a generated password, sent
    /// once to the administrator who asked for it.
    Text {
        element: &'static str,
        value: Secret,
    },
    /// `<{element}><Response xsi:nil="true"/></{element}>`
    Nil { element: &'static str },
    /// `IsPasswordValidWithReasonResponse` with a `UserValidationResult`.
    Validation { valid: bool, reason: String },
    /// `GetSupportedChangePasswordTypesResponse` with an `ArrayOfChangePasswordType`.
    ChangeTypes(Vec<&'static str>),
}

impl Body {
    pub fn boolean(element: &'static str, value: bool) -> Body {
        Body::Boolean { element, value }
    }

    pub fn write(&self, w: &mut XmlWriter) {
        match self {
            Body::Boolean { element, value } => {
                w.open_with(element, &[("xmlns", SERVICES88_NS)]);
                w.leaf_bool("Response", *value);
                w.close(element);
            }
            Body::Authenticate(login) => write_authenticate(w, login.as_deref()),
            Body::Text { element, value } => {
                wrapped(w, element, |w| w.leaf("Response", value.expose()))
            }
            Body::Nil { element } => wrapped(w, element, |w| w.nil("Response")),
            Body::Validation { valid, reason } => {
                wrapped(w, "IsPasswordValidWithReasonResponse", |w| {
                    w.open("Response");
                    w.leaf("Reason", reason);
                    w.leaf_bool("Result", *valid);
                    w.close("Response");
                })
            }
            Body::ChangeTypes(types) => {
                wrapped(w, "GetSupportedChangePasswordTypesResponse", |w| {
                    w.open("Response");
                    for t in types {
                        w.leaf("ChangePasswordType", t);
                    }
                    w.close("Response");
                })
            }
        }
    }
}

/// `<element xmlns=Services88>…</element>`
fn wrapped(w: &mut XmlWriter, element: &str, inner: impl FnOnce(&mut XmlWriter)) {
    w.open_with(element, &[("xmlns", SERVICES88_NS)]);
    inner(w);
    w.close(element);
}

fn write_authenticate(w: &mut XmlWriter, login: Option<&Authenticated>) {
    w.open_with("AuthenticateResponse", &[("xmlns", SERVICES88_NS)]);
    match login {
        Some(login) => {
            write_carrier(w, login);
            w.open("Credentials");
            w.leaf("Ticket", login.ticket.expose());
            w.close("Credentials");
        }
        None => {
            w.nil("Response");
            w.nil("Credentials");
        }
    }
    w.leaf_bool("AuthenticationSucceeded", login.is_some());
    w.close("AuthenticateResponse");
}

/// The `SoPrincipalCarrier` fields netserver knows, in the WSDL's order.
fn write_carrier(w: &mut XmlWriter, login: &Authenticated) {
    let a = &login.associate;
    w.open("Response");
    w.leaf("UserType", a.user_type.wsdl_name());
    w.leaf("Associate", &a.name);
    w.leaf_int("AssociateId", i64::from(a.id));
    w.leaf("RoleType", role_type(a.user_type));
    w.leaf("FullName", &a.full_name);
    w.open_with("FunctionRights", &[("xmlns:a", ARRAYS_NS)]);
    for right in &a.rights {
        w.leaf("a:string", right.as_str());
    }
    w.close("FunctionRights");
    w.close("Response");
}

fn role_type(t: accounts::UserType) -> &'static str {
    match t {
        accounts::UserType::External => "ExternalUser",
        accounts::UserType::System => "System",
        accounts::UserType::Internal | accounts::UserType::Resource => "Employee",
    }
}
