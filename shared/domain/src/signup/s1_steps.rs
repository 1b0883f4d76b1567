//! Rule S1: the steps in order, each redone until submission (the
//! applicant's own view of the application is `status.rs`).

use super::member::{MemberRow, MemberStatus};
use crate::kernel::engine::Env;
use crate::kernel::problem::Problem;
use crate::{read, read_set, row, stmt};
use serde_json::json;

/// The signup steps in order (rule S1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Terms = 1,
    Contact = 2,
    Company = 3,
    Documents = 4,
    Submit = 5,
    Review = 6,
    Contract = 7,
}

impl Step {
    pub fn key(self) -> &'static str {
        match self {
            Step::Terms => "step.terms",
            Step::Contact => "step.contact",
            Step::Company => "step.company",
            Step::Documents => "step.documents",
            Step::Submit => "step.submit",
            Step::Review => "step.review",
            Step::Contract => "step.contract",
        }
    }
}

/// What the state machine knows about an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub status: MemberStatus,
    /// Highest step completed among 1, 2, 3, 5.
    pub step: i64,
    pub phone_verified: bool,
    pub documents_complete: bool,
}

impl Progress {
    pub fn of(m: &MemberRow, documents_complete: bool) -> Progress {
        Progress {
            status: m.status,
            step: m.step,
            phone_verified: m.phone_verified_at.is_some(),
            documents_complete,
        }
    }

    /// May `step` run now? `Err` names what is missing (409) or why the
    /// application can no longer be edited (rule S1: edits until submission;
    /// on hold, the company information and documents until resubmission).
    pub fn allows(&self, step: Step) -> Result<(), Problem> {
        let editable = self.status == MemberStatus::Applying;
        // On hold (issue 22): the company information and the documents
        // may be fixed and the application submitted again.
        let fixable = editable || self.status == MemberStatus::OnHold;
        match step {
            Step::Terms | Step::Contact if !editable => {
                Err(Problem::conflict("detail.already_submitted")
                    .with("member_status", json!(self.status)))
            }
            Step::Company | Step::Documents | Step::Submit if !fixable => {
                Err(Problem::conflict("detail.already_submitted")
                    .with("member_status", json!(self.status)))
            }
            Step::Terms => Ok(()),
            Step::Contact => self.need(Step::Terms),
            Step::Company => {
                self.need(Step::Contact)?;
                if self.phone_verified {
                    Ok(())
                } else {
                    Err(Problem::step_missing("step.phone"))
                }
            }
            Step::Documents => self.need(Step::Company),
            Step::Submit => {
                self.need(Step::Company)?;
                if !self.phone_verified {
                    Err(Problem::step_missing("step.phone"))
                } else if self.documents_complete {
                    Ok(())
                } else {
                    Err(Problem::step_missing("step.documents"))
                }
            }
            Step::Review => {
                if matches!(self.status, MemberStatus::Submitted | MemberStatus::OnHold) {
                    Ok(())
                } else if self.status == MemberStatus::Applying {
                    Err(Problem::step_missing("step.submit"))
                } else {
                    Err(Problem::conflict("detail.review_state")
                        .with("member_status", json!(self.status)))
                }
            }
            Step::Contract => match self.status {
                MemberStatus::Approved => Ok(()),
                MemberStatus::Applying | MemberStatus::Submitted | MemberStatus::OnHold => {
                    Err(Problem::step_missing("step.review"))
                }
                _ => Err(Problem::conflict("detail.activation_state")
                    .with("member_status", json!(self.status))),
            },
        }
    }

    fn need(&self, s: Step) -> Result<(), Problem> {
        if self.step >= s as i64 {
            Ok(())
        } else {
            // Name the first step not done, not the one just before.
            let first_missing = [Step::Terms, Step::Contact, Step::Company]
                .into_iter()
                .find(|x| self.step < *x as i64)
                .unwrap_or(s);
            Err(Problem::step_missing(first_missing.key()))
        }
    }

    /// The next thing the applicant should do.
    pub fn next(&self) -> &'static str {
        use MemberStatus::{Applying, Approved, OnHold, Submitted};
        match (self.status, self.step) {
            (Applying, s) if s < 2 => "contact",
            (Applying, _) if !self.phone_verified => "phone",
            (Applying, s) if s < 3 => "company",
            (Applying, _) if !self.documents_complete => "documents",
            (Applying, _) => "submit",
            (OnHold, _) if !self.documents_complete => "documents",
            (OnHold, _) => "resubmit",
            (Submitted, _) => "review",
            (Approved, _) => "contract",
            _ => "none",
        }
    }
}

/// Applications not submitted this long after they started expire.
pub const ABANDONED_AFTER_DAYS: i64 = 30;

row!(
    pub struct Abandoned {
        pub id: String,
    }
);

read_set!(pub struct AbandonedReads => AbandonedRows { abandoned: Vec<Abandoned> });

/// The sweep step: applications still `applying` 30 days after they
/// started are withdrawn with the time (`expired_at`), their login ID is
/// released for anyone, and the contact person's data is erased (hardening:
/// abandoned applications kept their login IDs for ever). At most 100 a run.
pub struct ExpireAbandoned {
    /// Moves this step's clock (local development's tests only; 0 elsewhere).
    pub clock_offset_secs: i64,
}

/// Applications expired a run at most.
const EXPIRED_PER_RUN: usize =
    crate::kernel::sweep::items(<ExpireAbandoned as crate::kernel::sweep::Step>::BUDGET, 3);

impl crate::kernel::sweep::Step for ExpireAbandoned {
    type Reads = AbandonedReads;
    const NAME: &'static str = "abandoned_applications_expired";
    /// The member row, its login id and its codes: 3 statements each.
    const BUDGET: usize = 90;

