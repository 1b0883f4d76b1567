//! Billing staff record outages (from the member's notice or when the
//! platform knew) and announced maintenance, and list a month's; the
//! monthly run proposes the credits (rule B4).

use domain::billing::amounts::Month;
use domain::billing::b4_outages::{MonthOutages, OutageInput, OutageKind, RecordOutage};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::prose;

domain::function!(handle, [
    ("POST", "/admin/outages") => |op| op
        .summary("Records an outage (from the member's notice or when the platform knew, the earlier) or announced maintenance, for every member or one (B4)")
        .of(&RecordOutage)
        .body::<OutageBody>()
        .reply::<domain::billing::b4_outages::OutageView>(201),
    ("GET", "/admin/outages") => |op| op
        .summary("A KST month's outages and maintenance (billing staff; B4)")
        .of(&MonthOutages)
        .query("month", true, "the KST month, YYYY-MM")
        .reply::<domain::billing::b4_outages::Outages>(200)
        .problems(&[422]),
]);
domain::request!(
    struct OutageBody {
        /// outage or maintenance
        kind: String,
        /// one member's; every member's when absent
        member_id: Option<String>,
        /// RFC 3339: the member's notice or when the platform knew, the earlier
        starts_at: String,
        /// RFC 3339
        ends_at: String,
        /// RFC 3339, when maintenance was announced (maintenance only)
        announced_at: Option<String>,
        /// what happened (at most 2,000 characters)
        #[schemars(length(min = 1, max = 2000))]
        note: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        return serve(&MonthOutages, req, cx, |r| {
            r.query_param("month")
                .and_then(|m| Month::parse(&m))
                .ok_or_else(|| Problem::field("month", "field.invoice_period"))
        })
        .await;
    }
    serve(&RecordOutage, req, cx, parse).await
}

fn instant(f: &mut Fields, name: &str, v: Option<&serde_json::Value>) -> Option<Option<chrono::DateTime<chrono::Utc>>> {
    match v {
        None | Some(serde_json::Value::Null) => Some(None),
        Some(serde_json::Value::String(s)) => f.take(
            name,
            chrono::DateTime::parse_from_rfc3339(s)
                .map(|d| Some(d.with_timezone(&chrono::Utc)))
                .map_err(|_| "field.instant"),
        ),
        Some(_) => f.take(name, Err("field.instant")),
    }
}

fn parse(req: &Request) -> Result<OutageInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let kind = body
        .str(&mut f, "kind")
        .and_then(|k| f.take("kind", OutageKind::parse(&k).ok_or("field.outage_kind")));
    let member_id = body.opt_str(&mut f, "member_id");
    let starts_at = instant(&mut f, "starts_at", map.get("starts_at")).flatten();
    let ends_at = instant(&mut f, "ends_at", map.get("ends_at")).flatten();
    let announced_at = instant(&mut f, "announced_at", map.get("announced_at"));
    let note = body
        .str(&mut f, "note")
        .and_then(|n| f.take("note", prose(&n, 2000)));
    // Every bad field at once: an end before the start, maintenance
    // without its announcement.
    let ends_at = match (starts_at, ends_at) {
        (Some(s), Some(e)) if e <= s => f.take("ends_at", Err("detail.outage_ends_first")),
        (_, e) => e,
    };
    let announced_at = match (kind, announced_at) {
        (Some(OutageKind::Maintenance), Some(None)) => f.take("announced_at", Err("field.required")),
        (_, a) => a,
    };
    let (kind, starts_at, ends_at, announced_at, note) = f.done((
        ("kind", kind),
        ("starts_at", starts_at),
        ("ends_at", ends_at),
        ("announced_at", announced_at),
        ("note", note),
    ))?;
    Ok(OutageInput {
        kind,
        member_id,
        starts_at,
        ends_at,
        announced_at,
        note,
    })
}
