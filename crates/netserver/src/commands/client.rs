//! `netserver client login|change-password|set-password`: a SOAP client of a running server.

use crate::cli::{CliError, ClientCommand};
use crate::client::Client;
use crate::commands::password;
use crate::output::outln;

pub async fn run(cmd: ClientCommand) -> Result<(), CliError> {
    match cmd {
        ClientCommand::Login {
            url,
            user,
            password_stdin,
            soap,
        } => {
            let pw = password::read(password_stdin, "Password: ", false)?;
            let client = Client::new(&url, soap.version(), soap.app_token)?;
            match client.login(&user, &pw).await? {
                Some(login) => {
                    eprintln!(
                        "Logged in as associate {} ({}).",
                        login.associate_id, login.full_name
                    );
                    outln!("{}", login.ticket.expose());
                    Ok(())
                }
                None => Err(CliError::from(
                    "log-in failed: unknown user or wrong password",
                )),
            }
        }
        ClientCommand::ChangePassword {
            url,
            ticket,
            password_stdin,
            soap,
        } => {
            let old = password::read(password_stdin, "Current password: ", false)?;
            let new = password::read(password_stdin, "New password: ", !password_stdin)?;
            let client = Client::new(&url, soap.version(), soap.app_token)?;
            let answer = client
                .change_own_password(&ticket.into(), &old, &new)
                .await?;
            report(answer)
        }
        ClientCommand::SetPassword {
            url,
            ticket,
            associate_id,
            password_stdin,
            soap,
        } => {
            let pw = password::read(password_stdin, "New password: ", !password_stdin)?;
            let client = Client::new(&url, soap.version(), soap.app_token)?;
            let answer = client
                .set_password(&ticket.into(), associate_id, &pw)
                .await?;
            report(answer)
        }
    }
}

/// Prints a boolean operation's answer; its ExceptionInfo, if any, is the error.
fn report(answer: crate::client::BoolAnswer) -> Result<(), CliError> {
    outln!("Response: {}", answer.response);
    match answer.error {
        None => Ok(()),
        Some(e) => Err(CliError::Failed(format!(
            "{}: {}",
            e.exception_type, e.message
        ))),
    }
}
