//! Rule C8: a deal made off the platform on a matching costs the partner
//! 200% of that matching's success fee, even when the client proposed it.
//! Anyone signed in reports one on a matching (its contract, whatever its
//! state); staff confirm it with a reason — the deal's amount is the one
//! they state, or else the amount of the contract's terms in force — or
//! dismiss it. A confirmation records the charge for the billing run
//! (`charges`; one per matching), the contract's history, the audit log,
//! and tells the partner by e-mail. The reporter sees how its reports were
//! decided.

use super::contract::ContractState;
use crate::kernel::audit::audit;
use crate::kernel::crypto::Keys;
use crate::kernel::crypto::{at, new_id};
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::outbox;
use crate::kernel::problem::Problem;
use crate::kernel::sealed::{open_opt, SealedText};
use crate::kernel::types::Krw;
use crate::personal_data::place::{DEAL_DESCRIPTION, DEAL_REASON};
use crate::{read, read_set, row, stmt, use_case};

/// Who judges direct-deal reports.
pub const DIRECT_DEAL_JUDGES: &[AdminRole] = &[AdminRole::Mediator, AdminRole::Owner];

/// The penalty: this many times the matching's success fee (C8).
pub const PENALTY_TIMES_FEE: i64 = 2;

/// The partner's charge for a direct deal of `amount` on a matching whose
/// success fee is `fee_bp` basis points: 200% of the fee, floored to the won.
pub fn penalty(amount: Krw, fee_bp: i64) -> Krw {
    amount.basis_points(fee_bp.saturating_mul(PENALTY_TIMES_FEE))
}

crate::text_enum!(
    /// Where a direct-deal report is.
    pub enum DirectDealState {
        Reported = "reported",
        Confirmed = "confirmed",
        Dismissed = "dismissed",
    }
);

crate::text_enum!(
    /// Staff's decision on a report.
    pub enum DirectDealDecision {
        Confirm = "confirm",
        Dismiss = "dismiss",
    }
);

row!(
    pub struct DealRow {
        pub id: String,
        pub contract_id: String,
        pub reporter_id: String,
        pub description: SealedText,
        pub state: DirectDealState,
        pub reason: Option<SealedText>,
        pub deal_amount_krw: Option<i64>,
        pub charge_krw: Option<i64>,
        pub version: i64,
        pub created_at: String,
        pub decided_at: Option<String>,
        pub client_id: Option<String>,
        pub partner_id: Option<String>,
        pub client_company: Option<String>,
        pub partner_company: Option<String>,
        pub success_fee_bp: Option<i64>,
        /// the amount of the terms in force (formed) or of the latest version
        pub terms_amount_krw: Option<i64>,
        pub partner_email: Option<String>,
    }
);

/// A report with its matching: parties, success fee, amount in force.
macro_rules! deal_select {
    () => {
        "SELECT r.id, r.contract_id, r.reporter_id, r.description, r.state, r.reason, r.deal_amount_krw, r.charge_krw,
                r.version, r.created_at, r.decided_at, c.client_id, c.partner_id,
                cm.company_name AS client_company, pm.company_name AS partner_company, c.success_fee_bp,
                (SELECT v.amount_krw FROM contract_versions v WHERE v.contract_id = c.id
                   AND v.number = COALESCE(c.formed_version, c.current_version)) AS terms_amount_krw,
                pm.email_enc AS partner_email
         FROM direct_deal_reports r LEFT JOIN contracts c ON c.id = r.contract_id
         LEFT JOIN members cm ON cm.id = c.client_id LEFT JOIN members pm ON pm.id = c.partner_id"
    };
}

crate::reply!(
    /// A report of an off-platform deal on a matching (C8).
    @personal pub struct DirectDealReport {
        pub report_id: String,
        pub contract_id: String,
        pub reporter_id: String,
        pub client_id: Option<String>,
        pub client_company: Option<String>,
        pub partner_id: Option<String>,
        pub partner_company: Option<String>,
        /// what the reporter saw
        pub description: String,
        /// `reported`, `confirmed`, `dismissed`
        pub state: DirectDealState,
        /// staff's reason, shown to the reporter and the partner
        pub reason: Option<String>,
        /// the matching's success fee in basis points
        pub success_fee_bp: Option<i64>,
        /// the amount of the contract's terms in force
        pub terms_amount_krw: Option<i64>,
        /// the deal's amount the charge was computed on (confirmed)
        pub deal_amount_krw: Option<i64>,
        /// what the partner owes: 200% of the success fee on the deal's amount
        pub charge_krw: Option<i64>,
        pub created_at: String,
        pub decided_at: Option<String>,
    }
    @personal pub struct DirectDealReports {
        pub reports: Vec<DirectDealReport>,
    }
);

