//! Billing staff read a member's plan history and set its plan from a
//! day: the plan, its units, monthly or a prepaid term (rule B1).

use domain::billing::b1_plans::{SetPlan, SetPlanInput, ViewMemberPlan};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(handle, [
    ("GET", "/admin/members/{id}/plan") => |op| op
        .summary("A member's plan in force and its history (billing staff; B1)")
        .of(&ViewMemberPlan)
        .reply::<domain::billing::b1_plans::MemberPlans>(200)
        .problems(&[404]),
    ("POST", "/admin/members/{id}/plan") => |op| op
        .summary("Sets a member's plan from a KST day: the first from the activation day, a change or a prepaid term from the 1st of a month not invoiced yet (B1)")
        .of(&SetPlan)
        .body::<PlanBody>()
        .reply::<domain::billing::b1_plans::MemberPlans>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct PlanBody {
        /// a plan on sale (`GET /billing/plans`)
        plan_code: String,
        /// terminals or seats, at most the plan's `max_units`
        #[schemars(range(min = 1))]
        units: i64,
        /// 1 (monthly) or one of the plan's prepaid terms
        #[schemars(range(min = 1, max = 36))]
        term_months: i64,
        /// the first KST day (default: the earliest allowed)
        #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        starts_on: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    if req.method == "GET" {
        return serve(&ViewMemberPlan, req, cx, |_| Ok(id)).await;
    }
    serve(&SetPlan, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, member_id: String) -> Result<SetPlanInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let plan_code = body
        .str(&mut f, "plan_code")
        .and_then(|c| f.take("plan_code", domain::kernel::types::text(&c, 40)));
    let units = body
        .opt_count(&mut f, "units")
        .and_then(|u| f.take("units", (1..=100_000).contains(&u).then_some(u).ok_or("field.plan_units")));
    let term = body
        .opt_count(&mut f, "term_months")
        .and_then(|t| f.take("term_months", (1..=36).contains(&t).then_some(t).ok_or("field.plan_term")));
    let starts_on = match map.get("starts_on") {
        None | Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) => f.take(
            "starts_on",
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| "field.plan_starts_on"),
        ),
        Some(_) => f.take("starts_on", Err("field.plan_starts_on")),
    };
    let (plan_code, units, term_months, starts_on) = f.done((
        ("plan_code", plan_code),
        ("units", units),
        ("term_months", term),
        ("starts_on", starts_on),
    ))?;
    Ok(SetPlanInput {
        member_id,
        plan_code,
        units,
        term_months,
        starts_on,
    })
}
