//! The served WSDL documents: SuperOffice's names and shapes for what netserver
//! implements, both SOAP bindings, and self-containment (every reference resolves
//! inside the document).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

use std::collections::{HashMap, HashSet};

use roxmltree::{Document, Node};
use server::contract::Service;
use server::wsdl::{info_page, wsdl, wsdl_with};

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services88";
const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
const SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
const WSAW: &str = "http://www.w3.org/2006/05/addressing/wsdl";
const XSD: &str = "http://www.w3.org/2001/XMLSchema";
const ARRAYS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
const USER_ADDR: &str = "http://127.0.0.1:8080/Remote/Services88/User.svc";
const PRINCIPAL_ADDR: &str = "http://127.0.0.1:8080/Remote/Services88/SoPrincipal.svc";

fn parse(text: &str) -> Document<'_> {
    Document::parse(text).unwrap_or_else(|e| panic!("WSDL is not well-formed: {e}\n{text}"))
}

fn is(node: &Node, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == local
}

fn children<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'a str,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |n| is(n, ns, local))
}

/// The single child element `local` (in `ns`) named `name`.
fn named<'a, 'i>(node: Node<'a, 'i>, ns: &str, local: &str, name: &str) -> Node<'a, 'i> {
    let mut found = node
        .children()
        .filter(|n| is(n, ns, local) && n.attribute("name") == Some(name));
    let first = found
        .next()
        .unwrap_or_else(|| panic!("no {local} named {name}"));
    assert!(found.next().is_none(), "two {local} named {name}");
    first
}

/// Resolves a QName attribute value against the namespaces in scope at `node`.
fn qname(node: Node, value: &str) -> (String, String) {
    let (prefix, local) = value
        .split_once(':')
        .unwrap_or_else(|| panic!("unprefixed QName {value}"));
    let uri = node
        .lookup_namespace_uri(Some(prefix))
        .unwrap_or_else(|| panic!("prefix of {value} is not declared"));
    (uri.to_string(), local.to_string())
}

fn main_schema<'a, 'i>(doc: &'a Document<'i>) -> Node<'a, 'i> {
    let types = children(doc.root_element(), WSDL, "types")
        .next()
        .expect("wsdl:types");
    children(types, XSD, "schema")
        .find(|s| s.attribute("targetNamespace") == Some(NS))
        .expect("Services88 schema")
}

/// `(name, type, nillable, minOccurs)` of the sequence children of a global element's inline type.
fn wrapper_children(doc: &Document, element: &str) -> Vec<(String, String, bool, Option<String>)> {
    let el = named(main_schema(doc), XSD, "element", element);
    let seq = el
        .descendants()
        .find(|n| is(n, XSD, "sequence"))
        .expect("sequence");
    children(seq, XSD, "element")
        .map(|e| {
            let ty = e.attribute("type").map(|t| qname(e, t)).expect("type");
            let ty = if ty.0 == XSD {
                format!("xs:{}", ty.1)
            } else {
                format!("{{{}}}{}", ty.0, ty.1)
            };
            let nil = e.attribute("nillable") == Some("true");
            (
                e.attribute("name").unwrap().to_string(),
                ty,
                nil,
                e.attribute("minOccurs").map(String::from),
            )
        })
        .collect()
}

fn field(name: &str, ty: &str, nil: bool) -> (String, String, bool, Option<String>) {
    (name.to_string(), ty.to_string(), nil, Some("0".to_string()))
}

