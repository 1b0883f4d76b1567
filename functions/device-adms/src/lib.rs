//! ZKTeco ADMS ("iclock") push protocol (rules V5, V8) for legacy terminals
//! registered in `adms` mode with their serial number.

use domain::devices::v3_records::MAX_BODY_BYTES;
use domain::devices::v8_adms::{Adms, AdmsInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::Problem;

domain::function!(handle, body_limit = MAX_BODY_BYTES, [
    ("GET", "/iclock/cdata") => |op| op
        .summary("ZKTeco ADMS: a terminal asks for its options (V8)")
        .of(&Adms)
        .query("SN", true, "the terminal's serial number")
        .query("options", false, "all")
        .text_reply(200)
        .problems(&[401, 403, 429]),
    ("POST", "/iclock/cdata") => |op| op
        .summary("ZKTeco ADMS upload (V8): ATTLOG lines are queued (or, from an address other than the terminal's pinned one, held for the member), then `OK: n`; other tables are discarded with `OK`")
        .of(&Adms)
        .query("SN", true, "the terminal's serial number")
        .query("table", true, "ATTLOG, OPERLOG, ...")
        .query("Stamp", false, "the terminal's upload stamp")
        .raw_body("text/plain")
        .text_reply(200)
        .problems(&[401, 403, 413, 429, 503]),
    ("GET", "/iclock/getrequest") => |op| op
        .summary("ZKTeco ADMS poll for commands (V8): always `OK` (no commands)")
        .of(&Adms)
        .query("SN", true, "the terminal's serial number")
        .text_reply(200)
        .problems(&[401, 403, 429]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Adms, req, cx, parse).await
}

fn parse(req: &Request) -> Result<AdmsInput, Problem> {
    let serial = req
        .query_param("SN")
        .filter(|s| !s.is_empty() && s.len() <= 64)
        .ok_or_else(|| Problem::unauthorized("detail.terminal_unknown"))?;
    if req.path == "/iclock/getrequest" {
        return Ok(AdmsInput::Poll { serial });
    }
    if req.method == "GET" {
        return Ok(AdmsInput::Options { serial });
    }
    match req.query_param("table").as_deref() {
        Some("ATTLOG") => Ok(AdmsInput::AttLog {
            serial,
            body: String::from_utf8_lossy(&req.body).into_owned(),
        }),
        // BIODATA, BIOPHOTO, ATTPHOTO, OPERLOG (fingerprint templates, user
        // photos, …): acknowledged so the device stops resending, never read.
        _ => Ok(AdmsInput::Discard { serial }),
    }
}
