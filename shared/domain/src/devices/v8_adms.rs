//! Rule V8: ZKTeco ADMS ("iclock") push from legacy terminals — options,
//! polls, ATTLOG lines into the queue, every other table (OPERLOG, BIODATA,
//! ATTPHOTO, …) acknowledged and discarded unread (V5).
//!
//! The firmware signs nothing and names itself by the serial printed on its
//! label, so knowing a serial must not be enough to write attendance
//! (README "ADMS threat model"): the first source address a terminal is
//! seen from is pinned (trust on first use, kept as a blind index); lines
//! from any other address are acknowledged to the device (it would resend
//! for ever otherwise) but held in `adms_quarantine`, sealed, until the
//! member accepts them (optionally trusting the new address: a router that
//! changed its public address) or discards them. Requests are limited per
//! source address, uploads per (serial, address) pair, and the quarantine
//! per terminal.

use super::v3_records::{messages, Acceptance, Record};
use super::v6_suspension::{
    read_terminal, remembered_key, terminal_allowed, TerminalAuth, KNOWN_SECS, REMEMBERED,
    REMEMBER_SECS,
};
use super::v8_held::hold;
use super::{DevicesConfig, TerminalMode};
use crate::kernel::crypto::{at, sha256_hex};
use crate::kernel::engine::{Access, Effect, Env, Plan};
use crate::kernel::limits::{Limit, Window};
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::types::kst;
use crate::{read, read_set, stmt, use_case};
use chrono::{FixedOffset, NaiveDateTime, TimeZone};

/// What an ADMS device sent or asked for (V8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdmsInput {
    /// `GET /iclock/cdata?SN=…`: the device asks for its options.
    Options { serial: String },
    /// `POST /iclock/cdata?SN=…&table=ATTLOG`.
    AttLog { serial: String, body: String },
    /// Any other table (OPERLOG, BIODATA, ATTPHOTO, …): acknowledged, discarded unread (V5).
    Discard { serial: String },
    /// `GET /iclock/getrequest?SN=…`: commands for the device (none).
    Poll { serial: String },
}

impl AdmsInput {
    fn serial(&self) -> &str {
        match self {
            AdmsInput::Options { serial }
            | AdmsInput::AttLog { serial, .. }
            | AdmsInput::Discard { serial }
            | AdmsInput::Poll { serial } => serial,
        }
    }
}

/// The options we send: attendance logs only; no user, fingerprint, face
/// or photo tables (V5).
pub fn adms_options(serial: &str) -> String {
    format!(
        "GET OPTION FROM: {serial}\nATTLOGStamp=None\nOPERLOGStamp=9999\nATTPHOTOStamp=9999\nErrorDelay=30\nDelay=10\nTransTimes=00:00;14:05\nTransInterval=1\nTransFlag=TransData AttLog\nTimeZone=9\nRealtime=1\nEncrypt=None\n"
    )
}

/// ATTLOG lines: `PIN\tYYYY-MM-DD HH:MM:SS\tstatus\tverify\t…`, device time in
/// KST. The event id is derived from the line, so a resent line is the same
/// event. Unparseable lines are skipped (the device cannot fix them).
pub fn parse_attlog(serial: &str, body: &str) -> Vec<Record> {
    let offset: FixedOffset = kst();
    body.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').map(str::trim).collect();
            let (pin, time) = (*f.first()?, *f.get(1)?);
            if pin.is_empty() || pin.len() > 64 || !pin.bytes().all(|b| b.is_ascii_graphic()) {
                return None;
            }
            let local = NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S").ok()?;
            let at = offset.from_local_datetime(&local).single()?;
            let status = f.get(2).copied().unwrap_or("0");
            let direction = if matches!(status, "1" | "5") {
                "out"
            } else {
                "in"
            };
            let method = match f.get(3).copied().unwrap_or("1") {
                "0" => "pin",
                "15" | "9" => "face",
                "2" | "4" | "11" => "card",
                _ => "finger",
            };
            let event_id = format!(
                "adms-{}",
                &sha256_hex(&[
                    serial.as_bytes(),
                    pin.as_bytes(),
                    time.as_bytes(),
                    status.as_bytes()
                ])[..32]
            );
            Some(Record {
                event_id,
                terminal_time: at.to_rfc3339(),
                worker_code: pin.to_owned(),
                direction: direction.into(),
                method: method.into(),
                result: "accepted".into(),
            })
        })
        .collect()
}

