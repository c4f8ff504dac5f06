//! Common passwords in l33t spellings that keep some digits as digits (`P@ssw0rd1` reads
//! as `password1`), refused over SOAP like the plain entries.

use crate::helpers::*;

#[tokio::test]
async fn l33t_spellings_beside_real_digits_are_refused_as_common() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", &[], "b-secret-pw-1").await.to_string();
    let ticket = app.admin_ticket().await;
    for password in [
        "P@ssw0rd1",
        "m0nk3y123",
        "P@ssw0rd",
        "password1",
        "monkey123",
        "Pa55word1",
        "321YEKNOM",
    ] {
        let answer = app.set_password(Some(&ticket), &bob, password).await;
        answer.assert_exception("SoPasswordPolicyException");
        let message = answer.message.unwrap();
        assert!(message.contains("too common"), "{password}: {message}");
    }
    // Not a reading of any entry: accepted.
    app.set_password(Some(&ticket), &bob, "P@ssw0rd-tulip-harbour1")
        .await
        .assert_success();
}
