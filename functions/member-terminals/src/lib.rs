//! Terminals of a member company (rule V1): registered to a site up to the
//! contract's device count; the secret is shown once and can be rotated.
//! ADMS lines from an unexpected address wait here for the member (V8).

use domain::devices::v1_terminals::{
    ChangeTerminal, RegisterTerminal, TerminalAction, TerminalInput,
};
use domain::devices::v8_held::{DecideHeld, HeldDecision, HeldInput, ListHeld};
use domain::devices::TerminalMode;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;

domain::function!(handle, [
    ("POST", "/member/terminals") => |op| op
        .summary("Registers a terminal within the device count (V1); a webhook terminal's secret is shown once")
        .of(&RegisterTerminal)
        .body::<TerminalBody>()
        .reply::<domain::devices::v1_terminals::TerminalRegistered>(201)
        .problems(&[403, 409]),
    ("POST", "/member/terminals/action") => |op| op
        .summary("Rotates a webhook terminal's secret (24 h grace), suspends or resumes a terminal (V1)")
        .of(&ChangeTerminal)
        .body::<TerminalActionBody>()
        .reply::<domain::devices::v1_terminals::TerminalChanged>(200)
        .problems(&[403, 404]),
    ("GET", "/member/terminals/quarantine") => |op| op
        .summary("ADMS lines held because they came from an unexpected address, for the member to accept or discard (V8)")
        .of(&ListHeld)
        .reply::<domain::devices::v8_held::Held>(200)
        .problems(&[403]),
    ("POST", "/member/terminals/quarantine/{id}") => |op| op
        .summary("Accepts (queued for attendance; optionally trusting the address) or discards a held ADMS batch (V8)")
        .of(&DecideHeld)
        .body::<HeldBody>()
        .reply::<domain::devices::v8_held::HeldDecided>(200)
        .problems(&[403, 404, 409, 503]),
]);
domain::request!(
    struct TerminalBody {
        site_id: String,
        #[schemars(length(min = 1, max = 100))]
        name: String,
        mode: domain::devices::TerminalMode,
        /// required for ADMS terminals
        #[schemars(length(max = 64))]
        serial: Option<String>,
    }
    struct HeldBody {
        decision: domain::devices::v8_held::HeldDecision,
        /// accept only: the batch's address becomes the terminal's trusted one
        trust_source: Option<bool>,
    }
    struct TerminalActionBody {
        terminal_id: String,
        #[schemars(pattern("^(rotate_secret|suspend|resume)$"))]
        action: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.path == "/member/terminals/quarantine" {
        serve(&ListHeld, req, cx, |_| Ok(())).await
    } else if req.path.starts_with("/member/terminals/quarantine/") {
        serve(&DecideHeld, req, cx, parse_held).await
    } else if req.path.ends_with("/action") {
        serve(&ChangeTerminal, req, cx, parse_action).await
    } else {
        serve(&RegisterTerminal, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<TerminalInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let site_id = body.str(&mut f, "site_id");
    let name = body
        .str(&mut f, "name")
        .and_then(|s| f.take("name", text(&s, 100)));
    let mode = body
        .str(&mut f, "mode")
        .and_then(|m| f.take("mode", TerminalMode::parse(&m).ok_or("field.enum")));
    let serial = body
        .opt_str(&mut f, "serial")
        .and_then(|s| f.take("serial", text(&s, 64)));
    if mode == Some(TerminalMode::Adms) && serial.is_none() {
        f.push("serial", "field.required");
    }
    let (site_id, name, mode) = f.done((("site_id", site_id), ("name", name), ("mode", mode)))?;
    Ok(TerminalInput {
        site_id,
        name,
        mode,
        serial,
    })
}

fn parse_action(req: &Request) -> Result<(String, TerminalAction), Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let id = body.str(&mut f, "terminal_id");
    let action = match body.str(&mut f, "action").as_deref() {
        Some("rotate_secret") => Some(TerminalAction::Rotate),
        Some("suspend") => Some(TerminalAction::Suspend),
        Some("resume") => Some(TerminalAction::Resume),
        Some(_) => {
            f.push("action", "field.enum");
            None
        }
        None => None,
    };
    f.done((("id", id), ("action", action)))
}

fn parse_held(req: &Request) -> Result<HeldInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let decision = body
        .str(&mut f, "decision")
        .and_then(|d| f.take("decision", HeldDecision::parse(&d).ok_or("field.enum")));
    let trust_source = body.opt_bool(&mut f, "trust_source").unwrap_or(false);
    Ok(HeldInput {
        batch_id: req.param("id").unwrap_or_default().to_owned(),
        decision: f.one("decision", decision)?,
        trust_source,
    })
}
