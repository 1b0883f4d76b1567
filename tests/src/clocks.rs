//! The clock table's operations against the real migrations (SQLite, as D1
//! runs them): a clock opens once per subject, fires once, and an extension
//! moves its day later with a sealed reason and the day it replaced, and
//! is refused for a day that is not later.

use adapter_sqlite::{MapSecrets, OsRandom, SqliteDb};
use domain::kernel::clocks::{self, Due, Fired, Kind};
use domain::kernel::crypto::Keys;
use domain::kernel::engine::{Config, Env};
use domain::kernel::ports::{Database, DbError, Stmt};
use std::collections::HashMap;
use std::path::Path;

const KIND: Kind = Kind {
    name: "test_kind",
    watchers: &[],
};

fn keys() -> Keys {
    let k = |n: u8| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [n; 32]);
    let secrets: HashMap<String, String> = [
        ("DATA_KEY".to_owned(), k(1)),
        ("INDEX_KEY".to_owned(), k(2)),
        ("JWT_KEY".to_owned(), k(3)),
    ]
    .into_iter()
    .collect();
    Keys::from_secrets(&MapSecrets(secrets)).expect("keys")
}

fn run(db: &SqliteDb, stmts: &[Stmt]) -> Result<(), DbError> {
    futures::executor::block_on(db.batch(stmts)).map(|_| ())
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn clocks_open_once_fire_once_and_extend_only_later_with_a_sealed_reason() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let db = SqliteDb::with_migrations(&root.join("migrations")).expect("migrations");
    let (keys, config) = (keys(), Config::default());
    let env = Env {
        now: chrono::DateTime::parse_from_rfc3339("2026-12-06T03:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc),
        rng: &OsRandom,
        keys: &keys,
        config: &config,
        client_ip: None,
        who: None,
        memo: domain::kernel::memo::Memo::instance(),
        from_memory: false,
    };
    let due = Due {
        kind: &KIND,
        subject: "sub-1",
        record: "contract/sub-1".into(),
        actor: "mem-a",
        party: Some("mem-b"),
        last_day: day("2026-12-10"),
    };
    run(&db, &[clocks::open(&env, &due)]).expect("opens");
    // One open clock of a kind per subject.
    assert!(matches!(
        run(&db, &[clocks::open(&env, &due)]),
        Err(DbError::Constraint(_))
    ));
    let row = |col: &str| {
        db.peek(&format!(
            "SELECT {col} AS v FROM clocks WHERE subject = 'sub-1'"
        ))[0]
            .text("v")
            .map(str::to_owned)
    };
    assert_eq!(
        row("due_at").as_deref(),
        Some("2026-12-10T15:00:00+00:00"),
        "KST midnight after the day"
    );
    // Extended to a later day, with the reason sealed and the day replaced.
    run(
        &db,
        &clocks::extend(&env, &KIND, "sub-1", day("2026-12-20"), "자료 보완 요청"),
    )
    .expect("extends");
    assert_eq!(row("due_day").as_deref(), Some("2026-12-20"));
    assert_eq!(row("extended_from").as_deref(), Some("2026-12-10"));
    let sealed = row("extended_reason_enc").expect("a reason");
    assert!(!sealed.contains("자료"));
    assert_eq!(
        keys.open_at(
            &domain::kernel::crypto::at("clocks.extended_reason", "test_kind/sub-1"),
            &sealed
        )
        .unwrap(),
        "자료 보완 요청"
    );
    // Not to a day that is not later: the guard aborts the batch.
    assert!(matches!(
        run(
            &db,
            &clocks::extend(&env, &KIND, "sub-1", day("2026-12-15"), "earlier")
        ),
        Err(DbError::Constraint(_))
    ));
    assert_eq!(row("due_day").as_deref(), Some("2026-12-20"));
    // Fired once: a second firing aborts its batch.
    let id = row("id").unwrap();
    run(&db, &clocks::fire(&id, env.now, Fired::Flags)).expect("fires");
    assert!(row("fired_at").is_some());
    assert_eq!(
        row("state").as_deref(),
        Some("open"),
        "a flag keeps it open"
    );
    assert!(matches!(
        run(&db, &clocks::fire(&id, env.now, Fired::Flags)),
        Err(DbError::Constraint(_))
    ));
    // Met: closed, and a new one may open (a duty that comes back).
    run(&db, &clocks::restart(&env, &due)).expect("restarts");
    assert_eq!(
        db.peek("SELECT COUNT(*) AS n FROM clocks WHERE subject = 'sub-1' AND state = 'met'")[0]
            .int("n"),
        Some(1)
    );
}
