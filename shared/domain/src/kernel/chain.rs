//! Hash chains over the append-only logs (rules A3, A4): requests append
//! entries without contention; the sweep seals them in `seq` order, each
//! entry's hash taken over the hash before it and the entry's own columns,
//! so an edited, inserted or removed sealed entry is detected.
//!
//! Destruction (rule R2) removes a chain's oldest sealed entries, never its
//! head, and keeps the hash of the last one removed in its log entry (the
//! anchor): verification starts there, so entries that go any other way
//! break the chain at the oldest one kept.

use crate::kernel::crypto::sha256_hex;
use crate::kernel::ports::{Row, Value};
use crate::kernel::reads::{FromRow, Read, ReadError};
use crate::kernel::sweep::StepOutcome;
use crate::stmt;

/// Where the first sealed entry of a chain with no anchor links.
pub const GENESIS: &str = "genesis";

/// One chained table and its statements.
pub struct Chain {
    pub table: &'static str,
    /// The columns hashed, in order, `seq` first.
    pub fields: &'static [&'static str],
    head: &'static str,
    unsealed: &'static str,
    seal: &'static str,
    page: &'static str,
    at: &'static str,
    anchor: &'static str,
    /// The anchor of a destruction step: the hash of the newest entry among
    /// the ids (a JSON array) it is about to remove, onto its log entry.
    pub anchored: &'static str,
}

/// A `Chain` for `$table`, hashing `$fields` (a literal list and the same
/// names comma-separated for its statements).
macro_rules! chain {
    ($table:literal, [$($f:literal),+], $cols:literal) => {
        Chain {
            table: $table,
            fields: &[$($f),+],
            head: concat!("SELECT hash FROM ", $table, " WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1"),
            unsealed: concat!("SELECT ", $cols, " FROM ", $table, " WHERE hash IS NULL ORDER BY seq LIMIT ?"),
            seal: concat!("UPDATE ", $table, " SET prev_hash = ?, hash = ? WHERE seq = ? AND hash IS NULL"),
            page: concat!("SELECT ", $cols, ", prev_hash, hash FROM ", $table, " WHERE seq > ? ORDER BY seq LIMIT ?"),
            at: concat!("SELECT hash FROM ", $table, " WHERE seq = ?"),
            anchor: concat!(
                "SELECT chain_hash AS hash FROM destruction_log WHERE what = '", $table,
                "' AND chain_hash IS NOT NULL ORDER BY seq DESC LIMIT 1"
            ),
            anchored: concat!(
                "UPDATE destruction_log SET chain_hash = (SELECT hash FROM ", $table,
                " WHERE seq = (SELECT MAX(CAST(value AS INTEGER)) FROM json_each(?)))
                 WHERE seq = (SELECT MAX(seq) FROM destruction_log)"
            ),
        }
    };
}

/// The audit log (rules S6, A4).
pub const AUDIT: Chain = chain!(
    "audit_log",
    ["seq", "at", "actor", "action", "subject", "detail"],
    "seq, at, actor, action, subject, detail"
);

/// The personal-data access log (rule A3).
pub const ACCESS: Chain = chain!(
    "access_log",
    [
        "seq",
        "at",
        "admin_id",
        "admin_role",
        "client_ip_enc",
        "subject",
        "what",
        "why"
    ],
    "seq, at, admin_id, admin_role, client_ip_enc, subject, what, why"
);

/// The chains, by table name.
pub const CHAINS: &[&Chain] = &[&AUDIT, &ACCESS];

/// A row as it was read, for hashing its columns.
impl FromRow for Row {
    fn from_row(r: &Row) -> Result<Self, ReadError> {
        Ok(r.clone())
    }
}

