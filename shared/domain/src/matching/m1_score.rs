//! Rules M1 and M3: the documented score that ranks partners for a work
//! request. Every factor is a value from 0 to 1,000 (per mille) computed
//! from what the partner registered; its points are `weight × value / 10`
//! (weights are data: table `match_weights`, changed by an owner admin), so
//! a factor of weight 20 at full value gives 2,000 points and the total of
//! the default weights (100) gives at most 10,000. The partner, the client
//! and staff see every factor's value, weight and points.
//!
//! | factor | value (‰) |
//! |---|---|
//! | `category` | 1,000 if the request's category is the partner's first, 800 if its second or third |
//! | `capabilities` | core capabilities registered, 200 each, at most 1,000 (5) |
//! | `capacity` | projects it can take at once, 250 each, at most 1,000 (4) |
//! | `portfolio` | portfolio items, 100 each, at most 1,000 (10) |
//! | `scale` | half revenue (1,000 at ≥ 1,000,000,000 KRW, linear), half staff (1,000 at ≥ 50, linear) |
//! | `region` | 1,000 if the partner serves the request's region (or all regions) |
//! | `freshness` | 1,000 while capability information is under 6 months old (M3, S8), else 0 |
//!
//! Ties: higher total first, then the partner whose information is fresher
//! (later `capability_updated_at`), then the smaller member id: the order is
//! the same on every run.
//!
//! All but `region` depend on the partner alone: they are precomputed per
//! category (`match_index`, refreshed when the partner changes, when its
//! information turns 6 months old, and when weights change), so a proposal
//! reads a bounded number of rows whatever the number of partners.

use crate::signup::s8_capability::capability_stale;
use chrono::{DateTime, Utc};

/// The factors, in the order every list shows them.
pub const FACTORS: [&str; 7] = [
    "category",
    "capabilities",
    "capacity",
    "portfolio",
    "scale",
    "region",
    "freshness",
];
/// Index of the one factor that depends on the request.
pub const REGION: usize = 5;
/// Index of the factor the M3 sweep drops when information turns stale.
pub const FRESHNESS: usize = 6;

/// Default weights (migration 0010 seeds `match_weights` with these).
pub const DEFAULT_WEIGHTS: [u32; 7] = [20, 20, 10, 15, 10, 15, 10];

/// Korea's 17 first-level regions (시·도), by code; `all` serves every one.
pub const REGIONS: [&str; 17] = [
    "seoul",
    "busan",
    "daegu",
    "incheon",
    "gwangju",
    "daejeon",
    "ulsan",
    "sejong",
    "gyeonggi",
    "gangwon",
    "chungbuk",
    "chungnam",
    "jeonbuk",
    "jeonnam",
    "gyeongbuk",
    "gyeongnam",
    "jeju",
];
/// The region code of a partner serving every region.
pub const ALL_REGIONS: &str = "all";

/// What a partner registered that the score reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartnerFacts {
    pub member_id: String,
    /// one to three category codes, first = main
    pub categories: Vec<String>,
    pub capabilities: usize,
    pub capacity: u32,
    pub portfolio_items: u32,
    pub revenue_krw: i64,
    pub employees: i64,
    /// region codes served, or `["all"]`
    pub regions: Vec<String>,
    pub capability_updated_at: Option<String>,
}

/// The weights of the seven factors, in [`FACTORS`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights(pub [u32; 7]);

impl Default for Weights {
    fn default() -> Self {
        Weights(DEFAULT_WEIGHTS)
    }
}

impl Weights {
    /// From `(factor, weight)` rows; a factor missing keeps its default.
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = (&'a str, i64)>) -> Weights {
        let mut w = Weights::default();
        for (name, weight) in rows {
            if let Some(i) = FACTORS.iter().position(|f| *f == name) {
                w.0[i] = u32::try_from(weight.clamp(0, 100)).unwrap_or(0);
            }
        }
        w
    }
}

/// Each factor's value (‰) for `category`; `region` is left 0 (it is the
/// request's part, [`with_region`]). `None` when the partner is not in the
/// category.
pub fn values(p: &PartnerFacts, category: &str, now: DateTime<Utc>) -> Option<[u32; 7]> {
    let rank = p.categories.iter().position(|c| c == category)?;
    let capped = |n: u64, each: u64| u32::try_from((n * each).min(1000)).unwrap_or(1000);
    let revenue = (p.revenue_krw.max(0) as u128 * 1000 / 1_000_000_000).min(1000) as u32;
    let staff = (p.employees.max(0) as u128 * 1000 / 50).min(1000) as u32;
    Some([
        if rank == 0 { 1000 } else { 800 },
        capped(p.capabilities as u64, 200),
        capped(u64::from(p.capacity), 250),
        capped(u64::from(p.portfolio_items), 100),
        (revenue + staff) / 2,
        0,
        if p.capability_updated_at.is_some()
            && !capability_stale(p.capability_updated_at.as_deref(), now)
        {
            1000
        } else {
            0
        },
    ])
}