fn report(d: DealRow, keys: &Keys) -> Result<DirectDealReport, Problem> {
    Ok(DirectDealReport {
        description: d.description.open(keys, DEAL_DESCRIPTION, &d.id)?,
        reason: open_opt(&d.reason, keys, DEAL_REASON, &d.id)?,
        report_id: d.id,
        contract_id: d.contract_id,
        reporter_id: d.reporter_id,
        client_id: d.client_id,
        client_company: d.client_company,
        partner_id: d.partner_id,
        partner_company: d.partner_company,
        state: d.state,
        success_fee_bp: d.success_fee_bp,
        terms_amount_krw: d.terms_amount_krw,
        deal_amount_krw: d.deal_amount_krw,
        charge_krw: d.charge_krw,
        created_at: d.created_at,
        decided_at: d.decided_at,
    })
}

#[derive(Debug, Clone)]
pub struct DealInput {
    pub contract_id: String,
    pub description: String,
}

row!(
    pub struct MatchingRow {
        pub id: String,
        pub client_id: String,
        pub partner_id: String,
        pub state: ContractState,
    }
);

read_set!(pub struct ReportReads => ReportRows { matching: Option<MatchingRow> });

/// `POST /member/direct-deals`: a member reports an off-platform deal on
/// a matching (C8).
pub struct ReportDirectDeal;
use_case!(ReportDirectDeal, "member.report_direct_deal", |_uc| Access::Matching, DealInput => ReportReads);

impl ReportDirectDeal {
    fn reads(&self, input: &DealInput, _: &Env) -> ReportReads {
        ReportReads {
            matching: read!(
                "SELECT id, client_id, partner_id, state FROM contracts WHERE id = ?",
                input.contract_id.as_str()
            ),
        }
    }

    fn decide(&self, input: DealInput, rows: ReportRows, env: &Env) -> Result<Plan, Problem> {
        // Whether a contract exists is no secret worth keeping from a
        // reporter: the id came from someone who saw it.
        let m = rows
            .matching
            .ok_or_else(|| Problem::field("contract_id", "field.unknown_matching"))?;
        // Rule C11: the parties and staff read it; evidence of contact
        // details is asked for by staff, not posted.
        super::c11_content::refuse_direct_contacts(&[("description", &input.description)])?;
        let id = new_id(env.rng, "ddr");
        let now = env.now.to_rfc3339();
        let writes = vec![
            stmt!(
                "INSERT INTO direct_deal_reports (id, contract_id, reporter_id, description, created_at) VALUES (?, ?, ?, ?, ?)",
                id.as_str(),
                m.id.as_str(),
                env.caller(),
                SealedText::seal(env, DEAL_DESCRIPTION, &id, &input.description),
                now.as_str()
            ),
            audit(env, env.caller(), "member.report_direct_deal", &m.id, &id),
        ];
        let r = DirectDealReport {
            report_id: id,
            contract_id: m.id,
            reporter_id: env.caller().to_owned(),
            client_id: None,
            client_company: None,
            partner_id: None,
            partner_company: None,
            description: input.description,
            state: DirectDealState::Reported,
            reason: None,
            success_fee_bp: None,
            terms_amount_krw: None,
            deal_amount_krw: None,
            charge_krw: None,
            created_at: now,
            decided_at: None,
        };
        Ok(Plan::ok(201, r, writes))
    }
}

read_set!(pub struct DealsReads => DealsRows { reports: Vec<DealRow> });

/// `GET /member/direct-deals`: the reports the caller made, newest first,
/// with how they were decided.
pub struct MyDirectDeals;
use_case!(MyDirectDeals, "member.direct_deals", |_uc| Access::Matching, () => DealsReads);

