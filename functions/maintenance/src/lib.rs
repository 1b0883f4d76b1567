//! `POST /maintenance/run`: what a cron trigger does on Cloudflare, for
//! platforms without one (Spin: `spin cron` or any scheduler calls it with
//! `Authorization: Bearer <MAINTENANCE_TOKEN>`): the maintenance sweep, then
//! a drain of the table queue (Spin's queue).

use domain::jobs::{drain_table_queue, sweep};
use domain::kernel::crypto::constant_time_eq;
use domain::kernel::engine::{log_error, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::Problem;

domain::function!(handle, [
    ("POST", "/maintenance/run") => |op| op
        .summary("What the cron trigger does, for platforms without one: the sweep, then a drain of the table queue")
        .maintenance()
        .reply::<domain::jobs::MaintenanceRun>(200)
        .problems(&[404]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let lang = req.lang();
    let Some(expected) = cx.keys.maintenance_token.as_deref() else {
        return Problem::not_found().to_response(lang, &req.path);
    };
    if !req
        .bearer()
        .is_some_and(|t| constant_time_eq(t.as_bytes(), expected.as_bytes()))
    {
        return Problem::unauthorized("detail.unauthorized").to_response(lang, &req.path);
    }
    let swept = match sweep(cx).await {
        Ok(r) => r,
        Err(e) => {
            log_error(&format!("maintenance sweep: {e}"));
            return Problem::internal().to_response(lang, &req.path);
        }
    };
    match drain_table_queue(cx).await {
        Ok(drained) => Response::json(
            200,
            &domain::jobs::MaintenanceRun {
                sweep: swept.counts,
                failed_steps: swept.failed,
                queue: drained,
            },
        ),
        Err(e) => {
            log_error(&format!("maintenance drain: {e}"));
            Problem::internal().to_response(lang, &req.path)
        }
    }
}