crate::row!(
    /// A chain's hash at some entry.
    pub struct Hash {
        pub hash: String,
    }
);

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::Text(s)) => s.clone(),
        Some(Value::Int(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn seq(r: &Row) -> i64 {
    match r.0.get("seq") {
        Some(Value::Int(n)) => *n,
        _ => -1,
    }
}

impl Chain {
    /// The hash of entry `r` after `prev`.
    pub fn link(&self, prev: &str, r: &Row) -> String {
        let values: Vec<String> = self.fields.iter().map(|f| text(r.0.get(*f))).collect();
        let mut parts: Vec<&[u8]> = vec![prev.as_bytes()];
        parts.extend(values.iter().map(String::as_bytes));
        sha256_hex(&parts)
    }

    /// The chain's newest sealed hash.
    pub fn read_head(&self) -> Read<Option<Hash>> {
        Read::new(stmt!(self.head))
    }

    /// Up to `n` entries not yet sealed, oldest first.
    pub fn read_unsealed(&self, n: usize) -> Read<Vec<Row>> {
        Read::new(stmt!(self.unsealed, n as i64))
    }

    /// The hash the oldest entry kept links to: the last destroyed one's.
    pub fn read_anchor(&self) -> Read<Option<Hash>> {
        Read::new(stmt!(self.anchor))
    }

    /// The hash of entry `seq` (0: none).
    pub fn read_at(&self, seq: i64) -> Read<Option<Hash>> {
        Read::new(stmt!(self.at, seq))
    }

    /// Up to `n` entries after `seq`, with their links.
    pub fn read_page(&self, after: i64, n: usize) -> Read<Vec<Row>> {
        Read::new(stmt!(self.page, after, n as i64))
    }

    /// Seals `unsealed` onto the chain after `head`. A racing sealer
    /// collides on the UNIQUE `prev_hash` and its batch aborts whole; the
    /// next sweep continues.
    pub fn seal(&self, head: Option<Hash>, unsealed: &[Row], budget: usize) -> StepOutcome {
        let mut prev = head.map_or_else(|| GENESIS.to_owned(), |h| h.hash);
        let mut out = StepOutcome::default();
        for r in unsealed {
            let hash = self.link(&prev, r);
            out.writes
                .push(stmt!(self.seal, prev.clone(), hash.clone(), seq(r)));
            prev = hash;
        }
        out.count = unsealed.len();
        out.more = out.count == budget;
        out
    }
}

/// What a verification of entries in `seq` order found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verified {
    /// sealed entries checked
    pub checked: i64,
    /// entries not yet sealed (the newest, waiting for the sweep)
    pub unsealed: i64,
    /// the last sealed entry found linked (where the next page starts)
    pub last_seq: i64,
    /// the first entry that does not link to the one before it
    pub broken_at: Option<i64>,
}

/// Verifies `rows` (in `seq` order, with `prev_hash` and `hash`) against
/// `start`, the hash the first sealed one must link to.
pub fn verify(chain: &Chain, start: &str, rows: &[Row]) -> Verified {
    let mut prev = start.to_owned();
    let mut v = Verified::default();
    for r in rows {
        let Some(Value::Text(hash)) = r.0.get("hash") else {
            v.unsealed += 1;
            continue;
        };
        let expect = chain.link(&prev, r);
        let linked = matches!(r.0.get("prev_hash"), Some(Value::Text(p)) if *p == prev);
        // Only the newest wait to be sealed: a sealed entry after one
        // that is not was put there.
        if !linked || *hash != expect || v.unsealed > 0 {
            v.broken_at = Some(seq(r));
            return v;
        }
        v.checked += 1;
        v.last_seq = seq(r);
        prev = expect;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn entry(seq: i64, why: &str) -> Row {
        Row(BTreeMap::from([
            ("seq".into(), Value::Int(seq)),
            ("at".into(), Value::Text("2026-12-07T00:00:00+00:00".into())),
            ("admin_id".into(), Value::Text("adm_1".into())),
            ("admin_role".into(), Value::Text("owner".into())),
            ("client_ip_enc".into(), Value::Null),
            ("subject".into(), Value::Text("mem_1".into())),
            ("what".into(), Value::Text("member.read_profile".into())),
            ("why".into(), Value::Text(why.into())),
        ]))
    }

    /// The entries sealed as the sweep would, after `start`.
    fn sealed(start: &str, entries: &[Row]) -> Vec<Row> {
        let head = (start != GENESIS).then(|| Hash {
            hash: start.to_owned(),
        });
        let out = ACCESS.seal(head, entries, 100);
        entries
            .iter()
            .zip(&out.writes)
            .map(|(e, w)| {
                let mut r = e.clone();
                r.0.insert("prev_hash".into(), w.params[0].clone());
                r.0.insert("hash".into(), w.params[1].clone());
                r
            })
            .collect()
    }

    #[test]
    fn a3_the_access_chain_detects_an_edited_removed_or_unanchored_entry() {
        let rows = sealed(GENESIS, &[entry(1, "a"), entry(2, "b"), entry(3, "c")]);
        let ok = verify(&ACCESS, GENESIS, &rows);
        assert_eq!((ok.checked, ok.broken_at, ok.last_seq), (3, None, 3));
        let mut edited = rows.clone();
        edited[1]
            .0
            .insert("why".into(), Value::Text("other".into()));
        assert_eq!(verify(&ACCESS, GENESIS, &edited).broken_at, Some(2));
        let mut removed = rows.clone();
        removed.remove(1);
        assert_eq!(verify(&ACCESS, GENESIS, &removed).broken_at, Some(3));
        // The oldest destroyed by a logged run: the kept ones verify from
        // its anchor, and not from the genesis.
        let Some(Value::Text(anchor)) = rows[0].0.get("hash").cloned() else {
            panic!("sealed")
        };
        assert_eq!(verify(&ACCESS, &anchor, &rows[1..]).broken_at, None);
        assert_eq!(verify(&ACCESS, GENESIS, &rows[1..]).broken_at, Some(2));
        // Removed without a run: the anchor no longer matches.
        assert_eq!(verify(&ACCESS, &anchor, &rows[2..]).broken_at, Some(3));
        // The newest, unsealed, are counted and not judged.
        let mut tail = rows.clone();
        tail.push(entry(4, "d"));
        let v = verify(&ACCESS, GENESIS, &tail);
        assert_eq!(
            (v.checked, v.unsealed, v.broken_at, v.last_seq),
            (3, 1, None, 3)
        );
        // A sealed entry after an unsealed one was put there.
        let mut after = rows[..2].to_vec();
        after.push(entry(3, "c"));
        after.push(rows[2].clone());
        assert_eq!(verify(&ACCESS, GENESIS, &after).broken_at, Some(3));
    }
}
