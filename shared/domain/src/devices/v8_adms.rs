//! Rule V8: ZKTeco ADMS ("iclock") push from legacy terminals — options,
//! polls, ATTLOG lines into the queue, every other table (OPERLOG, BIODATA,
//! ATTPHOTO, …) acknowledged and discarded unread (V5).

use super::v3_records::{messages, Record};
use super::v6_suspension::{read_terminal, terminal_allowed, TerminalAuth};
use super::TerminalMode;
use crate::kernel::crypto::sha256_hex;
use crate::kernel::engine::{Access, Effect, Env, Plan};
use crate::kernel::problem::Problem;
use crate::kernel::types::kst;
use crate::{read_set, stmt, use_case};
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

read_set!(pub struct AdmsReads => AdmsRows { terminal: Option<TerminalAuth> });

/// The iclock endpoints: only registered ADMS terminals; `OK` only after the
/// records are queued, so the device resends on failure.
pub struct Adms;
use_case!(Adms, "device.adms", |_uc| Access::Public, AdmsInput => AdmsReads);

impl Adms {
    fn reads(&self, input: &AdmsInput, _: &Env) -> AdmsReads {
        AdmsReads {
            terminal: read_terminal(true, input.serial()),
        }
    }

    fn decide(&self, input: AdmsInput, rows: AdmsRows, env: &Env) -> Result<Plan, Problem> {
        let t = rows
            .terminal
            .ok_or_else(|| Problem::unauthorized("detail.terminal_unknown"))?;
        terminal_allowed(&t, TerminalMode::Adms)?;
        let seen = stmt!(
            "UPDATE terminals SET last_seen_at = ? WHERE id = ?",
            env.now.to_rfc3339(),
            t.id.as_str()
        );
        Ok(match input {
            AdmsInput::Options { serial } => Plan::text(200, adms_options(&serial), vec![seen]),
            AdmsInput::Poll { .. } | AdmsInput::Discard { .. } => Plan::text(200, "OK", vec![seen]),
            AdmsInput::AttLog { serial, body } => {
                let records = parse_attlog(&serial, &body);
                let n = records.len();
                let msgs = messages(&t.id, &t.member_id, &t.site_id, &records);
                // One read, the queue, no write: the consumer records last-seen.
                Plan::text(200, format!("OK: {n}"), vec![]).effect(Effect::Publish(msgs))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
