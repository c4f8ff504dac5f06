//! `netserver policy check|show`: the configured password policy without a store or a
//! server, for administrators trying a configuration and for scripts.

use std::io::IsTerminal;

use accounts::{normalize, PasswordPolicy, Subject};

use crate::cli::{CliError, PolicyCommand, Resolved};
use crate::commands::password;
use crate::output::outln;

pub fn run(cfg: Resolved, cmd: PolicyCommand) -> Result<(), CliError> {
    let policy = cfg.file.settings()?.policy;
    match cmd {
        PolicyCommand::Check { user, full_name } => {
            // A terminal gets a prompt without echo; a pipe gives one line.
            let from_stdin = !std::io::stdin().is_terminal();
            let password = normalize(&password::read(from_stdin, "Password: ", false)?);
            let subject = (user.is_some() || full_name.is_some()).then(|| Subject {
                name: user.as_deref().unwrap_or(""),
                full_name: full_name.as_deref().unwrap_or(""),
            });
            match policy.verdict(&password, subject.as_ref()) {
                Ok(()) => {
                    outln!("accepted");
                    Ok(())
                }
                Err(violation) => {
                    outln!("rejected: {}", policy.reason(&violation));
                    Err(CliError::Reported)
                }
            }
        }
        PolicyCommand::Show => {
            outln!(
                "{}",
                show(&policy, cfg.file.password.preset.as_deref()).trim_end_matches('\n')
            );
            Ok(())
        }
    }
}

/// The policy as a `[password]` section that reproduces it when pasted into a config file.
fn show(p: &PasswordPolicy, preset: Option<&str>) -> String {
    let quoted = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut out = format!(
        "# effective password policy (preset {} with the configured keys)\n[password]\n",
        quoted(preset.unwrap_or("default"))
    );
    let mut line = |key: &str, value: String| out.push_str(&format!("{key} = {value}\n"));
    line("min_length", p.min_len.to_string());
    line("max_length", p.max_len.to_string());
    line("min_digits", p.min_digits.to_string());
    line("min_lowercase", p.min_lower.to_string());
    line("min_uppercase", p.min_upper.to_string());
    line("min_special", p.min_special.to_string());
    line("min_strength", p.min_strength.unwrap_or(0).to_string());
    line("refuse_common", p.refuse_common.to_string());
    line("refuse_names", p.refuse_names.to_string());
    line("history", p.history.to_string());
    line(
        "must_change_on_admin_set",
        p.must_change_on_admin_set.to_string(),
    );
    if let Some(message) = &p.message {
        line("message", quoted(message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FileConfig;

    #[test]
    fn show_prints_a_section_that_reads_back_as_the_same_policy() {
        for text in [
            "",
            "[password]\npreset = \"online\"\n",
            "[password]\npreset = \"onsite-complex\"\nhistory = 3\nmessage = \"Say \\\"hi\\\"\\n\"\n",
        ] {
            let file: FileConfig = toml::from_str(text).unwrap();
            let policy = file.settings().unwrap().policy;
            let shown = show(&policy, file.password.preset.as_deref());
            let again: FileConfig = toml::from_str(&shown).unwrap();
            assert_eq!(again.settings().unwrap().policy, policy, "{shown}");
        }
    }
}
