//! The personal-data registry against the migrated schema (issue 21): every
//! text column a migration creates is registered (`REGISTRY`), listed as not
//! personal with why (`NOT_PERSONAL`), or named for what it is (`by_name`);
//! and every column those name exists. A migration that adds a column of
//! personal data or free text without registering it fails here.

use adapter_sqlite::SqliteDb;
use domain::personal_data::{by_name, registered, NOT_PERSONAL, REGISTRY};
use std::collections::BTreeSet;
use std::path::Path;

/// Every text column of the migrated schema, `table.column`.
fn text_columns() -> BTreeSet<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let db = SqliteDb::with_migrations(&root.join("migrations")).expect("migrations apply");
    let mut out = BTreeSet::new();
    let tables = db.peek(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    );
    for t in tables {
        let table = t.text("name").expect("name").to_owned();
        for c in db.peek(&format!("PRAGMA table_info({table})")) {
            let ty = c.text("type").unwrap_or("").to_ascii_uppercase();
            // SQLite's affinity: TEXT, and columns declared without a type.
            if ty.contains("TEXT") || ty.contains("CHAR") || ty.is_empty() {
                out.insert((table.clone(), c.text("name").expect("name").to_owned()));
            }
        }
    }
    out
}

#[test]
fn every_text_column_is_registered_or_said_not_personal() {
    let columns = text_columns();
    assert!(
        columns.len() > 300,
        "the schema was read: {}",
        columns.len()
    );
    let unlisted: Vec<String> = columns
        .iter()
        .filter(|(t, c)| {
            registered(t, c).is_none()
                && !NOT_PERSONAL.iter().any(|(n, _)| *n == format!("{t}.{c}"))
                && by_name(c).is_none()
        })
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    assert!(
        unlisted.is_empty(),
        "text columns neither in the personal-data registry nor said not personal \
         (shared/domain/src/personal_data.rs): {unlisted:?}"
    );
}

#[test]
fn the_registry_names_only_columns_that_exist() {
    let columns = text_columns();
    let has = |t: &str, c: &str| columns.contains(&(t.to_owned(), c.to_owned()));
    for c in REGISTRY {
        assert!(
            has(c.table, c.column),
            "registered {}.{} is not in the schema",
            c.table,
            c.column
        );
        assert!(
            by_name(c.column).is_none() || c.column.ends_with("_enc"),
            "{}.{}: registered, and not personal by name?",
            c.table,
            c.column
        );
    }
    for (n, _) in NOT_PERSONAL {
        let (t, c) = n.split_once('.').expect("table.column");
        assert!(has(t, c), "{n} is not in the schema");
        assert!(
            registered(t, c).is_none(),
            "{n} is both registered and not personal"
        );
    }
}

/// rule R1: the retention schedule is data, one row per record class:
/// every class a registered column names has a row with its period, legal
/// basis (in both languages) and action, and no row names a class the
/// registry does not know.
#[test]
fn r1_every_record_class_has_a_schedule_row() {
    use domain::kernel::reads::TextEnum;
    use domain::personal_data::RecordClass;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let db = SqliteDb::with_migrations(&root.join("migrations")).expect("migrations apply");
    let rows =
        db.peek("SELECT class, months, days, action, basis_ko, basis_en FROM retention_schedule");
    let classes: BTreeSet<String> = rows
        .iter()
        .map(|r| r.text("class").expect("class").to_owned())
        .collect();
    for c in <RecordClass as TextEnum>::ALL {
        assert!(
            classes.contains(c.as_str()),
            "no schedule row for {}",
            c.as_str()
        );
    }
    for c in REGISTRY {
        assert!(
            classes.contains(c.class.as_str()),
            "{}.{}",
            c.table,
            c.column
        );
    }
    for r in &rows {
        let class = r.text("class").expect("class");
        assert!(
            RecordClass::parse(class).is_some(),
            "{class} is no record class"
        );
        assert!(
            r.text("basis_ko").is_some_and(|b| b.chars().count() > 10),
            "{class}"
        );
        assert!(r.text("basis_en").is_some_and(|b| b.len() > 10), "{class}");
        // Kept without limit only as the minimal account key.
        if r.int("months").is_none() {
            assert_eq!(r.text("action"), Some("keep_minimal"), "{class}");
        }
    }
    // The periods the seeds and SPEC R1 state.
    let months = |class: &str| {
        rows.iter()
            .find(|r| r.text("class") == Some(class))
            .and_then(|r| r.int("months"))
    };
    assert_eq!(months("contract_5y"), Some(60));
    assert_eq!(months("dispute_3y"), Some(36));
    assert_eq!(months("advertising_6m"), Some(6));
    assert_eq!(months("fraud_prevention_1y"), Some(12));
    assert!(months("access_log").is_some_and(|m| m >= 12));
}

/// rule R2: every destruction task's read and erasure run on the migrated
/// schema (a typo in one would dead-letter the daily run).
#[test]
fn r2_every_destruction_task_runs_on_the_migrated_schema() {
    use domain::kernel::ports::Database;
    use domain::privacy::r2_destruction::TASKS;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let db = SqliteDb::with_migrations(&root.join("migrations")).expect("migrations apply");
    for t in TASKS {
        let select = domain::stmt!(t.select, "2026-12-06T00:00:00+00:00", t.per_step);
        let mut erase = (t.erase)(r#"["x"]"#, "2026-12-06T00:00:00+00:00");
        erase.insert(0, select);
        futures::executor::block_on(db.batch(&erase))
            .unwrap_or_else(|e| panic!("{} {}: {e}", t.class.as_str(), t.what));
    }
    futures::executor::block_on(db.batch(&[domain::privacy::r2_destruction::shard_erasure("x")]))
        .expect("the shard's erasure");
}

/// rule P4: every holding's read of a member's rows runs on the migrated
/// schema, and the columns it leaves out exist (a typo would copy them).
#[test]
fn p4_every_holding_reads_on_the_migrated_schema() {
    use domain::kernel::ports::Database;
    use domain::personal_data::HOLDINGS;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let db = SqliteDb::with_migrations(&root.join("migrations")).expect("migrations apply");
    let columns = text_columns();
    for h in HOLDINGS {
        futures::executor::block_on(db.batch(&[domain::stmt!(h.select, "mbr_x", 10)]))
            .unwrap_or_else(|e| panic!("{}: {e}", h.table));
        for o in h.omit {
            assert!(
                columns.contains(&(h.table.to_owned(), (*o).to_owned())),
                "{}.{o} left out but not there",
                h.table
            );
        }
    }
}

/// Issue 21: a function's parser ends with `Fields::done`/`one`, whose
/// types prove the values are there; none answers an "unreachable" 500
/// after parsing. The 500s left in function crates are the deployment's
/// (a Worker's broken binding, the maintenance run's unreadable switches or
/// failed drain, the dev switches' write), not a request's.
#[test]
fn no_function_parser_answers_500() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../functions");
    let allowed = ["worker", "maintenance", "dev-switches"];
    let mut found = Vec::new();
    for dir in std::fs::read_dir(&root).expect("functions") {
        let dir = dir.expect("entry").path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(src) = std::fs::read_to_string(dir.join("src/lib.rs")) else {
            continue;
        };
        if !allowed.contains(&name.as_str()) && src.contains("Problem::internal") {
            found.push(name);
        }
    }
    assert!(found.is_empty(), "parsers answering 500: {found:?}");
}
