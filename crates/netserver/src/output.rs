//! Standard output for the commands' results. A reader that goes away early
//! (`netserver audit | head`) is not an error: the command stops quietly with status 0,
//! as the usual command-line tools do, instead of `println!`'s panic on a broken pipe.

use std::io::Write;

/// `println!` for command output; see the module documentation.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

/// Writes one line to standard output. A closed pipe ends the process with status 0;
/// any other failure to write ends it with status 1 and a message on standard error.
pub fn line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
