//! Either party edits a draft contract: a new version; confirmations of
//! earlier versions no longer count (rules C1, C2).

use domain::contracts::c2_versions::{parse_terms, EditContract};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/versions") => |op| op
        .summary("Edits the draft made on a revision: a new version; 409 if any change came after that revision (C2)")
        .of(&EditContract)
        .body::<domain::contracts::c2_versions::ContractTermsBody>()
        .reply::<domain::contracts::c2_versions::ContractRecord>(201)
        .problems(&[404, 409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&EditContract, req, cx, |r| parse_terms(&r.body, id)).await
}
