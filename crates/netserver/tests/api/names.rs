//! Log-in names are one name when their NFKC case folds are equal: a look-alike
//! (`ｂｏｓｓ` in fullwidth letters, `boſs` with a long s) cannot be added beside `boss`,
//! and logging in with one reaches `boss` itself.

use crate::support::{err, out, serve_to, Env};

#[test]
fn look_alike_names_are_refused_and_log_in_as_the_same_user() {
    let env = Env::new();
    let add = |name: &str| {
        env.run(
            &["user", "add", name, "--password-stdin"],
            "Tr0ubled-kettle-7\n",
        )
    };
    let boss = add("boss");
    assert!(boss.status.success(), "{}", err(&boss));
    for look_alike in ["ｂｏｓｓ", "boſs", "ＢＯＳＳ", "BOẞ"] {
        let o = add(look_alike);
        assert!(!o.status.success(), "{look_alike} was added beside boss");
        assert!(err(&o).contains("already taken"), "{}", err(&o));
    }
    let list = out(&env.run(&["user", "list"], ""));
    assert_eq!(list.lines().count(), 2, "one header, one user: {list}");

    let (_server, url, _) = serve_to(&env, std::process::Stdio::null(), "warn");
    for look_alike in ["ｂｏｓｓ", "boſs"] {
        let login = env.login(&url, look_alike, &[], "Tr0ubled-kettle-7");
        assert!(login.status.success(), "{}", err(&login));
        assert!(
            err(&login).contains("Logged in as associate 1 "),
            "{}",
            err(&login)
        );
    }
}
