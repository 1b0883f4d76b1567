//! Rule V4: the queue consumer stores each record exactly once in effect
//! (unique terminal + event id, batched idempotent inserts, one atomic
//! batch per shard), retried with backoff, dead-lettered after 5 retries;
//! admins list dead letters and replay them after a fix. Before storing, it
//! checks each batch against its terminal as it is now (`verdict`): the
//! door may have decided on an instance's memory.

use super::v3_records::{kst_day, Batch};
pub use super::v4_switches::DevSwitches;
#[cfg(feature = "dev")]
pub use super::v4_switches::{dev_switches, SetDevSwitches};
use super::v6_suspension::{read_terminals, terminal_allowed, TerminalAuth, TERMINALS_PER_READ};
use super::v8_held::hold;
use super::TerminalMode;
use crate::kernel::crypto::{at, Keys};
use crate::kernel::engine::Cx;
use crate::kernel::ports::{PortError, Stmt, Value};
use crate::kernel::reads::FromResult;
use crate::kernel::sharding::shard_of;
use crate::kernel::types::parse_instant;
use crate::stmt;

pub(crate) const INSERT_COLUMNS: usize = 11;
/// Rows per INSERT so that bound parameters stay ≤ 100 (D1's limit).
pub const ROWS_PER_INSERT: usize = 100 / INSERT_COLUMNS;

static INSERT_SQL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

/// `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING` for 1..=ROWS_PER_INSERT rows.
pub(crate) fn insert_sql(rows: usize) -> &'static str {
    let all = INSERT_SQL.get_or_init(|| {
        (1..=ROWS_PER_INSERT)
            .map(|n| {
                let one = format!("({})", vec!["?"; INSERT_COLUMNS].join(", "));
                let sql = format!(
                    "INSERT INTO attendance_records (terminal_id, event_id, member_id, site_id, worker_code, direction, method, result, terminal_time, kst_day, received_at) VALUES {} ON CONFLICT (terminal_id, event_id) DO NOTHING",
                    vec![one; n].join(", ")
                );
                &*Box::leak(sql.into_boxed_str())
            })
            .collect()
    });
    all[rows.clamp(1, ROWS_PER_INSERT) - 1]
}

/// Multi-row `INSERT … ON CONFLICT DO NOTHING` statements for rows of
/// every column, at most `ROWS_PER_INSERT` a statement (V4: idempotent).
pub(crate) fn insert_rows(rows: impl IntoIterator<Item = [Value; INSERT_COLUMNS]>) -> Vec<Stmt> {
    let mut out = Vec::new();
    let mut params = Vec::with_capacity(ROWS_PER_INSERT * INSERT_COLUMNS);
    for row in rows {
        params.extend(row);
        if params.len() == ROWS_PER_INSERT * INSERT_COLUMNS {
            out.push(Stmt {
                sql: insert_sql(ROWS_PER_INSERT),
                params: std::mem::take(&mut params),
            });
        }
    }
    if !params.is_empty() {
        out.push(Stmt {
            sql: insert_sql(params.len() / INSERT_COLUMNS),
            params,
        });
    }
    out
}

/// Batched, idempotent inserts of a message's records (V4): a redelivered
/// message stores nothing new.
pub fn insert_statements(b: &Batch, received_at: &str) -> Vec<Stmt> {
    insert_rows(b.records.iter().map(|r| {
        [
            b.terminal_id.as_str().into(),
            r.event_id.as_str().into(),
            b.member_id.as_str().into(),
            b.site_id.as_str().into(),
            r.worker_code.as_str().into(),
            r.direction.as_str().into(),
            r.method.as_str().into(),
            r.result.as_str().into(),
            r.terminal_time.as_str().into(),
            kst_day(&r.terminal_time).unwrap_or_default().into(),
            received_at.into(),
        ]
    }))
}

/// What the consumer does with an accepted batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Store,
    /// Held for the member (`adms_quarantine`, reason `changed`).
    Hold,
}