/// Checks the names, bindings, actions and headers common to every operation.
fn check_service(
    doc: &Document,
    svc: Service,
    addr: &str,
    op: &str,
    out_msg: &str,
    in_headers: &[&str],
) {
    let root = doc.root_element();
    let port_type = svc.port_type();
    assert!(is(&root, WSDL, "definitions"));
    assert_eq!(root.attribute("name"), Some(svc.service_name()));
    assert_eq!(root.attribute("targetNamespace"), Some(NS));
    let schema = main_schema(doc);
    assert_eq!(schema.attribute("elementFormDefault"), Some("qualified"));

    let action = format!("{NS}/{port_type}/{op}");
    let pt = named(root, WSDL, "portType", port_type);
    let pt_op = named(pt, WSDL, "operation", op);
    let input = children(pt_op, WSDL, "input").next().unwrap();
    let output = children(pt_op, WSDL, "output").next().unwrap();
    assert_eq!(input.attribute((WSAW, "Action")), Some(action.as_str()));
    assert_eq!(
        output.attribute((WSAW, "Action")),
        Some(format!("{action}Response").as_str())
    );
    assert_eq!(
        input.attribute("message"),
        Some(format!("tns:{op}Request").as_str())
    );
    assert_eq!(output.attribute("name"), Some(out_msg));
    assert_eq!(
        output.attribute("message"),
        Some(format!("tns:{out_msg}").as_str())
    );

    // Body messages and header messages.
    let part = |msg: &str| -> Vec<(String, String)> {
        children(named(root, WSDL, "message", msg), WSDL, "part")
            .map(|p| {
                (
                    p.attribute("name").unwrap().into(),
                    p.attribute("element").unwrap().into(),
                )
            })
            .collect()
    };
    assert_eq!(
        part(&format!("{op}Request")),
        [("parameters".into(), format!("tns:{op}"))]
    );
    assert_eq!(
        part(out_msg),
        [("parameters".into(), format!("tns:{out_msg}"))]
    );
    let out_headers = ["ExceptionInfo", "ExtraInfo", "Succeeded", "TimeZone"];
    let as_parts = |hs: &[&str]| {
        hs.iter()
            .map(|h| (h.to_string(), format!("tns:{h}")))
            .collect::<Vec<_>>()
    };
    assert_eq!(part(&format!("{op}Request_Headers")), as_parts(in_headers));
    assert_eq!(part(&format!("{out_msg}_Headers")), as_parts(&out_headers));

    let service = named(root, WSDL, "service", svc.service_name());
    for (soap_ns, suffix) in [(SOAP11, ""), (SOAP12, "_Soap12")] {
        let name = format!("BasicHttpBinding_{port_type}{suffix}");
        let binding = named(root, WSDL, "binding", &name);
        assert_eq!(
            binding.attribute("type"),
            Some(format!("tns:{port_type}").as_str())
        );
        let sb = children(binding, soap_ns, "binding")
            .next()
            .expect("soap binding element");
        assert_eq!(
            sb.attribute("transport"),
            Some("http://schemas.xmlsoap.org/soap/http")
        );
        let bop = named(binding, WSDL, "operation", op);
        let so = children(bop, soap_ns, "operation")
            .next()
            .expect("soap operation");
        assert_eq!(so.attribute("soapAction"), Some(action.as_str()));
        assert_eq!(so.attribute("style"), Some("document"));
        for (io, msg, hs) in [
            ("input", format!("{op}Request"), in_headers),
            ("output", out_msg.into(), &out_headers),
        ] {
            let io = children(bop, WSDL, io).next().unwrap();
            assert_eq!(io.attribute("name"), Some(msg.as_str()));
            let got: Vec<(&str, &str, &str)> = children(io, soap_ns, "header")
                .map(|h| {
                    (
                        h.attribute("message").unwrap(),
                        h.attribute("part").unwrap(),
                        h.attribute("use").unwrap(),
                    )
                })
                .collect();
            let hm = format!("tns:{msg}_Headers");
            let want: Vec<(&str, &str, &str)> =
                hs.iter().map(|h| (hm.as_str(), *h, "literal")).collect();
            assert_eq!(got, want);
            let body = children(io, soap_ns, "body").next().expect("body");
            assert_eq!(body.attribute("use"), Some("literal"));
        }
        let port = named(service, WSDL, "port", &name);
        assert_eq!(
            port.attribute("binding"),
            Some(format!("tns:{name}").as_str())
        );
        let address = children(port, soap_ns, "address").next().expect("address");
        assert_eq!(address.attribute("location"), Some(addr));
    }
    assert_eq!(children(service, WSDL, "port").count(), 2);
}

#[test]
fn user_wsdl_describes_set_password() {
    let text = wsdl(Service::User, USER_ADDR);
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    let doc = parse(&text);
    check_service(
        &doc,
        Service::User,
        USER_ADDR,
        "SetPassword",
        "SetPasswordResponse",
        &["ApplicationToken", "Credentials", "TimeZone"],
    );
    assert_eq!(
        wrapper_children(&doc, "SetPassword"),
        [
            field("AssociateId", "xs:int", false),
            field("Password", "xs:string", true)
        ]
    );
    assert_eq!(
        wrapper_children(&doc, "SetPasswordResponse"),
        [field("Response", "xs:boolean", false)]
    );
    // Only implemented operations are served, and only the types they reach.
    assert!(text.contains("ChangeOwnPassword") && text.contains("UserValidationResult"));
    assert!(!text.contains("SendChangePasswordEMail") && !text.contains("OperationResult"));
    assert!(!text.contains(ARRAYS));
}

