//! Writes a whole WSDL 1.1 document for one service: types, messages, portType,
//! the SOAP 1.1 binding (SuperOffice's) and the SOAP 1.2 binding (netserver's own),
//! and a service with one port per binding at the same address.

use super::ns;
use super::schema;
use super::xml::Writer;
use crate::contract::catalog;
use crate::contract::model::{Field, OperationSpec, ServiceSpec};

/// The two SOAP bindings of a document.
#[derive(Clone, Copy)]
enum Soap {
    V11,
    V12,
}

impl Soap {
    /// Prefix of the WSDL SOAP binding extension elements.
    fn prefix(self) -> &'static str {
        match self {
            Soap::V11 => "soap",
            Soap::V12 => "soap12",
        }
    }
}

/// Name of the SOAP 1.1 (`soap12 == false`) or SOAP 1.2 binding and port.
pub(crate) fn binding_name(spec: &ServiceSpec, soap12: bool) -> String {
    if soap12 {
        format!("BasicHttpBinding_{}_Soap12", spec.port_type)
    } else {
        format!("BasicHttpBinding_{}", spec.port_type)
    }
}

/// `http://www.superoffice.net/ws/crm/NetServer/Services88/<PortType>/<name>`.
pub(crate) fn action(spec: &ServiceSpec, name: &str) -> String {
    format!("{}/{}/{}", ns::SERVICES88, spec.port_type, name)
}

fn headers_message(message: &str) -> String {
    format!("{message}_Headers")
}

fn tns(name: &str) -> String {
    format!("tns:{name}")
}

/// The whole document for the operations `include` accepts.
pub(crate) fn document(
    spec: &ServiceSpec,
    address: &str,
    include: &dyn Fn(&OperationSpec) -> bool,
) -> String {
    let ops: Vec<&'static OperationSpec> =
        spec.operations.iter().filter(|op| include(op)).collect();
    let header_fields: Vec<&'static Field> = catalog::HEADER_ELEMENTS
        .iter()
        .filter(|h| {
            !ops.is_empty()
                && (spec.request_headers.contains(&h.name)
                    || spec.response_headers.contains(&h.name))
        })
        .collect();

    let mut w = Writer::new();
    w.open(
        "wsdl:definitions",
        &[
            ("name", spec.service_name),
            ("targetNamespace", ns::SERVICES88),
            ("xmlns:wsdl", ns::WSDL),
            ("xmlns:tns", ns::SERVICES88),
            ("xmlns:soap", ns::WSDL_SOAP11),
            ("xmlns:soap12", ns::WSDL_SOAP12),
            ("xmlns:wsaw", ns::WSAW),
        ],
    );
    schema::write_types(&mut w, &header_fields, &ops);
    write_messages(&mut w, spec, &ops);
    write_port_type(&mut w, spec, &ops);
    write_binding(&mut w, spec, &ops, Soap::V11);
    write_binding(&mut w, spec, &ops, Soap::V12);

    w.open("wsdl:service", &[("name", spec.service_name)]);
    for soap in [Soap::V11, Soap::V12] {
        let name = binding_name(spec, matches!(soap, Soap::V12));
        let binding = tns(&name);
        w.open("wsdl:port", &[("name", &name), ("binding", &binding)]);
        w.empty(
            &format!("{}:address", soap.prefix()),
            &[("location", address)],
        );
        w.close("wsdl:port");
    }
    w.close("wsdl:service");
    w.close("wsdl:definitions");
    w.finish()
}

/// One `wsdl:message` whose parts are global elements.
fn write_message(w: &mut Writer, name: &str, parts: &[(&str, &str)]) {
    w.open("wsdl:message", &[("name", name)]);
    for (part, element) in parts {
        let element = tns(element);
        w.empty("wsdl:part", &[("name", part), ("element", &element)]);
    }
    w.close("wsdl:message");
}

/// Per operation: `<Op>Request`, `<Op>Request_Headers`, and (once per response
/// element) `<Response>`, `<Response>_Headers`.
fn write_messages(w: &mut Writer, spec: &ServiceSpec, ops: &[&OperationSpec]) {
    let mut responses_written: Vec<&str> = Vec::new();
    for op in ops {
        let request = op.request_message();
        write_message(w, &request, &[("parameters", op.name)]);
        write_headers_message(w, &headers_message(&request), spec.request_headers);
        if !responses_written.contains(&op.response_element) {
            responses_written.push(op.response_element);
            write_message(
                w,
                op.response_element,
                &[("parameters", op.response_element)],
            );
            write_headers_message(
                w,
                &headers_message(op.response_element),
                spec.response_headers,
            );
        }
    }
}

fn write_headers_message(w: &mut Writer, name: &str, headers: &[&str]) {
    if headers.is_empty() {
        return;
    }
    let parts: Vec<(&str, &str)> = headers.iter().map(|h| (*h, *h)).collect();
    write_message(w, name, &parts);
}

fn write_port_type(w: &mut Writer, spec: &ServiceSpec, ops: &[&OperationSpec]) {
    w.open("wsdl:portType", &[("name", spec.port_type)]);
    for op in ops {
        let request = op.request_message();
        let in_action = action(spec, op.name);
        let out_action = action(spec, &format!("{}Response", op.name));
        let in_message = tns(&request);
        let out_message = tns(op.response_element);
        w.open("wsdl:operation", &[("name", op.name)]);
        w.empty(
            "wsdl:input",
            &[
                ("wsaw:Action", &in_action),
                ("name", &request),
                ("message", &in_message),
            ],
        );
        w.empty(
            "wsdl:output",
            &[
                ("wsaw:Action", &out_action),
                ("name", op.response_element),
                ("message", &out_message),
            ],
        );
        w.close("wsdl:operation");
    }
    w.close("wsdl:portType");
}

fn write_binding(w: &mut Writer, spec: &ServiceSpec, ops: &[&OperationSpec], soap: Soap) {
    let p = soap.prefix();
    let name = binding_name(spec, matches!(soap, Soap::V12));
    let port_type = tns(spec.port_type);
    w.open("wsdl:binding", &[("name", &name), ("type", &port_type)]);
    w.empty(
        &format!("{p}:binding"),
        &[("transport", ns::HTTP_TRANSPORT)],
    );
    for op in ops {
        let soap_action = action(spec, op.name);
        w.open("wsdl:operation", &[("name", op.name)]);
        w.empty(
            &format!("{p}:operation"),
            &[("soapAction", &soap_action), ("style", "document")],
        );
        let request = op.request_message();
        write_binding_io(w, p, "wsdl:input", &request, spec.request_headers);
        write_binding_io(
            w,
            p,
            "wsdl:output",
            op.response_element,
            spec.response_headers,
        );
        w.close("wsdl:operation");
    }
    w.close("wsdl:binding");
}

/// `wsdl:input`/`wsdl:output` of a binding operation: headers, then the literal body.
fn write_binding_io(w: &mut Writer, p: &str, tag: &str, message: &str, headers: &[&str]) {
    let header_tag = format!("{p}:header");
    let header_message = tns(&headers_message(message));
    w.open(tag, &[("name", message)]);
    for part in headers {
        w.empty(
            &header_tag,
            &[
                ("message", &header_message),
                ("part", part),
                ("use", "literal"),
            ],
        );
    }
    w.empty(&format!("{p}:body"), &[("use", "literal")]);
    w.close(tag);
}
