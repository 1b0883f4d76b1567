//! Staff judge direct-deal reports: confirm with a reason (the partner owes
//! 200% of the matching's success fee, recorded as a charge) or dismiss
//! (rule C8).

use domain::contracts::c8_direct_deals::{
    DealDecisionInput, DecideDirectDeal, DirectDealDecision, ListDirectDeals,
};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(handle, [
    ("GET", "/admin/direct-deals") => |op| op
        .summary("Direct-deal reports waiting for a decision, oldest first, then the latest decided (C8)")
        .of(&ListDirectDeals)
        .reply::<domain::contracts::c8_direct_deals::DirectDealReports>(200),
    ("POST", "/admin/direct-deals/{id}") => |op| op
        .summary("Confirms (the partner is charged 200% of the success fee) or dismisses a report, with a reason (C8)")
        .of(&DecideDirectDeal)
        .body::<DirectDealDecisionBody>()
        .reply::<domain::contracts::c8_direct_deals::DirectDealReport>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct DirectDealDecisionBody {
        decision: DirectDealDecision,
        /// shown to the reporter and the partner
        #[schemars(length(min = 1, max = 1000))]
        reason: String,
        /// the deal's amount in won, when known (default: the contract's
        /// terms in force), 1 to 1,000,000,000,000 (`30000000` or `3천만원`)
        deal_amount_krw: Option<domain::kernel::korean::WonField>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    match req.param("id") {
        Some(id) => {
            let id = id.to_owned();
            serve(&DecideDirectDeal, req, cx, |r| parse(r, id)).await
        }
        None => serve(&ListDirectDeals, req, cx, |_| Ok(())).await,
    }
}

fn parse(req: &Request, report_id: String) -> Result<DealDecisionInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let decision = body.str(&mut f, "decision").and_then(|d| {
        f.take(
            "decision",
            DirectDealDecision::parse(&d).ok_or("field.enum"),
        )
    });
    let reason = body.reason(&mut f);
    let deal_amount_krw = body.opt_won(&mut f, "deal_amount_krw").and_then(|n| {
        if (1..=1_000_000_000_000).contains(&n) {
            Some(n)
        } else {
            f.push("deal_amount_krw", "field.non_negative");
            None
        }
    });
    let (decision, reason) = f.done((("decision", decision), ("reason", reason)))?;
    Ok(DealDecisionInput {
        report_id,
        decision,
        reason,
        deal_amount_krw,
    })
}
