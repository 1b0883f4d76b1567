//! A partner's matching profile (M1, S8): core capabilities, capacity, the
//! regions it serves and a portfolio text. Saving it is the capability
//! update S8 asks for (`members.capability_updated_at`), and refreshes the
//! partner's rows of the precomputed ranking (`match_index`) in the same
//! batch. A portfolio text with contact details is held for review (C11)
//! and shown to no one else until released.

use super::m1_score::{points, values, PartnerFacts, Weights, FACTORS, FRESHNESS};
use crate::contracts::c11_content::{findings, Finding};
use crate::kernel::audit::audit;
use crate::kernel::crypto::new_id;
use crate::kernel::engine::{Access, Env, Plan};
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::reads::{Count, Read};
use crate::kernel::sealed::{open_opt, SealedText};
use crate::kernel::types::{add_months, kst_date, parse_instant};
use crate::personal_data::place::PORTFOLIO_TEXT;
use crate::signup::member::{active_or_trial, read_member, readable, MemberRow};
use crate::signup::s8_capability::CAPABILITY_STALE_MONTHS;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::json;

/// The member kind that registers profiles and is proposed.
pub const PARTNER: &str = "partner";

#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub capabilities: Vec<String>,
    pub capacity: u32,
    pub regions: Vec<String>,
    pub portfolio_text: Option<String>,
}

row!(
    pub struct ProfileRow {
        pub capabilities: String,
        pub capacity: i64,
        pub regions: String,
        /// sealed at `PORTFOLIO_TEXT`, row the member's id
        pub portfolio_text: Option<SealedText>,
        pub portfolio_held: bool,
        pub updated_at: String,
    }
);

row!(
    pub struct WeightRow {
        pub factor: String,
        pub weight: i64,
    }
);

/// The weights as stored (M1: data an owner changes).
pub fn read_weights() -> crate::kernel::reads::Read<Vec<WeightRow>> {
    read!("SELECT factor, weight FROM match_weights")
}

/// The weights of rows read with [`read_weights`].
pub fn weights_of(rows: &[WeightRow]) -> Weights {
    Weights::from_rows(rows.iter().map(|r| (r.factor.as_str(), r.weight)))
}

crate::reply!(
    /// A partner's matching profile and its own score in each of its
    /// categories (without the request's region, which depends on the
    /// request).
    pub struct PartnerProfile {
        pub member_id: String,
        pub capabilities: Vec<String>,
        pub capacity: u32,
        pub regions: Vec<String>,
        pub portfolio_text: Option<String>,
        /// held for review (C11): no one else sees the portfolio text yet
        pub portfolio_held: bool,
        /// what was found in the portfolio text (C11), when it is held
        pub portfolio_findings: Vec<Finding>,
        /// `capability_updated_at` (S8; ranks lower after 6 months, M3)
        pub updated_at: Option<String>,
        pub scores: Vec<CategoryScore>,
    }
    /// A partner's score in one category: each factor's value, weight and
    /// points (M1).
    pub struct CategoryScore {
        pub category: String,
        pub points: u32,
        pub factors: Vec<FactorScore>,
    }
    pub struct FactorScore {
        /// `category`, `capabilities`, `capacity`, `portfolio`, `scale`, `region`, `freshness`
        pub factor: &'static str,
        /// 0–1,000 (per mille)
        pub value: u32,
        /// 0–100
        pub weight: u32,
        /// weight × value / 10
        pub points: u32,
    }
);

/// The factors of `vals` with `w`, for showing.
pub fn explain(vals: &[u32; 7], w: &Weights) -> (u32, Vec<FactorScore>) {
    let (p, total) = points(vals, w);
    let factors = FACTORS
        .iter()
        .enumerate()
        .map(|(i, f)| FactorScore {
            factor: f,
            value: vals[i],
            weight: w.0[i],
            points: p[i],
        })
        .collect();
    (total, factors)
}

/// A partner's facts from its member row, profile and portfolio count.
pub fn facts(m: &MemberRow, profile: Option<&ProfileRow>, portfolio_items: i64) -> PartnerFacts {
    let company: serde_json::Value = m
        .company_json
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or_default();
    let list = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
    PartnerFacts {
        member_id: m.id.clone(),
        categories: m.categories.as_deref().map(list).unwrap_or_default(),
        capabilities: profile.map_or(0, |p| list(&p.capabilities).len()),
        capacity: profile.map_or(0, |p| u32::try_from(p.capacity).unwrap_or(0)),
        portfolio_items: u32::try_from(portfolio_items).unwrap_or(0),
        revenue_krw: company["revenue_krw"].as_i64().unwrap_or(0),
        employees: company["employees"].as_i64().unwrap_or(0),
        regions: profile.map(|p| list(&p.regions)).unwrap_or_default(),
        capability_updated_at: m.capability_updated_at.clone(),
    }
}

