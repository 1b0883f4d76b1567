//! `POST /__dev/switches`: test-only failure injection for the attendance
//! consumer (`consumer_fail_rate`, `poison_event_id`) and the sweep's clock
//! (`sweep_clock_offset_secs`). Answers 404 unless
//! `DEV_MODE` is on, which only a developer's `.dev.vars` sets.

use domain::devices::SetDevSwitches;
use domain::http::{Request, Response};
use domain::problem::{json_object, Problem};
use domain::runtime::{serve, Cx};

domain::function!(handle, [("POST", "/__dev/switches")]);
adapter_spin::component!(boxed);

/// # Responses
/// 200 in local development; 404 elsewhere.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&SetDevSwitches, req, cx, parse).await
}

fn parse(req: &Request) -> Result<Vec<(String, String)>, Problem> {
    let map = json_object(&req.body)?;
    Ok(map
        .iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "consumer_fail_rate" | "poison_event_id" | "sweep_clock_offset_secs"
            )
        })
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect())
}
