//! Text a person wrote, sealed where it lives (issue 21; the columns are
//! in `personal_data::REGISTRY`). A [`SealedText`] is what a row holds: the
//! only way to its words is [`SealedText::open`] with the keys and the
//! place it lives at (table.column and the row's key, bound as associated
//! data: copied elsewhere it does not open), so no reply can show stored
//! text without opening it, and no write can store words without sealing
//! them ([`SealedText::seal`]).
//!
//! Rows written before their column was sealed hold plain text: they read
//! as they are, and the sweep's `sealed_free_text` step seals them in place,
//! a bounded number a run; a column found with none left is recorded in
//! `sealed_columns`, and later runs read nothing of it.

use crate::kernel::crypto::{at, Keys};
use crate::kernel::engine::Env;
use crate::kernel::ports::{Stmt, Value};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Column;

/// Stored text of a sealed column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedText(String);

/// Whether a stored value is sealed (else: a row from before its column was).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with("v2.") || stored.starts_with("v1.")
}

impl SealedText {
    /// `text` sealed at `place` (`table.column`) in row `row`.
    pub fn seal(env: &Env, place: &str, row: &str, text: &str) -> SealedText {
        SealedText(env.keys.seal_for(env.rng, &at(place, row), text))
    }

    /// The words, opened where they live.
    ///
    /// # Errors
    /// A 500 (logged by class only) when a sealed value does not open there:
    /// another key, or a value moved from another place.
    pub fn open(&self, keys: &Keys, place: &str, row: &str) -> Result<String, Problem> {
        if !is_sealed(&self.0) {
            return Ok(self.0.clone());
        }
        keys.open_at(&at(place, row), &self.0).map_err(|_| {
            crate::kernel::engine::log_error(&format!("sealed text at {place} does not open"));
            Problem::internal()
        })
    }

    /// What is stored, to bind in a statement.
    pub fn stored(&self) -> &str {
        &self.0
    }
}

impl Column for SealedText {
    fn from_value(v: Option<&Value>) -> Result<Self, &'static str> {
        String::from_value(v).map(SealedText)
    }
}

impl From<&SealedText> for Value {
    fn from(s: &SealedText) -> Value {
        Value::Text(s.0.clone())
    }
}

impl From<SealedText> for Value {
    fn from(s: SealedText) -> Value {
        Value::Text(s.0)
    }
}

/// Opens an optional sealed value.
///
/// # Errors
/// As [`SealedText::open`].
pub fn open_opt(
    s: &Option<SealedText>,
    keys: &Keys,
    place: &str,
    row: &str,
) -> Result<Option<String>, Problem> {
    s.as_ref().map(|s| s.open(keys, place, row)).transpose()
}

/// A sealed column whose rows from before it was sealed the sweep seals:
/// its place, the read of such rows (key, text; `?` the limit) and the
/// guarded update (`?` sealed, key, the plain text read).
pub struct Legacy {
    pub place: &'static str,
    pub read: &'static str,
    pub update: &'static str,
}

/// A [`Legacy`] column of `table` keyed by `key`.
#[macro_export]
macro_rules! legacy_text {
    ($table:literal, $key:literal, $column:literal) => {
        $crate::kernel::sealed::Legacy {
            place: concat!($table, ".", $column),
            // Nothing is scanned once the column is recorded done.
            read: concat!(
                "SELECT ",
                $key,
                " AS k, ",
                $column,
                " AS t FROM ",
                $table,
                " WHERE NOT EXISTS (SELECT 1 FROM sealed_columns WHERE place = '",
                $table,
                ".",
                $column,
                "') AND ",
                $column,
                " IS NOT NULL AND ",
                $column,
                " NOT LIKE 'v2.%' AND ",
                $column,
                " NOT LIKE 'v1.%' LIMIT ?"
            ),
            update: concat!(
                "UPDATE ",
                $table,
                " SET ",
                $column,
                " = ? WHERE ",
                $key,
                " = ? AND ",
                $column,
                " = ?"
            ),
        }
    };
}

