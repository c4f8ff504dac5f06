//! The hasher against the standard Argon2 verifier, parameters changes and bad input.

use super::*;

#[tokio::test]
async fn hash_then_verify() {
    let h = Hasher::new(KdfParams::insecure_for_tests(), 2).unwrap();
    let phc = h.hash(&Secret::new("correct horse")).await.unwrap();
    assert!(phc.starts_with("$argon2id$"));
    assert!(!phc.contains("correct horse"));
    assert!(
        h.verify(&Secret::new("correct horse"), Some(&phc), Lane::Normal)
            .await
            .unwrap()
            .matches
    );
    assert!(
        !h.verify(&Secret::new("wrong horse"), Some(&phc), Lane::Normal)
            .await
            .unwrap()
            .matches
    );
}

#[tokio::test]
async fn unknown_user_never_matches_even_the_dummy_password() {
    let h = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
    let v = h
        .verify(
            &Secret::new("netserver dummy password for unknown users"),
            None,
            Lane::Normal,
        )
        .await;
    assert!(!v.unwrap().matches);
}

#[tokio::test]
async fn other_parameters_ask_for_a_rehash() {
    let old = Hasher::new(
        KdfParams {
            m_kib: 16,
            t: 1,
            p: 1,
        },
        1,
    )
    .unwrap();
    let new = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
    let phc = old.hash(&Secret::new("pw")).await.unwrap();
    let v = new
        .verify(&Secret::new("pw"), Some(&phc), Lane::Normal)
        .await
        .unwrap();
    assert_eq!(
        v,
        Verified {
            matches: true,
            needs_rehash: true
        }
    );
    let same = old
        .verify(&Secret::new("pw"), Some(&phc), Lane::Normal)
        .await
        .unwrap();
    assert_eq!(
        same,
        Verified {
            matches: true,
            needs_rehash: false
        }
    );
}

#[tokio::test]
async fn reused_memory_gives_standard_phc_strings() {
    let h = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
    let phc = h.hash(&Secret::new("pw-1")).await.unwrap();
    // The standard verifier (fresh memory) agrees with ours.
    let parsed = PasswordHash::new(&phc).unwrap();
    assert!(h.argon.verify_password(b"pw-1", &parsed).is_ok());
    assert!(h.argon.verify_password(b"pw-2", &parsed).is_err());
    let standard = h
        .argon
        .hash_password(b"pw-1", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
    assert!(
        h.verify(&Secret::new("pw-1"), Some(&standard), Lane::Normal)
            .await
            .unwrap()
            .matches
    );
    // A second hash reuses the pooled area and still verifies.
    let again = h.hash(&Secret::new("pw-1")).await.unwrap();
    assert_ne!(again, phc, "fresh salt each time");
    assert!(
        h.verify(&Secret::new("pw-1"), Some(&again), Lane::Normal)
            .await
            .unwrap()
            .matches
    );
}

#[tokio::test]
async fn garbage_hash_does_not_match() {
    let h = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
    assert!(
        !h.verify(&Secret::new("pw"), Some("not-a-phc"), Lane::Normal)
            .await
            .unwrap()
            .matches
    );
}

#[tokio::test]
async fn other_work_runs_on_the_hashing_threads() {
    let h = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
    let name = h
        .compute(|| std::thread::current().name().map(str::to_owned))
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("kdf-0"));
    let failed: Result<(), _> = h.compute(|| panic!("work failure under test")).await;
    assert!(
        matches!(failed, Err(AccountError::Internal(_))),
        "{failed:?}"
    );
    assert!(h.hash(&Secret::new("still serving")).await.is_ok());
}

#[tokio::test]
async fn check_and_hash_hashes_only_what_the_check_passes() {
    let h = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
    let phc = h
        .check_and_hash(&Secret::new("correct horse"), || Ok(()))
        .await
        .unwrap();
    assert!(
        h.verify(&Secret::new("correct horse"), Some(&phc), Lane::Normal)
            .await
            .unwrap()
            .matches
    );
    let refused = h
        .check_and_hash(&Secret::new("password"), || {
            Err(AccountError::ArgumentMissing("Password"))
        })
        .await;
    assert!(
        matches!(refused, Err(AccountError::ArgumentMissing("Password"))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_check_that_panics_fails_alone() {
    let h = Hasher::new(KdfParams::insecure_for_tests(), 1).unwrap();
    let failed = h
        .check_and_hash(&Secret::new("correct horse"), || panic!("a broken rule"))
        .await;
    assert!(
        matches!(failed, Err(AccountError::Internal(_))),
        "{failed:?}"
    );
    // the one hashing thread serves on
    assert!(h.hash(&Secret::new("correct horse")).await.is_ok());
}
