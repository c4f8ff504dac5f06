//! WSDL documents and service info pages for the Services88 agents netserver serves.
//!
//! A document describes only the operations netserver implements, under
//! SuperOffice's names (definitions, portType, messages, parts, elements, types,
//! actions), so that clients generated from SuperOffice's published WSDL and from
//! ours agree on the wire. It differs from SuperOffice's in three deliberate ways:
//!
//! * it is self-contained: every schema it references is inline, and no
//!   `xs:import` carries a `schemaLocation`, so `?wsdl` and `?singleWsdl` can
//!   return the same text;
//! * WCF's serialization annotations (`IsDictionary`, `ActualType`,
//!   `EnumerationValue`) are left out, so the serialization schema is not needed;
//! * besides SuperOffice's SOAP 1.1 binding `BasicHttpBinding_<Agent>` it has a
//!   SOAP 1.2 binding `BasicHttpBinding_<Agent>_Soap12`; both ports share one
//!   address and the server answers in the SOAP version of each request.
//!
//! The documents are generated from the contract's tables (`crate::contract`): each
//! agent's operations (request and response children), the named types and header
//! elements. Only the types an included operation reaches are written.

mod render;
mod schema;
mod xml;

use xml::escape;

use crate::contract::{OperationSpec, Service};

/// XML namespaces used by the documents.
pub(crate) mod ns {
    /// Target namespace of both agents' WSDL and schema (`tns`).
    pub const SERVICES88: &str = "http://www.superoffice.net/ws/crm/NetServer/Services88";
    /// WCF's array types (`ArrayOfstring`, `ArrayOfint`).
    pub const ARRAYS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
    pub const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
    /// WSDL 1.1 SOAP 1.1 binding extension.
    pub const WSDL_SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
    /// WSDL 1.1 SOAP 1.2 binding extension.
    pub const WSDL_SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
    /// WS-Addressing WSDL binding (`wsaw:Action`).
    pub const WSAW: &str = "http://www.w3.org/2006/05/addressing/wsdl";
    pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";
    /// SOAP over HTTP transport URI of both bindings.
    pub const HTTP_TRANSPORT: &str = "http://schemas.xmlsoap.org/soap/http";
}

impl Service {
    /// `BasicHttpBinding_User` (SOAP 1.1) or `BasicHttpBinding_User_Soap12` (SOAP 1.2).
    pub fn binding_name(self, soap12: bool) -> String {
        render::binding_name(self.spec(), soap12)
    }

    /// The SOAPAction (and `wsaw:Action` of the input) of an operation, e.g.
    /// `http://www.superoffice.net/ws/crm/NetServer/Services88/User/SetPassword`.
    pub fn soap_action(self, operation: &str) -> String {
        render::action(self.spec(), operation)
    }
}

/// A self-contained WSDL 1.1 document (types inline, no `xs:include`, no
/// `xs:import` with a location) for what netserver implements of `service`, with
/// `address` (e.g. `http://127.0.0.1:8080/Remote/Services88/User.svc`) as the
/// location of both ports. `address` is XML-escaped here.
pub fn wsdl(service: Service, address: &str) -> String {
    wsdl_with(service, address, OperationSpec::implemented)
}

/// Like [`wsdl`], for the known operations `include` accepts (tests use it to check
/// the whole table; a deployment could use it to hide operations).
pub fn wsdl_with(
    service: Service,
    address: &str,
    include: impl Fn(&OperationSpec) -> bool,
) -> String {
    render::document(service.spec(), address, &include)
}

/// A short HTML page naming the service and linking `address?wsdl` and
/// `address?singleWsdl` (escaped).
pub fn info_page(service: Service, address: &str) -> String {
    let name = escape(service.service_name());
    let wsdl = escape(&format!("{address}?wsdl"));
    let single = escape(&format!("{address}?singleWsdl"));
    let ops: String = service
        .known_operations()
        .iter()
        .filter(|op| op.implemented())
        .map(|op| format!("<li><code>{}</code></li>", escape(op.name)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{name}</title>\n</head>\n<body>\n<h1>{name}</h1>\n\
         <p>Services88 SOAP endpoint (SOAP 1.1 and SOAP 1.2) served by netserver.</p>\n\
         <p>Service description: <a href=\"{wsdl}\">{wsdl}</a></p>\n\
         <p>Single-file description: <a href=\"{single}\">{single}</a></p>\n\
         <p>Operations:</p>\n<ul>{ops}</ul>\n</body>\n</html>\n"
    )
}
