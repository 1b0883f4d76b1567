//! A party confirms the current version by its SHA-256; when both parties
//! confirmed the same version the contract forms (rule C2).

use domain::contracts::c2_versions::{ConfirmContract, ConfirmInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(handle, [
    ("POST", "/member/contracts/{id}/confirm") => |op| op
        .summary("Confirms the current version by its SHA-256; the contract forms when both parties confirmed the same version; 409 if it changed (C2)")
        .of(&ConfirmContract)
        .body::<ConfirmBody>()
        .reply::<domain::contracts::c2_versions::ContractRecord>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct ConfirmBody {
        /// the version confirmed (the contract's `current_version`)
        version: i64,
        /// that version's `sha256`
        #[schemars(length(min = 64, max = 64))]
        sha256: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = req.param("id").unwrap_or_default().to_owned();
    serve(&ConfirmContract, req, cx, |r| parse(r, id)).await
}

fn parse(req: &Request, contract_id: String) -> Result<ConfirmInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let number = body.version(&mut f, "version");
    let sha256 = body.str(&mut f, "sha256").and_then(|h| {
        f.take(
            "sha256",
            if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(h.to_ascii_lowercase())
            } else {
                Err("field.type")
            },
        )
    });
    let (number, sha256) = f.done((("number", number), ("sha256", sha256)))?;
    Ok(ConfirmInput {
        contract_id,
        number,
        sha256,
    })
}
