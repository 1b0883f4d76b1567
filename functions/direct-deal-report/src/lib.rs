//! A member reports a deal made off the platform on a matching, and sees
//! how its reports were decided (rule C8).

use domain::contracts::c8_direct_deals::{DealInput, MyDirectDeals, ReportDirectDeal};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("GET", "/member/direct-deals") => |op| op
        .summary("The direct-deal reports the member made, newest first, with staff's decisions (C8)")
        .of(&MyDirectDeals)
        .reply::<domain::contracts::c8_direct_deals::DirectDealReports>(200),
    ("POST", "/member/direct-deals") => |op| op
        .summary("Reports an off-platform deal on a matching (its contract) for staff to confirm or dismiss (C8)")
        .of(&ReportDirectDeal)
        .body::<ReportBody>()
        .reply::<domain::contracts::c8_direct_deals::DirectDealReport>(201),
]);
domain::request!(
    struct ReportBody {
        /// the matching's contract
        #[schemars(length(min = 1, max = 64))]
        contract_id: String,
        /// what was seen, line breaks kept (at most 2,000 characters)
        #[schemars(length(min = 1, max = 2000))]
        description: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&MyDirectDeals, req, cx, |_| Ok(())).await
    } else {
        serve(&ReportDirectDeal, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<DealInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let contract_id = body.str(&mut f, "contract_id").and_then(|c| {
        let ok = !c.is_empty()
            && c.len() <= 64
            && c.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-');
        f.take(
            "contract_id",
            if ok {
                Ok(c)
            } else {
                Err("field.unknown_matching")
            },
        )
    });
    let description = body
        .str(&mut f, "description")
        .and_then(|d| f.take("description", prose(&d, 2000)));
    let (contract_id, description) =
        f.done((("contract_id", contract_id), ("description", description)))?;
    Ok(DealInput {
        contract_id,
        description,
    })
}
