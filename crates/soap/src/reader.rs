//! The request envelope reader.
//!
//! Order of work: byte checks (`scan`), then `roxmltree` with DTDs refused and a node
//! limit, then the envelope namespace (which decides the version, whatever the HTTP
//! content type said), a depth walk over the tree, the envelope's structure,
//! mustUnderstand, headers and body.
//!
//! The envelope's shape (one meaning per message) is checked by `structure`; parameters
//! against the operation's contract by the caller
//! ([`Operation::check_params_once`](crate::Operation::check_params_once)).
//!
//! Headers are looked for inside `Header` and also as direct children of `Envelope`,
//! because SuperOffice's documentation examples put `ApplicationToken` and `Credentials`
//! there and people copy those examples; both places count together.

use roxmltree::{Document, Node, ParsingOptions};

use crate::model::{Operation, Param, Request, RequestHeaders, TimeZone};
use crate::structure::{field, only_operation, split_envelope, OwnHeaders};
use crate::xml_error::xml_error;
use crate::xsd::{is_nil_value, parse_xs_boolean, parse_xs_int};
use crate::{scan, Fault, Limits, SoapError, SoapVersion, SERVICES88_NS, XSI_NS};

/// The three Services88 request headers, always understood.
const OWN_HEADERS: [&str; 3] = ["ApplicationToken", "Credentials", "TimeZone"];

/// SOAP 1.2 roles this server plays; a block aimed at any other role is not for us.
const V12_OUR_ROLES: [&str; 2] = [
    "http://www.w3.org/2003/05/soap-envelope/role/next",
    "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver",
];
/// The SOAP 1.1 actor every node plays.
const V11_NEXT_ACTOR: &str = "http://schemas.xmlsoap.org/soap/actor/next";

/// Parse a request envelope. `hint` is the version guessed from Content-Type; it is used for the error's version
/// when the envelope itself cannot be read. The three Services88 headers are always understood.
pub fn parse_request(body: &[u8], hint: SoapVersion, limits: &Limits) -> Result<Request, Fault> {
    parse_request_with(body, hint, limits, &[])
}

/// [`parse_request`] for a caller that understands more header blocks: `understood` lists
/// their (namespace, local name) so that `mustUnderstand` on them is not a fault.
pub fn parse_request_with(
    body: &[u8],
    hint: SoapVersion,
    limits: &Limits,
    understood: &[(&str, &str)],
) -> Result<Request, Fault> {
    let text = scan::decode(body, limits).map_err(|e| Fault::new(hint, e))?;
    scan::check_markup(text, limits.max_depth)
        .map_err(|e| Fault::new(sniff_version(text).unwrap_or(hint), e))?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_nodes,
    };
    let doc = Document::parse_with_options(text, options)
        .map_err(|e| Fault::new(hint, xml_error(&e, limits)))?;
    let root = doc.root().first_element_child().ok_or_else(|| {
        Fault::new(
            hint,
            SoapError::Malformed("there is no root element".into()),
        )
    })?;
    let version = envelope_version(root);
    // Once the root is known to be an envelope, every later fault speaks its version.
    let fault_version = *version.as_ref().unwrap_or(&hint);
    check_depth(root, limits.max_depth).map_err(|e| Fault::new(fault_version, e))?;
    let version = version.map_err(|e| Fault::new(hint, e))?;
    read_envelope(root, version, understood).map_err(|e| Fault::new(version, e))
}

/// The version of the root start tag alone, for a message refused before parsing (too
/// deep): the tag is parsed on its own as an empty element, which is cheap and bounded.
fn sniff_version(text: &str) -> Option<SoapVersion> {
    let tag = scan::first_start_tag(text)?;
    let open = tag.strip_suffix("/>").or_else(|| tag.strip_suffix('>'))?;
    let alone = format!("{open}/>");
    let doc = Document::parse(&alone).ok()?;
    envelope_version(doc.root().first_element_child()?).ok()
}

fn envelope_version(root: Node) -> Result<SoapVersion, SoapError> {
    if root.tag_name().name() != "Envelope" {
        return Err(SoapError::NotAnEnvelope);
    }
    let ns = root.tag_name().namespace().unwrap_or("");
    SoapVersion::from_envelope_ns(ns)
        .ok_or_else(|| SoapError::WrongEnvelopeNamespace(ns.to_owned()))
}

