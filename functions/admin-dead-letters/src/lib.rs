//! Dead-lettered queue messages (rule V4): visible to admins, replayable by
//! an owner after a fix.

use domain::devices::v4_store::{DeadLetters, ReplayDeadLetter};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(
    handle,
    [
        ("GET", "/admin/dead-letters"),
        ("POST", "/admin/dead-letters/replay")
    ]
);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// GET 200 with the latest 100. POST 200 once re-queued; 403 unless owner;
/// 404 unknown id; 503 when the queue is down.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&DeadLetters, req, cx, |_| Ok(())).await
    } else {
        serve(&ReplayDeadLetter, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<String, Problem> {
    let map = json_object(&req.body)?;
    let mut f = Fields::default();
    let id = Body { map: &map }.str(&mut f, "id");
    f.finish()?;
    id.ok_or_else(Problem::internal)
}