/// Whether a batch may be stored, judged on its terminal's row as it is now
/// (issue 11). The door may have answered from an instance's memory (up to
/// `REMEMBER_SECS` old), so every change to what a terminal may do bumps its
/// `auth_version` by one, and here:
/// - accepted under the current version, or under the one just before it
///   and before that one change: store;
/// - accepted under an older version, before the latest change: the
///   terminal as it was at acceptance is not known (a suspension and a
///   resumption since would read as "allowed"): hold it for the member;
/// - accepted after a change the accepting instance did not know of: store
///   only if the terminal as it is now would have accepted it then (V6: not
///   suspended, member active, within the device count; V2: signed with the
///   current secret, or the previous one within its grace; V8: from the
///   pinned address); otherwise hold it for the member, never lose it.
///
/// Batches a member released from hold (no acceptance) are stored.
pub fn verdict(b: &Batch, now: Option<&TerminalAuth>, keys: &Keys) -> Verdict {
    let (Some(a), Some(t)) = (&b.accepted, now) else {
        return if b.accepted.is_some() {
            Verdict::Hold
        } else {
            Verdict::Store
        };
    };
    let accepted_at = parse_instant(Some(&a.at));
    let changed_at = parse_instant(t.auth_changed_at.as_deref());
    let before_change = matches!((accepted_at, changed_at), (Some(x), Some(y)) if x < y);
    if a.version == t.auth_version || (before_change && a.version + 1 == t.auth_version) {
        return Verdict::Store;
    }
    // Two or more changes since the version it was accepted under, the
    // latest after the acceptance: which of them the acceptance preceded is
    // not recorded, so it is not decided on the terminal as it is now.
    if before_change {
        return Verdict::Hold;
    }
    if terminal_allowed(t, t.mode).is_err() {
        return Verdict::Hold;
    }
    let credential_holds = match t.mode {
        TerminalMode::Adms => t.adms_source_bidx.as_deref() == Some(a.credential.as_str()),
        TerminalMode::Webhook => {
            let place = at("terminals.secret", &t.id);
            let names = |c: &Option<String>| {
                c.as_deref()
                    .and_then(|s| keys.open_at(&place, s).ok())
                    .map(|s| keys.blind_index("terminal-secret", &s))
            };
            let in_grace = matches!(
                (accepted_at, parse_instant(t.prev_valid_until.as_deref())),
                (Some(x), Some(until)) if x < until
            );
            names(&t.secret_enc).as_deref() == Some(a.credential.as_str())
                || (in_grace && names(&t.prev_secret_enc).as_deref() == Some(a.credential.as_str()))
        }
    };
    if credential_holds {
        Verdict::Store
    } else {
        Verdict::Hold
    }
}

const SEEN_PER_STATEMENT: usize = 50;

/// Last-seen times, each only moved forward, 50 terminals a statement
/// (D1's 100 bound parameters).
pub fn seen_statements(seen: &[(String, String)]) -> Vec<Stmt> {
    static SQL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let all = SQL.get_or_init(|| {
        (1..=SEEN_PER_STATEMENT)
            .map(|n| {
                let values = vec!["(?, ?)"; n].join(", ");
                let sql = format!("UPDATE terminals SET last_seen_at = MAX(COALESCE(last_seen_at, ''), v.column2) FROM (VALUES {values}) AS v WHERE terminals.id = v.column1");
                &*Box::leak(sql.into_boxed_str())
            })
            .collect()
    });
    seen.chunks(SEEN_PER_STATEMENT)
        .map(|chunk| Stmt {
            sql: all[chunk.len() - 1],
            params: chunk
                .iter()
                .flat_map(|(id, at)| [Value::from(id.as_str()), Value::from(at.as_str())])
                .collect(),
        })
        .collect()
}

