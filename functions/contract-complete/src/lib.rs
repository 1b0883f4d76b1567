//! The partner reports completion of a formed contract; the client's
//! inspection of 7 KST calendar days starts (rule C3).

use domain::contracts::c3_inspection::ReportCompletion;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/complete") => |op| op
        .summary("The partner reports completion; the client inspects until the end of the 7th KST day after (C3)")
        .of(&ReportCompletion)
        .reply::<domain::contracts::c2_versions::ContractRecord>(200)
        .problems(&[404, 409]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&ReportCompletion, req, cx, |_| Ok(id)).await
}