    fn reads(&self, env: &Env) -> AbandonedReads {
        let now = env.now + chrono::Duration::seconds(self.clock_offset_secs);
        let cutoff = now - chrono::Duration::days(ABANDONED_AFTER_DAYS);
        AbandonedReads {
            abandoned: read!(
                "SELECT id FROM members WHERE status = 'applying' AND created_at < ? ORDER BY created_at LIMIT ?",
                cutoff.to_rfc3339(),
                EXPIRED_PER_RUN as i64
            ),
        }
    }

    fn plan(&self, rows: AbandonedRows, env: &Env) -> crate::kernel::sweep::StepOutcome {
        let mut out = crate::kernel::sweep::StepOutcome {
            more: rows.abandoned.len() == EXPIRED_PER_RUN,
            ..Default::default()
        };
        let now = (env.now + chrono::Duration::seconds(self.clock_offset_secs)).to_rfc3339();
        for a in &rows.abandoned {
            out.count += 1;
            out.writes.push(stmt!(
                "UPDATE members SET status = 'withdrawn', expired_at = ?, login_id = NULL, password_hash = NULL,
                   contact_name_enc = NULL, phone_enc = NULL, phone_bidx = NULL, phone_verified_at = NULL,
                   email_enc = NULL, email_bidx = NULL, representative_name_enc = NULL, address_enc = NULL,
                   version = version + 1
                 WHERE id = ? AND status = 'applying'",
                now.as_str(),
                a.id.as_str()
            ));
            out.writes.push(stmt!(
                "DELETE FROM login_ids WHERE member_id = ? AND retired_at IS NULL",
                a.id.as_str()
            ));
            out.writes.push(stmt!(
                "DELETE FROM phone_codes WHERE member_id = ?",
                a.id.as_str()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberStatus::{Applying, Approved, OnHold, Rejected, Submitted};

    fn progress(status: MemberStatus, step: i64, phone: bool, docs: bool) -> Progress {
        Progress {
            status,
            step,
            phone_verified: phone,
            documents_complete: docs,
        }
    }

    fn missing(p: &Progress, s: Step) -> serde_json::Value {
        p.allows(s).unwrap_err().extra["missing_step"].clone()
    }

    #[test]
    fn s1_state_machine_names_the_first_missing_step() {
        let p = progress(Applying, 1, false, false);
        assert!(p.allows(Step::Contact).is_ok());
        assert_eq!(missing(&p, Step::Company), "contact");
        assert_eq!(missing(&p, Step::Documents), "contact");
        assert_eq!(
            missing(&progress(Applying, 2, false, false), Step::Company),
            "phone"
        );
        assert_eq!(
            missing(&progress(Applying, 3, true, false), Step::Submit),
            "documents"
        );
        assert!(progress(Applying, 3, true, true)
            .allows(Step::Submit)
            .is_ok());
        assert_eq!(
            missing(&progress(Applying, 3, true, true), Step::Review),
            "submit"
        );
        assert_eq!(
            missing(&progress(Submitted, 5, true, true), Step::Contract),
            "review"
        );
        assert!(progress(Approved, 5, true, true)
            .allows(Step::Contract)
            .is_ok());
    }

    #[test]
    fn s1_steps_can_be_redone_until_submission_only() {
        for s in [
            Step::Terms,
            Step::Contact,
            Step::Company,
            Step::Documents,
            Step::Submit,
        ] {
            let e = progress(Submitted, 5, true, true).allows(s).unwrap_err();
            assert_eq!((e.status, e.detail), (409, "detail.already_submitted"));
        }
        assert!(progress(Applying, 3, true, false)
            .allows(Step::Contact)
            .is_ok());
        assert!(progress(OnHold, 5, true, true).allows(Step::Review).is_ok());
        assert_eq!(
            progress(Rejected, 5, true, true)
                .allows(Step::Review)
                .unwrap_err()
                .detail,
            "detail.review_state"
        );
    }

    /// Issue 22: on hold, the company information and the documents are
    /// fixed and the application submitted again; the terms and the
    /// contact person stay as submitted; a rejected one stays closed.
    #[test]
    fn s1_an_application_on_hold_is_fixed_and_resubmitted() {
        let hold = progress(OnHold, 5, true, true);
        for s in [Step::Company, Step::Documents, Step::Submit] {
            assert!(hold.allows(s).is_ok(), "{s:?}");
        }
        for s in [Step::Terms, Step::Contact] {
            assert_eq!(
                hold.allows(s).unwrap_err().detail,
                "detail.already_submitted"
            );
        }
        assert_eq!(hold.next(), "resubmit");
        assert_eq!(progress(OnHold, 5, true, false).next(), "documents");
        assert_eq!(
            missing(&progress(OnHold, 5, false, true), Step::Submit),
            "phone"
        );
        for s in [Step::Company, Step::Documents, Step::Submit] {
            assert!(progress(Rejected, 5, true, true).allows(s).is_err());
        }
        assert_eq!(progress(Submitted, 5, true, true).next(), "review");
    }
}

/// While an application is on hold, a save of `step` is recorded with the
/// names of what changed (fields or document kinds, never values) for the
/// reviewer; `None` when nothing did or the application is not on hold.
pub fn record_change(
    env: &Env,
    m: &MemberRow,
    step: &str,
    changed: &[&str],
) -> Option<crate::kernel::ports::Stmt> {
    (m.status == MemberStatus::OnHold && !changed.is_empty()).then(|| {
        stmt!(
            "INSERT INTO application_changes (id, member_id, step, fields, at) VALUES (?, ?, ?, ?, ?)",
            crate::kernel::crypto::new_id(env.rng, "chg"),
            m.id.as_str(),
            step,
            json!(changed).to_string(),
            env.now.to_rfc3339()
        )
    })
}