impl MyDirectDeals {
    fn reads(&self, _: &(), env: &Env) -> DealsReads {
        DealsReads {
            reports: read!(
                concat!(
                    deal_select!(),
                    " WHERE r.reporter_id = ? ORDER BY r.created_at DESC LIMIT 100"
                ),
                env.caller()
            ),
        }
    }

    fn decide(&self, _: (), rows: DealsRows, env: &Env) -> Result<Plan, Problem> {
        // The reporter sees its report and the outcome, not the
        // matching's money (the parties' business).
        let reports = rows
            .reports
            .into_iter()
            .map(|d| {
                Ok(DirectDealReport {
                    success_fee_bp: None,
                    terms_amount_krw: None,
                    deal_amount_krw: None,
                    charge_krw: None,
                    client_company: None,
                    partner_company: None,
                    ..report(d, env.keys)?
                })
            })
            .collect::<Result<_, Problem>>()?;
        Ok(Plan::ok(200, DirectDealReports { reports }, vec![]))
    }
}

/// `GET /admin/direct-deals`: reports waiting for a decision (oldest
/// first), then the latest decided.
pub struct ListDirectDeals;
use_case!(ListDirectDeals, "admin.direct_deals", |_uc| Access::Admin(DIRECT_DEAL_JUDGES), () => DealsReads);

impl ListDirectDeals {
    fn reads(&self, _: &(), _: &Env) -> DealsReads {
        DealsReads {
            reports: read!(concat!(
                "SELECT * FROM (",
                deal_select!(),
                " WHERE r.state = 'reported' ORDER BY r.created_at LIMIT 100) UNION ALL SELECT * FROM (",
                deal_select!(),
                " WHERE r.state <> 'reported' ORDER BY r.decided_at DESC LIMIT 50)"
            )),
        }
    }

    fn decide(&self, _: (), rows: DealsRows, env: &Env) -> Result<Plan, Problem> {
        let reports = rows
            .reports
            .into_iter()
            .map(|d| report(d, env.keys))
            .collect::<Result<Vec<DirectDealReport>, Problem>>()?;
        // What reporters wrote about the parties: in the access log (A3).
        let subjects: Vec<String> = reports
            .iter()
            .flat_map(DirectDealReport::subjects)
            .collect();
        Ok(
            Plan::ok(200, DirectDealReports { reports }, vec![]).touches_all(
                subjects.iter().map(String::as_str),
                "contract.read_direct_deals",
            ),
        )
    }
}

impl DirectDealReport {
    /// Whose data the report holds: its reporter and the contract's parties.
    fn subjects(&self) -> Vec<String> {
        [
            Some(&self.reporter_id),
            self.client_id.as_ref(),
            self.partner_id.as_ref(),
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }
}

#[derive(Debug, Clone)]
pub struct DealDecisionInput {
    pub report_id: String,
    pub decision: DirectDealDecision,
    pub reason: String,
    /// the deal's amount, when staff know it (else the terms in force)
    pub deal_amount_krw: Option<i64>,
}

read_set!(pub struct DealReads => DealRows { report: Option<DealRow> });

/// `POST /admin/direct-deals/{id}`: confirm (the partner is charged 200% of
/// the success fee) or dismiss, with a reason (C8).
pub struct DecideDirectDeal;
use_case!(DecideDirectDeal, "admin.decide_direct_deal", |_uc| Access::Admin(DIRECT_DEAL_JUDGES), DealDecisionInput => DealReads);

impl DecideDirectDeal {
    fn reads(&self, input: &DealDecisionInput, _: &Env) -> DealReads {
        DealReads {
            report: read!(
                concat!(deal_select!(), " WHERE r.id = ?"),
                input.report_id.as_str()
            ),
        }
    }

