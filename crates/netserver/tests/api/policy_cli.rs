//! `netserver policy check|show` as an operator uses it: the real binary, a configuration
//! file, one password on standard input, and no store.

use std::process::Output;

use crate::support::Env;

/// Runs the binary in a fresh directory whose configuration file holds `config`.
fn run(config: &str, args: &[&str], stdin: &str) -> Output {
    let env = Env::with_config(config);
    let output = env.run(args, stdin);
    // The policy commands never open (or create) a store.
    let left: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["netserver.toml"], "{left:?}");
    output
}

fn check(config: &str, extra: &[&str], password: &str) -> (Option<i32>, String, String) {
    let mut args = vec!["policy", "check"];
    args.extend_from_slice(extra);
    let o = run(config, &args, &format!("{password}\n"));
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn check_accepts_with_status_0_and_rejects_with_status_1() {
    let (code, out, err) = check("", &[], "cobalt tulip harbour");
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (Some(0), "accepted\n", "")
    );

    let (code, out, err) = check("", &[], "short");
    assert_eq!(code, Some(1));
    assert_eq!(out, "rejected: the password is shorter than 8 characters\n");
    assert_eq!(err, "");

    let (code, out, _) = check("", &[], "");
    assert_eq!(
        (code, out.as_str()),
        (Some(1), "rejected: the password is empty\n")
    );
    let (code, out, _) = check("", &[], &"x".repeat(257));
    assert_eq!(
        (code, out.as_str()),
        (
            Some(1),
            "rejected: the password is longer than 256 characters\n"
        )
    );
}

#[test]
fn check_refuses_common_passwords_also_in_compatibility_forms() {
    for pw in [
        "password",
        "Password1",
        "qwerty123",
        "\u{FF50}\u{FF41}\u{FF53}\u{FF53}\u{FF57}\u{FF4F}\u{FF52}\u{FF44}",
    ] {
        let (code, out, _) = check("", &[], pw);
        assert_eq!(code, Some(1), "{pw}");
        assert!(
            out.starts_with("rejected: the password is too common"),
            "{out}"
        );
    }
}

#[test]
fn check_refuses_the_users_names() {
    let bob = ["--user", "bob", "--full-name", "Bob Builder"];
    let (code, out, _) = check("", &bob, "tulip-BUILDER-harbour");
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "rejected: the password must not contain the user's name\n"
    );
    let (code, _, _) = check("", &bob, "tulip-harbour-bo");
    assert_eq!(code, Some(0));
    let (code, _, _) = check("", &["--full-name", "Åsa Lindström"], "LINDSTRÖM-tulip");
    assert_eq!(code, Some(1));
    let (code, _, _) = check(
        "[password]\nrefuse_names = false\n",
        &bob,
        "tulip-bob-harbour",
    );
    assert_eq!(code, Some(0));
}

#[test]
fn check_uses_the_configured_preset_keys_and_message() {
    let complex = "[password]\npreset = \"onsite-complex\"\n";
    let (code, out, _) = check(complex, &[], "Tulip-harbour");
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "rejected: the password must contain at least 1 digit\n"
    );
    let (code, _, _) = check(complex, &[], "Tu1ip-harbour");
    assert_eq!(code, Some(0));

    let custom = "[password]\npreset = \"onsite-complex\"\nmin_digits = 2\n\
                  message = \"Use two digits, a capital and a symbol.\"\n";
    let (code, out, _) = check(custom, &[], "Tu1ip-harbour");
    assert_eq!(code, Some(1));
    assert_eq!(out, "rejected: Use two digits, a capital and a symbol.\n");

    let online = "[password]\npreset = \"online\"\n";
    let (code, out, _) = check(online, &[], "aaaaaaaa");
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with("rejected: the password is too easy to guess"),
        "{out}"
    );
    assert_eq!(check(online, &[], "kX9#vq2L").0, Some(0));
}

#[test]
fn a_bad_policy_configuration_is_an_error() {
    let (code, out, err) = check(
        "[password]\npreset = \"strict\"\n",
        &[],
        "cobalt tulip harbour",
    );
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert!(
        err.contains(
            "password.preset 'strict' is unknown; use one of: default, onsite-complex, online"
        ),
        "{err}"
    );
    let (code, _, err) = check("[password]\nmax_length = 32\n", &[], "cobalt tulip harbour");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("password.max_length (32) must be at least 64"),
        "{err}"
    );
}

#[test]
fn show_prints_the_effective_policy() {
    let o = run(
        "[password]\npreset = \"online\"\nhistory = 4\nmessage = \"Ask IT.\"\n",
        &["policy", "show"],
        "",
    );
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for line in [
        "[password]",
        "min_length = 6",
        "max_length = 256",
        "min_digits = 0",
        "min_strength = 2",
        "refuse_common = true",
        "refuse_names = true",
        "history = 4",
        "must_change_on_admin_set = false",
        "message = \"Ask IT.\"",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line} missing in:\n{text}"
        );
    }
}
