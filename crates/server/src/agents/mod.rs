//! The agents: one module per `.svc`, each operation an adapter that extracts its
//! parameters from the SOAP request, calls the domain, and says what to answer.
//! Writing the answer is `errors`' and `body`'s job, so every agent maps alike. Before
//! any adapter runs, each parameter the operation's contract declares (the WSDL tables)
//! is checked to appear at most once.

mod body;
mod soprincipal;
mod user;

use accounts::{AccountError, Accounts, CallContext};
use soap::{Request, SoapError, SERVICES88_NS};

use crate::wsdl::Service;

pub use body::Body;

/// What an operation answers: its body on success, the domain error otherwise, and the
/// body to send beside an `ExceptionInfo` when it failed.
pub struct Reply {
    pub result: Result<Body, AccountError>,
    pub fallback: Body,
}

/// Dispatches on the body's operation element; unknown operations are a protocol error.
pub async fn call(
    accounts: &Accounts,
    service: Service,
    request: &Request,
    ctx: &CallContext,
) -> Result<Reply, SoapError> {
    let op = &request.operation;
    if op.namespace != SERVICES88_NS {
        return Err(unknown(request));
    }
    // Each declared parameter at most once, checked against the contract (not just the
    // parameters an adapter happens to read) before anything runs.
    if let Some(contract) = service.operation(&op.name).filter(|c| c.implemented) {
        op.check_params_once(contract.params.iter().map(|p| p.name))?;
    }
    match (service, op.name.as_str()) {
        (Service::User, _) => match user::call(accounts, op, ctx).await {
            Some(reply) => reply,
            None => Err(unknown(request)),
        },
        (Service::SoPrincipal, "AuthenticateUsernamePassword") => {
            soprincipal::authenticate_username_password(accounts, op, ctx).await
        }
        _ => Err(unknown(request)),
    }
}

fn unknown(request: &Request) -> SoapError {
    SoapError::UnknownOperation {
        namespace: request.operation.namespace.clone(),
        name: request.operation.name.clone(),
    }
}