    fn decide(&self, input: DealDecisionInput, rows: DealRows, env: &Env) -> Result<Plan, Problem> {
        let d = rows.report.ok_or_else(Problem::not_found)?;
        if d.state != DirectDealState::Reported {
            return Err(Problem::conflict("detail.already_decided"));
        }
        let now = env.now.to_rfc3339();
        let mut decided = report(d.clone(), env.keys)?;
        decided.reason = Some(input.reason.clone());
        let reason = SealedText::seal(env, DEAL_REASON, &d.id, &input.reason);
        decided.decided_at = Some(now.clone());
        let mut effects = Vec::new();
        let mut writes = Vec::new();
        match input.decision {
            DirectDealDecision::Dismiss => {
                writes.push(stmt!(
                    "UPDATE direct_deal_reports SET state = 'dismissed', reason = ?, decided_by = ?, decided_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                    &reason,
                    env.caller(),
                    now.as_str(),
                    d.id.as_str(),
                    d.version
                ));
                writes.push(guard_one_change());
                decided.state = DirectDealState::Dismissed;
            }
            DirectDealDecision::Confirm => {
                let (Some(partner), Some(fee_bp)) = (d.partner_id.clone(), d.success_fee_bp) else {
                    return Err(Problem::internal());
                };
                let amount = input
                    .deal_amount_krw
                    .or(d.terms_amount_krw)
                    .ok_or_else(|| Problem::field("deal_amount_krw", "field.required"))?;
                let amount = Krw::new(amount)
                    .map_err(|_| Problem::field("deal_amount_krw", "field.non_negative"))?;
                let charge = penalty(amount, fee_bp);
                let basis = format!("{PENALTY_TIMES_FEE} x {fee_bp} bp x {} KRW", amount.won());
                writes.push(stmt!(
                    "UPDATE direct_deal_reports SET state = 'confirmed', reason = ?, deal_amount_krw = ?, charge_krw = ?, decided_by = ?, decided_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                    &reason,
                    amount.won(),
                    charge.won(),
                    env.caller(),
                    now.as_str(),
                    d.id.as_str(),
                    d.version
                ));
                writes.push(guard_one_change());
                // One charge per matching: a second report of the same deal
                // fails here (UNIQUE) and the whole decision with it (409).
                writes.push(stmt!(
                    "INSERT INTO charges (id, member_id, kind, amount_krw, basis, matching_id, source_id, created_at) VALUES (?, ?, 'direct_deal', ?, ?, ?, ?, ?)",
                    new_id(env.rng, "chg"),
                    partner.as_str(),
                    charge.won(),
                    basis.as_str(),
                    d.contract_id.as_str(),
                    d.id.as_str(),
                    now.as_str()
                ));
                writes.push(stmt!(
                    "INSERT INTO contract_history (contract_id, at, actor, action, detail) VALUES (?, ?, ?, 'contract.direct_deal_confirmed', ?)",
                    d.contract_id.as_str(),
                    now.as_str(),
                    env.caller(),
                    // the reason stays sealed in the report's row
                    format!("{} KRW, report {}", charge.won(), d.id)
                ));
                let email = d
                    .partner_email
                    .as_deref()
                    .and_then(|e| env.keys.open_at(&at("members.email", &partner), e).ok());
                if let Some(email) = email {
                    let text = fill(
                        "notice.direct_deal",
                        Lang::Ko,
                        &[
                            ("contract", &d.contract_id),
                            ("charge", &charge.grouped()),
                            ("reason", &input.reason),
                        ],
                    );
                    let (n, e) = outbox(env, &partner, "email", "direct_deal", &email, &text);
                    writes.push(n);
                    effects.push(e);
                }
                decided.state = DirectDealState::Confirmed;
                decided.deal_amount_krw = Some(amount.won());
                decided.charge_krw = Some(charge.won());
            }
        }
        writes.push(audit(
            env,
            env.caller(),
            "admin.decide_direct_deal",
            &d.id,
            &format!("{} {}", d.contract_id, input.decision.as_str()),
        ));
        let subjects = decided.subjects();
        Ok(Plan::ok(200, decided, writes)
            .effects(effects)
            .touches_all(
                subjects.iter().map(String::as_str),
                "contract.decide_direct_deal",
            )
            .conflict_means(Problem::conflict("detail.already_decided")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c8_the_penalty_is_twice_the_success_fee_floored_to_the_won() {
        // 12% of 12,000,000 is 1,440,000; twice that is 2,880,000.
        assert_eq!(
            penalty(Krw::new(12_000_000).unwrap(), 1200).won(),
            2_880_000
        );
        // 10% of 1,234,567 is 123,456.7; twice: 246,913.4 → 246,913.
        assert_eq!(penalty(Krw::new(1_234_567).unwrap(), 1000).won(), 246_913);
        assert_eq!(Krw::new(2_880_000).unwrap().grouped(), "2,880,000");
        assert_eq!(Krw::new(880).unwrap().grouped(), "880");
    }
}
