//! Moving a member's attendance rows when the shard count changes (rule V4):
//! a background job, advanced step by step by the queue consumer (Workers)
//! or the maintenance drain (Spin). Its own test binary: the dev switch that
//! makes the consumer store under another shard count would disturb the
//! other attendance tests.

use e2e::*;
use serde_json::json;

#[test]
fn v4_a_members_rows_move_to_their_new_shard_when_the_shard_count_changes() {
    use domain::kernel::sharding::shard_of;
    let t = target();
    let n = t.shard_count();
    // The rows were stored when the deployment had `old` shards. A member
    // whose home differs between the two counts (on a one-shard target there
    // is nothing to move, and the job says so).
    let old = if n > 1 { 2 } else { 1 };
    let c = loop {
        let c = Company::active(t, 1);
        if n == 1 || shard_of(&c.member_id, old) != shard_of(&c.member_id, n) {
            break c;
        }
    };
    let site = c.site();
    let term = c.terminal(&site);
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        &json_body(&json!({"attendance_shards": old.to_string()})),
    )
    .expect(200);
    // Two copy steps' worth (198 rows a step), in three batches.
    for (i, from) in [0, 100, 200].into_iter().enumerate() {
        term.post(t, &format!("move-{i}"), &records(from, 100, "M"))
            .expect(202);
    }
    let mine = format!("member_id = '{}'", c.member_id);
    assert!(
        eventually(30, || stored(t, &mine) == 300),
        "stored {}",
        stored(t, &mine)
    );
    t.call(
        "POST",
        "/__dev/switches",
        &[JSON],
        br#"{"attendance_shards": ""}"#,
    )
    .expect(200);
    let view = || {
        c.call(
            "GET",
            &format!("/member/attendance?site={site}&day=2026-11-22"),
            &json!(null),
        )
        .expect(200)
        .json()["workers"]
            .as_array()
            .map_or(0, Vec::len)
    };
    if n > 1 {
        assert_eq!(view(), 0, "today's home shard has none of them yet");
    }
    let body = json!({"member_id": c.member_id, "from_shards": old});
    let reviewer = admin(t, "reviewer");
    admin_call(t, &reviewer, "POST", "/admin/jobs/move-attendance", &body).expect(403);
    let owner = admin(t, "owner");
    let job = admin_call(t, &owner, "POST", "/admin/jobs/move-attendance", &body)
        .expect(202)
        .json();
    let path = format!("/admin/jobs/{}", job["job_id"].as_str().unwrap());
    let state = || {
        admin_call(t, &owner, "GET", &path, &json!(null))
            .expect(200)
            .json()
    };
    assert!(eventually(60, || state()["state"] == "done"), "{}", state());
    assert_eq!(state()["units"], if n > 1 { 300 } else { 0 }, "rows moved");
    // Moved, not copied: each row once, in the home shard the view reads.
    assert_eq!(stored(t, &mine), 300);
    assert_eq!(view(), 50);
    admin_call(t, &owner, "GET", "/admin/jobs/job_nobody", &json!(null)).expect(404);
}
