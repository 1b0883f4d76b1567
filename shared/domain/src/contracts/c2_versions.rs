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

use super::c11_content::findings;
use super::contract::{
    as_party, bump, canonical, confirmation_place, history, read_confirmations, read_contract,
    read_defects, read_history, read_versions, sha256_hex, version_insert, ConfirmationRow,
    ContractRow, ContractState, DefectRow, HistoryRow, IpClause, Terms, VersionRow,
};
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read, read_set, stmt, use_case};

crate::reply!(
    /// A contract's whole record as its parties see it (C1, C2, C10).
    pub struct ContractRecord {
        pub contract_id: String,
        pub request_id: Option<String>,
        pub client_id: String,
        pub partner_id: String,
        pub category: String,
        /// success fee in basis points (M2)
        pub success_fee_bp: i64,
        /// `draft`, `in_progress`, `completed`, `accepted`, `cancelled`
        pub state: ContractState,
        pub current_version: i64,
        /// changes with every change to the contract (an edit, a
        /// confirmation): an edit names the revision it was made on
        pub revision: i64,
        pub formed_version: Option<i64>,
        pub formed_at: Option<String>,
        /// kept 5 years (C10)
        pub retention_class: String,
        /// when the partner reported completion (C3)
        pub completed_at: Option<String>,
        /// the client inspects until then: the end of the 7th KST calendar
        /// day after the day completion was reported (C3)
        pub inspection_until: Option<String>,
        pub accepted_at: Option<String>,
        /// accepted because the client did not answer in 7 days (C3)
        pub deemed: bool,
        /// when the rights passed to the client (C5); never if reserved
        pub ip_transferred_at: Option<String>,
        /// defects the client reported (C4)
        pub defects: Vec<Defect>,
        /// every version, oldest first, each with the SHA-256 of its canonical content
        pub versions: Vec<ContractVersion>,
        /// every confirmation: which version, its hash, when, from which address
        pub confirmations: Vec<Confirmation>,
        pub history: Vec<HistoryEntry>,
    }
    pub struct ContractVersion {
        pub number: i64,
        pub title: String,
        pub scope: String,
        pub amount_krw: i64,
        /// KST calendar date
        pub due_date: String,
        pub ip_clause: IpClause,
        pub portfolio_consent: bool,
        pub sha256: String,
        /// what the hash is of
        pub canonical: String,
        pub author_id: String,
        pub created_at: String,
    }
    pub struct Confirmation {
        pub number: i64,
        pub member_id: String,
        pub sha256: String,
        pub ip: Option<String>,
        pub at: String,
    }
    pub struct Defect {
        pub reported_by: String,
        pub description: String,
        pub at: String,
    }
    pub struct HistoryEntry {
        pub at: String,
        pub actor: String,
        pub action: String,
        pub detail: String,
    }
    pub struct Contracts {
        pub contracts: Vec<ContractListing>,
    }
    pub struct ContractListing {
        pub contract_id: String,
        pub client_id: String,
        pub partner_id: String,
        pub state: ContractState,
        pub current_version: i64,
        pub created_at: String,
    }
);

fn terms_of(v: &VersionRow) -> Terms {
    Terms {
        title: v.title.clone(),
        scope: v.scope.clone(),
        amount_krw: v.amount_krw,
        due_date: v.due_date.clone(),
        ip_clause: v.ip_clause,
        portfolio_consent: v.portfolio_consent,
    }
}

/// The record of `c` with its rows (addresses opened for the parties).
pub fn record(
    c: &ContractRow,
    versions: &[VersionRow],
    confirmations: &[ConfirmationRow],
    history: &[HistoryRow],
    defects: &[DefectRow],
    env: &Env,
) -> ContractRecord {
    ContractRecord {
        contract_id: c.id.clone(),
        request_id: c.request_id.clone(),
        client_id: c.client_id.clone(),
        partner_id: c.partner_id.clone(),
        category: c.category.clone(),
        success_fee_bp: c.success_fee_bp,
        state: c.state,
        current_version: c.current_version,
        revision: c.version,
        formed_version: c.formed_version,
        formed_at: c.formed_at.clone(),
        retention_class: c.retention_class.clone(),
        completed_at: c.completed_at.clone(),
        inspection_until: c.inspection_until.clone(),
        accepted_at: c.accepted_at.clone(),
        deemed: c.deemed,
        ip_transferred_at: c.ip_transferred_at.clone(),
        defects: defects
            .iter()
            .map(|d| Defect {
                reported_by: d.reported_by.clone(),
                description: d.description.clone(),
                at: d.at.clone(),
            })
            .collect(),
        versions: versions
            .iter()
            .map(|v| ContractVersion {
                number: v.number,
                title: v.title.clone(),
                scope: v.scope.clone(),
                amount_krw: v.amount_krw,
                due_date: v.due_date.clone(),
                ip_clause: v.ip_clause,
                portfolio_consent: v.portfolio_consent,
                sha256: v.sha256.clone(),
                canonical: canonical(c, v.number, &terms_of(v)),
                author_id: v.author_id.clone(),
                created_at: v.created_at.clone(),
            })
            .collect(),
        confirmations: confirmations
            .iter()
            .map(|k| Confirmation {
                number: k.number,
                member_id: k.member_id.clone(),
                sha256: k.sha256.clone(),
                ip: k.ip_enc.as_deref().and_then(|sealed| {
                    env.keys
                        .open_at(&confirmation_place(&c.id, k.number, &k.member_id), sealed)
                        .ok()
                }),
                at: k.at.clone(),
            })
            .collect(),
        history: history
            .iter()
            .map(|h| HistoryEntry {
                at: h.at.clone(),
                actor: h.actor.clone(),
                action: h.action.clone(),
                detail: h.detail.clone(),
            })
            .collect(),
    }
}

