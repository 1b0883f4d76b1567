//! Work requests posted by clients and the partners proposed for them
//! (rules M1, C11).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;
use domain::matching::m1_requests::{
    is_region, GetRequest, ListRequests, PostRequest, RequestInput,
};

domain::function!(handle, [
    ("GET", "/member/requests") => |op| op
        .summary("The client's work requests, newest first (M1)")
        .of(&ListRequests)
        .reply::<domain::matching::m1_requests::WorkRequests>(200),
    ("POST", "/member/requests") => |op| op
        .summary("Posts a work request; one with contact details or an off-platform proposal is held for review (M1, C11)")
        .of(&PostRequest)
        .body::<RequestBody>()
        .reply::<domain::matching::m1_requests::WorkRequest>(201),
    ("GET", "/member/requests/{id}") => |op| op
        .summary("A work request and, while it is open, the partners proposed with every factor of their score (M1, M3)")
        .of(&GetRequest)
        .reply::<domain::matching::m1_requests::WorkRequest>(200)
        .problems(&[404]),
]);
domain::request!(
    struct RequestBody {
        /// a category code (`software`, `design`, …)
        category: String,
        #[schemars(length(min = 1, max = 100))]
        title: String,
        #[schemars(length(min = 1, max = 4000))]
        scope: String,
        /// whole won, 1 to 1,000,000,000,000 (`300000000` or `3억 원`)
        budget_krw: domain::kernel::korean::WonField,
        /// KST calendar date, `YYYY-MM-DD`, today or later
        due_date: String,
        /// region code (`seoul`, `busan`, … `jeju`)
        region: String,
        #[schemars(length(min = 1, max = 200))]
        location: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if let Some(id) = req.param("id") {
        let id = id.to_owned();
        serve(&GetRequest, req, cx, |_| Ok(id)).await
    } else if req.method == "GET" {
        serve(&ListRequests, req, cx, |_| Ok(())).await
    } else {
        serve(&PostRequest, req, cx, parse).await
    }
}

/// The largest budget accepted (1 trillion won).
const MAX_BUDGET: i64 = 1_000_000_000_000;

fn parse(req: &Request) -> Result<RequestInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let t = |f: &mut Fields, name: &str, max: usize| {
        body.str(f, name).and_then(|s| f.take(name, text(&s, max)))
    };
    let category = t(&mut f, "category", 50);
    let title = t(&mut f, "title", 100);
    let scope = t(&mut f, "scope", 4000);
    let location = t(&mut f, "location", 200);
    let budget_krw = body.won(&mut f, "budget_krw").and_then(|n| {
        let key = match n {
            0 => "field.non_negative",
            n if n > MAX_BUDGET => "field.too_many",
            _ => return Some(n),
        };
        f.push("budget_krw", key);
        None
    });
    let due_date = body.str(&mut f, "due_date").and_then(|d| {
        f.take(
            "due_date",
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| "field.date"),
        )
    });
    let region = body.str(&mut f, "region").and_then(|r| {
        f.take(
            "region",
            if is_region(&r) {
                Ok(r)
            } else {
                Err("field.region")
            },
        )
    });
    let (category, title, scope, budget_krw, due_date, region, location) = f.done((
        ("category", category),
        ("title", title),
        ("scope", scope),
        ("budget_krw", budget_krw),
        ("due_date", due_date),
        ("region", region),
        ("location", location),
    ))?;
    Ok(RequestInput {
        category,
        title,
        scope,
        budget_krw,
        due_date,
        region,
        location,
    })
}
