//! Building blocks the use cases share: rate limits, the audit chain, the
//! outbox, and reading a member row.

use crate::crypto::{new_id, sha256_hex};
use crate::ports::{Row, Stmt, StmtResult};
use crate::problem::Problem;
use crate::runtime::{Effect, Env};
use crate::stmt;
use chrono::{DateTime, Utc};
use serde_json::json;

/// A fixed-window rate limit (rule A6).
pub struct Limit {
    pub prefix: &'static str,
    pub window_secs: i64,
    pub max: i64,
}

impl Limit {
    fn bucket(&self, key: &str) -> String {
        format!("{}:{key}", self.prefix)
    }
    fn window_start(&self, now: DateTime<Utc>) -> i64 {
        let t = now.timestamp();
        t - t.rem_euclid(self.window_secs)
    }
    pub fn read(&self, key: &str) -> Stmt {
        stmt!(
            "SELECT window_start, count FROM rate_limits WHERE bucket = ?",
            self.bucket(key)
        )
    }
    /// `Err(seconds to wait)` when the window is used up.
    pub fn check(&self, rows: &StmtResult, now: DateTime<Utc>) -> Result<(), u64> {
        let start = self.window_start(now);
        match rows.first() {
            // `Row::int` also reads the text the window start is stored as.
            Some(r)
                if r.int("window_start") == Some(start)
                    && r.int("count").unwrap_or(0) >= self.max =>
            {
                Err(u64::try_from(start + self.window_secs - now.timestamp())
                    .unwrap_or(1)
                    .max(1))
            }
            _ => Ok(()),
        }
    }
    pub fn hit(&self, key: &str, now: DateTime<Utc>) -> Stmt {
        stmt!(
            "INSERT INTO rate_limits (bucket, window_start, count) VALUES (?, ?, 1)
             ON CONFLICT (bucket) DO UPDATE SET
               count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
               window_start = excluded.window_start",
            self.bucket(key),
            self.window_start(now).to_string()
        )
    }
    pub fn clear(&self, key: &str) -> Stmt {
        stmt!("DELETE FROM rate_limits WHERE bucket = ?", self.bucket(key))
    }
}

/// Appends an audit entry (rules S6, A4). Appends never contend: the
/// sweep seals them into the hash chain afterwards (see `seal_audit`).
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

fn link(prev: &str, r: &Row) -> String {
    let field = |c: &str| r.text(c).unwrap_or("").to_owned();
    sha256_hex(&[
        prev.as_bytes(),
        r.int("seq").unwrap_or(-1).to_string().as_bytes(),
        field("at").as_bytes(),
        field("actor").as_bytes(),
        field("action").as_bytes(),
        field("subject").as_bytes(),
        field("detail").as_bytes(),
    ])
}

/// Reads for sealing: the last sealed hash, then unsealed rows in order.
pub fn seal_reads() -> Vec<Stmt> {
    vec![
        stmt!("SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1"),
        stmt!("SELECT seq, at, actor, action, subject, detail FROM audit_log WHERE hash IS NULL ORDER BY seq LIMIT 500"),
    ]
}

/// Seals unsealed rows onto the chain. A racing sealer collides on the
/// UNIQUE prev_hash and its batch aborts whole; the next sweep continues.
pub fn seal_writes(head: &StmtResult, unsealed: &StmtResult) -> Vec<Stmt> {
    let mut prev = head
        .first()
        .and_then(|r| r.text("hash"))
        .unwrap_or("genesis")
        .to_owned();
    let mut out = Vec::new();
    for r in &unsealed.rows {
        let hash = link(&prev, r);
        out.push(stmt!(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ? AND hash IS NULL",
            prev.clone(),
            hash.clone(),
            r.int("seq").unwrap_or(-1)
        ));
        prev = hash;
    }
    out
}

/// Verifies the sealed chain read in `seq` order; returns the first broken `seq`.
pub fn audit_verify(rows: &[Row]) -> Result<(), i64> {
    let mut prev = "genesis".to_owned();
    for r in rows.iter().filter(|r| r.text("hash").is_some()) {
        let expect = link(&prev, r);
        if r.text("prev_hash") != Some(prev.as_str()) || r.text("hash") != Some(expect.as_str()) {
            return Err(r.int("seq").unwrap_or(-1));
        }
        prev = expect;
    }
    Ok(())
}

