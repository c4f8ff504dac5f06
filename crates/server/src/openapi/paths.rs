//! One path item per served operation: `POST /api/v1/Agents/<Agent>/<Operation>` with
//! SuperOffice's operation id and request schema name, the result as a bare JSON value,
//! and the error answers every operation shares.

use serde_json::{json, Map, Value};

use super::schema::{reference, Components};
use crate::contract::model::{Action, NamedBy, OperationSpec, ServiceSpec};

/// Component name of the error body every failed call answers with.
pub(crate) const ERROR_SCHEMA: &str = "netserver.Error";

/// The statuses a failed call may answer with, and when. Each carries the error body.
pub(crate) const ERROR_STATUSES: &[(&str, &str)] = &[
    ("400", "The body is not one JSON object of the parameters, a parameter is missing or of the wrong type, the policy refuses the password, the current password given is wrong, or the associate is retired."),
    ("401", "No credentials, or credentials that are not valid: a missing, unknown, expired or revoked ticket, a wrong user name or password, a missing or unknown application token, or a ticket of another application."),
    ("403", "The caller may not do this: a functional right is missing, the User agent is not available to this application, or the caller must change its own password first."),
    ("404", "The associate or the customer named does not exist."),
    ("408", "The body did not arrive in time."),
    ("413", "The body is larger than the server accepts."),
    ("415", "The body is not declared as JSON."),
    ("429", "Too many attempts: the caller or the associate is locked out for a while."),
    ("500", "The server failed; the body says no more than that."),
    ("503", "The server cannot answer now: its store is unavailable, or it is busy."),
];

/// The path of an operation: `/api/v1/Agents/User/SetPassword`.
pub(crate) fn path(spec: &ServiceSpec, op: &OperationSpec) -> String {
    format!("/api/v1/Agents/{}/{}", spec.port_type, op.name)
}

/// SuperOffice's operation id: `v1UserAgent_SetPassword`.
pub(crate) fn operation_id(spec: &ServiceSpec, op: &OperationSpec) -> String {
    format!("v1{}Agent_{}", spec.port_type, op.name)
}

/// SuperOffice's request schema name:
/// `SuperOffice.WebApi.v1.Carriers.UserCarriers.SetPasswordRequest`.
pub(crate) fn request_schema(spec: &ServiceSpec, op: &OperationSpec) -> String {
    format!(
        "SuperOffice.WebApi.v1.Carriers.{}Carriers.{}Request",
        spec.port_type, op.name
    )
}

/// What a call does, for the operation's summary. Exhaustive, so a new action cannot be
/// served without its line here.
fn summary(action: Action) -> &'static str {
    let by = |named: NamedBy, by_id: &'static str, by_name: &'static str| match named {
        NamedBy::Id => by_id,
        NamedBy::Name => by_name,
    };
    match action {
        Action::Authenticate => "Log in with a user name and a password.",
        Action::SetPassword(named) => by(
            named,
            "Set the password of the associate with this id (user administrators).",
            "Set the password of the associate with this name (user administrators).",
        ),
        Action::ChangePassword(named) => by(
            named,
            "Change the password of the associate with this id, proving the current one.",
            "Change the password of the associate with this name, proving the current one.",
        ),
        Action::ChangeOwnPassword => "Change the caller's own password, proving the current one.",
        Action::CanChangePassword => "Whether the caller may change this associate's password.",
        Action::IsPasswordValid { reason: false } => {
            "Whether the password policy accepts this password for this associate."
        }
        Action::IsPasswordValid { reason: true } => {
            "The password policy's verdict on this password for this associate, with its reason."
        }
        Action::SetGeneratedPassword(named) => by(
            named,
            "Give the associate with this id a generated password, and answer it (user administrators).",
            "Give the associate with this name a generated password, and answer it (user administrators).",
        ),
        Action::SupportedChangeTypes => "The ways this associate's password can be changed.",
    }
}

/// The path item of one served operation; its request schema is added to `components`.
pub(crate) fn path_item(
    spec: &ServiceSpec,
    op: &OperationSpec,
    action: Action,
    components: &mut Components,
) -> Value {
    let request = request_schema(spec, op);
    let body = components.object(op.params);
    components.schemas.insert(request.clone(), body);
    let result = match op.response {
        // The result travels bare: the value of the SOAP response's one `Response` child.
        [single] => components.schema(single.ty),
        _ => json!({}),
    };
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({
            "description": "The result, as a bare JSON value.",
            "content": { "application/json": { "schema": result } },
        }),
    );
    for (status, _) in ERROR_STATUSES {
        responses.insert(
            (*status).into(),
            json!({ "$ref": format!("#/components/responses/{}", error_response(status)) }),
        );
    }
    json!({
        "post": {
            "tags": [format!("{}_Agent", spec.port_type)],
            "operationId": operation_id(spec, op),
            "summary": summary(action),
            "requestBody": {
                "required": true,
                "description": op.params.iter().map(|f| f.name).collect::<Vec<_>>().join(", "),
                "content": { "application/json": { "schema": reference(&request) } },
            },
            "responses": responses,
        }
    })
}

/// The component name of the error answer of `status`: `Error401`.
pub(crate) fn error_response(status: &str) -> String {
    format!("Error{status}")
}

/// The error answers, one per status in [`ERROR_STATUSES`], by component name.
pub(crate) fn error_responses() -> Map<String, Value> {
    let mut out = Map::new();
    for (status, description) in ERROR_STATUSES {
        let mut answer = json!({
            "description": description,
            "content": { "application/json": { "schema": reference(ERROR_SCHEMA) } },
        });
        if *status == "401" {
            answer["headers"] = json!({
                "WWW-Authenticate": {
                    "description": "The schemes the server accepts.",
                    "schema": { "type": "string" },
                }
            });
        }
        out.insert(error_response(status), answer);
    }
    out
}

/// The error body: NetServer's `ExceptionInfo` in JSON, with netserver's stable code.
pub(crate) fn error_schema() -> Value {
    json!({
        "type": "object",
        "description": "Why a call failed. ErrorType is the exception name the SOAP agent gives the same failure; ErrorCode is netserver's stable code for it.",
        "required": ["Error", "ErrorType", "ErrorMessage", "ErrorSource", "ErrorCode"],
        "properties": {
            "Error": { "type": "boolean", "enum": [true] },
            "ErrorType": { "type": "string", "example": "SoInvalidTicketException" },
            "ErrorMessage": { "type": "string", "description": "Text for a person; it names no secret." },
            "ErrorSource": { "type": "string", "example": "netserver" },
            "ErrorCode": { "type": "string", "example": "ticket_invalid" },
        },
    })
}
