//! What each party hears of a contract (issue 22): the other party's
//! actions, and its own deadlines — the answer a request now asks of it
//! (C7, by the end of the 7th KST day) and the inspection after a reported
//! completion (C3) — each notice with a link to the contract's page. A
//! change's notice goes to the party that did not make it, in the change's
//! own batch (the outbox), by e-mail, and by text message too when it
//! starts a deadline for its reader. The sweep's own notices (a request
//! overdue, a contract deemed accepted) name the contract the same way.

use super::contract::ContractRow;
use super::contract::{MessageState, PartyRequestState};
use super::record::{ContractRecord, ContractRows};
use crate::kernel::engine::{Effect, Env, Plan};
use crate::kernel::i18n::{fill, has, msg, Lang};
use crate::kernel::outbox::{to_member, Contact};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;

impl ContractRows {
    /// The answer to a party's change of contract `c`: the record as it is
    /// after the change, the change's writes, and the notice to the other
    /// party of what changed (with the answer it now owes, and by when).
    ///
    /// # Errors
    /// A 500 when sealed words do not open (another key).
    pub fn answer(
        &self,
        status: u16,
        c: &ContractRow,
        mut writes: Vec<Stmt>,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let record = self.record(c, env)?;
        let (notices, sends) = of_change(self, &record, env);
        writes.extend(notices);
        Ok(Plan::ok(status, record, writes).effects(sends))
    }
}

/// The page of contract `id`, as a link in a notice.
pub fn link(env: &Env, id: &str) -> String {
    env.config
        .area::<crate::kernel::notify::Links>()
        .app(&format!("contracts/{id}"))
}

/// The last KST day before `until` (the first instant after a deadline),
/// as a notice names it: "2026년 12월 10일 23:59".
pub fn last_day(until: &str, lang: Lang) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(until) else {
        return until.to_owned();
    };
    let day = crate::kernel::types::kst_date(
        t.with_timezone(&chrono::Utc) - chrono::Duration::seconds(1),
    );
    match lang {
        Lang::Ko => day.format("%Y년 %-m월 %-d일 23:59").to_string(),
        Lang::En => day.format("%-d %b %Y, 23:59").to_string(),
    }
}

/// The notice of a party's change to the other party: the statements and
/// queue messages (none when the caller is not a party, or nothing it
/// hears of changed).
pub fn of_change(
    rows: &ContractRows,
    record: &ContractRecord,
    env: &Env,
) -> (Vec<Stmt>, Vec<Effect>) {
    let me = env.caller();
    let now = env.now.to_rfc3339();
    let Some(parties) = rows.location.as_ref() else {
        return (vec![], vec![]);
    };
    let (to, company) = if me == record.client_id {
        (
            Contact {
                member_id: &record.partner_id,
                email_enc: parties.partner_email.as_deref(),
                phone_enc: parties.partner_phone.as_deref(),
            },
            record.client_company.as_deref(),
        )
    } else if me == record.partner_id {
        (
            Contact {
                member_id: &record.client_id,
                email_enc: parties.client_email.as_deref(),
                phone_enc: parties.client_phone.as_deref(),
            },
            record.partner_company.as_deref(),
        )
    } else {
        return (vec![], vec![]);
    };
    let lang = Lang::Ko;
    let mut said: Vec<String> = Vec::new();
    for h in rows.history.added() {
        let key = format!("notice.{}", h.action);
        let key = if has(&key) {
            key.as_str()
        } else if h.action.ends_with("_withdrawn") {
            "notice.contract.request_withdrawn"
        } else {
            "notice.contract.changed"
        };
        let line = msg(key, lang).to_owned();
        if !said.contains(&line) {
            said.push(line);
        }
    }
    let posted = record
        .messages
        .iter()
        .any(|m| m.author_id == me && m.created_at == now && m.state == MessageState::Visible);
    if posted {
        said.push(msg("notice.contract.message", lang).to_owned());
    }
    if said.is_empty() {
        return (vec![], vec![]);
    }
    // Its own deadlines, started by this change.
    let mut deadline = false;
    for q in &record.requests {
        if q.from_id == me
            && q.to_id == to.member_id
            && q.state == PartyRequestState::Open
            && q.created_at == now
        {
            said.push(fill(
                "notice.contract.answer_by",
                lang,
                &[("date", &last_day(&q.answer_by, lang))],
            ));
            deadline = true;
        }
    }
    let completed = rows
        .history
        .added()
        .iter()
        .any(|h| h.action == "contract.completed");
    if let (true, Some(until)) = (completed, record.inspection_until.as_deref()) {
        said.push(fill(
            "notice.contract.inspect_by",
            lang,
            &[("date", &last_day(until, lang))],
        ));
        deadline = true;
    }
    let title = record
        .versions
        .iter()
        .find(|v| v.number == record.current_version)
        .map(|v| v.title.as_str())
        .unwrap_or_default();
    let text = fill(
        "notice.contract",
        lang,
        &[
            ("title", title),
            ("company", company.unwrap_or_default()),
            ("what", &said.join(" ")),
            ("link", &link(env, &record.contract_id)),
        ],
    );
    to_member(env, to, "contract", &text, deadline)
}

/// The title of version `number` of contract `id`, as a sweep's notice
/// names the contract (empty when it is not there or does not open: a
/// notice is never a reason for the step to fail).
pub fn title(
    env: &Env,
    id: &str,
    number: Option<i64>,
    sealed: Option<&crate::kernel::sealed::SealedText>,
) -> String {
    match (number, sealed) {
        (Some(n), Some(t)) => t
            .open(
                env.keys,
                crate::personal_data::place::VERSION_TITLE,
                &super::contract::version_row(id, n),
            )
            .unwrap_or_default(),
        _ => String::new(),
    }
}