/// A notice written to the outbox in the same batch as the change it reports,
/// plus the queue message that gets it delivered.
pub fn outbox(
    env: &Env,
    member_id: &str,
    channel: &str,
    template: &str,
    recipient: &str,
    body: &str,
) -> (Stmt, Effect) {
    let id = new_id(env.rng, "ntc");
    let s = stmt!(
        "INSERT INTO outbox (id, member_id, channel, template, recipient_enc, body_enc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        id.as_str(),
        member_id,
        channel,
        template,
        env.keys.seal(env.rng, recipient),
        env.keys.seal(env.rng, body),
        env.now.to_rfc3339()
    );
    (s, Effect::Enqueue(json!({ "type": "outbox", "id": id })))
}

/// The one member row a use case reads, or 401 when the token's member is gone.
pub fn member_row(rows: &StmtResult) -> Result<&Row, Problem> {
    rows.first()
        .ok_or_else(|| Problem::unauthorized("detail.session_invalid"))
}

pub fn read_member(id: &str) -> Stmt {
    stmt!("SELECT * FROM members WHERE id = ?", id)
}

/// Conditional update guard: bumps `version` only if it is still `version`.
pub fn bump_version(id: &str, version: i64) -> Stmt {
    stmt!(
        "UPDATE members SET version = version + 1 WHERE id = ? AND version = ?",
        id,
        version
    )
}

pub fn parse_instant(s: Option<&str>) -> Option<DateTime<Utc>> {
    s.and_then(|v| DateTime::parse_from_rfc3339(v).ok())
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::Value;
    use std::collections::BTreeMap;

    fn at(s: &str) -> DateTime<Utc> {
        parse_instant(Some(s)).unwrap()
    }

    #[test]
    fn a6_fixed_window_limit_blocks_after_max_and_resets_next_window() {
        let l = Limit {
            prefix: "login",
            window_secs: 900,
            max: 5,
        };
        let now = at("2026-11-22T00:05:00Z");
        let ws = l.window_start(now).to_string();
        let row = |count: i64, ws: &str| StmtResult {
            rows: vec![Row(BTreeMap::from([
                ("window_start".into(), Value::Text(ws.into())),
                ("count".into(), Value::Int(count)),
            ]))],
            changes: 0,
        };
        assert!(l.check(&row(4, &ws), now).is_ok());
        let wait = l.check(&row(5, &ws), now).unwrap_err();
        assert_eq!(wait, 600);
        assert!(l.check(&row(99, "0"), now).is_ok(), "old window");
        assert!(l.check(&StmtResult::default(), now).is_ok());
    }

    #[test]
    fn a3_sealed_audit_chain_detects_an_edited_row() {
        let row = |seq: i64, detail: &str| {
            Row(BTreeMap::from([
                ("seq".into(), Value::Int(seq)),
                ("at".into(), Value::Text("2026-11-22T00:00:00+00:00".into())),
                ("actor".into(), Value::Text("adm_1".into())),
                ("action".into(), Value::Text("review.approve".into())),
                ("subject".into(), Value::Text("mem_1".into())),
                ("detail".into(), Value::Text(detail.into())),
            ]))
        };
        let unsealed = StmtResult {
            rows: vec![row(1, "ok"), row(2, "false info")],
            changes: 0,
        };
        let writes = seal_writes(&StmtResult::default(), &unsealed);
        let sealed: Vec<Row> = unsealed
            .rows
            .iter()
            .zip(&writes)
            .map(|(r, w)| {
                let mut r = r.clone();
                r.0.insert("prev_hash".into(), w.params[0].clone());
                r.0.insert("hash".into(), w.params[1].clone());
                r
            })
            .collect();
        assert_eq!(audit_verify(&sealed), Ok(()));
        assert_eq!(
            sealed[1].text("prev_hash"),
            sealed[0].text("hash"),
            "linked"
        );
        let mut edited = sealed.clone();
        edited[0]
            .0
            .insert("detail".into(), Value::Text("changed".into()));
        assert_eq!(audit_verify(&edited), Err(1));
        let mut dropped = sealed;
        dropped.remove(0);
        assert_eq!(
            audit_verify(&dropped),
            Err(2),
            "a removed row breaks the chain"
        );
    }
}