#[test]
fn header_elements_and_types_match_superoffice() {
    let text = wsdl(Service::User, USER_ADDR);
    let doc = parse(&text);
    let schema = main_schema(&doc);
    for (name, ty, nil) in [
        ("ApplicationToken", "xs:string", true),
        ("Credentials", "tns:SoCredentials", true),
        ("TimeZone", "tns:SoTimeZone", true),
        ("ExceptionInfo", "tns:SoExceptionInfo", true),
        ("ExtraInfo", "tns:SoExtraInfo", true),
        ("Succeeded", "xs:boolean", false),
    ] {
        let el = named(schema, XSD, "element", name);
        assert_eq!(el.attribute("type"), Some(ty), "{name}");
        assert_eq!(el.attribute("nillable") == Some("true"), nil, "{name}");
    }
    let names = |ty: &str| -> Vec<String> {
        named(schema, XSD, "complexType", ty)
            .descendants()
            .filter(|n| is(n, XSD, "element"))
            .map(|n| n.attribute("name").unwrap().to_string())
            .collect()
    };
    assert_eq!(names("SoCredentials"), ["Ticket"]);
    assert_eq!(
        names("SoTimeZone"),
        ["SoTimeZoneId", "SoTimeZoneLocationCode"]
    );
    let info = [
        "Message",
        "StackTrace",
        "FriendlyText",
        "ExceptionType",
        "Source",
        "InnerException",
        "Parameters",
    ];
    assert_eq!(names("SoExceptionInfo"), info);
    assert_eq!(
        names("SoExceptionInfoParameters"),
        ["SoExceptionInfoParametersKeyValuePair", "Key", "Value"]
    );
    assert_eq!(
        names("SoExtraInfo"),
        ["ExtraInfoNameValuePair", "Key", "Value"]
    );

    // As WCF does, each named type has a nillable global element of the same name.
    let all = wsdl_with(Service::SoPrincipal, PRINCIPAL_ADDR, |_| true);
    let doc = parse(&all);
    for schema in doc.descendants().filter(|n| is(n, XSD, "schema")) {
        let target = schema.attribute("targetNamespace").unwrap();
        for ty in schema
            .children()
            .filter(|n| is(n, XSD, "complexType") || is(n, XSD, "simpleType"))
        {
            let name = ty.attribute("name").unwrap();
            let el = named(schema, XSD, "element", name);
            assert_eq!(el.attribute("nillable"), Some("true"), "{name}");
            assert_eq!(
                qname(el, el.attribute("type").unwrap()),
                (target.to_string(), name.to_string())
            );
        }
    }
}

#[test]
fn so_principal_wsdl_describes_authenticate() {
    let text = wsdl(Service::SoPrincipal, PRINCIPAL_ADDR);
    let doc = parse(&text);
    check_service(
        &doc,
        Service::SoPrincipal,
        PRINCIPAL_ADDR,
        "AuthenticateUsernamePassword",
        "AuthenticateResponse",
        &["ApplicationToken"],
    );
    assert_eq!(
        wrapper_children(&doc, "AuthenticateUsernamePassword"),
        [
            field("UserName", "xs:string", true),
            field("Password", "xs:string", true)
        ]
    );
    let tns = |t: &str| format!("{{{NS}}}{t}");
    assert_eq!(
        wrapper_children(&doc, "AuthenticateResponse"),
        [
            field("Response", &tns("SoPrincipalCarrier"), true),
            field("Credentials", &tns("SoCredentials"), true),
            field("AuthenticationSucceeded", "xs:boolean", false),
        ]
    );
    let schema = main_schema(&doc);
    let carrier = named(schema, XSD, "complexType", "SoPrincipalCarrier");
    let fields: HashMap<&str, (String, String)> = carrier
        .descendants()
        .filter(|n| is(n, XSD, "element"))
        .map(|n| {
            (
                n.attribute("name").unwrap(),
                qname(n, n.attribute("type").unwrap()),
            )
        })
        .collect();
    assert_eq!(fields.len(), 26);
    assert_eq!(fields["AssociateId"], (XSD.into(), "int".into()));
    assert_eq!(fields["UserType"], (NS.into(), "UserType".into()));
    assert_eq!(
        fields["FunctionRights"],
        (ARRAYS.into(), "ArrayOfstring".into())
    );
    assert_eq!(
        fields["SecondaryGroups"],
        (ARRAYS.into(), "ArrayOfint".into())
    );
    let values = |ty: &str| -> Vec<&str> {
        named(schema, XSD, "simpleType", ty)
            .descendants()
            .filter(|n| is(n, XSD, "enumeration"))
            .map(|n| n.attribute("value").unwrap())
            .collect()
    };
    assert_eq!(
        values("RoleType"),
        ["Employee", "ExternalUser", "Anonymous", "System"]
    );
    assert_eq!(
        values("LicenseType"),
        ["Unknown", "SiteLicense", "SatelliteLicense", "UserLicense"]
    );
    assert_eq!(values("UserType").len(), 6);
    assert_eq!(values("EjUserStatus").last(), Some(&"StatusSystem"));
    // SoPrincipal requests carry no ticket: no Credentials header element.
    assert!(schema
        .children()
        .all(|n| n.attribute("name") != Some("Credentials")));
}

