//! Rule M1: the score's weights are data. Staff see them; an owner changes
//! them, and the precomputed ranking rows are re-scored by a background job
//! (`RescoreRankings`), a bounded chunk of `match_index` a step in key
//! order, with the weights as they are when the step runs: a request no
//! longer updates every ranking row at once. Until the job is done, rows
//! not yet reached keep their old points (`GET /admin/jobs/{id}`).

use super::m1_profile::{read_weights, weights_of, WeightRow};
use super::m1_score::{Weights, FACTORS, REGION};
use crate::kernel::audit::audit;
use crate::kernel::background::{self, Advance, Job};
use crate::kernel::engine::{Access, AdminRole, Cx, Env, Plan};
use crate::kernel::ports::{PortError, Stmt};
use crate::kernel::problem::Problem;
use crate::kernel::reads::FromResult;
use crate::{read_set, row, stmt, use_case};
use serde_json::{json, Value as Json};

crate::reply!(
    /// The weight of each factor (0–100), in the order every list shows them.
    pub struct MatchWeights {
        pub weights: Vec<FactorWeight>,
        /// the job re-scoring the ranking rows with them, after a change
        pub rescoring_job: Option<String>,
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
        rescoring_job: None,
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
        let (job, row, first) = background::start(env, KIND, json!({}));
        writes.push(row);
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
        let mut answer = reply(&w);
        answer.rescoring_job = Some(job);
        Ok(Plan::ok(200, answer, writes).effect(first))
    }
}

/// The re-scoring job's kind.
pub const KIND: &str = "rescore_rankings";
/// Ranking rows re-scored a step.
pub const ROWS_PER_STEP: i64 = 500;

row!(
    struct Chunk {
        last: Option<i64>,
        n: i64,
    }
);

/// `points = Σ weight × value / 10` per factor (floored each), the region
/// factor left out (stored as 0; it is the request's part), for the ranking
/// rows with `rowid` in `(after, upto]`.
fn rescore(w: &Weights, after: i64, upto: i64) -> Stmt {
    let p = |i: usize| i64::from(if i == REGION { 0 } else { w.0[i] });
    stmt!(
        "UPDATE match_index SET points =
           (? * json_extract(vals, '$[0]')) / 10 + (? * json_extract(vals, '$[1]')) / 10 +
           (? * json_extract(vals, '$[2]')) / 10 + (? * json_extract(vals, '$[3]')) / 10 +
           (? * json_extract(vals, '$[4]')) / 10 + (? * json_extract(vals, '$[5]')) / 10 +
           (? * json_extract(vals, '$[6]')) / 10
         WHERE rowid > ? AND rowid <= ?",
        p(0),
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(6),
        after,
        upto
    )
}

/// Re-scores the ranking rows after a change of weights, `ROWS_PER_STEP`
/// at a time in `rowid` order; the cursor is the last row done. Repeating
/// a step writes the same points again.
pub struct RescoreRankings;

#[async_trait::async_trait(?Send)]
impl Job for RescoreRankings {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn step(&self, cx: &Cx<'_>, _: &Json, cursor: &Json) -> Result<Advance, PortError> {
        let after = cursor["after"].as_i64().unwrap_or(0);
        let db = |e: crate::kernel::ports::DbError| PortError(e.to_string());
        let mut read = cx
            .db
            .batch(&[
                read_weights().stmt,
                stmt!(
                    "SELECT MAX(rowid) AS last, COUNT(*) AS n FROM (SELECT rowid FROM match_index WHERE rowid > ? ORDER BY rowid LIMIT ?)",
                    after,
                    ROWS_PER_STEP
                ),
            ])
            .await
            .map_err(db)?
            .into_iter();
        let unreadable = |e: crate::kernel::reads::ReadError| PortError(e.to_string());
        let weights =
            Vec::<WeightRow>::from_result(read.next().unwrap_or_default()).map_err(unreadable)?;
        let chunk =
            Option::<Chunk>::from_result(read.next().unwrap_or_default()).map_err(unreadable)?;
        let (Some(upto), n) = chunk.map_or((None, 0), |c| (c.last, c.n)) else {
            return Ok(Advance::Done { units: 0 });
        };
        cx.db
            .batch(&[rescore(&weights_of(&weights), after, upto)])
            .await
            .map_err(db)?;
        Ok(if n < ROWS_PER_STEP {
            Advance::Done { units: n }
        } else {
            Advance::Next {
                cursor: json!({ "after": upto }),
                units: n,
            }
        })
    }
}
