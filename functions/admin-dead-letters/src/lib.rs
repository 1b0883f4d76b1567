//! Dead-lettered queue messages (rule V4): visible to admins, replayable by
//! an owner after a fix.

use domain::devices::v4_dead_letters::{DeadLetters, ReplayDeadLetter};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(handle, [
    ("GET", "/admin/dead-letters") => |op| op
        .summary("Queue messages given up on, newest first")
        .of(&DeadLetters)
        .reply::<domain::devices::v4_dead_letters::DeadLetterList>(200),
    ("POST", "/admin/dead-letters/replay") => |op| op
        .summary("Sends a dead letter back to its queue (records stay stored once)")
        .of(&ReplayDeadLetter)
        .body::<ReplayBody>()
        .reply::<domain::devices::v4_dead_letters::Replayed>(200)
        .problems(&[404, 503]),
]);
domain::request!(
    struct ReplayBody {
        id: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

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
    f.one("id", id)
}