/// Every QName reference resolves to a definition in the document itself.
fn check_self_contained(text: &str) {
    let doc = parse(text);
    let root = doc.root_element();
    assert!(!text.contains("<!DOCTYPE"));
    let schemas: Vec<Node> = doc.descendants().filter(|n| is(n, XSD, "schema")).collect();
    let inline: HashSet<&str> = schemas
        .iter()
        .map(|s| s.attribute("targetNamespace").unwrap())
        .collect();
    let (mut types, mut elements) = (HashSet::new(), HashSet::new());
    for s in &schemas {
        let target = s.attribute("targetNamespace").unwrap().to_string();
        for c in s.children().filter(|n| n.is_element()) {
            let key = (
                target.clone(),
                c.attribute("name").unwrap_or_default().to_string(),
            );
            match c.tag_name().name() {
                "complexType" | "simpleType" => assert!(types.insert(key), "duplicate type"),
                "element" => assert!(elements.insert(key), "duplicate element"),
                "import" => {
                    assert!(
                        c.attribute("schemaLocation").is_none(),
                        "import with a location"
                    );
                    assert!(
                        inline.contains(c.attribute("namespace").unwrap()),
                        "import of a missing schema"
                    );
                }
                other => panic!("unexpected schema child {other}"),
            }
        }
    }
    assert!(doc
        .descendants()
        .all(|n| !is(&n, XSD, "include") && !is(&n, XSD, "redefine")));
    let builtin = [
        "string",
        "int",
        "boolean",
        "dateTime",
        "long",
        "short",
        "base64Binary",
    ];
    for s in &schemas {
        let own = s.attribute("targetNamespace").unwrap();
        let imported: HashSet<&str> = children(*s, XSD, "import")
            .filter_map(|i| i.attribute("namespace"))
            .collect();
        for n in s.descendants().filter(|n| n.is_element()) {
            for attr in ["type", "base", "itemType", "ref"] {
                let Some(v) = n.attribute(attr) else { continue };
                let (uri, local) = qname(n, v);
                if uri == XSD {
                    assert!(builtin.contains(&local.as_str()), "unknown builtin {v}");
                    continue;
                }
                assert!(
                    uri == own || imported.contains(uri.as_str()),
                    "{v} used without xs:import"
                );
                let set = if attr == "ref" { &elements } else { &types };
                assert!(
                    set.contains(&(uri.clone(), local.clone())),
                    "unresolved {attr}={v}"
                );
            }
        }
    }
    let tns = root.attribute("targetNamespace").unwrap();
    let defs = |local: &str| -> HashSet<String> {
        children(root, WSDL, local)
            .map(|n| n.attribute("name").unwrap().to_string())
            .collect()
    };
    let (port_types, bindings) = (defs("portType"), defs("binding"));
    let messages: HashMap<String, HashSet<String>> = children(root, WSDL, "message")
        .map(|m| {
            let parts = children(m, WSDL, "part").map(|p| p.attribute("name").unwrap().to_string());
            (m.attribute("name").unwrap().to_string(), parts.collect())
        })
        .collect();
    let wsdl_ref = |n: Node, v: &str| -> String {
        let (uri, local) = qname(n, v);
        assert_eq!(uri, tns, "{v} outside the definitions namespace");
        local
    };
    for n in doc.descendants().filter(|n| n.is_element()) {
        if is(&n, WSDL, "part") {
            let (uri, local) = qname(n, n.attribute("element").expect("part element"));
            assert!(elements.contains(&(uri, local)), "unresolved part element");
        } else if is(&n, WSDL, "binding") {
            assert!(port_types.contains(&wsdl_ref(n, n.attribute("type").unwrap())));
            let pt = named(
                root,
                WSDL,
                "portType",
                &wsdl_ref(n, n.attribute("type").unwrap()),
            );
            let ops = |p: Node| {
                children(p, WSDL, "operation")
                    .map(|o| o.attribute("name").unwrap().to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(ops(n), ops(pt), "binding and portType operations differ");
        } else if is(&n, WSDL, "port") {
            assert!(bindings.contains(&wsdl_ref(n, n.attribute("binding").unwrap())));
        } else if let Some(v) = n.attribute("message") {
            let msg = wsdl_ref(n, v);
            let parts = messages
                .get(&msg)
                .unwrap_or_else(|| panic!("unresolved message {v}"));
            if let Some(part) = n.attribute("part") {
                assert!(parts.contains(part), "message {v} has no part {part}");
            }
        }
    }
    let allowed: HashSet<&str> = [
        WSDL,
        NS,
        SOAP11,
        SOAP12,
        WSAW,
        XSD,
        ARRAYS,
        "http://www.w3.org/XML/1998/namespace",
    ]
    .into();
    for n in doc.descendants().filter(|n| n.is_element()) {
        for ns in n.namespaces() {
            assert!(
                allowed.contains(ns.uri()),
                "unexpected namespace {}",
                ns.uri()
            );
        }
    }
}

#[test]
fn documents_are_self_contained() {
    for svc in Service::ALL {
        let addr = format!("http://h/Remote/Services88/{}", svc.svc_file());
        check_self_contained(&wsdl(svc, &addr));
        // Every operation in the tables, implemented or not, must also resolve.
        let all = wsdl_with(svc, &addr, |_| true);
        check_self_contained(&all);
        for op in svc.known_operations() {
            assert!(
                all.contains(&format!("name=\"{}\"", op.name)),
                "{}",
                op.name
            );
        }
        check_self_contained(&wsdl_with(svc, &addr, |_| false));
    }
}

#[test]
fn address_is_escaped_and_round_trips() {
    let addr = "http://h:1/Cust1/Remote/Services88/User.svc?a=1&b=<2>\"'";
    for svc in Service::ALL {
        let text = wsdl(svc, addr);
        assert!(text.contains("?a=1&amp;b=&lt;2&gt;&quot;&apos;"));
        let doc = parse(&text);
        let locations: Vec<&str> = doc
            .descendants()
            .filter(|n| is(n, SOAP11, "address") || is(n, SOAP12, "address"))
            .map(|n| n.attribute("location").unwrap())
            .collect();
        assert_eq!(locations, [addr, addr]);
    }
}

#[test]
fn info_page_links_the_wsdl() {
    let page = info_page(Service::User, USER_ADDR);
    assert!(page.contains("WcfUserService"));
    assert!(page.contains(&format!("href=\"{USER_ADDR}?wsdl\"")));
    assert!(page.contains(&format!("href=\"{USER_ADDR}?singleWsdl\"")));
    assert!(info_page(Service::SoPrincipal, PRINCIPAL_ADDR).contains("WcfSoPrincipalService"));
    let page = info_page(Service::User, "http://h/x?a=1&b=<script>");
    assert!(page.contains("href=\"http://h/x?a=1&amp;b=&lt;script&gt;?wsdl\""));
    assert!(!page.contains("<script>"));
}

#[test]
fn service_names() {
    assert_eq!(Service::User.service_name(), "WcfUserService");
    assert_eq!(Service::SoPrincipal.service_name(), "WcfSoPrincipalService");
    assert_eq!(Service::User.svc_file(), "User.svc");
    assert_eq!(Service::SoPrincipal.svc_file(), "SoPrincipal.svc");
    assert_eq!(Service::from_svc_file("user.SVC"), Some(Service::User));
    assert_eq!(
        Service::from_svc_file("soprincipal.svc"),
        Some(Service::SoPrincipal)
    );
    assert_eq!(Service::from_svc_file("Other.svc"), None);
    assert_eq!(
        Service::User.soap_action("SetPassword"),
        format!("{NS}/User/SetPassword")
    );
    assert_eq!(
        Service::User.binding_name(true),
        "BasicHttpBinding_User_Soap12"
    );
}
