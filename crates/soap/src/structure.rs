//! The envelope's shape: one meaning per message.
//!
//! A message that two readers could take apart differently is refused here rather than
//! read by a "first one wins" guess: two `Header`s or a `Header` after the `Body`, two
//! `Body`s, an element after the `Body`, more than one element in the `Body`, one of our
//! headers twice (inside `Header` and directly under `Envelope` counted together) or a
//! field of one twice (WS-I Basic Profile 1.1 R1011, R2201). Otherwise a proxy, firewall
//! or audit tap that picks the other copy would see another request than the one executed.
//! Whitespace, comments and processing instructions are not elements and stay fine.
//!
//! One pass over the envelope's children, no allocation unless a refusal names an element.

use roxmltree::Node;

use crate::{SoapError, SoapVersion, SERVICES88_NS};

/// An envelope taken apart in one pass over its children.
pub(crate) struct Parts<'a, 'i> {
    pub(crate) header: Option<Node<'a, 'i>>,
    pub(crate) body: Node<'a, 'i>,
    pub(crate) own: OwnHeaders<'a, 'i>,
}

/// The Services88 header blocks found, inside `Header` or directly under `Envelope`.
#[derive(Default)]
pub(crate) struct OwnHeaders<'a, 'i> {
    pub(crate) application_token: Option<Node<'a, 'i>>,
    pub(crate) credentials: Option<Node<'a, 'i>>,
    pub(crate) time_zone: Option<Node<'a, 'i>>,
}

impl<'a, 'i> OwnHeaders<'a, 'i> {
    /// Keeps `node` when it is one of our headers; a second one of a kind is refused,
    /// wherever each copy sits, so no reader of the message can pick another copy.
    fn take(&mut self, node: Node<'a, 'i>) -> Result<(), SoapError> {
        if node.tag_name().namespace() != Some(SERVICES88_NS) {
            return Ok(());
        }
        let (slot, name) = match node.tag_name().name() {
            "ApplicationToken" => (&mut self.application_token, "ApplicationToken"),
            "Credentials" => (&mut self.credentials, "Credentials"),
            "TimeZone" => (&mut self.time_zone, "TimeZone"),
            _ => return Ok(()),
        };
        if slot.replace(node).is_some() {
            return Err(SoapError::DuplicateHeader(name));
        }
        Ok(())
    }
}

/// One meaning per message (WS-I Basic Profile R1011, R2201): at most one `Header`, before
/// the `Body`; exactly one `Body`; nothing after it; each of our headers once. Elements
/// directly under `Envelope` before the `Body` are tolerated, and read when they are our
/// headers. Whitespace, comments and processing instructions are not elements.
pub(crate) fn split_envelope<'a, 'i>(
    env: Node<'a, 'i>,
    version: SoapVersion,
) -> Result<Parts<'a, 'i>, SoapError> {
    let env_ns = version.envelope_ns();
    let mut header = None;
    let mut body = None;
    let mut own = OwnHeaders::default();
    for node in env.children().filter(Node::is_element) {
        if body.is_some() {
            return Err(after_body(node, env_ns));
        }
        if node.has_tag_name((env_ns, "Body")) {
            body = Some(node);
        } else if node.has_tag_name((env_ns, "Header")) {
            if header.replace(node).is_some() {
                return Err(SoapError::TwoHeaders);
            }
            for block in node.children().filter(Node::is_element) {
                own.take(block)?;
            }
        } else {
            own.take(node)?;
        }
    }
    Ok(Parts {
        header,
        body: body.ok_or(SoapError::NoBody)?,
        own,
    })
}

/// The refusal for the first element that follows the `Body`.
fn after_body(node: Node, env_ns: &str) -> SoapError {
    if node.has_tag_name((env_ns, "Body")) {
        SoapError::TwoBodies
    } else if node.has_tag_name((env_ns, "Header")) {
        SoapError::HeaderAfterBody
    } else {
        SoapError::ElementAfterBody {
            namespace: node.tag_name().namespace().unwrap_or("").to_owned(),
            name: node.tag_name().name().to_owned(),
        }
    }
}

/// The `Body`'s one element child: none and more than one are both refused.
pub(crate) fn only_operation<'a, 'i>(body: Node<'a, 'i>) -> Result<Node<'a, 'i>, SoapError> {
    let mut elements = body.children().filter(Node::is_element);
    let op = elements.next().ok_or(SoapError::EmptyBody)?;
    match elements.next() {
        None => Ok(op),
        Some(second) => Err(SoapError::TwoOperations {
            first: op.tag_name().name().to_owned(),
            second: second.tag_name().name().to_owned(),
        }),
    }
}

/// The Services88 child `name` of `header`, refused when it appears twice.
pub(crate) fn field<'a, 'i>(
    header: Node<'a, 'i>,
    header_name: &'static str,
    name: &'static str,
) -> Result<Option<Node<'a, 'i>>, SoapError> {
    let mut found = header
        .children()
        .filter(|c| c.is_element() && c.has_tag_name((SERVICES88_NS, name)));
    let first = found.next();
    if found.next().is_some() {
        return Err(SoapError::DuplicateHeaderField {
            header: header_name,
            field: name,
        });
    }
    Ok(first)
}
