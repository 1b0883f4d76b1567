//! `POST /__dev/switches`: test-only failure injection for the attendance
//! consumer (`consumer_fail_rate`, `poison_event_id`), the sweep's clock
//! (`sweep_clock_offset_secs`), the shard count the consumer stores under
//! (`attendance_shards`) and a pause of the consumer (`consumer_resume_at`,
//! Unix seconds: deliveries wait until then), a cap on the queue's retry
//! delay (`retry_delay_max_secs`) and a sweep step made to fail
//! (`sweep_fail_step`). Compiled only with the cargo
//! feature `dev` (local development and tests), and then answers 404 unless
//! dev mode is on; a release build of this crate answers 404 to everything.

use domain::kernel::engine::Cx;
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("POST", "/__dev/switches") => |op| op.summary("local development only; not in the document"),
    ("POST", "/__dev/plain-insert") => |op| op.summary("local development only; not in the document"),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    #[cfg(feature = "dev")]
    return dev::handle(req, cx).await;
    #[cfg(not(feature = "dev"))]
    {
        let _ = cx;
        domain::kernel::problem::Problem::not_found().to_response(req.lang(), &req.path)
    }
}

#[cfg(feature = "dev")]
mod dev {
    use domain::devices::v3_records::Batch;
    use domain::devices::v4_store::SetDevSwitches;
    use domain::devices::v4_store::{store_attendance, DevSwitches};
    use domain::kernel::engine::{serve, Cx};
    use domain::kernel::http::{Request, Response};
    use domain::kernel::problem::{json_object, Problem};

    pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
        if req.path == "/__dev/plain-insert" {
            return plain_insert(req, cx).await;
        }
        serve(&SetDevSwitches, req, cx, parse).await
    }

    async fn plain_insert(req: &Request, cx: &Cx<'_>) -> Response {
        let batch = serde_json::from_slice(&req.body)
            .ok()
            .and_then(|v| Batch::parse(&v));
        match (cx.config.dev(), batch) {
            (false, _) => Problem::not_found().to_response(req.lang(), &req.path),
            (true, None) => {
                Problem::field("records", "field.type").to_response(req.lang(), &req.path)
            }
            (true, Some(b)) => {
                let stored =
                    store_attendance(cx, &[b], cx.clock.now(), &DevSwitches::default()).await;
                match stored.first() {
                    Some(Ok(())) => Response::json(200, &serde_json::json!({ "stored": true })),
                    _ => Problem::internal().to_response(req.lang(), &req.path),
                }
            }
        }
    }

    fn parse(req: &Request) -> Result<Vec<(String, String)>, Problem> {
        let map = json_object(&req.body)?;
        Ok(map
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "consumer_fail_rate"
                        | "poison_event_id"
                        | "sweep_clock_offset_secs"
                        | "expiry_clock_offset_secs"
                        | "attendance_shards"
                        | "consumer_resume_at"
                        | "retry_delay_max_secs"
                        | "sweep_fail_step"
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
}
