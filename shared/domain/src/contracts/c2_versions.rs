//! Rules C1 and C2: a contract's parties see it whole (every version with
//! its SHA-256, confirmations with time and address, its history; the
//! JSON a party keeps as the record); before forming either party edits it
//! (a new version; confirmations of earlier versions no longer count) or
//! confirms the current version by its hash; it forms when both parties
//! confirmed the same version. Every change is conditional on the
//! contract's `version` (its `revision`), and an edit names the revision it
//! was made on while a confirmation names the version it confirms: of an
//! edit and a confirm made on the same state, exactly one wins and the
//! other gets 409, whichever comes first or if they meet in the database. A
//! formed contract is not edited (amendments, which both confirm, come
//! later: C2).

use super::c11_content::refuse_contact_details;
use super::contract::{
    as_party, bump, close_requests, confirmation_insert, other_party, request_insert,
    version_insert, Ask, ConfirmationRow, ContractRow, ContractState, IpClause, PartyRequestKind,
    PartyRequestState, Terms,
};
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::{json_object, Body, Fields, Problem};
use crate::kernel::types::text;
use crate::{read, read_set, stmt, use_case};

pub use super::record::*;

/// `GET /member/contracts/{id}`: the whole record, to its parties only.
pub struct GetContract;
use_case!(GetContract, "member.contract", |_uc| Access::Matching, String => ContractReads);

impl GetContract {
    fn reads(&self, id: &String, env: &Env) -> ContractReads {
        contract_reads(id, env)
    }

    fn decide(&self, _: String, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let c = as_party(rows.contract.clone(), env)?;
        Ok(Plan::ok(200, rows.record(&c, env)?, vec![]))
    }
}

crate::row!(
    /// A contract in the caller's list: its current title (sealed) and the
    /// parties' company names.
    pub struct ListedRow {
        pub id: String,
        pub client_id: String,
        pub partner_id: String,
        pub state: crate::contracts::contract::ContractState,
        pub current_version: i64,
        pub created_at: String,
        pub title: crate::kernel::sealed::SealedText,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
    }
);

read_set!(pub struct ListReads => ListRows { contracts: Vec<ListedRow> });

/// The caller's contracts on one side (`$side`: `client_id` or `partner_id`).
macro_rules! listed {
    ($side:literal) => {
        concat!(
            "SELECT * FROM (SELECT c.id, c.client_id, c.partner_id, c.state, c.current_version, c.created_at, v.title,
               cm.company_name AS client_company, pm.company_name AS partner_company
             FROM contracts c JOIN contract_versions v ON v.contract_id = c.id AND v.number = c.current_version
             LEFT JOIN members cm ON cm.id = c.client_id LEFT JOIN members pm ON pm.id = c.partner_id
             WHERE c.",
            $side,
            " = ? ORDER BY c.created_at DESC LIMIT 100)"
        )
    };
}

/// `GET /member/contracts`: the caller's contracts as client or partner,
/// newest first (100 of each side).
pub struct ListContracts;
use_case!(ListContracts, "member.contracts", |_uc| Access::Matching, () => ListReads);

impl ListContracts {
    fn reads(&self, _: &(), env: &Env) -> ListReads {
        ListReads {
            contracts: read!(
                concat!(listed!("client_id"), " UNION ALL ", listed!("partner_id")),
                env.caller(),
                env.caller()
            ),
        }
    }

    fn decide(&self, _: (), rows: ListRows, env: &Env) -> Result<Plan, Problem> {
        let mut contracts: Vec<ContractListing> = rows
            .contracts
            .into_iter()
            .map(|c| {
                let row = crate::contracts::contract::version_row(&c.id, c.current_version);
                Ok(ContractListing {
                    title: c.title.open(
                        env.keys,
                        crate::personal_data::place::VERSION_TITLE,
                        &row,
                    )?,
                    contract_id: c.id,
                    client_id: c.client_id,
                    partner_id: c.partner_id,
                    client_company: c.client_company,
                    partner_company: c.partner_company,
                    state: c.state,
                    current_version: c.current_version,
                    created_at: c.created_at,
                })
            })
            .collect::<Result<_, Problem>>()?;
        contracts.sort_by(|a, b| {
            b.created_at
                .cmp(&a.created_at)
                .then_with(|| a.contract_id.cmp(&b.contract_id))
        });
        Ok(Plan::ok(200, Contracts { contracts }, vec![]))
    }
}

#[derive(Debug, Clone)]
pub struct EditInput {
    pub contract_id: String,
    /// the contract's `revision` the editor saw: an edit made without
    /// seeing a later change (another edit, a confirmation) is refused
    pub revision: i64,
    pub terms: Terms,
}

