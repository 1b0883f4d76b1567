//! The mediator's queue (owners: every case in mediation), and a dispute's
//! case and frozen record for its mediator or an owner; each read of the
//! parties' words is access-logged for both (rules D2, A3).

use domain::disputes::d2_staff::{CaseInput, StaffCase, StaffFrozen, StaffQueue};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("GET", "/admin/disputes") => |op| op
        .summary("Disputes in mediation: a mediator's own cases, or every case for owners (unassigned first), opinion due first (D2)")
        .of(&StaffQueue)
        .reply::<domain::disputes::d2_staff::StaffDisputes>(200),
    ("GET", "/admin/contracts/{id}/disputes/{dispute_id}") => |op| op
        .summary("A dispute's case for its mediator or an owner; the read is logged for both parties (D2, A3)")
        .of(&StaffCase)
        .reply::<domain::disputes::case::DisputeCase>(200)
        .problems(&[404]),
    ("GET", "/admin/contracts/{id}/disputes/{dispute_id}/frozen") => |op| op
        .summary("The case as frozen at escalation, with its SHA-256 (D2)")
        .of(&StaffFrozen)
        .reply::<domain::disputes::d2_staff::FrozenCase>(200)
        .problems(&[404]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let (Some(id), Some(dispute_id)) = (req.param("id"), req.param("dispute_id")) else {
        return serve(&StaffQueue, req, cx, |_| Ok(())).await;
    };
    let input = CaseInput {
        contract_id: id.to_owned(),
        dispute_id: dispute_id.to_owned(),
    };
    if req.path.ends_with("/frozen") {
        serve(&StaffFrozen, req, cx, |_| Ok(input)).await
    } else {
        serve(&StaffCase, req, cx, |_| Ok(input)).await
    }
}
