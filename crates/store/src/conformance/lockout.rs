//! Failed log-ins and the soft lock, alone and from concurrent callers.

use super::*;

fn lockout(threshold: u32) -> LockoutSettings {
    LockoutSettings {
        threshold,
        window: std::time::Duration::from_secs(900),
        base_delay: std::time::Duration::from_secs(60),
        max_delay: std::time::Duration::from_secs(3600),
    }
}

async fn lock_of(store: &Arc<dyn Store>, id: AssociateId) -> LockState {
    stored(store, id).await.lock
}

/// Failures are counted on the associate, lock it at the threshold, are visible on
/// `Associate::lock` and are cleared by `clear_login_failures`; unknown ids are `None`.
pub async fn login_failures_lock_and_clear(store: Arc<dyn Store>) {
    let a = insert(&store, person("lock")).await;
    let other = insert(&store, person("bystander")).await;
    assert!(a.lock.is_clear());
    let s = lockout(3);
    for i in 1..=2 {
        let r = store
            .record_login_failure(a.id, Timestamp(1_000 + i), &s)
            .await
            .expect("record")
            .expect("exists");
        assert_eq!(r.after.failed_logins, u32::try_from(i).expect("small"));
        assert!(!r.locked_now());
    }
    let r = store
        .record_login_failure(a.id, Timestamp(1_003), &s)
        .await
        .expect("record")
        .expect("exists");
    assert!(r.locked_now());
    assert_eq!(r.after.locked_until, Some(Timestamp(1_063)));
    let stored = lock_of(&store, a.id).await;
    assert_eq!(stored, r.after);
    assert_eq!(stored.first_failure_at, Some(Timestamp(1_001)));
    assert!(stored.is_locked(Timestamp(1_062)));
    // By name too, and the bystander is untouched.
    let by_name = store
        .associate_by_name(DEFAULT_TENANT, "LOCK")
        .await
        .expect("get")
        .expect("a");
    assert_eq!(by_name.lock, stored);
    assert!(lock_of(&store, other.id).await.is_clear());
    // While locked, a failure changes nothing.
    let r = store
        .record_login_failure(a.id, Timestamp(1_010), &s)
        .await
        .expect("record")
        .expect("exists");
    assert_eq!(r.before, r.after);
    assert!(!r.locked_now());

    assert!(store.clear_login_failures(a.id).await.expect("clear"));
    assert!(lock_of(&store, a.id).await.is_clear());
    assert!(!store.clear_login_failures(9_999).await.expect("clear"));
    assert!(store
        .record_login_failure(9_999, Timestamp(1), &s)
        .await
        .expect("record")
        .is_none());
}

/// `clear_lock` on a password change lifts the lock in the same transaction; without it
/// the lock stays.
pub async fn password_change_clears_the_lock_when_asked(store: Arc<dyn Store>) {
    let a = insert(&store, person("locked")).await;
    let s = lockout(1);
    store
        .record_login_failure(a.id, Timestamp(100), &s)
        .await
        .expect("record");
    assert!(lock_of(&store, a.id).await.is_locked(Timestamp(100)));
    assert!(store
        .commit_password_change(change(a.id, "k1", 0, false, 101))
        .await
        .expect("change"));
    assert!(lock_of(&store, a.id).await.is_locked(Timestamp(101)));
    let mut clearing = change(a.id, "k2", 0, false, 102);
    clearing.clear_lock = true;
    assert!(store
        .commit_password_change(clearing)
        .await
        .expect("change"));
    assert!(lock_of(&store, a.id).await.is_clear());
}

/// A refused log-in counts the failure and writes its audit record together, the record's
/// outcome named from the count: `login_failed`, `account_locked` at the threshold,
/// `login_locked` while locked (counting nothing more).
pub async fn refused_login_counts_and_audits_in_one_go(store: Arc<dyn Store>) {
    let a = insert(&store, person("refused")).await;
    let s = lockout(2);
    let refuse = |at: i64, locked: bool| {
        let mut e = event(at, "AuthenticateUsernamePassword");
        e.actor = None;
        e.target = Some(a.id);
        e.outcome = Outcome::Failure("placeholder".into());
        store.record_refused_login(a.id, Timestamp(at), &s, locked, e)
    };
    let first = refuse(100, false).await.expect("record").expect("exists");
    assert_eq!(first.after.failed_logins, 1);
    let second = refuse(101, false).await.expect("record").expect("exists");
    assert!(second.locked_now());
    let third = refuse(102, true).await.expect("record").expect("exists");
    assert_eq!(third.before, third.after);
    assert_eq!(lock_of(&store, a.id).await, second.after);
    let trail = store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit");
    let outcomes: Vec<String> = trail
        .iter()
        .rev()
        .map(|e| match &e.outcome {
            Outcome::Failure(code) => code.clone(),
            Outcome::Success => "success".into(),
        })
        .collect();
    assert_eq!(outcomes, ["login_failed", "account_locked", "login_locked"]);
    assert!(trail
        .iter()
        .all(|e| e.target == Some(a.id) && e.actor.is_none()));
    // No such associate (gone since the look-up): nothing counted, the refusal audited.
    let mut e = event(103, "AuthenticateUsernamePassword");
    e.target = Some(9_999);
    let none = store
        .record_refused_login(9_999, Timestamp(103), &s, false, e)
        .await;
    assert!(none.expect("record").is_none());
    let trail = store.recent_audit(DEFAULT_TENANT, 10).await.expect("audit");
    assert_eq!(trail.len(), 4);
    assert_eq!(trail[0].outcome, Outcome::Failure("login_failed".into()));
}

/// Many tasks recording failures at once: every one counts exactly once.
pub async fn concurrent_login_failures_all_count(store: Arc<dyn Store>) {
    const TASKS: u32 = 40;
    let a = insert(&store, person("hammered")).await;
    // A threshold above the number of tasks, so that no lock stops the counting.
    let s = lockout(TASKS + 1);
    let mut handles = Vec::new();
    for i in 0..TASKS {
        let store = Arc::clone(&store);
        let s = s.clone();
        handles.push(tokio::spawn(async move {
            store
                .record_login_failure(a.id, Timestamp(5_000 + i64::from(i % 3)), &s)
                .await
        }));
    }
    let mut seen = Vec::new();
    for h in handles {
        match h.await {
            Ok(Ok(Some(r))) => seen.push(r.after.failed_logins),
            Ok(Ok(None)) => panic!("the associate vanished"),
            Ok(Err(e)) => panic!("{e}"),
            Err(e) => panic!("task failed: {e}"),
        }
    }
    seen.sort_unstable();
    assert_eq!(
        seen,
        (1..=TASKS).collect::<Vec<_>>(),
        "each failure saw its own count"
    );
    assert_eq!(lock_of(&store, a.id).await.failed_logins, TASKS);
    // And the next one locks.
    let r = store
        .record_login_failure(a.id, Timestamp(5_010), &s)
        .await
        .expect("record")
        .expect("exists");
    assert!(r.locked_now());
}
