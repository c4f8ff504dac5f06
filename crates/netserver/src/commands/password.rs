//! Reading a password from the terminal or standard input, never from an argument
//! (arguments show up in `ps` and shell history).

use std::io::BufRead;

use accounts::Secret;

use crate::cli::CliError;

pub fn read(from_stdin: bool, prompt: &str, confirm: bool) -> Result<Secret, CliError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        let trimmed = line.trim_end_matches(['\n', '\r']);
        return Ok(Secret::new(trimmed));
    }
    let first = rpassword::prompt_password(prompt).map_err(|e| {
        format!("cannot read the password (use --password-stdin without a terminal): {e}")
    })?;
    if confirm {
        let again = rpassword::prompt_password("Repeat the password: ")
            .map_err(|e| format!("cannot read the password: {e}"))?;
        if again != first {
            return Err(CliError::from("the two passwords differ"));
        }
    }
    Ok(Secret::new(first))
}
