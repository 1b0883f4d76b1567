//! Signup step 7 (rule S7): an admin records trial matchings (or waives
//! them) and the system-fee payment; the member becomes `active`.
//! A billing module later replaces `ManualContract` behind the same port.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;
use domain::kernel::types::Krw;
use domain::signup::s7_activation::{
    Activation, ActivationAction, ActivationInput, ManualContract,
};

domain::function!(handle, [
    ("POST", "/admin/activation") => |op| op
        .summary("Records a trial matching, a waiver or the fee payment that activates an approved member (S7)")
        .of(&Activation(&ManualContract))
        .body::<ActivationBody>()
        .reply::<domain::signup::s7_activation::ActivationState>(200)
        .problems(&[404, 409]),
]);
domain::request!(
    struct ActivationBody {
        member_id: String,
        /// `trial`, `waive` or `payment`
        #[schemars(pattern("^(trial|waive|payment)$"))]
        action: String,
        /// the matching (trial) or the payment's reference (payment)
        #[schemars(length(max = 100))]
        reference: Option<String>,
        /// the amount paid (payment): `500000` or `50만원`
        amount_krw: Option<domain::kernel::korean::WonField>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Activation(&ManualContract), req, cx, parse).await
}

fn parse(req: &Request) -> Result<ActivationInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let member_id = body.str(&mut f, "member_id");
    let action = body.str(&mut f, "action");
    let mut reference = || {
        body.str(&mut f, "reference")
            .and_then(|r| f.take("reference", text(&r, 100)))
    };
    let action = match action.as_deref() {
        Some("trial") => reference().map(|reference| ActivationAction::Trial { reference }),
        Some("waive") => Some(ActivationAction::Waive),
        Some("payment") => {
            let reference = reference();
            let amount = body
                .opt_won(&mut f, "amount_krw")
                .and_then(|w| f.take("amount_krw", Krw::new(w)));
            if amount.is_none() && !f.0.iter().any(|e| e.pointer == "#/amount_krw") {
                f.push("amount_krw", "field.required");
            }
            reference
                .zip(amount)
                .map(|(reference, amount)| ActivationAction::Payment { reference, amount })
        }
        Some(_) => {
            f.push("action", "field.action");
            None
        }
        None => None,
    };
    let (member_id, action) = f.done((("member_id", member_id), ("action", action)))?;
    Ok(ActivationInput { member_id, action })
}
