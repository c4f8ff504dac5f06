//! Response bodies, written in SuperOffice's element order so strict clients (zeep)
//! that read `xs:sequence` in order accept them.

use accounts::{Authenticated, Secret};
use soap::{XmlWriter, SERVICES88_NS};

const ARRAYS_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

/// What an operation answers inside its response element (which its entry names).
pub enum Output {
    /// `<Response>bool</Response>`
    Boolean(bool),
    /// `AuthenticateResponse`'s children; `None` is a failed log-in.
    Authenticate(Option<Box<Authenticated>>),
    /// `<Response>text</Response>`: a generated password, sent once to the administrator
    /// who asked for it.
    Text(Secret),
    /// `<Response xsi:nil="true"/>`
    Nil,
    /// `<Response>` as a `UserValidationResult`.
    Validation { valid: bool, reason: String },
    /// `<Response>` as an `ArrayOfChangePasswordType`.
    ChangeTypes(Vec<&'static str>),
}

impl Output {
    /// `<{element} xmlns=Services88>…</{element}>`.
    pub fn write(&self, element: &str, w: &mut XmlWriter) {
        w.open_with(element, &[("xmlns", SERVICES88_NS)]);
        match self {
            Output::Boolean(value) => w.leaf_bool("Response", *value),
            Output::Authenticate(login) => write_authenticate(w, login.as_deref()),
            Output::Text(value) => w.leaf("Response", value.expose()),
            Output::Nil => w.nil("Response"),
            Output::Validation { valid, reason } => {
                w.open("Response");
                w.leaf("Reason", reason);
                w.leaf_bool("Result", *valid);
                w.close("Response");
            }
            Output::ChangeTypes(types) => {
                w.open("Response");
                for t in types {
                    w.leaf("ChangePasswordType", t);
                }
                w.close("Response");
            }
        }
        w.close(element);
    }
}

fn write_authenticate(w: &mut XmlWriter, login: Option<&Authenticated>) {
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