read_set!(pub struct ContractReads => ContractRows {
    contract: Option<ContractRow>,
    versions: Vec<VersionRow>,
    confirmations: Vec<ConfirmationRow>,
    history: Vec<HistoryRow>,
    defects: Vec<DefectRow>,
});

/// Everything of contract `id` a record shows (one read each).
pub fn contract_reads(id: &str) -> ContractReads {
    ContractReads {
        contract: read_contract(id),
        versions: read_versions(id),
        confirmations: read_confirmations(id),
        history: read_history(id),
        defects: read_defects(id),
    }
}

impl ContractRows {
    /// The record of these rows, with `c` as it is after the change.
    pub fn record(&self, c: &ContractRow, env: &Env) -> ContractRecord {
        record(
            c,
            &self.versions,
            &self.confirmations,
            &self.history,
            &self.defects,
            env,
        )
    }
}

/// `GET /member/contracts/{id}`: the whole record, to its parties only.
pub struct GetContract;
use_case!(GetContract, "member.contract", |_uc| Access::Member, String => ContractReads);

impl GetContract {
    fn reads(&self, id: &String, _: &Env) -> ContractReads {
        contract_reads(id)
    }

    fn decide(&self, _: String, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let c = as_party(rows.contract.clone(), env)?;
        Ok(Plan::ok(200, rows.record(&c, env), vec![]))
    }
}

read_set!(pub struct ListReads => ListRows { contracts: Vec<ContractRow> });

/// `GET /member/contracts`: the caller's contracts as client or partner,
/// newest first (100 of each side).
pub struct ListContracts;
use_case!(ListContracts, "member.contracts", |_uc| Access::Member, () => ListReads);

impl ListContracts {
    fn reads(&self, _: &(), env: &Env) -> ListReads {
        ListReads {
            contracts: read!(
                "SELECT * FROM (SELECT * FROM contracts WHERE client_id = ? ORDER BY created_at DESC LIMIT 100)
                 UNION ALL SELECT * FROM (SELECT * FROM contracts WHERE partner_id = ? ORDER BY created_at DESC LIMIT 100)",
                env.caller(),
                env.caller()
            ),
        }
    }

