//! The agents: the SOAP adapters of the operations. The operation's entry in the contract
//! names its action; the adapter of that action reads its parameters from the SOAP
//! request, calls the domain, and says what to answer. Writing the answer is `respond`'s
//! job, so every operation maps alike. Before any adapter runs, each parameter the
//! operation's contract declares is checked to appear at most once.

mod output;
mod soprincipal;
mod user;

use accounts::{AccountError, Accounts, CallContext};
use soap::{Operation, SoapError, SERVICES88_NS};

use crate::contract::{Action, OperationSpec, Service};

pub use output::Output;

/// What an operation answers: its response element, its output on success, the domain
/// error otherwise, and the output to send beside an `ExceptionInfo` when it failed.
pub struct Reply {
    pub element: &'static str,
    pub result: Result<Output, AccountError>,
    pub fallback: Output,
}

/// One call as its adapter sees it: the domain, the request's operation element, the
/// call's context and the operation's entry. Each agent's module adds the adapters of
/// its actions.
struct Call<'a> {
    accounts: &'a Accounts,
    op: &'a Operation,
    ctx: &'a CallContext,
    spec: &'a OperationSpec,
}

impl Call<'_> {
    /// The reply in the entry's response element.
    fn reply(&self, result: Result<Output, AccountError>, fallback: Output) -> Reply {
        Reply {
            element: self.spec.response_element,
            result,
            fallback,
        }
    }
}

/// Dispatches on the body's operation element; an operation the service does not serve
/// is a protocol error.
pub async fn call(
    accounts: &Accounts,
    service: Service,
    op: &Operation,
    ctx: &CallContext,
) -> Result<Reply, SoapError> {
    let served = if op.namespace == SERVICES88_NS {
        service.served(&op.name)
    } else {
        None
    };
    let Some((spec, action)) = served else {
        return Err(SoapError::UnknownOperation {
            namespace: op.namespace.clone(),
            name: op.name.clone(),
        });
    };
    // Each declared parameter at most once, checked against the contract (not just the
    // parameters an adapter happens to read) before anything runs.
    op.check_params_once(spec.params.iter().map(|p| p.name))?;
    let call = Call {
        accounts,
        op,
        ctx,
        spec,
    };
    match action {
        Action::Authenticate => call.authenticate().await,
        Action::SetPassword(by) => call.set_password(by).await,
        Action::ChangePassword(by) => call.change_password(by).await,
        Action::ChangeOwnPassword => call.change_own_password().await,
        Action::CanChangePassword => call.can_change_password().await,
        Action::IsPasswordValid { reason } => call.is_password_valid(reason).await,
        Action::SetGeneratedPassword(by) => call.set_generated(by).await,
        Action::SupportedChangeTypes => call.supported_types().await,
    }
}
