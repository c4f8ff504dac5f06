//! Python zeep, a strict WSDL-driven client, loads our served WSDL and logs in and sets a
//! password in SOAP 1.1 and 1.2. It needs a Python with zeep: `.ci/run` makes a virtual
//! env and points `NETSERVER_ZEEP_PYTHON` at it; there the test must run, elsewhere it
//! says why it did not.

use accounts::Right;

use crate::helpers::*;

#[tokio::test]
async fn zeep_logs_in_and_sets_passwords_in_both_versions() {
    let Ok(python) = std::env::var("NETSERVER_ZEEP_PYTHON") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set NETSERVER_ZEEP_PYTHON"
        );
        eprintln!("NETSERVER_ZEEP_PYTHON not set: zeep interop not run (see .ci/run)");
        return;
    };
    let app = spawn_app().await;
    let target = app
        .add_user("zeeptarget", &[Right::AdminUsers], "zeep-start-pw")
        .await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../interop/zeep_check.py");
    let output = tokio::process::Command::new(python)
        .args([
            script,
            &app.base,
            "admin",
            ADMIN_PASSWORD,
            "zeeptarget",
            &target.to_string(),
        ])
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "zeep check failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}