/// The statements that replace a partner's rows of `match_index`: per
/// category, one row under `*` and one per region served. Nothing when the
/// partner has no profile yet (it is not proposed until it registers one).
pub fn index_statements(f: &PartnerFacts, w: &Weights, env: &Env) -> Vec<Stmt> {
    let mut out = vec![stmt!(
        "DELETE FROM match_index WHERE member_id = ?",
        f.member_id.as_str()
    )];
    if f.regions.is_empty() {
        return out;
    }
    let stale_at = parse_instant(f.capability_updated_at.as_deref()).map(|at| {
        // The first instant (KST midnight) at which S8 calls it stale.
        let day = add_months(kst_date(at), CAPABILITY_STALE_MONTHS);
        day.and_hms_opt(0, 0, 0)
            .map(|t| (t - chrono::Duration::hours(9)).and_utc().to_rfc3339())
            .unwrap_or_default()
    });
    for category in &f.categories {
        let Some(vals) = values(f, category, env.now) else {
            continue;
        };
        let (_, total) = points(&vals, w);
        let vals_json = json!(vals).to_string();
        // Rows still fresh are recomputed when they turn stale.
        let stale = if vals[FRESHNESS] > 0 {
            stale_at.clone()
        } else {
            None
        };
        for region in std::iter::once("*").chain(f.regions.iter().map(String::as_str)) {
            out.push(stmt!(
                "INSERT INTO match_index (category, region, member_id, points, fresh_at, vals, stale_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                category.as_str(),
                region,
                f.member_id.as_str(),
                i64::from(total),
                f.capability_updated_at.clone(),
                vals_json.as_str(),
                stale.clone()
            ));
        }
    }
    out
}

read_set!(pub struct ProfileReads => ProfileRows {
    member: Option<MemberRow>,
    profile: Option<ProfileRow>,
    portfolio: Option<Count>,
    weights: Vec<WeightRow>,
});

fn profile_reads(id: &str) -> ProfileReads {
    ProfileReads {
        member: read_member(id),
        profile: read_profile(id),
        portfolio: read_portfolio(id),
        weights: read_weights(),
    }
}

/// A partner's profile (for its rankings).
pub fn read_profile(id: &str) -> Read<Option<ProfileRow>> {
    read!(
        "SELECT capabilities, capacity, regions, portfolio_text, portfolio_held, updated_at FROM partner_profiles WHERE member_id = ?",
        id
    )
}

/// How many portfolio documents a partner has (a factor of its score).
pub fn read_portfolio(id: &str) -> Read<Option<Count>> {
    read!(
        "SELECT COUNT(*) AS n FROM documents WHERE member_id = ? AND kind = 'portfolio'",
        id
    )
}

/// A partner taken out of the rankings: suspended, or out of trial
/// matchings (its rows would only be read and skipped by every request).
pub fn unranked(member_id: &str) -> Stmt {
    stmt!("DELETE FROM match_index WHERE member_id = ?", member_id)
}

/// A partner in trial taken out of the rankings once its trial matchings
/// (counted in the same batch, after the one being recorded) reach
/// `trials`: it is not proposed again until it pays (rule S7).
pub fn unranked_when_trials_done(member_id: &str, trials: i64) -> Stmt {
    stmt!(
        "DELETE FROM match_index WHERE member_id = ?1
           AND (SELECT COUNT(*) FROM trial_matchings WHERE member_id = ?1) >= ?2
           AND (SELECT status FROM members WHERE id = ?1) = 'approved'",
        member_id,
        trials
    )
}

/// A partner put back in the rankings (reinstated, or active after its
/// trial): its rows as a profile save writes them, from what it registered.
pub fn reranked(
    m: &MemberRow,
    profile: Option<&ProfileRow>,
    portfolio: Option<&Count>,
    weights: &[WeightRow],
    env: &Env,
) -> Vec<Stmt> {
    index_statements(
        &facts(m, profile, portfolio.map_or(0, |c| c.n)),
        &weights_of(weights),
        env,
    )
}

fn reply(
    m: &MemberRow,
    p: Option<&ProfileRow>,
    found: Vec<Finding>,
    portfolio: i64,
    w: &Weights,
    env: &Env,
) -> Result<PartnerProfile, Problem> {
    let f = facts(m, p, portfolio);
    let list = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
    let scores = f
        .categories
        .iter()
        .filter_map(|c| {
            let vals = values(&f, c, env.now)?;
            let (points, factors) = explain(&vals, w);
            Some(CategoryScore {
                category: c.clone(),
                points,
                factors,
            })
        })
        .collect();
    Ok(PartnerProfile {
        member_id: m.id.clone(),
        capabilities: p.map(|p| list(&p.capabilities)).unwrap_or_default(),
        capacity: f.capacity,
        regions: f.regions.clone(),
        portfolio_text: match p {
            Some(p) => open_opt(&p.portfolio_text, env.keys, PORTFOLIO_TEXT, &m.id)?,
            None => None,
        },
        portfolio_held: p.is_some_and(|p| p.portfolio_held),
        portfolio_findings: found,
        updated_at: m.capability_updated_at.clone(),
        scores,
    })
}

