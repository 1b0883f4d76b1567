//! Rule A6 for webhooks: a terminal may post so many signed batches a
//! minute (600 by default; this binary's deployment sets 5, which is why it
//! is a binary of its own). Past it: 429 with `Retry-After`, nothing queued;
//! other terminals are not held back. Batches that fail verification are
//! not counted, so a stranger cannot use up a terminal's allowance.

use e2e::*;

fn limited_target() -> &'static dyn Target {
    std::env::set_var("E2E_VARS", "WEBHOOK_BATCHES_PER_MINUTE:5");
    target()
}

#[test]
fn a6_signed_batches_per_terminal_are_limited() {
    let t = limited_target();
    let c = Company::active(t, 3);
    let site = c.site();
    let term = c.terminal(&site);
    let other = c.terminal(&site);
    // Strangers' unsigned posts do not count against the terminal.
    for i in 0..8 {
        term.post_signed(
            t,
            &format!("forged-{i}"),
            now_secs(),
            b"{}",
            "d2hzZWNfZm9yZ2Vk",
        )
        .expect(401);
    }
    // Five a minute are accepted; the window is a clock minute, so a run
    // that crosses into the next one may see up to ten before the refusal.
    let mut accepted = 0;
    let refused = (0..11).find_map(|i| {
        let r = term.post(t, &format!("lim-{i}"), &records(i * 10, 1, "R"));
        match r.status {
            202 => {
                accepted += 1;
                None
            }
            _ => Some(r.expect(429)),
        }
    });
    let refused = refused.expect("a batch past the limit is refused");
    assert!((5..=10).contains(&accepted), "{accepted} accepted first");
    let wait: u64 = refused
        .header("retry-after")
        .and_then(|w| w.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    // Another terminal is not held back.
    other.post(t, "other-1", &records(0, 1, "O")).expect(202);
}