    fn decide(&self, _: (), rows: ListRows, _: &Env) -> Result<Plan, Problem> {
        let mut contracts: Vec<ContractListing> = rows
            .contracts
            .into_iter()
            .map(|c| ContractListing {
                contract_id: c.id,
                client_id: c.client_id,
                partner_id: c.partner_id,
                state: c.state,
                current_version: c.current_version,
                created_at: c.created_at,
            })
            .collect();
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

/// A draft (C2: a formed contract changes only by amendment).
fn draft(c: &ContractRow) -> Result<(), Problem> {
    if c.state != ContractState::Draft {
        return Err(Problem::conflict("detail.contract_formed"));
    }
    Ok(())
}

fn changed(c: &ContractRow) -> Problem {
    Problem::conflict("detail.contract_changed")
        .with("current_version", serde_json::json!(c.current_version))
        .with("revision", serde_json::json!(c.version))
}

/// `POST /member/contracts/{id}/versions`: either party edits the draft: a new
/// version, confirmations of earlier ones no longer count (C2). Scope text
/// with contact details is refused (C11: contract text is held; a held
/// draft could not be confirmed, so the editor is told at once).
pub struct EditContract;
use_case!(EditContract, "member.edit_contract", |_uc| Access::Member, EditInput => ContractReads);

impl EditContract {
    fn reads(&self, input: &EditInput, _: &Env) -> ContractReads {
        contract_reads(&input.contract_id)
    }

    fn decide(&self, input: EditInput, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut c = as_party(rows.contract, env)?;
        draft(&c)?;
        if input.revision != c.version {
            return Err(changed(&c));
        }
        let found = findings(&format!("{}\n{}", input.terms.title, input.terms.scope));
        if !found.is_empty() {
            return Err(Problem::field("scope", "field.contact_details")
                .with("findings", serde_json::json!(found)));
        }
        let number = c.current_version + 1;
        let mut writes = vec![
            bump(&c),
            guard_one_change(),
            stmt!(
                "UPDATE contracts SET current_version = ? WHERE id = ?",
                number,
                c.id.as_str()
            ),
            version_insert(&c, number, &input.terms, env.caller(), env),
        ];
        writes.extend(history(
            env,
            &c.id,
            "contract.edited",
            &format!("version {number}"),
        ));
        c.current_version = number;
        c.version += 1;
        let mut versions = rows.versions;
        versions.push(VersionRow {
            number,
            title: input.terms.title.clone(),
            scope: input.terms.scope.clone(),
            amount_krw: input.terms.amount_krw,
            due_date: input.terms.due_date.clone(),
            ip_clause: input.terms.ip_clause,
            portfolio_consent: input.terms.portfolio_consent,
            sha256: sha256_hex(&canonical(&c, number, &input.terms)),
            author_id: env.caller().to_owned(),
            created_at: env.now.to_rfc3339(),
        });
        Ok(Plan::ok(
            201,
            record(
                &c,
                &versions,
                &rows.confirmations,
                &rows.history,
                &rows.defects,
                env,
            ),
            writes,
        )
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
use_case!(ConfirmContract, "member.confirm_contract", |_uc| Access::Member, ConfirmInput => ContractReads);

impl ConfirmContract {
    fn reads(&self, input: &ConfirmInput, _: &Env) -> ContractReads {
        contract_reads(&input.contract_id)
    }

    fn decide(&self, input: ConfirmInput, rows: ContractRows, env: &Env) -> Result<Plan, Problem> {
        let mut c = as_party(rows.contract, env)?;
        draft(&c)?;
        if input.number != c.current_version {
            return Err(changed(&c));
        }
        let current = rows
            .versions
            .iter()
            .find(|v| v.number == c.current_version)
            .ok_or_else(Problem::internal)?;
        if !input.sha256.eq_ignore_ascii_case(&current.sha256) {
            return Err(Problem::conflict("detail.contract_hash")
                .with("sha256", serde_json::json!(current.sha256)));
        }
        let mine =
            |k: &&ConfirmationRow| k.number == c.current_version && k.member_id == env.caller();
        if rows.confirmations.iter().any(|k| mine(&k)) {
            return Err(Problem::conflict("detail.already_confirmed"));
        }
        let other = if env.caller() == c.client_id {
            &c.partner_id
        } else {
            &c.client_id
        };
        let forms = rows.confirmations.iter().any(|k| {
            k.number == c.current_version && &k.member_id == other && k.sha256 == current.sha256
        });
        let now = env.now.to_rfc3339();
        let ip = env.client_ip.map(|ip| {
            env.keys.seal_for(
                env.rng,
                &confirmation_place(&c.id, c.current_version, env.caller()),
                ip,
            )
        });
        let mut writes = vec![
            bump(&c),
            guard_one_change(),
            stmt!(
                "INSERT INTO contract_confirmations (contract_id, number, member_id, sha256, ip_enc, at) VALUES (?, ?, ?, ?, ?, ?)",
                c.id.as_str(),
                c.current_version,
                env.caller(),
                current.sha256.as_str(),
                ip.clone(),
                now.as_str()
            ),
        ];
        writes.extend(history(
            env,
            &c.id,
            "contract.confirmed",
            &format!("version {} {}", c.current_version, current.sha256),
        ));
        c.version += 1;
        let mut confirmations = rows.confirmations.clone();
        confirmations.push(ConfirmationRow {
            number: c.current_version,
            member_id: env.caller().to_owned(),
            sha256: current.sha256.clone(),
            ip_enc: ip,
            at: now.clone(),
        });
        if forms {
            writes.push(stmt!(
                "UPDATE contracts SET state = 'in_progress', formed_version = ?, formed_at = ? WHERE id = ? AND state = 'draft'",
                c.current_version,
                now.as_str(),
                c.id.as_str()
            ));
            writes.extend(history(
                env,
                &c.id,
                "contract.formed",
                &format!("version {}", c.current_version),
            ));
            c.state = ContractState::InProgress;
            c.formed_version = Some(c.current_version);
            c.formed_at = Some(now);
        }
        Ok(Plan::ok(
            200,
            record(
                &c,
                &rows.versions,
                &confirmations,
                &rows.history,
                &rows.defects,
                env,
            ),
            writes,
        )
        .conflict_means(Problem::conflict("detail.contract_changed")))
    }
}
