//! Rule S7: after approval, up to 5 trial matchings (may be waived), then
//! the annual system fee; payment completes the membership contract and the
//! member becomes `active`, welcomed by e-mail.

use super::member::{read_member, MemberRow, MemberStatus};
use super::s1_steps::Step;
use super::s6_review::at_step;
use super::SignupConfig;
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{guard_one_change, Access, AdminRole, Env, Plan};
use crate::kernel::http::Lang;
use crate::kernel::i18n::fill;
use crate::kernel::outbox::outbox;
use crate::kernel::problem::Problem;
use crate::kernel::reads::Count;
use crate::kernel::types::Krw;
use crate::matching::m1_profile::{
    read_portfolio, read_profile, read_weights, reranked, unranked, unranked_when_trials_done,
    ProfileRow, WeightRow,
};
use crate::{read, read_set, stmt, use_case};
use serde_json::json;

/// Who records the membership contract's trials, waiver and payment.
pub const CONTRACT_ROLES: &[AdminRole] = &[AdminRole::Billing, AdminRole::Owner];

/// What an admin records on the way from approval to `active` (rule S7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivationAction {
    Trial { reference: String },
    Waive,
    Payment { reference: String, amount: Krw },
}

#[derive(Debug, Clone)]
pub struct ActivationInput {
    pub member_id: String,
    pub action: ActivationAction,
}

/// The membership contract's state as a billing module would see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractState {
    pub trials: i64,
    pub waived: bool,
}

/// The port a billing module takes over later (rule S7): whether an action
/// is allowed and whether it completes the membership contract. Until then
/// `ManualContract` lets admins record trials, waivers and the fee payment.
pub trait MembershipContract {
    /// `Ok(true)` when the action completes the contract (→ `active`).
    ///
    /// # Errors
    /// A problem document to show when the action is not allowed now.
    fn check(
        &self,
        state: &ContractState,
        action: &ActivationAction,
        config: &SignupConfig,
    ) -> Result<bool, Problem>;
}

pub struct ManualContract;

impl MembershipContract for ManualContract {
    fn check(
        &self,
        state: &ContractState,
        action: &ActivationAction,
        config: &SignupConfig,
    ) -> Result<bool, Problem> {
        match action {
            ActivationAction::Trial { .. } | ActivationAction::Waive => Ok(false),
            ActivationAction::Payment { amount, .. } => {
                if !state.waived && state.trials < config.trial_matchings {
                    return Err(Problem::conflict("detail.trials_pending")
                        .with("trials", json!(state.trials)));
                }
                if *amount != config.system_fee {
                    return Err(Problem::field("amount_krw", "detail.fee_mismatch"));
                }
                Ok(true)
            }
        }
    }
}

/// Fills the welcome text's placeholders (rule S7; seed 000).
pub fn welcome_text(partner_name: &str, contact_name: &str, partner_id: &str) -> String {
    fill(
        "notice.welcome",
        Lang::Ko,
        &[
            ("partner_name", partner_name),
            ("contact_name", contact_name),
            ("partner_id", partner_id),
        ],
    )
}

crate::reply!(
    /// Where a member's activation stands (rule S7).
    pub struct ActivationState {
        pub member_id: String,
        pub status: MemberStatus,
        /// trial matchings recorded
        pub trials: i64,
        pub trials_waived: bool,
        /// the welcome text sent, when this completed the activation
        pub welcome: Option<String>,
    }
);

read_set!(pub struct ActivationReads => ActivationRows {
    member: Option<MemberRow>,
    trials: Count,
    // What ranks a partner once it is active (M1).
    profile: Option<ProfileRow>,
    portfolio: Option<Count>,
    weights: Vec<WeightRow>,
});

