//! A member's disputes, and one dispute's case for its two parties: the
//! objection, every message, file and offer, and its deadlines (rule D1).

use domain::disputes::d1_negotiation::{ListDisputes, ViewDispute};
use domain::disputes::d2_mediation::{CaseInput, ViewFrozen};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("GET", "/member/disputes") => |op| op
        .summary("The disputes on the member's contracts, newest first")
        .of(&ListDisputes)
        .reply::<domain::disputes::d1_negotiation::Disputes>(200),
    ("GET", "/member/contracts/{id}/disputes/{dispute_id}") => |op| op
        .summary("A dispute's case, to the contract's two parties only: the objection, messages, files, offers and deadlines (D1)")
        .of(&ViewDispute)
        .reply::<domain::disputes::case::DisputeCase>(200)
        .problems(&[404]),
    ("GET", "/member/contracts/{id}/disputes/{dispute_id}/frozen") => |op| op
        .summary("The case as frozen at escalation, exactly what the mediator was given, with its SHA-256 (D2)")
        .of(&ViewFrozen)
        .reply::<domain::disputes::d2_staff::FrozenCase>(200)
        .problems(&[404]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    match (req.param("id"), req.param("dispute_id")) {
        (Some(id), Some(dispute_id)) if req.path.ends_with("/frozen") => {
            let input = CaseInput {
                contract_id: id.to_owned(),
                dispute_id: dispute_id.to_owned(),
            };
            serve(&ViewFrozen, req, cx, |_| Ok(input)).await
        }
        (Some(id), Some(dispute_id)) => {
            let ids = (id.to_owned(), dispute_id.to_owned());
            serve(&ViewDispute, req, cx, |_| Ok(ids)).await
        }
        _ => serve(&ListDisputes, req, cx, |_| Ok(())).await,
    }
}
