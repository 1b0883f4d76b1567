//! The audit log (rules S6, A4): requests append entries without contention;
//! the sweep seals them in `seq` order into a SHA-256 hash chain
//! (`kernel::chain`), so an edited, inserted or removed sealed entry is
//! detected.

use crate::kernel::chain::{self, Hash, AUDIT, GENESIS};
use crate::kernel::engine::Env;
use crate::kernel::ports::{Row, Stmt};
use crate::kernel::sweep::{Step, StepOutcome};
use crate::{read_set, stmt};

/// Appends an audit entry. Appends never contend: the sweep seals them
/// into the hash chain afterwards.
pub fn audit(env: &Env, actor: &str, action: &str, subject: &str, detail: &str) -> Stmt {
    stmt!(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        env.now.to_rfc3339(),
        actor,
        action,
        subject,
        detail
    )
}

read_set!(pub struct SealReads => SealRows {
    head: Option<Hash>,
    unsealed: Vec<Row>,
});

/// The sweep step that seals unsealed entries onto the chain
/// (`kernel::chain`).
pub struct SealChain;

impl Step for SealChain {
    type Reads = SealReads;
    const NAME: &'static str = "sealed_audit_entries";
    /// One statement an entry (the two chains' sealers share the run's
    /// budget; a full step asks the sweep to continue).
    const BUDGET: usize = 100;
    fn reads(&self, _: &Env) -> SealReads {
        SealReads {
            head: AUDIT.read_head(),
            unsealed: AUDIT.read_unsealed(Self::BUDGET),
        }
    }
    fn plan(&self, rows: SealRows, _: &Env) -> StepOutcome {
        AUDIT.seal(rows.head, &rows.unsealed, Self::BUDGET)
    }
}

/// Verifies the whole chain read in `seq` order from its first entry
/// (`SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM
/// audit_log ORDER BY seq`), nothing destroyed yet.
///
/// # Errors
/// The `seq` of the first entry that does not link to the one before it.
pub fn verify(rows: &[Row]) -> Result<(), i64> {
    match chain::verify(&AUDIT, GENESIS, rows).broken_at {
        Some(seq) => Err(seq),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::crypto::testkit::{keys, SeqRandom};
    use crate::kernel::ports::Value;
    use std::collections::BTreeMap;

    fn entry(seq: i64, detail: &str) -> Row {
        Row(BTreeMap::from([
            ("seq".into(), Value::Int(seq)),
            ("at".into(), Value::Text("2026-11-22T00:00:00+00:00".into())),
            ("actor".into(), Value::Text("adm_1".into())),
            ("action".into(), Value::Text("review.approve".into())),
            ("subject".into(), Value::Text("mem_1".into())),
            ("detail".into(), Value::Text(detail.into())),
        ]))
    }

    #[test]
    fn sealed_audit_chain_detects_an_edited_or_removed_entry() {
        let (k, rng) = (keys(), SeqRandom(std::cell::Cell::new(1)));
        let config = crate::kernel::engine::Config::default();
        let env = crate::kernel::engine::testkit::env(&k, &rng, &config);
        let entries = vec![entry(1, "ok"), entry(2, "false info")];
        let out = SealChain.plan(
            SealRows {
                head: None,
                unsealed: entries.clone(),
            },
            &env,
        );
        assert_eq!(out.count, 2);
        let sealed: Vec<Row> = entries
            .iter()
            .zip(&out.writes)
            .map(|(e, w)| {
                let mut r = e.clone();
                r.0.insert("prev_hash".into(), w.params[0].clone());
                r.0.insert("hash".into(), w.params[1].clone());
                r
            })
            .collect();
        assert_eq!(verify(&sealed), Ok(()));
        assert_eq!(sealed[1].0["prev_hash"], sealed[0].0["hash"], "linked");
        // The hash of the chain sealed before the chain was shared with
        // the access log: the same bytes, so sealed entries still verify.
        assert_eq!(
            sealed[0].0["hash"],
            Value::Text(crate::kernel::crypto::sha256_hex(&[
                b"genesis",
                b"1",
                b"2026-11-22T00:00:00+00:00",
                b"adm_1",
                b"review.approve",
                b"mem_1",
                b"ok"
            ]))
        );
        let mut edited = sealed.clone();
        edited[0]
            .0
            .insert("detail".into(), Value::Text("changed".into()));
        assert_eq!(verify(&edited), Err(1));
        let mut dropped = sealed;
        dropped.remove(0);
        assert_eq!(verify(&dropped), Err(2), "a removed entry breaks the chain");
    }
}
