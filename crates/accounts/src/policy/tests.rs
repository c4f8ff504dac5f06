//! The policy as a whole: each rule, each preset, reasons, names and generation.

use super::*;

pub(super) fn pw(s: &str) -> Secret {
    normalize(&Secret::new(s))
}

pub(super) fn bare(min_len: usize, max_len: usize) -> PasswordPolicy {
    PasswordPolicy {
        min_len,
        max_len,
        refuse_common: false,
        refuse_names: false,
        ..PasswordPolicy::default()
    }
}

pub(super) const BOB: Subject<'static> = Subject {
    name: "bob",
    full_name: "Bob Builder",
};

#[test]
fn lengths_are_counted_in_characters() {
    let p = bare(3, 4);
    assert_eq!(p.verdict(&pw(""), None), Err(PolicyViolation::Empty));
    assert_eq!(
        p.verdict(&pw("ab"), None),
        Err(PolicyViolation::TooShort { min: 3 })
    );
    assert!(p.verdict(&pw("åäö"), None).is_ok());
    assert_eq!(
        p.verdict(&pw("abcde"), None),
        Err(PolicyViolation::TooLong { max: 4 })
    );
}

#[test]
fn nfkc_folds_compatibility_forms() {
    // U+FB01 LATIN SMALL LIGATURE FI and a decomposed å become "fi" and a precomposed å.
    assert_eq!(normalize(&"\u{FB01}a\u{30A}".into()).expose(), "fi\u{E5}");
}

#[test]
fn each_class_minimum_is_enforced_with_its_count() {
    let p = PasswordPolicy {
        min_digits: 2,
        min_lower: 2,
        min_upper: 2,
        min_special: 2,
        ..bare(1, 64)
    };
    let v = |s: &str| p.verdict(&pw(s), None);
    assert_eq!(v("abCD!?x"), Err(PolicyViolation::TooFewDigits { min: 2 }));
    assert_eq!(v("12aCD!?"), Err(PolicyViolation::TooFewLower { min: 2 }));
    assert_eq!(v("12abC!?"), Err(PolicyViolation::TooFewUpper { min: 2 }));
    assert_eq!(v("12abCD!"), Err(PolicyViolation::TooFewSpecial { min: 2 }));
    assert_eq!(v("12abCD! "), Ok(()));
    // Unicode letters and digits count; fullwidth digits become ASCII under NFKC.
    assert_eq!(v("\u{FF11}\u{FF12}éøÉØ§¿"), Ok(()));
}

#[test]
fn reasons_name_the_rule_and_its_number() {
    let p = PasswordPolicy::default();
    let cases = [
        (PolicyViolation::Empty, "the password is empty"),
        (
            PolicyViolation::TooShort { min: 8 },
            "the password is shorter than 8 characters",
        ),
        (
            PolicyViolation::TooLong { max: 256 },
            "the password is longer than 256 characters",
        ),
        (
            PolicyViolation::TooFewDigits { min: 1 },
            "the password must contain at least 1 digit",
        ),
        (
            PolicyViolation::TooFewDigits { min: 3 },
            "the password must contain at least 3 digits",
        ),
        (
            PolicyViolation::TooFewLower { min: 1 },
            "the password must contain at least 1 lowercase letter",
        ),
        (
            PolicyViolation::TooFewUpper { min: 2 },
            "the password must contain at least 2 uppercase letters",
        ),
        (
            PolicyViolation::TooFewSpecial { min: 1 },
            "the password must contain at least 1 special character (neither a letter nor a digit)",
        ),
        (
            PolicyViolation::TooWeak { score: 1, min: 2 },
            "the password is too easy to guess: its strength is 1 of 4, at least 2 is required",
        ),
        (
            PolicyViolation::Common,
            "the password is too common: it is on the list of frequently used passwords",
        ),
        (
            PolicyViolation::ContainsName,
            "the password must not contain the user's name",
        ),
        (
            PolicyViolation::Reused { last: 5 },
            "the password was used recently: it must differ from the last 5 passwords",
        ),
    ];
    for (v, text) in &cases {
        assert_eq!(p.reason(v), *text);
    }
    let mut codes: Vec<_> = cases.iter().map(|(v, _)| v.code()).collect();
    codes.dedup_by(|a, b| a == b);
    assert_eq!(
        codes.len(),
        cases.len() - 1,
        "one duplicate: two TooFewDigits"
    );
    assert!(codes.iter().all(|c| c.starts_with("password_")));
}

#[test]
fn the_custom_message_replaces_every_reason() {
    let p = PasswordPolicy {
        message: Some("Use 8+ characters with a digit; see the intranet.".into()),
        ..PasswordPolicy::preset("onsite-complex").unwrap_or_default()
    };
    for s in ["", "short", "no-digits-Here", "password"] {
        let v = p.verdict(&pw(s), None).unwrap_err();
        assert_eq!(
            p.reason(&v),
            "Use 8+ characters with a digit; see the intranet."
        );
    }
    let e = p.check(&pw("short")).unwrap_err();
    assert_eq!(e.code(), "password_too_short");
    assert_eq!(e.exception_type(), "SoPasswordPolicyException");
    assert!(e.to_string().contains("intranet"));
}

