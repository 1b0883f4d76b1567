//! Background work for staff (owner): start moving a member's attendance
//! rows after the shard count changed (rule V4), follow any job, and see
//! the sweep's steps (failing ones first) and the notices given up on.

use domain::devices::v4_reshard::{MoveInput, StartMove};
use domain::kernel::background::{BackgroundView, JobStatus, ResumeJob};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};

domain::function!(handle, [
    ("POST", "/admin/jobs/move-attendance") => |op| op
        .summary("Starts the background job that moves a member's attendance rows after the shard count changed (V4)")
        .of(&StartMove)
        .body::<MoveBody>()
        .reply::<domain::kernel::background::JobStarted>(202)
        .problems(&[409]),
    ("GET", "/admin/jobs/{id}") => |op| op
        .summary("A background job's state and what it did")
        .of(&JobStatus)
        .reply::<domain::kernel::background::JobView>(200)
        .problems(&[404]),
    ("POST", "/admin/jobs/{id}/resume") => |op| op
        .summary("Resumes a failed job from its row's cursor (after its cause was fixed)")
        .of(&ResumeJob)
        .reply::<domain::kernel::background::JobStarted>(202)
        .problems(&[404, 409]),
    ("GET", "/admin/background") => |op| op
        .summary("The sweep's steps (failing first) and the notices given up on")
        .of(&BackgroundView)
        .reply::<domain::kernel::background::BackgroundState>(200),
]);
domain::request!(
    struct MoveBody {
        member_id: String,
        /// the shard count the rows were written under
        #[schemars(range(min = 1, max = 64))]
        from_shards: i64,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let id = |r: &Request| {
        r.param("id")
            .filter(|id| id.len() <= 64)
            .map(str::to_owned)
            .ok_or_else(Problem::not_found)
    };
    if req.path == "/admin/background" {
        serve(&BackgroundView, req, cx, |_| Ok(())).await
    } else if req.path.ends_with("/resume") {
        serve(&ResumeJob, req, cx, id).await
    } else if req.method == "GET" {
        serve(&JobStatus, req, cx, |r| {
            r.param("id")
                .filter(|id| id.len() <= 64)
                .map(str::to_owned)
                .ok_or_else(Problem::not_found)
        })
        .await
    } else {
        serve(&StartMove, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<MoveInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let member_id = body.str(&mut f, "member_id");
    let from_shards = body.opt_count(&mut f, "from_shards");
    match from_shards {
        None if !f.0.iter().any(|e| e.pointer == "#/from_shards") => {
            f.push("from_shards", "field.required")
        }
        Some(n) if !(1..=64).contains(&n) => f.push("from_shards", "field.shard_count"),
        _ => {}
    }
    f.finish()?;
    Ok(MoveInput {
        member_id: member_id.unwrap_or_default(),
        from_shards: from_shards.unwrap_or(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_move_input_needs_a_member_and_a_shard_count_from_1_to_64() {
        let p = parse(&Request::with_body(r#"{"from_shards": 0}"#)).unwrap_err();
        let pointers: Vec<_> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/member_id", "#/from_shards"]);
        assert!(parse(&Request::with_body(
            r#"{"member_id": "mem_1", "from_shards": 2}"#
        ))
        .is_ok());
        assert_eq!(
            parse(&Request::with_body(r#"{"member_id": "mem_1"}"#))
                .unwrap_err()
                .errors[0]
                .pointer,
            "#/from_shards"
        );
    }
}
