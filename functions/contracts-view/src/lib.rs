//! A member's contracts, and one contract's whole record for its parties:
//! versions with hashes, confirmations with time and address, history — the
//! JSON a party keeps (rules C1, C2, C10); and the record staff read.

use domain::contracts::c2_versions::{GetContract, ListContracts};
use domain::contracts::record::StaffContract;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("GET", "/member/contracts") => |op| op
        .summary("The member's contracts as client or partner, newest first")
        .of(&ListContracts)
        .reply::<domain::contracts::c2_versions::Contracts>(200),
    ("GET", "/member/contracts/{id}") => |op| op
        .summary("A contract's whole record, to its two parties only: every version with its SHA-256, confirmations, history (C1, C2, C10)")
        .of(&GetContract)
        .reply::<domain::contracts::c2_versions::ContractRecord>(200)
        .problems(&[404]),
    ("GET", "/admin/contracts/{id}") => |op| op
        .summary("A contract's record for staff (mediators, owners): its deadlines and requests, without the parties' addresses or held messages; the read is logged for both parties (A3)")
        .of(&StaffContract)
        .reply::<domain::contracts::c2_versions::ContractRecord>(200)
        .problems(&[404]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    match req.param("id") {
        Some(id) if req.path.starts_with("/admin/") => {
            let id = id.to_owned();
            serve(&StaffContract, req, cx, |_| Ok(id)).await
        }
        Some(id) => {
            let id = id.to_owned();
            serve(&GetContract, req, cx, |_| Ok(id)).await
        }
        None => serve(&ListContracts, req, cx, |_| Ok(())).await,
    }
}
