//! The audit log (rules S6, A4): requests append entries without contention;
//! the sweep seals them in `seq` order into a SHA-256 hash chain, so an
//! edited, inserted or removed sealed entry is detected.

use crate::kernel::crypto::sha256_hex;
use crate::kernel::engine::Env;
use crate::kernel::ports::{Row, Stmt};
use crate::kernel::reads::{FromRow, ReadError};
use crate::kernel::sweep::{Step, StepOutcome};
use crate::{read, read_set, stmt};

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

crate::row!(
    /// One audit entry as stored.
    pub struct Entry {
        pub seq: i64,
        pub at: String,
        pub actor: String,
        pub action: String,
        pub subject: String,
        pub detail: String,
    }
);

crate::row!(
    /// An entry's place in the chain (read beside its `Entry`).
    pub struct Link {
        pub prev_hash: Option<String>,
        pub hash: Option<String>,
    }
);

crate::row!(
    pub struct Head {
        pub hash: String,
    }
);

fn link(prev: &str, e: &Entry) -> String {
    sha256_hex(&[
        prev.as_bytes(),
        e.seq.to_string().as_bytes(),
        e.at.as_bytes(),
        e.actor.as_bytes(),
        e.action.as_bytes(),
        e.subject.as_bytes(),
        e.detail.as_bytes(),
    ])
}

read_set!(pub struct SealReads => SealRows {
    head: Option<Head>,
    unsealed: Vec<Entry>,
});

/// The sweep step that seals unsealed entries onto the chain. A racing
/// sealer collides on the UNIQUE prev_hash and its batch aborts whole; the
/// next sweep continues.
pub struct SealChain;

impl Step for SealChain {
    type Reads = SealReads;
    const NAME: &'static str = "sealed_audit_entries";
    /// One statement an entry.
    const BUDGET: usize = 200;
    fn reads(&self, _: &Env) -> SealReads {
        SealReads {
            head: read!("SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1"),
            unsealed: read!(
                "SELECT seq, at, actor, action, subject, detail FROM audit_log WHERE hash IS NULL ORDER BY seq LIMIT ?",
                Self::BUDGET as i64
            ),
        }
    }
    fn plan(&self, rows: SealRows, _: &Env) -> StepOutcome {
        let mut prev = rows.head.map_or_else(|| "genesis".to_owned(), |h| h.hash);
        let mut out = StepOutcome::default();
        for e in &rows.unsealed {
            let hash = link(&prev, e);
            out.writes.push(stmt!(
                "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ? AND hash IS NULL",
                prev.clone(),
                hash.clone(),
                e.seq
            ));
            prev = hash;
        }
        out.count = rows.unsealed.len();
        out.more = out.count == Self::BUDGET;
        out
    }
}

/// Verifies the sealed chain read in `seq` order (`SELECT seq, at, actor,
/// action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq`);
/// returns the first broken `seq`.
///
/// # Errors
/// The `seq` of the first entry that does not link to the one before it.
pub fn verify(rows: &[Row]) -> Result<(), i64> {
    let mut prev = "genesis".to_owned();
    for r in rows {
        let (e, l) = Entry::from_row(r)
            .and_then(|e| Ok((e, Link::from_row(r)?)))
            .map_err(|_: ReadError| -1)?;
        let Some(hash) = &l.hash else { continue };
        let expect = link(&prev, &e);
        if l.prev_hash.as_deref() != Some(prev.as_str()) || *hash != expect {
            return Err(e.seq);
        }
        prev = expect;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::crypto::testkit::{keys, SeqRandom};
    use crate::kernel::ports::Value;
    use std::collections::BTreeMap;

    fn entry(seq: i64, detail: &str) -> Entry {
        Entry {
            seq,
            at: "2026-11-22T00:00:00+00:00".into(),
            actor: "adm_1".into(),
            action: "review.approve".into(),
            subject: "mem_1".into(),
            detail: detail.into(),
        }
    }

    fn as_row(e: &Entry, prev: &Value, hash: &Value) -> Row {
        Row(BTreeMap::from([
            ("seq".into(), Value::Int(e.seq)),
            ("at".into(), Value::Text(e.at.clone())),
            ("actor".into(), Value::Text(e.actor.clone())),
            ("action".into(), Value::Text(e.action.clone())),
            ("subject".into(), Value::Text(e.subject.clone())),
            ("detail".into(), Value::Text(e.detail.clone())),
            ("prev_hash".into(), prev.clone()),
            ("hash".into(), hash.clone()),
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
            .map(|(e, w)| as_row(e, &w.params[0], &w.params[1]))
            .collect();
        assert_eq!(verify(&sealed), Ok(()));
        assert_eq!(sealed[1].0["prev_hash"], sealed[0].0["hash"], "linked");
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
