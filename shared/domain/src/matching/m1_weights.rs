//! Rule M1: the score's weights are data. Staff see them; an owner changes
//! them, and every precomputed ranking row is re-scored in the same atomic
//! batch (one statement over `match_index`), so proposals never mix old and
//! new weights.

use super::m1_profile::{read_weights, weights_of, WeightRow};
use super::m1_score::{Weights, FACTORS, REGION};
use crate::kernel::audit::audit;
use crate::kernel::engine::{Access, AdminRole, Env, Plan};
use crate::kernel::problem::Problem;
use crate::{read_set, stmt, use_case};

crate::reply!(
    /// The weight of each factor (0–100), in the order every list shows them.
    pub struct MatchWeights {
        pub weights: Vec<FactorWeight>,
    }
    pub struct FactorWeight {
        pub factor: &'static str,
        pub weight: u32,
    }
);

fn reply(w: &Weights) -> MatchWeights {
    MatchWeights {
        weights: FACTORS
            .iter()
            .enumerate()
            .map(|(i, f)| FactorWeight {
                factor: f,
                weight: w.0[i],
            })
            .collect(),
    }
}

read_set!(pub struct WeightReads => WeightRows { weights: Vec<WeightRow> });

/// `GET /admin/match-weights`: any staff member sees the weights.
pub struct GetWeights;
use_case!(GetWeights, "admin.match_weights", |_uc| Access::Admin(AdminRole::ALL), () => WeightReads);

impl GetWeights {
    fn reads(&self, _: &(), _: &Env) -> WeightReads {
        WeightReads {
            weights: read_weights(),
        }
    }

    fn decide(&self, _: (), rows: WeightRows, _: &Env) -> Result<Plan, Problem> {
        Ok(Plan::ok(200, reply(&weights_of(&rows.weights)), vec![]))
    }
}

/// `PUT /admin/match-weights`: an owner sets some or all weights; every
/// ranking row is re-scored with them in the same batch.
pub struct SetWeights;
use_case!(SetWeights, "admin.set_match_weights", |_uc| Access::Admin(&[AdminRole::Owner]), Vec<(usize, u32)> => WeightReads);

impl SetWeights {
    fn reads(&self, _: &Vec<(usize, u32)>, _: &Env) -> WeightReads {
        WeightReads {
            weights: read_weights(),
        }
    }

    fn decide(
        &self,
        input: Vec<(usize, u32)>,
        rows: WeightRows,
        env: &Env,
    ) -> Result<Plan, Problem> {
        let mut w = weights_of(&rows.weights);
        let now = env.now.to_rfc3339();
        let mut writes = Vec::new();
        for (i, weight) in &input {
            w.0[*i] = *weight;
            writes.push(stmt!(
                "UPDATE match_weights SET weight = ?, updated_at = ? WHERE factor = ?",
                i64::from(*weight),
                now.as_str(),
                FACTORS[*i]
            ));
        }
        // points = Σ weight × value / 10 per factor (floored each), the
        // region factor left out (stored as 0; it is the request's part).
        let p = |i: usize| i64::from(if i == REGION { 0 } else { w.0[i] });
        writes.push(stmt!(
            "UPDATE match_index SET points =
               (? * json_extract(vals, '$[0]')) / 10 + (? * json_extract(vals, '$[1]')) / 10 +
               (? * json_extract(vals, '$[2]')) / 10 + (? * json_extract(vals, '$[3]')) / 10 +
               (? * json_extract(vals, '$[4]')) / 10 + (? * json_extract(vals, '$[5]')) / 10 +
               (? * json_extract(vals, '$[6]')) / 10",
            p(0),
            p(1),
            p(2),
            p(3),
            p(4),
            p(5),
            p(6)
        ));
        let detail = input
            .iter()
            .map(|(i, weight)| format!("{}={weight}", FACTORS[*i]))
            .collect::<Vec<_>>()
            .join(" ");
        writes.push(audit(
            env,
            env.caller(),
            "admin.set_match_weights",
            "match_weights",
            &detail,
        ));
        Ok(Plan::ok(200, reply(&w), writes))
    }
}
