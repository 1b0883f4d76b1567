//! `POST /__dev/switches`: test-only failure injection for the attendance
//! consumer (`consumer_fail_rate`, `poison_event_id`), the sweep's clock
//! (`sweep_clock_offset_secs`), the shard count the consumer stores under
//! (`attendance_shards`) and a pause of the consumer (`consumer_resume_at`,
//! Unix seconds: deliveries wait until then), a cap on the queue's retry
//! delay (`retry_delay_max_secs`) and a sweep step made to fail
//! (`sweep_fail_step`). The privacy benchmark's baselines:
//! `/__dev/plain-delete` deletes a member's attendance from its shard in
//! one plain statement, `/__dev/plain-read` reads a member's contract
//! messages in one plain query. Compiled only with the cargo
//! feature `dev` (local development and tests), and then answers 404 unless
//! dev mode is on; a release build of this crate answers 404 to everything.

use domain::kernel::engine::Cx;
use domain::kernel::http::{Request, Response};

domain::function!(handle, [
    ("POST", "/__dev/switches") => |op| op.summary("local development only; not in the document"),
    ("POST", "/__dev/plain-insert") => |op| op.summary("local development only; not in the document"),
    ("POST", "/__dev/plain-delete") => |op| op.summary("local development only; not in the document"),
    ("POST", "/__dev/plain-read") => |op| op.summary("local development only; not in the document"),
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
        if req.path == "/__dev/plain-delete" || req.path == "/__dev/plain-read" {
            return plain_baseline(req, cx).await;
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

    /// The benchmark's baselines, for `{"member_id": …}`: one plain
    /// statement each, no engine, no log.
    async fn plain_baseline(req: &Request, cx: &Cx<'_>) -> Response {
        let member = serde_json::from_slice::<serde_json::Value>(&req.body)
            .ok()
            .and_then(|v| v["member_id"].as_str().map(str::to_owned));
        let (true, Some(member)) = (cx.config.dev(), member) else {
            return Problem::not_found().to_response(req.lang(), &req.path);
        };
        let done = if req.path == "/__dev/plain-delete" {
            let shard = cx.shards[domain::kernel::sharding::shard_of(&member, cx.shards.len())];
            shard
                .batch(&[domain::stmt!(
                    "DELETE FROM attendance_records WHERE member_id = ?",
                    member.as_str()
                )])
                .await
                .map(|r| r.first().map_or(0, |r| r.changes))
        } else {
            cx.db
                .batch(&[domain::stmt!(
                    "SELECT * FROM contract_messages WHERE contract_id IN
                       (SELECT id FROM contracts WHERE client_id = ?1 OR partner_id = ?1)",
                    member.as_str()
                )])
                .await
                .map(|r| {
                    r.first()
                        .map_or(0, |r| u64::try_from(r.rows.len()).unwrap_or(0))
                })
        };
        match done {
            Ok(n) => Response::json(200, &serde_json::json!({ "rows": n })),
            Err(_) => Problem::internal().to_response(req.lang(), &req.path),
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
