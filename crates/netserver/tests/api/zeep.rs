//! Python zeep, a strict WSDL-driven client, loads our served WSDL and logs in and sets a
//! password in SOAP 1.1 and 1.2, through the interop driver `interop/zeep/run VERSION`
//! (the one `interop/run` uses), given the runner's `NS_*` variables. It needs a Python
//! with zeep: `.ci/run` makes a virtual env and points `NETSERVER_ZEEP_PYTHON` at it;
//! there the test must run, elsewhere it says why it did not.

use accounts::Right;

use crate::helpers::*;

#[tokio::test]
async fn zeep_logs_in_and_sets_passwords_in_both_versions() {
    if std::env::var_os("NETSERVER_ZEEP_PYTHON").is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set NETSERVER_ZEEP_PYTHON"
        );
        eprintln!("NETSERVER_ZEEP_PYTHON not set: zeep interop not run (see .ci/run)");
        return;
    }
    let app = spawn_app().await;
    let run = concat!(env!("CARGO_MANIFEST_DIR"), "/../../interop/zeep/run");
    let work = tempfile::tempdir().unwrap();
    for version in ["11", "12"] {
        // A fresh target per version, as interop/run does.
        let name = format!("zeeptarget{version}");
        let target = app
            .add_user(&name, &[Right::AdminUsers], "zeep-start-pw")
            .await;
        // No faults-mode server here: without NS_FAULT_BASE the driver skips that step.
        let output = tokio::process::Command::new(run)
            .arg(version)
            .env("NS_BASE", &app.base)
            .env_remove("NS_FAULT_BASE")
            .env("NS_ADMIN_USER", "admin")
            .env("NS_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("NS_TARGET_USER", &name)
            .env("NS_TARGET_ID", target.to_string())
            .env("NS_TARGET_PASSWORD", "zeep-start-pw")
            .env("NS_WORK", work.path())
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "zeep check (SOAP {version}) failed:\n{stdout}\n{stderr}"
        );
        assert!(stdout.contains("zeep: 14 passed, 0 failed"), "{stdout}");
    }
}
