//! `SoPrincipal.svc`: log-in.

use accounts::Secret;
use soap::SoapError;

use crate::agents::{Call, Output, Reply};

impl Call<'_> {
    /// `AuthenticateUsernamePassword(UserName, Password) → AuthenticateResponse`. A failed
    /// log-in (a locked associate too) is not an error: it answers
    /// `AuthenticationSucceeded=false`. The per-address rate limit is: `Err(TooManyAttempts)`
    /// answers the same empty `AuthenticateResponse` beside `Succeeded=false` and an
    /// `ExceptionInfo` (or a fault, by setting), like every other domain error.
    pub(super) async fn authenticate(&self) -> Result<Reply, SoapError> {
        let user = self.op.text("UserName").unwrap_or("");
        let password = Secret::new(self.op.text("Password").unwrap_or(""));
        let result = self.accounts.authenticate(user, &password, self.ctx).await;
        let output = result.map(|login| Output::Authenticate(login.map(Box::new)));
        Ok(self.reply(output, Output::Authenticate(None)))
    }
}
