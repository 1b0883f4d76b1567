//! Admins set a member company's contracted device count and suspend or
//! reinstate it (rules V1, V6). Billing or owner; audited.

use domain::devices::v6_suspension::{MemberDevices, MemberDevicesInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(handle, [
    ("POST", "/admin/member-devices") => |op| op
        .summary("Sets a member's device count or suspends and reinstates its devices with a reason (V6)")
        .of(&MemberDevices)
        .body::<MemberDevicesBody>()
        .reply::<domain::devices::v6_suspension::DevicePolicy>(200)
        .problems(&[404]),
]);
domain::request!(
    struct MemberDevicesBody {
        member_id: String,
        /// terminals allowed (`5` or `5대`)
        device_limit: Option<domain::kernel::korean::CountField>,
        suspended: Option<bool>,
        /// required with `suspended`
        reason: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&MemberDevices, req, cx, parse).await
}

fn parse(req: &Request) -> Result<MemberDevicesInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let member_id = body.str(&mut f, "member_id");
    let device_limit = body.opt_count(&mut f, "device_limit");
    let suspended = body.opt_bool(&mut f, "suspended");
    let reason = body.opt_str(&mut f, "reason");
    if suspended == Some(true) && reason.is_none() {
        f.push("reason", "reason.required");
    }
    f.finish()?;
    Ok(MemberDevicesInput {
        member_id: member_id.unwrap_or_default(),
        device_limit,
        suspension: suspended.map(|s| (s, reason.unwrap_or_default())),
    })
}
