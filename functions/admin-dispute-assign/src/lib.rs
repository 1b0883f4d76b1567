//! An owner assigns a dispute in mediation to a mediator (rule D2).

use domain::disputes::d2_staff::{AssignInput, AssignMediator, CaseInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(handle, [
    ("PUT", "/admin/contracts/{id}/disputes/{dispute_id}/mediator") => |op| op
        .summary("Assigns the dispute to a mediator (owners; D2)")
        .of(&AssignMediator)
        .body::<AssignBody>()
        .reply::<domain::disputes::case::DisputeCase>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct AssignBody {
        /// a staff member with the mediator role
        #[schemars(length(min = 1, max = 64))]
        mediator_id: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let case = CaseInput {
        contract_id: req.param("id").unwrap_or_default().to_owned(),
        dispute_id: req.param("dispute_id").unwrap_or_default().to_owned(),
    };
    serve(&AssignMediator, req, cx, |r| parse(r, case)).await
}

fn parse(req: &Request, case: CaseInput) -> Result<AssignInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let id = body.str(&mut f, "mediator_id");
    let mediator_id = f.one("mediator_id", id)?;
    Ok(AssignInput { case, mediator_id })
}