/// The values with the request's region applied.
pub fn with_region(mut values: [u32; 7], serves: bool) -> [u32; 7] {
    values[REGION] = if serves { 1000 } else { 0 };
    values
}

/// Points of each factor and their total.
pub fn points(values: &[u32; 7], w: &Weights) -> ([u32; 7], u32) {
    let mut p = [0u32; 7];
    for i in 0..7 {
        p[i] = w.0[i] * values[i] / 10;
    }
    (p, p.iter().sum())
}

/// Whether a partner serving `regions` serves `region`.
pub fn serves(regions: &[String], region: &str) -> bool {
    regions.iter().any(|r| r == region || r == ALL_REGIONS)
}

/// The order of two ranked partners: (total, capability_updated_at,
/// member id) — higher total first, fresher first, then by id.
pub fn rank_order(
    a: (u32, Option<&str>, &str),
    b: (u32, Option<&str>, &str),
) -> std::cmp::Ordering {
    b.0.cmp(&a.0)
        .then_with(|| b.1.cmp(&a.1))
        .then_with(|| a.2.cmp(b.2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap()
    }

    fn partner(id: &str) -> PartnerFacts {
        PartnerFacts {
            member_id: id.into(),
            categories: vec!["software".into(), "design".into()],
            capabilities: 3,
            capacity: 2,
            portfolio_items: 7,
            revenue_krw: 500_000_000,
            employees: 20,
            regions: vec!["seoul".into(), "gyeonggi".into()],
            capability_updated_at: Some("2026-10-01T00:00:00+00:00".into()),
        }
    }

    #[test]
    fn m1_every_factor_is_computed_as_documented() {
        let v = values(&partner("m1"), "software", now()).unwrap();
        // category first, 3 capabilities, 2 at once, 7 items, scale (500 + 400)/2, region later, fresh
        assert_eq!(v, [1000, 600, 500, 700, 450, 0, 1000]);
        let v = with_region(v, serves(&partner("m1").regions, "seoul"));
        let (p, total) = points(&v, &Weights::default());
        assert_eq!(p, [2000, 1200, 500, 1050, 450, 1500, 1000]);
        assert_eq!(total, 7700);
        assert_eq!(values(&partner("m1"), "design", now()).unwrap()[0], 800);
        assert_eq!(values(&partner("m1"), "construction", now()), None);
        assert!(serves(&["all".into()], "jeju"));
        assert!(!serves(&partner("m1").regions, "jeju"));
    }

    #[test]
    fn m3_information_older_than_six_months_ranks_lower_until_updated() {
        let fresh = partner("a");
        let mut stale = partner("b");
        stale.capability_updated_at = Some("2026-05-24T00:00:00+00:00".into());
        let w = Weights::default();
        let score = |p: &PartnerFacts| points(&values(p, "software", now()).unwrap(), &w).1;
        assert_eq!(values(&stale, "software", now()).unwrap()[6], 0);
        assert!(score(&stale) < score(&fresh));
        // Updated: ranks as before.
        stale.capability_updated_at = Some("2026-11-20T00:00:00+00:00".into());
        assert_eq!(score(&stale), score(&fresh));
    }

    #[test]
    fn m1_weights_are_data_and_ties_break_the_same_way_every_time() {
        let w = Weights::from_rows([("region", 0), ("portfolio", 40), ("unknown", 90)]);
        assert_eq!(w.0, [20, 20, 10, 40, 10, 0, 10]);
        let mut ranked = [
            (7000, Some("2026-10-01"), "m-c"),
            (7000, Some("2026-10-01"), "m-a"),
            (7000, Some("2026-11-01"), "m-z"),
            (8000, None, "m-y"),
        ];
        ranked.sort_by(|a, b| rank_order(*a, *b));
        let ids: Vec<&str> = ranked.iter().map(|r| r.2).collect();
        assert_eq!(ids, ["m-y", "m-z", "m-a", "m-c"]);
    }
}
