//! The OpenAPI 3.0 document of the REST twin of the User agent, generated from the
//! contract's tables (`crate::contract`) as the WSDL is: one `POST` per served
//! operation, under SuperOffice's operation ids (`v1UserAgent_SetPassword`) and schema
//! names (`SuperOffice.WebApi.v1.Carriers.UserCarriers.SetPasswordRequest`,
//! `SuperOffice.CRM.Services.UserValidationResult`), so that clients generated from
//! SuperOffice's published files and from ours agree on the wire.
//!
//! It differs from SuperOffice's files where netserver differs: it lists only what is
//! served (operations, `application/json`), it declares the error answers (status and
//! [`ERROR_SCHEMA`] body), and it names netserver's three ways to authenticate.
//!
//! The document is served at `<base>/api/v1/openapi.json`; its first server is that
//! `<base>` (the path prefix and customer segment the request used), so a tool that
//! loads it from a server calls the same server back.

mod paths;
mod schema;

use serde_json::{json, Map, Value};

use crate::contract::{OperationSpec, Service};
use paths::ERROR_SCHEMA;
use schema::Components;

/// Where the document is served, below a path prefix and customer segment.
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";

/// The document for the User agent's served operations, pretty-printed with a final
/// newline. `base` is the path in front of `/api/v1` (`""`, `/Cust12345`,
/// `/SuperOffice/Cust12345`); it becomes the first server's URL.
pub fn openapi(base: &str) -> String {
    openapi_with(base, OperationSpec::implemented)
}

/// Like [`openapi`], for the known operations `include` accepts that have an action
/// (tests use it to check the table).
pub fn openapi_with(base: &str, include: impl Fn(&OperationSpec) -> bool) -> String {
    let document = document(Service::User, base, &include);
    // A `Value` always serialises; the fallback is never reached.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn document(service: Service, base: &str, include: &dyn Fn(&OperationSpec) -> bool) -> Value {
    let spec = service.spec();
    let mut components = Components::default();
    let mut paths = Map::new();
    for op in spec.operations.iter().filter(|op| include(op)) {
        let Some(action) = op.action else { continue };
        paths.insert(
            paths::path(spec, op),
            paths::path_item(spec, op, action, &mut components),
        );
    }
    let mut schemas: Map<String, Value> = components.schemas.into_iter().collect();
    schemas.insert(ERROR_SCHEMA.into(), paths::error_schema());
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "netserver WebApi: User agent",
            "version": "v1",
            "description": DESCRIPTION,
        },
        "servers": servers(base),
        "tags": [{
            "name": format!("{}_Agent", spec.port_type),
            "description": "The password operations of the User agent, twin of the SOAP endpoint Remote/Services88/User.svc.",
        }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": paths::error_responses(),
            "securitySchemes": security_schemes(),
        },
        "security": [
            { "SOTicket": [] },
            { "Basic": [] },
            { "SOTicket": [], "SOAppToken": [] },
        ],
    })
}

/// The base the document was asked under, then the general shape of every base.
fn servers(base: &str) -> Value {
    let here = if base.is_empty() { "/" } else { base };
    json!([
        {
            "url": here,
            "description": "The base this document was asked for under.",
        },
        {
            "url": "{path_prefix}/{customer}",
            "description": "Any base: an optional path prefix ([http] path_prefix) and, where customers are set up, the customer's segment.",
            "variables": {
                "path_prefix": {
                    "default": "",
                    "description": "The site's virtual directory, e.g. /SuperOffice; empty when none is configured.",
                },
                "customer": {
                    "default": "Cust12345",
                    "description": "The customer (tenant) whose users the call is about.",
                },
            },
        },
    ])
}

fn security_schemes() -> Value {
    json!({
        "SOTicket": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A ticket from SoPrincipal AuthenticateUsernamePassword (SOAP), sent as `Authorization: SOTicket 7T:...`, as it is.",
        },
        "Basic": {
            "type": "http",
            "scheme": "basic",
            "description": "A user name and password, on a server without customers only.",
        },
        "SOAppToken": {
            "type": "apiKey",
            "in": "header",
            "name": "SO-AppToken",
            "description": "The application's token; required with a ticket where applications are registered.",
        },
    })
}

const DESCRIPTION: &str = "\
The REST twin of netserver's SOAP User agent: each operation is `POST <base>/api/v1/Agents/User/<Operation>` \
with a JSON object of its parameters (keys matched case-insensitively) and answers its result as a bare JSON value: \
`true`/`false`, a string, an array or an object.\n\n\
`<base>` is empty, or a customer segment (`/Cust12345`), behind an optional path prefix set by `[http] path_prefix` \
(`/SuperOffice`, `/SuperOffice/Cust12345`).\n\n\
A failed call answers an HTTP status by the kind of failure and a `netserver.Error` body; its ErrorType and ErrorCode \
are those the SOAP agent gives the same failure.";