/// Held batches a terminal may have waiting for its member; past it the
/// device is refused (it keeps the lines and resends later).
pub const MAX_PENDING_PER_TERMINAL: i64 = 100;

/// Every ADMS request from one source address a minute (rule A6): a site's
/// router may front many terminals, each polling every 10–30 s.
fn per_address(env: &Env) -> Limit {
    Limit {
        prefix: "adms-ip",
        window_secs: 60,
        max: env.config.area::<DevicesConfig>().adms_requests_per_minute,
    }
}

/// ATTLOG uploads of one serial from one address a minute (rule A6): a
/// stranger flooding a serial uses up its own pair's allowance, not the
/// terminal's.
fn per_upload(env: &Env) -> Limit {
    Limit {
        prefix: "adms-upload",
        window_secs: 60,
        max: env.config.area::<DevicesConfig>().adms_uploads_per_minute,
    }
}

/// The per-upload limit's key: a serial and a source address together.
fn upload_pair(env: &Env, serial: &str, bidx: &str) -> String {
    env.keys
        .blind_index("adms-upload", &format!("{serial}\n{bidx}"))
}

/// The request's source address and its blind index.
fn source(env: &Env) -> (String, String) {
    let address = env.client_ip.unwrap_or("unknown").to_owned();
    let bidx = env.keys.blind_index("adms-source", &address);
    (address, bidx)
}

/// A terminal's contacts are written at most this often: an instance
/// reports the terminals it heard from in one queue message a minute
/// (`seen_message`), and the database path writes last-seen only when it
/// is older than this.
pub const SEEN_EVERY_SECS: i64 = 60;

/// The queue message that reports contacts (`v4_store::store_seen`).
pub fn seen_message(seen: &[(String, String)]) -> Vec<serde_json::Value> {
    seen.chunks(500)
        .map(|c| serde_json::json!({ "type": "seen", "terminals": c }))
        .collect()
}

read_set!(pub struct AdmsReads => AdmsRows {
    from_address: Option<Window>,
    uploads: Option<Window>,
    terminal: Option<TerminalAuth>,
    pending: Count,
});

/// The iclock endpoints: only registered ADMS terminals; `OK` only after the
/// records are queued (or held for the member), so the device resends on
/// failure. A pinned terminal this instance read in the last
/// `REMEMBER_SECS`, calling from its pinned address, is answered from
/// memory: polls with no round trip at all, uploads with the queue only.
pub struct Adms;
use_case!(Adms, "device.adms", |_uc| Access::Public, AdmsInput => AdmsReads, remembered);

impl Adms {
    fn recall(&self, input: &AdmsInput, env: &Env) -> Option<(AdmsInput, AdmsRows)> {
        let t: TerminalAuth = env.memo.recall(
            &remembered_key(true, input.serial()),
            env.now,
            REMEMBER_SECS,
        )?;
        let (_, bidx) = source(env);
        // Only the pinned address: anything else needs the database (to
        // pin, or to hold the lines and count them).
        if t.adms_source_bidx.as_deref() != Some(bidx.as_str()) {
            return None;
        }
        Some((
            input.clone(),
            AdmsRows {
                from_address: None,
                uploads: None,
                terminal: Some(t),
                pending: Count { n: 0 },
            },
        ))
    }

    fn remember(&self, input: &AdmsInput, rows: &AdmsRows, env: &Env) {
        if let Some(t) = &rows.terminal {
            env.memo
                .keep(remembered_key(true, input.serial()), t.clone(), env.now);
        }
    }

    fn reads(&self, input: &AdmsInput, env: &Env) -> AdmsReads {
        let (_, bidx) = source(env);
        let upload = matches!(input, AdmsInput::AttLog { .. });
        // A terminal this instance knows, calling from its pinned address,
        // is not guessing serials: its requests are counted in memory only,
        // so re-reading it writes nothing.
        let known = env
            .memo
            .recall::<TerminalAuth>(&remembered_key(true, input.serial()), env.now, KNOWN_SECS)
            .is_some_and(|t| t.adms_source_bidx.as_deref() == Some(bidx.as_str()));
        AdmsReads {
            // Counted in this first batch, before anything is decided.
            from_address: if known {
                Limit::untaken()
            } else {
                per_address(env).take(&bidx, env.now)
            },
            uploads: if upload && !known {
                per_upload(env).take(&upload_pair(env, input.serial(), &bidx), env.now)
            } else {
                Limit::untaken()
            },
            terminal: read_terminal(true, input.serial()),
            // Only an upload may be held: polls and options skip the count.
            pending: if upload {
                read!(
                    "SELECT COUNT(*) AS n FROM adms_quarantine q JOIN terminals t ON t.id = q.terminal_id WHERE t.serial = ? AND q.decided_at IS NULL",
                    input.serial()
                )
            } else {
                read!("SELECT 0 AS n")
            },
        }
    }