crate::request!(
    /// A version's terms, made on a revision (an edit of a draft; an
    /// amendment of a formed contract, whose IP clause and portfolio
    /// consent stay as formed).
    pub struct ContractTermsBody {
        /// the contract's `revision` the change was made on
        pub revision: i64,
        #[schemars(length(min = 1, max = 100))]
        pub title: String,
        #[schemars(length(min = 1, max = 4000))]
        pub scope: String,
        /// whole won, 1 to 1,000,000,000,000 (`30000000` or `3천만원`)
        pub amount_krw: crate::kernel::korean::WonField,
        /// KST calendar date, `YYYY-MM-DD`
        pub due_date: String,
        pub ip_clause: IpClause,
        pub portfolio_consent: bool,
    }
);

/// The largest amount accepted (1 trillion won).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// Reads a [`ContractTermsBody`]: every bad field a 422 with its pointer.
///
/// # Errors
/// 422 naming each missing or invalid field.
pub fn parse_terms(body: &[u8], contract_id: String) -> Result<EditInput, Problem> {
    let map = json_object(body)?;
    let mut f = Fields::default();
    let terms = terms_fields(&map, &mut f);
    f.finish()?;
    let (revision, terms) = terms.ok_or_else(Problem::internal)?;
    Ok(EditInput {
        contract_id,
        revision,
        terms,
    })
}

/// The revision and terms of a [`ContractTermsBody`], each bad field pushed to `f`.
pub fn terms_fields(
    map: &serde_json::Map<String, serde_json::Value>,
    f: &mut Fields,
) -> Option<(i64, Terms)> {
    let body = Body { map };
    // Rule C9: no edit or amendment names other parties.
    for party in ["client_id", "partner_id"] {
        if map.contains_key(party) {
            f.push(party, "field.parties_fixed");
        }
    }
    let revision = match map.get("revision").and_then(serde_json::Value::as_i64) {
        Some(v) if v >= 1 => Some(v),
        _ => {
            f.push("revision", "field.required");
            None
        }
    };
    let title = body
        .str(f, "title")
        .and_then(|s| f.take("title", text(&s, 100)));
    let scope = body
        .str(f, "scope")
        .and_then(|s| f.take("scope", text(&s, 4000)));
    let amount_krw = body.won(f, "amount_krw").and_then(|n| {
        if (1..=MAX_AMOUNT).contains(&n) {
            Some(n)
        } else {
            f.push("amount_krw", "field.non_negative");
            None
        }
    });
    let due_date = body.str(f, "due_date").and_then(|d| {
        f.take(
            "due_date",
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map(|d| d.format("%Y-%m-%d").to_string())
                .map_err(|_| "field.date"),
        )
    });
    let ip_clause = body
        .str(f, "ip_clause")
        .and_then(|c| f.take("ip_clause", IpClause::parse(&c).ok_or("field.enum")));
    let portfolio_consent = body.bool(f, "portfolio_consent");
    Some((
        revision?,
        Terms {
            title: title?,
            scope: scope?,
            amount_krw: amount_krw?,
            due_date: due_date?,
            ip_clause: ip_clause?,
            portfolio_consent: portfolio_consent?,
        },
    ))
}

/// A draft (C2: a formed contract changes only by amendment).
fn draft(c: &ContractRow) -> Result<(), Problem> {
    if c.state != ContractState::Draft {
        return Err(Problem::conflict("detail.contract_formed"));
    }
    Ok(())
}

pub(crate) fn changed(c: &ContractRow) -> Problem {
    Problem::conflict("detail.contract_changed")
        .with("current_version", serde_json::json!(c.current_version))
        .with("revision", serde_json::json!(c.version))
}

/// `POST /member/contracts/{id}/versions`: either party edits the draft: a new
/// version, confirmations of earlier ones no longer count (C2). Scope text
/// with contact details is refused (C11: contract text is held; a held
/// draft could not be confirmed, so the editor is told at once).
pub struct EditContract;
use_case!(EditContract, "member.edit_contract", |_uc| Access::Matching, EditInput => ContractReads);

impl EditContract {
    fn reads(&self, input: &EditInput, env: &Env) -> ContractReads {
        contract_reads(&input.contract_id, env)
    }