/// `GET /member/profile`: the partner's own profile and score.
pub struct GetProfile;
use_case!(GetProfile, "member.profile", |_uc| Access::MatchingOf(PARTNER), () => ProfileReads);

impl GetProfile {
    fn reads(&self, _: &(), env: &Env) -> ProfileReads {
        profile_reads(env.caller())
    }

    fn decide(&self, _: (), rows: ProfileRows, env: &Env) -> Result<Plan, Problem> {
        let m = readable(rows.member, env.now)?;
        let portfolio = rows.portfolio.map_or(0, |c| c.n);
        let p = rows.profile.as_ref();
        let found = match p.filter(|p| p.portfolio_held) {
            Some(p) => open_opt(&p.portfolio_text, env.keys, PORTFOLIO_TEXT, &m.id)?
                .as_deref()
                .map(findings)
                .unwrap_or_default(),
            None => vec![],
        };
        let w = weights_of(&rows.weights);
        Ok(Plan::ok(
            200,
            reply(&m, p, found, portfolio, &w, env)?,
            vec![],
        ))
    }
}

/// `PUT /member/profile`: saves the profile (S8's update), refreshes the
/// partner's ranking rows (M1) and holds a portfolio text with contact
/// details for review (C11).
pub struct SaveProfile;
use_case!(SaveProfile, "member.save_profile", |_uc| Access::MatchingOf(PARTNER), ProfileInput => ProfileReads);

impl SaveProfile {
    fn reads(&self, _: &ProfileInput, env: &Env) -> ProfileReads {
        profile_reads(env.caller())
    }

    fn decide(&self, input: ProfileInput, rows: ProfileRows, env: &Env) -> Result<Plan, Problem> {
        let mut m = active_or_trial(rows.member)?;
        let portfolio = rows.portfolio.map_or(0, |c| c.n);
        let w = weights_of(&rows.weights);
        let found = input
            .portfolio_text
            .as_deref()
            .map(findings)
            .unwrap_or_default();
        let held = !found.is_empty();
        let now = env.now.to_rfc3339();
        let saved = ProfileRow {
            capabilities: json!(input.capabilities).to_string(),
            capacity: i64::from(input.capacity),
            regions: json!(input.regions).to_string(),
            portfolio_text: input
                .portfolio_text
                .as_deref()
                .map(|t| SealedText::seal(env, PORTFOLIO_TEXT, &m.id, t)),
            portfolio_held: held,
            updated_at: now.clone(),
        };
        let [s8_meet, s8_open] = crate::signup::s8_capability::saved(env, &m.id);
        let mut writes = vec![
            stmt!(
                "INSERT INTO partner_profiles (member_id, capabilities, capacity, regions, portfolio_text, portfolio_held, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (member_id) DO UPDATE SET capabilities = excluded.capabilities, capacity = excluded.capacity, regions = excluded.regions,
                   portfolio_text = excluded.portfolio_text, portfolio_held = excluded.portfolio_held, updated_at = excluded.updated_at, version = version + 1",
                m.id.as_str(),
                saved.capabilities.as_str(),
                saved.capacity,
                saved.regions.as_str(),
                saved.portfolio_text.clone(),
                held,
                now.as_str()
            ),
            stmt!(
                "UPDATE members SET capability_updated_at = ?, version = version + 1 WHERE id = ?",
                now.as_str(),
                m.id.as_str()
            ),
            // Rule S8: the six months start again.
            s8_meet,
            s8_open,
            // An earlier text still waiting is replaced by this one.
            stmt!(
                "DELETE FROM held_content WHERE kind = 'portfolio' AND subject_id = ? AND state = 'held'",
                m.id.as_str()
            ),
        ];
        if held {
            let kinds: Vec<&str> = found.iter().map(|f| f.kind.as_str()).collect();
            writes.push(stmt!(
                "INSERT INTO held_content (id, kind, subject_id, member_id, found, created_at) VALUES (?, 'portfolio', ?, ?, ?, ?)",
                new_id(env.rng, "held"),
                m.id.as_str(),
                m.id.as_str(),
                json!(kinds).to_string(),
                now.as_str()
            ));
        }
        m.capability_updated_at = Some(now.clone());
        writes.extend(index_statements(
            &facts(&m, Some(&saved), portfolio),
            &w,
            env,
        ));
        writes.push(audit(
            env,
            env.caller(),
            "member.save_profile",
            &m.id,
            if held { "portfolio held (C11)" } else { "" },
        ));
        Ok(Plan::ok(
            200,
            reply(&m, Some(&saved), found, portfolio, &w, env)?,
            writes,
        ))
    }
}