/// The authoritative depth check over the tree (the byte scan is only a stack guard).
/// An explicit stack, so a deep tree cannot recurse us into trouble either.
fn check_depth(root: Node, max_depth: u32) -> Result<(), SoapError> {
    let mut stack = vec![(root, 1u32)];
    while let Some((node, depth)) = stack.pop() {
        if depth > max_depth {
            return Err(SoapError::TooDeep { limit: max_depth });
        }
        stack.extend(
            node.children()
                .filter(Node::is_element)
                .map(|c| (c, depth + 1)),
        );
    }
    Ok(())
}

fn read_envelope(
    env: Node,
    version: SoapVersion,
    understood: &[(&str, &str)],
) -> Result<Request, SoapError> {
    let parts = split_envelope(env, version)?;
    if let Some(header) = parts.header {
        check_must_understand(header, version, understood)?;
    }
    Ok(Request {
        version,
        headers: read_headers(&parts.own)?,
        operation: read_operation(only_operation(parts.body)?),
    })
}

fn check_must_understand(
    header: Node,
    version: SoapVersion,
    understood: &[(&str, &str)],
) -> Result<(), SoapError> {
    let env_ns = version.envelope_ns();
    let mut refused = Vec::new();
    for block in header.children().filter(Node::is_element) {
        let must = block
            .attribute((env_ns, "mustUnderstand"))
            .and_then(parse_xs_boolean)
            .unwrap_or(false);
        if !must || !targets_us(block, version) {
            continue;
        }
        let ns = block.tag_name().namespace().unwrap_or("");
        let local = block.tag_name().name();
        let ours = ns == SERVICES88_NS && OWN_HEADERS.contains(&local);
        if !ours && !understood.contains(&(ns, local)) {
            refused.push((ns.to_owned(), local.to_owned()));
        }
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(SoapError::MustUnderstand(refused))
    }
}

/// Whether a header block is aimed at the ultimate receiver (absent role/actor included).
fn targets_us(block: Node, version: SoapVersion) -> bool {
    let env_ns = version.envelope_ns();
    // Written as a match rather than `is_none_or`, which is newer than the workspace MSRV.
    match version {
        SoapVersion::V12 => match block.attribute((env_ns, "role")) {
            None => true,
            Some(r) => r.is_empty() || V12_OUR_ROLES.contains(&r),
        },
        SoapVersion::V11 => match block.attribute((env_ns, "actor")) {
            None => true,
            Some(a) => a.is_empty() || a == V11_NEXT_ACTOR,
        },
    }
}

/// The Services88 headers' values. Each header's fields are checked to appear once even
/// when the header is nil, so no reader of the message can find a second copy anywhere.
fn read_headers(own: &OwnHeaders) -> Result<RequestHeaders, SoapError> {
    let application_token = own.application_token.and_then(string_value);
    let ticket = match own.credentials {
        None => None,
        Some(c) => field(c, "Credentials", "Ticket")?
            .filter(|_| !is_nil(c))
            .and_then(string_value),
    };
    let time_zone = match own.time_zone {
        None => None,
        Some(tz) => read_time_zone(tz)?,
    };
    Ok(RequestHeaders {
        application_token,
        ticket,
        time_zone,
    })
}

fn read_time_zone(tz: Node) -> Result<Option<TimeZone>, SoapError> {
    let id = field(tz, "TimeZone", "SoTimeZoneId")?;
    let location_code = field(tz, "TimeZone", "SoTimeZoneLocationCode")?;
    if is_nil(tz) {
        return Ok(None);
    }
    let id = match id.and_then(string_value) {
        None => None,
        Some(text) => Some(parse_xs_int(&text).ok_or_else(|| SoapError::InvalidValue {
            element: "SoTimeZoneId".to_owned(),
            expected: "xs:int",
        })?),
    };
    Ok(Some(TimeZone {
        id,
        location_code: location_code.and_then(string_value),
    }))
}

fn read_operation(op: Node) -> Operation {
    Operation {
        namespace: op.tag_name().namespace().unwrap_or("").to_owned(),
        name: op.tag_name().name().to_owned(),
        params: op
            .children()
            .filter(Node::is_element)
            .map(|p| Param {
                namespace: p.tag_name().namespace().unwrap_or("").to_owned(),
                name: p.tag_name().name().to_owned(),
                value: string_value(p),
            })
            .collect(),
    }
}

fn is_nil(node: Node) -> bool {
    node.attribute((XSI_NS, "nil")).is_some_and(is_nil_value)
}

/// All descendant text (references and CDATA already resolved by the parser, comments
/// left out), untrimmed; None when the element is nil.
fn string_value(node: Node) -> Option<String> {
    if is_nil(node) {
        return None;
    }
    Some(
        node.descendants()
            .filter(Node::is_text)
            .filter_map(|t| t.text())
            .collect(),
    )
}