/// Stores attendance messages (V4): one read of the batches' terminals as
/// they are now (one statement per 100) (the `verdict` of each), one atomic batch of idempotent
/// multi-row inserts per shard, then in the main database the held
/// batches, the webhook receipts and the terminals' last-seen times.
/// Returns one result per message, in order; an `Err` is retried by the
/// queue (redelivery stores nothing twice).
pub async fn store_attendance(
    cx: &Cx<'_>,
    batches: &[Batch],
    now: chrono::DateTime<chrono::Utc>,
    dev: &DevSwitches,
) -> Vec<Result<(), PortError>> {
    let shards = dev.shards(cx.shards);
    let mut results: Vec<Result<(), PortError>> = vec![Ok(()); batches.len()];
    let received = now.to_rfc3339();
    for (i, b) in batches.iter().enumerate() {
        if dev.fails(b, cx.rng) {
            results[i] = Err(PortError("injected failure (dev switch)".into()));
        }
    }
    // The terminals as they are now: one round trip for the whole delivery.
    let mut ids: Vec<&str> = batches
        .iter()
        .zip(&results)
        .filter(|(b, r)| r.is_ok() && b.accepted.is_some())
        .map(|(b, _)| b.terminal_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut current: Vec<TerminalAuth> = Vec::new();
    if !ids.is_empty() {
        let reads: Vec<Stmt> = ids
            .chunks(TERMINALS_PER_READ)
            .map(|c| read_terminals(c).stmt)
            .collect();
        // A failed or unreadable read retries the delivery: an unread
        // terminal must not pass for a missing one (that would hold).
        let read = match cx.db.batch(&reads).await {
            Ok(results) => results
                .into_iter()
                .map(Vec::<TerminalAuth>::from_result)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| PortError(e.to_string())),
            Err(e) => Err(PortError(e.to_string())),
        };
        match read {
            Ok(rows) => current = rows.into_iter().flatten().collect(),
            Err(e) => return vec![Err(e); batches.len()],
        }
        current.sort_by(|a, b| a.id.cmp(&b.id));
    }
    let row_of = |id: &str| {
        current
            .binary_search_by(|t| t.id.as_str().cmp(id))
            .ok()
            .map(|i| &current[i])
    };
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); shards.len().max(1)];
    let mut held = Vec::new();
    for (i, b) in batches.iter().enumerate() {
        if results[i].is_err() {
            continue;
        } else if verdict(b, row_of(&b.terminal_id), cx.keys) == Verdict::Hold {
            held.push(i);
        } else {
            groups[shard_of(&b.member_id, shards.len())].push(i);
        }
    }
    for (shard, members) in groups.iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        // No shard to store into (a deployment without one): retried,
        // never acknowledged, so the records wait for the binding.
        if shards.is_empty() {
            for i in members {
                results[*i] = Err(PortError("no attendance shard is bound".into()));
            }
            continue;
        }
        let stmts: Vec<_> = members
            .iter()
            .flat_map(|i| insert_statements(&batches[*i], &received))
            .collect();
        if let Err(e) = shards[shard].batch(&stmts).await {
            for i in members {
                results[*i] = Err(PortError(e.to_string()));
            }
        }
    }
    // Main database: holds (must be durable before the ack), receipts and
    // last-seen (informative: a repeat is stored once anyway).
    let mut writes: Vec<Stmt> = held
        .iter()
        .map(|i| {
            let b = &batches[*i];
            let (t, m, site) = (&b.terminal_id, &b.member_id, &b.site_id);
            hold(cx.keys, cx.rng, t, m, site, None, &b.records, &received)
        })
        .collect();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (b, r) in batches.iter().zip(&results) {
        if r.is_err() {
            continue;
        }
        let at = b
            .accepted
            .as_ref()
            .map_or(received.as_str(), |a| a.at.as_str());
        seen.push((b.terminal_id.clone(), at.to_owned()));
        if let Some((a, webhook_id)) = b
            .accepted
            .as_ref()
            .and_then(|a| a.webhook_id.as_deref().map(|w| (a, w)))
        {
            writes.push(stmt!(
                "INSERT OR IGNORE INTO webhook_receipts (terminal_id, webhook_id, received_at, records) VALUES (?, ?, ?, ?)",
                b.terminal_id.as_str(),
                webhook_id,
                a.at.as_str(),
                a.batch_records
            ));
        }
    }
    seen.sort();
    seen.reverse();
    seen.dedup_by(|a, b| a.0 == b.0);
    writes.extend(seen_statements(&seen));
    if !writes.is_empty() {
        if let Err(e) = cx.db.batch(&writes).await {
            for i in held {
                results[i] = Err(PortError(e.to_string()));
            }
        }
    }
    results
}