/// The statement that seals one legacy row's text in place (a changed row
/// is left for the next run: its new text was sealed by its writer).
pub fn seal_legacy(env: &Env, l: &Legacy, key: &str, text: &str) -> Stmt {
    let sealed = env.keys.seal_for(env.rng, &at(l.place, key), text);
    Stmt {
        sql: l.update,
        params: vec![Value::from(sealed), Value::from(key), Value::from(text)],
    }
}

/// The sweep step that seals, in place, rows written before their column
/// was sealed: a few rows of every listed column a run, within its budget.
pub struct SealLegacy(pub &'static [Legacy]);

impl SealLegacy {
    /// Rows of one column a run (each column may also write its done mark).
    fn per_column(&self) -> usize {
        let n = self.0.len().max(1);
        (Self::BUDGET.saturating_sub(n) / n).max(1)
    }
    const BUDGET: usize = 80;
}

/// Records `place` as having no plain row left (no-op if recorded).
fn done(place: &'static str, env: &Env) -> Stmt {
    Stmt {
        sql: "INSERT OR IGNORE INTO sealed_columns (place, done_at) VALUES (?, ?)",
        params: vec![Value::from(place), Value::from(env.now.to_rfc3339())],
    }
}

impl crate::kernel::sweep::AnyStep for SealLegacy {
    fn name(&self) -> &'static str {
        "sealed_free_text"
    }
    fn budget(&self) -> usize {
        Self::BUDGET
    }
    fn stmts(&self, _: &Env) -> Vec<Stmt> {
        let per = i64::try_from(self.per_column()).unwrap_or(1);
        self.0
            .iter()
            .map(|l| Stmt {
                sql: l.read,
                params: vec![Value::from(per)],
            })
            .collect()
    }
    fn finish(
        &self,
        results: Vec<crate::kernel::ports::StmtResult>,
        env: &Env,
    ) -> Result<crate::kernel::sweep::StepOutcome, crate::kernel::reads::ReadError> {
        let mut out = crate::kernel::sweep::StepOutcome::default();
        for (l, r) in self.0.iter().zip(results) {
            out.more |= r.rows.len() >= self.per_column();
            if r.rows.is_empty() {
                out.writes.push(done(l.place, env));
            }
            for row in &r.rows {
                let (Some(key), Some(text)) = (row.text("k"), row.text("t")) else {
                    return Err(crate::kernel::reads::ReadError {
                        column: "k",
                        problem: "a legacy row without its key or text",
                    });
                };
                out.writes.push(seal_legacy(env, l, key, text));
                out.count += 1;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 21: a value sealed at its place opens there and nowhere else;
    /// a row written before its column was sealed reads as it was.
    #[test]
    fn sealed_text_opens_where_it_lives_and_legacy_text_reads_as_it_was() {
        let keys = crate::kernel::crypto::testkit::keys();
        let rng = crate::kernel::crypto::testkit::SeqRandom(std::cell::Cell::new(7));
        let config = crate::kernel::engine::Config::default();
        let env = crate::kernel::engine::testkit::env(&keys, &rng, &config);
        let s = SealedText::seal(&env, "t.c", "row1", "010-1234-5678 적힌 글");
        assert!(is_sealed(s.stored()) && !s.stored().contains("010"));
        assert_eq!(
            s.open(&keys, "t.c", "row1").unwrap(),
            "010-1234-5678 적힌 글"
        );
        assert_eq!(s.open(&keys, "t.c", "row2").unwrap_err().status, 500);
        assert_eq!(s.open(&keys, "t.d", "row1").unwrap_err().status, 500);
        let legacy = SealedText("예전에 쓴 글".into());
        assert_eq!(legacy.open(&keys, "t.c", "row1").unwrap(), "예전에 쓴 글");
        // The sweep's update seals it in place, guarded by the text read.
        let l = crate::legacy_text!("t", "id", "c");
        let stmt = seal_legacy(&env, &l, "row1", "예전에 쓴 글");
        assert_eq!(stmt.sql, "UPDATE t SET c = ? WHERE id = ? AND c = ?");
        let Value::Text(sealed) = &stmt.params[0] else {
            panic!()
        };
        assert_eq!(
            SealedText(sealed.clone())
                .open(&keys, "t.c", "row1")
                .unwrap(),
            "예전에 쓴 글"
        );
    }
}