/// `POST /admin/activation`: step 7.
pub struct Activation(pub &'static dyn MembershipContract);
use_case!(Activation, "admin.activation", |_uc| Access::Admin(CONTRACT_ROLES), ActivationInput => ActivationReads);

impl Activation {
    fn reads(&self, input: &ActivationInput, _: &Env) -> ActivationReads {
        ActivationReads {
            member: read_member(&input.member_id),
            trials: read!(
                "SELECT COUNT(*) AS n FROM trial_matchings WHERE member_id = ?",
                input.member_id.as_str()
            ),
            profile: read_profile(&input.member_id),
            portfolio: read_portfolio(&input.member_id),
            weights: read_weights(),
        }
    }

    fn decide(
        &self,
        input: ActivationInput,
        rows: ActivationRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let m = at_step(rows.member, Step::Contract)?;
        let admin = env.caller();
        let id = input.member_id.as_str();
        let state = ContractState {
            trials: rows.trials.n,
            waived: m.trials_waived,
        };
        let completes = self.0.check(&state, &input.action, &env.config.area())?;
        let now = env.now.to_rfc3339();
        let mut writes = Vec::new();
        // What the change does to the partner's rankings (M1), written
        // after the member's guarded update and its guard.
        let mut ranking = Vec::new();
        let (action, detail) = match &input.action {
            ActivationAction::Trial { reference } => {
                writes.push(stmt!(
                    "INSERT INTO trial_matchings (id, member_id, reference, recorded_by, at) VALUES (?, ?, ?, ?, ?)",
                    new_id(env.rng, "trl"),
                    id,
                    reference.as_str(),
                    admin,
                    now.as_str()
                ));
                writes.push(super::member::bump_version(id, m.version));
                // Its last trial matching: out of the rankings until it pays.
                let trials = env.config.area::<super::SignupConfig>().trial_matchings;
                ranking.push(unranked_when_trials_done(id, trials));
                ("contract.trial", reference.clone())
            }
            ActivationAction::Waive => {
                writes.push(stmt!("UPDATE members SET trials_waived = 1, version = version + 1 WHERE id = ? AND version = ?", id, m.version));
                // Waived: not proposed until it pays.
                ranking.push(unranked(id));
                ("contract.waive_trials", String::new())
            }
            ActivationAction::Payment { reference, amount } => {
                writes.push(stmt!(
                    "INSERT INTO fee_payments (id, member_id, amount_krw, reference, recorded_by, at) VALUES (?, ?, ?, ?, ?, ?)",
                    new_id(env.rng, "pay"),
                    id,
                    *amount,
                    reference.as_str(),
                    admin,
                    now.as_str()
                ));
                writes.push(stmt!(
                    "UPDATE members SET status = 'active', fee_paid_reference = ?, activated_at = ?, step = 7, version = version + 1
                     WHERE id = ? AND version = ? AND status = 'approved'",
                    reference.as_str(),
                    now.as_str(),
                    id,
                    m.version
                ));
                // Active: ranked again from what it registered (M1).
                ranking.extend(reranked(
                    &m,
                    rows.profile.as_ref(),
                    rows.portfolio.as_ref(),
                    &rows.weights,
                    env,
                ));
                ("contract.payment", reference.clone())
            }
        };
        writes.push(guard_one_change());
        writes.extend(ranking);
        if matches!(input.action, ActivationAction::Payment { .. }) {
            // A member signs in from now on: the signup token ends.
            writes.push(crate::kernel::tokens::end_signup_sessions(id, env.now));
        }
        writes.push(audit(env, admin, action, id, &detail));
        let mut effects = Vec::new();
        let mut welcome = None;
        if completes {
            let contact = m
                .open(env.keys, "members.contact_name", &m.contact_name_enc)
                .unwrap_or_default();
            let text = welcome_text(
                m.company_name.as_deref().unwrap_or(""),
                &contact,
                m.login_id.as_deref().unwrap_or(""),
            );
            if let Some(email) = m.open(env.keys, "members.email", &m.email_enc) {
                let (notice, send) = outbox(env, id, "email", "welcome", &email, &text);
                writes.push(notice);
                effects.push(send);
            }
            welcome = Some(text);
        }
        let trials =
            state.trials + i64::from(matches!(input.action, ActivationAction::Trial { .. }));
        let plan = Plan::ok(
            200,
            ActivationState {
                member_id: id.to_owned(),
                status: if completes {
                    MemberStatus::Active
                } else {
                    MemberStatus::Approved
                },
                trials,
                trials_waived: state.waived || input.action == ActivationAction::Waive,
                welcome,
            },
            writes,
        )
        .effects(effects);
        Ok(if completes {
            plan.touches(id, "activation.welcome_contact")
        } else {
            plan
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s7_welcome_text_fills_every_placeholder() {
        let t = welcome_text("캐스팅엔", "김담당", "kim_01");
        assert_eq!(
            t,
            "캐스팅엔 김담당님, 멤버 플랫폼 가입을 환영합니다. 아이디: kim_01"
        );
    }

    #[test]
    fn s7_payment_needs_five_trials_or_a_waiver_and_the_exact_fee() {
        let c = SignupConfig::default();
        let won = |w| Krw::new(w).unwrap();
        let pay = ActivationAction::Payment {
            reference: "r".into(),
            amount: won(500_000),
        };
        let state = |trials, waived| ContractState { trials, waived };
        assert_eq!(
            ManualContract
                .check(&state(4, false), &pay, &c)
                .unwrap_err()
                .detail,
            "detail.trials_pending"
        );
        assert_eq!(ManualContract.check(&state(5, false), &pay, &c), Ok(true));
        assert_eq!(ManualContract.check(&state(0, true), &pay, &c), Ok(true));
        let wrong = ActivationAction::Payment {
            reference: "r".into(),
            amount: won(1),
        };
        assert_eq!(
            ManualContract
                .check(&state(5, false), &wrong, &c)
                .unwrap_err()
                .errors[0]
                .pointer,
            "#/amount_krw"
        );
        assert_eq!(
            ManualContract.check(&state(0, false), &ActivationAction::Waive, &c),
            Ok(false)
        );
    }
}