/// Contacts an instance reported (`v8_adms::seen_message`): one batch.
///
/// # Errors
/// When the database fails (the queue retries).
pub async fn store_seen(cx: &Cx<'_>, seen: &[(String, String)]) -> Result<(), PortError> {
    let stmts = seen_statements(seen);
    if stmts.is_empty() {
        return Ok(());
    }
    cx.db
        .batch(&stmts)
        .await
        .map(|_| ())
        .map_err(|e| PortError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::v3_records::tests::record;
    use super::*;
    use crate::kernel::ports::Random;

    #[test]
    fn v4_inserts_are_batched_under_100_parameters_and_idempotent() {
        let b = Batch {
            terminal_id: "t".into(),
            member_id: "m".into(),
            site_id: "s".into(),
            records: (0..20).map(record).collect(),
            accepted: None,
        };
        let stmts = insert_statements(&b, "2026-11-22T00:00:00Z");
        assert_eq!(stmts.len(), 3);
        assert!(stmts
            .iter()
            .all(|s| s.params.len() <= 100 && s.sql.ends_with("DO NOTHING")));
        assert_eq!(
            stmts.iter().map(|s| s.params.len()).sum::<usize>(),
            20 * INSERT_COLUMNS
        );
    }

    /// A terminal row as the consumer reads it, version 5, changed at 10:00.
    fn row(keys: &Keys, rng: &dyn Random) -> TerminalAuth {
        TerminalAuth {
            id: "trm_1".into(),
            member_id: "mem_1".into(),
            site_id: "site_1".into(),
            mode: TerminalMode::Webhook,
            status: super::super::TerminalStatus::Active,
            secret_enc: Some(keys.seal_for(rng, &at("terminals.secret", "trm_1"), "whsec_new")),
            prev_secret_enc: Some(keys.seal_for(
                rng,
                &at("terminals.secret", "trm_1"),
                "whsec_old",
            )),
            prev_valid_until: Some("2026-11-27T10:00:00+00:00".into()),
            member_status: crate::signup::member::MemberStatus::Active,
            suspended_at: None,
            device_limit: 3,
            rank: 0,
            adms_source_bidx: Some("home".into()),
            auth_version: 5,
            auth_changed_at: Some("2026-11-26T10:00:00+00:00".into()),
            last_seen_at: None,
        }
    }

    fn batch(version: i64, at: &str, credential: String) -> Batch {
        Batch {
            terminal_id: "trm_1".into(),
            member_id: "mem_1".into(),
            site_id: "site_1".into(),
            records: vec![record(1)],
            accepted: Some(super::super::v3_records::Acceptance {
                version,
                at: at.into(),
                credential,
                webhook_id: Some("msg".into()),
                batch_records: 1,
            }),
        }
    }

    #[test]
    fn v6_v2_v8_a_batch_accepted_on_an_out_of_date_memory_is_re_decided() {
        use crate::kernel::crypto::testkit::{keys, SeqRandom};
        let (keys, rng) = (keys(), SeqRandom(std::cell::Cell::new(9)));
        let t = row(&keys, &rng);
        let secret = |s: &str| keys.blind_index("terminal-secret", s);
        let after = "2026-11-26T10:00:05+00:00";
        let verdict_of = |b: &Batch, t: &TerminalAuth| verdict(b, Some(t), &keys);
        // The current version, or accepted before the change: stored.
        assert_eq!(verdict_of(&batch(5, after, "x".into()), &t), Verdict::Store);
        let before = batch(4, "2026-11-26T09:59:59+00:00", "x".into());
        assert_eq!(verdict_of(&before, &t), Verdict::Store);
        // Suspended (version 4), a stale memory accepts under version 3,
        // resumed (version 5, 10:00:00), then consumed: the terminal as it
        // is now would take it, but it was accepted while suspended. Two
        // changes since its version, the latest after it: held.
        let while_suspended = batch(3, "2026-11-26T09:59:30+00:00", secret("whsec_new"));
        assert_eq!(verdict_of(&while_suspended, &t), Verdict::Hold);
        // rule V2: after a rotation the stale memory accepted the old
        // secret (within its grace) or the new one: stored; another: held.
        assert_eq!(
            verdict_of(&batch(4, after, secret("whsec_old")), &t),
            Verdict::Store
        );
        assert_eq!(
            verdict_of(&batch(4, after, secret("whsec_new")), &t),
            Verdict::Store
        );
        assert_eq!(
            verdict_of(&batch(4, after, secret("whsec_older")), &t),
            Verdict::Hold
        );
        let late = batch(4, "2026-11-27T10:00:01+00:00", secret("whsec_old"));
        assert_eq!(verdict_of(&late, &t), Verdict::Hold, "grace over");
        // rule V6: suspended (terminal or member) or past the device count.
        let mut suspended = t.clone();
        suspended.status = super::super::TerminalStatus::Suspended;
        assert_eq!(
            verdict_of(&batch(4, after, secret("whsec_new")), &suspended),
            Verdict::Hold
        );
        let mut member = t.clone();
        member.suspended_at = Some("2026-11-26T10:00:00+00:00".into());
        assert_eq!(
            verdict_of(&batch(4, after, secret("whsec_new")), &member),
            Verdict::Hold
        );
        let mut over = t.clone();
        over.device_limit = 0;
        assert_eq!(
            verdict_of(&batch(4, after, secret("whsec_new")), &over),
            Verdict::Hold
        );
        // rule V8: an ADMS batch from the pinned address only.
        let mut adms = t.clone();
        adms.mode = TerminalMode::Adms;
        assert_eq!(
            verdict_of(&batch(4, after, "home".into()), &adms),
            Verdict::Store
        );
        assert_eq!(
            verdict_of(&batch(4, after, "elsewhere".into()), &adms),
            Verdict::Hold
        );
        // Released by the member: stored; a terminal gone: held.
        let mut released = batch(4, after, String::new());
        released.accepted = None;
        assert_eq!(verdict(&released, Some(&suspended), &keys), Verdict::Store);
        assert_eq!(
            verdict(&batch(5, after, String::new()), None, &keys),
            Verdict::Hold
        );
    }

    #[test]
    fn v4_contacts_move_last_seen_forward_fifty_a_statement() {
        let seen: Vec<(String, String)> = (0..120)
            .map(|i| (format!("trm_{i}"), "2026-11-26T10:00:00+00:00".into()))
            .collect();
        let stmts = seen_statements(&seen);
        assert_eq!(stmts.len(), 3);
        assert!(stmts.iter().all(|s| s.params.len() <= 100));
        assert!(stmts[0]
            .sql
            .contains("MAX(COALESCE(last_seen_at, ''), v.column2)"));
    }
}