    fn decide(&self, input: EditInput, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut rows = rows;
        let mut c = as_party(rows.contract.clone(), env)?;
        draft(&c)?;
        if input.revision != c.version {
            return Err(changed(&c));
        }
        refuse_contact_details(&[("title", &input.terms.title), ("scope", &input.terms.scope)])?;
        let number = c.current_version + 1;
        let now = env.now.to_rfc3339();
        let (v, insert) = version_insert(&c, number, &input.terms, env);
        let mut writes = vec![
            bump(&c),
            guard_one_change(),
            stmt!(
                "UPDATE contracts SET current_version = ? WHERE id = ?",
                number,
                c.id.as_str()
            ),
            insert,
            // A confirmation of an earlier version asks for nothing now.
            close_requests(
                &c.id,
                &[PartyRequestKind::Confirmation],
                PartyRequestState::Void,
                &now,
            ),
        ];
        writes.extend(rows.add_history(
            env,
            &c.id,
            "contract.edited",
            &format!("version {number}"),
        ));
        c.current_version = number;
        c.version += 1;
        rows.close(
            &[PartyRequestKind::Confirmation],
            PartyRequestState::Void,
            &now,
        );
        rows.versions.push(v);
        Ok(rows
            .answer(201, &c, writes, env)?
            .conflict_means(Problem::conflict("detail.contract_changed")))
    }
}

#[derive(Debug, Clone)]
pub struct ConfirmInput {
    pub contract_id: String,
    pub number: i64,
    pub sha256: String,
}

/// `POST /member/contracts/{id}/confirm`: a party confirms the current
/// version by its hash; the contract forms (`in_progress`) when the other
/// party confirmed the same version (C2).
pub struct ConfirmContract;
use_case!(ConfirmContract, "member.confirm_contract", |_uc| Access::Matching, ConfirmInput => ContractReads);

impl ConfirmContract {
    fn reads(&self, input: &ConfirmInput, env: &Env) -> ContractReads {
        contract_reads(&input.contract_id, env)
    }

    fn decide(&self, input: ConfirmInput, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut rows = rows;
        let mut c = as_party(rows.contract.clone(), env)?;
        draft(&c)?;
        if input.number != c.current_version {
            return Err(changed(&c));
        }
        let current = rows
            .versions
            .iter()
            .find(|v| v.number == c.current_version)
            .ok_or_else(Problem::internal)?
            .clone();
        if !input.sha256.eq_ignore_ascii_case(&current.sha256) {
            return Err(Problem::conflict("detail.contract_hash")
                .with("sha256", serde_json::json!(current.sha256)));
        }
        let mine =
            |k: &&ConfirmationRow| k.number == c.current_version && k.member_id == env.caller();
        if rows.confirmations.iter().any(|k| mine(&k)) {
            return Err(Problem::conflict("detail.already_confirmed"));
        }
        let other = other_party(&c, env.caller()).to_owned();
        let forms = rows.confirmations.iter().any(|k| {
            k.number == c.current_version && k.member_id == other && k.sha256 == current.sha256
        });
        let now = env.now.to_rfc3339();
        let (k, insert) = confirmation_insert(&c, c.current_version, &current.sha256, env);
        let mut writes = vec![bump(&c), guard_one_change(), insert];
        writes.extend(rows.add_history(
            env,
            &c.id,
            "contract.confirmed",
            &format!("version {} {}", c.current_version, current.sha256),
        ));
        c.version += 1;
        rows.confirmations.push(k);
        if forms {
            // The other party asked for this confirmation: answered (C7).
            writes.push(close_requests(
                &c.id,
                &[PartyRequestKind::Confirmation],
                PartyRequestState::Answered,
                &now,
            ));
            rows.close(
                &[PartyRequestKind::Confirmation],
                PartyRequestState::Answered,
                &now,
            );
            writes.push(stmt!(
                "UPDATE contracts SET state = 'in_progress', formed_version = ?, formed_at = ? WHERE id = ? AND state = 'draft'",
                c.current_version,
                now.as_str(),
                c.id.as_str()
            ));
            writes.extend(rows.add_history(
                env,
                &c.id,
                "contract.formed",
                &format!("version {}", c.current_version),
            ));
            c.state = ContractState::InProgress;
            c.formed_version = Some(c.current_version);
            c.formed_at = Some(now);
        } else {
            // The other party is asked to confirm the same version (C7).
            let (q, insert) = request_insert(
                &c,
                Ask {
                    kind: PartyRequestKind::Confirmation,
                    number: Some(c.current_version),
                    message_id: None,
                    reason: None,
                },
                env,
            );
            writes.push(insert);
            rows.requests.push(q);
        }
        Ok(rows
            .answer(200, &c, writes, env)?
            .conflict_means(Problem::conflict("detail.contract_changed")))
    }
}