#[test]
fn reasons_never_contain_the_password() {
    let p = PasswordPolicy::preset("online").unwrap_or_default();
    for s in ["ab", "qwerty", "bobbybob", "zzzzzzz", "Zq7#mLp2vX"] {
        if let Err(v) = p.verdict(&pw(s), Some(&BOB)) {
            assert!(!p.reason(&v).contains(s), "{s}");
        }
    }
}

#[test]
fn the_default_refuses_common_passwords_and_accepts_a_passphrase() {
    let p = PasswordPolicy::default();
    for s in [
        "password",
        "Password1",
        "qwerty123",
        "PASSWORD",
        "iloveyou",
        "p@ssw0rd",
    ] {
        assert_eq!(p.verdict(&pw(s), None), Err(PolicyViolation::Common), "{s}");
    }
    assert_eq!(p.verdict(&pw("cobalt tulip harbour singing"), None), Ok(()));
    let off = PasswordPolicy {
        refuse_common: false,
        ..p
    };
    assert_eq!(off.verdict(&pw("password"), None), Ok(()));
}

#[test]
fn presets_are_as_documented() {
    assert_eq!(
        PasswordPolicy::preset_names(),
        ["default", "onsite-complex", "online"]
    );
    for name in PasswordPolicy::preset_names() {
        let p = PasswordPolicy::preset(name).unwrap_or_else(|| panic!("{name}"));
        assert!(
            p.max_len >= 64 && p.refuse_common && p.refuse_names,
            "{name}"
        );
        assert_eq!((p.history, p.must_change_on_admin_set), (0, false));
        assert_eq!(p.message, None);
    }
    assert_eq!(
        PasswordPolicy::preset("default"),
        Some(PasswordPolicy::default())
    );
    assert_eq!(PasswordPolicy::preset("strict"), None);

    let d = PasswordPolicy::default();
    assert_eq!((d.min_len, d.max_len, d.min_strength), (8, 256, None));
    assert_eq!(d.min_digits + d.min_lower + d.min_upper + d.min_special, 0);
    assert_eq!(d.verdict(&pw("abcdefgh-tulip"), None), Ok(()));

    let c = PasswordPolicy::preset("onsite-complex").unwrap_or_default();
    let v = |s: &str| c.verdict(&pw(s), None);
    assert_eq!(
        (
            c.min_len,
            c.min_digits,
            c.min_lower,
            c.min_upper,
            c.min_special
        ),
        (8, 1, 1, 1, 1)
    );
    assert_eq!(
        v("Tulip-harbour"),
        Err(PolicyViolation::TooFewDigits { min: 1 })
    );
    assert_eq!(
        v("TULIP-HARB0UR"),
        Err(PolicyViolation::TooFewLower { min: 1 })
    );
    assert_eq!(
        v("tulip-harb0ur"),
        Err(PolicyViolation::TooFewUpper { min: 1 })
    );
    assert_eq!(
        v("TulipHarb0ur"),
        Err(PolicyViolation::TooFewSpecial { min: 1 })
    );
    assert_eq!(v("P@ssw0rd"), Err(PolicyViolation::Common));
    assert_eq!(v("Tu1ip-Harbour"), Ok(()));

    let o = PasswordPolicy::preset("online").unwrap_or_default();
    assert_eq!((o.min_len, o.min_strength), (6, Some(2)));
}

#[test]
fn online_requires_a_zxcvbn_score_of_two() {
    let o = PasswordPolicy::preset("online").unwrap_or_default();
    let v = |s: &str| o.verdict(&pw(s), None);
    assert_eq!(v("abc12"), Err(PolicyViolation::TooShort { min: 6 }));
    // Repeats and keyboard runs are not on the common list but are weak.
    assert!(matches!(
        v("aaaaaaaa"),
        Err(PolicyViolation::TooWeak { min: 2, .. })
    ));
    assert!(matches!(
        v("zxcvbnmasd"),
        Err(PolicyViolation::TooWeak { min: 2, .. }) | Err(PolicyViolation::Common)
    ));
    assert_eq!(v("kX9#vq2L"), Ok(()));
    assert_eq!(v("cobalt tulip harbour"), Ok(()));
    // The subject's name makes a password weaker: zxcvbn gets it as a user input.
    let o4 = PasswordPolicy {
        min_strength: Some(3),
        refuse_names: false,
        ..o.clone()
    };
    assert_eq!(o4.verdict(&pw("builderbob12"), None), Ok(()));
    assert!(matches!(
        o4.verdict(&pw("builderbob12"), Some(&BOB)),
        Err(PolicyViolation::TooWeak { .. })
    ));
}
