//! The plans on sale (the price list), and a member's own plan with its
//! history (rule B1).

use domain::billing::b1_plans::{ListPlans, MyPlan};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("GET", "/billing/plans") => |op| op
        .summary("The plans on sale: unit price per terminal or seat (VAT excluded), units allowed, terms with their discounts, usage thresholds (B1, B10)")
        .of(&ListPlans)
        .reply::<domain::billing::b1_plans::Plans>(200),
    ("GET", "/member/plan") => |op| op
        .summary("The member's plan in force and every earlier one, with the last month invoiced (B1)")
        .of(&MyPlan)
        .reply::<domain::billing::b1_plans::MemberPlans>(200),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.path.starts_with("/member/") {
        serve(&MyPlan, req, cx, |_| Ok(())).await
    } else {
        serve(&ListPlans, req, cx, |_| Ok(())).await
    }
}
