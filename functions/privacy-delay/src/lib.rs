//! The privacy officer delays a request's answer: a reason and a new last
//! day, told to the requester (rule P3).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::privacy::p3_desk::{DelayInput, DelayRequest};

domain::function!(handle, [
    ("POST", "/admin/privacy-requests/{id}/delay") => |op| op
        .summary("Moves a request's last day, with the reason the requester is told (P3); 409 if it changed")
        .of(&DelayRequest)
        .body::<PrivacyDelayBody>()
        .reply::<domain::privacy::p1_requests::RightsCase>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct PrivacyDelayBody {
        /// the request's `revision` as read
        revision: i64,
        /// why, as the requester will read it
        #[schemars(length(min = 1, max = 1000))]
        reason: String,
        /// the new last KST day, `YYYY-MM-DD`: after the current one, within 60 days of receipt
        until: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&DelayRequest, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, id: String) -> Result<DelayInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let revision = body.version(&mut f, "revision");
    let reason = body.reason(&mut f);
    let until = body.str(&mut f, "until").and_then(|d| {
        f.take(
            "until",
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| "field.date"),
        )
    });
    let (revision, reason, until) =
        f.done((("revision", revision), ("reason", reason), ("until", until)))?;
    Ok(DelayInput {
        id,
        revision,
        reason,
        until,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &str) -> Request {
        Request {
            body: body.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    /// rule P3: a delay needs its reason and a new day.
    #[test]
    fn p3_a_delay_needs_a_reason_and_a_day() {
        let p = parse(
            &req(r#"{"revision":1,"reason":" ","until":"13 Dec"}"#),
            "prq_1".into(),
        )
        .unwrap_err();
        let pointers: Vec<&str> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/reason", "#/until"]);
        let ok = parse(&req(r#"{"revision":2,"reason":"자료가 많아 시간이 더 필요합니다","until":"2026-12-20"}"#), "prq_1".into()).unwrap();
        assert_eq!(ok.until.to_string(), "2026-12-20");
    }
}
