//! The privacy officer executes a deletion (rules P6, R3): in one batch the
//! account closes, what only membership needed is erased, what a law keeps
//! moves to separated storage, and the case is answered with what was kept
//! and why.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::privacy::p6_deletion::{EraseInput, EraseRequest};

domain::function!(handle, [
    ("POST", "/admin/privacy-requests/{id}/erase") => |op| op
        .summary("Executes a deletion request's plan in one batch and answers it with what was kept and why (P6, R3); 409 while an open contract blocks it")
        .of(&EraseRequest)
        .body::<PrivacyEraseBody>()
        .reply::<domain::privacy::p6_deletion::Erased>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct PrivacyEraseBody {
        /// the request's `revision` as read
        revision: i64,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&EraseRequest, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, id: String) -> Result<EraseInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let revision = body.version(&mut f, "revision");
    let revision = f.one("revision", revision)?;
    Ok(EraseInput { id, revision })
}