    fn decide(&self, input: AdmsInput, rows: AdmsRows, env: &Env) -> Result<Plan, Problem> {
        let limited = |wait| Problem::rate_limited("detail.rate_limited", wait);
        let (address, bidx) = source(env);
        // Counted in the first batch on the database path, and in this
        // instance's memory always (the only count on the memory path).
        let by_address = per_address(env);
        let local = by_address.take_local(env.memo, &bidx, env.now);
        by_address
            .over(&Limit::fuller(rows.from_address, local), env.now)
            .map_err(limited)?;
        let t = rows
            .terminal
            .ok_or_else(|| Problem::unauthorized("detail.terminal_unknown"))?;
        terminal_allowed(&t, TerminalMode::Adms)?;
        let trusted = t
            .adms_source_bidx
            .as_deref()
            .is_none_or(|pinned| pinned == bidx);
        let pinned = t.adms_source_bidx.is_some();
        // The first contact pins its address (the first writer wins),
        // sealed only then. After that a contact writes nothing per
        // request: this instance reports its terminals' contacts once a
        // minute; an instance that serves one request (Spin) writes
        // last-seen when it is a minute old.
        let mut contact = vec![];
        let mut reports = vec![];
        if trusted && !pinned {
            contact.push(stmt!(
                "UPDATE terminals SET last_seen_at = ?, adms_source_enc = COALESCE(adms_source_enc, ?), adms_source_bidx = COALESCE(adms_source_bidx, ?) WHERE id = ?",
                env.now.to_rfc3339(),
                env.keys.seal_for(env.rng, &at("terminals.adms_source", &t.id), &address),
                bidx.as_str(),
                t.id.as_str()
            ));
        } else if trusted {
            let stale = crate::kernel::types::parse_instant(t.last_seen_at.as_deref())
                .is_none_or(|at| (env.now - at).num_seconds() >= SEEN_EVERY_SECS);
            if !env.memo.lasts() && stale {
                contact.push(stmt!(
                    "UPDATE terminals SET last_seen_at = MAX(COALESCE(last_seen_at, ''), ?) WHERE id = ?",
                    env.now.to_rfc3339(),
                    t.id.as_str()
                ));
            } else {
                let due = env.memo.saw(&t.id, env.now, SEEN_EVERY_SECS);
                reports = seen_message(&due)
                    .into_iter()
                    .map(Effect::Enqueue)
                    .collect();
            }
        }
        // This instance read the terminal unpinned: read it again next time.
        let forget = (trusted && !pinned).then_some(Effect::Forget(REMEMBERED));
        Ok(match input {
            AdmsInput::Options { serial } => Plan::text(200, adms_options(&serial), contact),
            AdmsInput::Poll { .. } | AdmsInput::Discard { .. } => Plan::text(200, "OK", contact),
            AdmsInput::AttLog { serial, body } => {
                let uploads = per_upload(env);
                let pair = upload_pair(env, &serial, &bidx);
                let local = uploads.take_local(env.memo, &pair, env.now);
                uploads
                    .over(&Limit::fuller(rows.uploads, local), env.now)
                    .map_err(limited)?;
                let records = parse_attlog(&serial, &body);
                let n = records.len();
                if trusted {
                    let accepted = Acceptance {
                        version: t.auth_version,
                        at: env.now.to_rfc3339(),
                        credential: bidx.clone(),
                        webhook_id: None,
                        batch_records: i64::try_from(n).unwrap_or(0),
                    };
                    let msgs = messages(&t.id, &t.member_id, &t.site_id, &records, Some(&accepted));
                    Plan::text(200, format!("OK: {n}"), contact).effect(Effect::Publish(msgs))
                } else {
                    // Refused at once when the read saw the terminal full;
                    // the write batch counts again with its own row in, so
                    // parallel uploads cannot pass the cap either.
                    if rows.pending.n >= MAX_PENDING_PER_TERMINAL {
                        return Err(limited(60));
                    }
                    Plan::text(
                        200,
                        format!("OK: {n}"),
                        vec![
                            hold(
                                env.keys,
                                env.rng,
                                &t.id,
                                &t.member_id,
                                &t.site_id,
                                Some((&bidx, &address)),
                                &records,
                                &env.now.to_rfc3339(),
                            ),
                            stmt!(
                                "INSERT INTO expect_room(n) SELECT COUNT(*) <= ? FROM adms_quarantine WHERE terminal_id = ? AND decided_at IS NULL",
                                MAX_PENDING_PER_TERMINAL,
                                t.id.as_str()
                            ),
                        ],
                    )
                    .conflict_means(limited(60))
                }
            }
        }
        .effects(reports)
        .effects(forget))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11, rule V8: a pinned terminal's polls answered from memory
    /// write nothing; the instance reports its terminals' contacts in one
    /// `seen` queue message once the oldest is a minute old.
    #[test]
    fn v8_polls_from_memory_write_nothing_and_are_reported_once_a_minute() {
        use crate::kernel::crypto::testkit::{keys, SeqRandom};
        use crate::kernel::engine::{testkit, Config};
        let (keys, rng, config) = (
            keys(),
            SeqRandom(std::cell::Cell::new(5)),
            Config::default(),
        );
        let base = testkit::env(&keys, &rng, &config);
        let (_, bidx) = source(&base);
        let terminal = TerminalAuth {
            id: "trm_1".into(),
            member_id: "mem_1".into(),
            site_id: "site_1".into(),
            mode: TerminalMode::Adms,
            status: super::super::TerminalStatus::Active,
            secret_enc: None,
            prev_secret_enc: None,
            prev_valid_until: None,
            member_status: crate::signup::member::MemberStatus::Active,
            suspended_at: None,
            device_limit: 1,
            rank: 0,
            adms_source_bidx: Some(bidx),
            auth_version: 1,
            auth_changed_at: None,
            last_seen_at: None,
        };
        let poll = |after: i64| {
            let env = Env {
                now: base.now + chrono::Duration::seconds(after),
                from_memory: true,
                who: None,
                ..base
            };
            let input = AdmsInput::Poll {
                serial: "SN1".into(),
            };
            let (input, rows) = {
                env.memo
                    .keep(remembered_key(true, "SN1"), terminal.clone(), env.now);
                Adms.recall(&input, &env).expect("remembered")
            };
            Adms.decide(input, rows, &env).expect("OK")
        };
        for after in [0, 20, 59] {
            let plan = poll(after);
            assert!(plan.writes.is_empty(), "a poll writes nothing");
            assert!(plan.effects.is_empty(), "nothing to report yet");
        }
        let plan = poll(60);
        assert!(plan.writes.is_empty());
        let Some(Effect::Enqueue(message)) = plan.effects.first() else {
            panic!("the contacts are reported: {:?}", plan.effects);
        };
        assert_eq!(message["type"], "seen");
        assert_eq!(message["terminals"][0][0], "trm_1");
        assert!(poll(61).effects.is_empty(), "a new minute begins");
    }

    #[test]
    fn v8_attlog_lines_parse_in_kst_with_stable_event_ids() {
        let body = "1001\t2026-11-22 08:01:02\t0\t15\t0\t0\n1002\t2026-11-22 18:00:00\t1\t1\t0\t0\ngarbage\n";
        let r = parse_attlog("SN123", body);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].terminal_time, "2026-11-22T08:01:02+09:00");
        assert_eq!(
            (r[0].direction.as_str(), r[0].method.as_str()),
            ("in", "face")
        );
        assert_eq!(
            (r[1].direction.as_str(), r[1].method.as_str()),
            ("out", "finger")
        );
        assert_eq!(
            parse_attlog("SN123", body)[0].event_id,
            r[0].event_id,
            "a resent line is the same event"
        );
        assert_ne!(parse_attlog("SN999", body)[0].event_id, r[0].event_id);
        assert!(
            adms_options("SN123").contains("TransFlag=TransData AttLog\n"),
            "attendance only"
        );
    }
}
