//! Rule A6 for webhooks: a terminal may post so many signed batches a
//! minute (600 by default; this binary's deployment sets 5, which is why it
//! is a binary of its own). Past it: 429 with `Retry-After`, nothing queued;
//! other terminals are not held back. Batches that fail verification are
//! not counted, so a stranger cannot use up a terminal's allowance.

use e2e::*;

fn limited_target() -> &'static dyn Target {
    std::env::set_var(
        "E2E_VARS",
        "WEBHOOK_BATCHES_PER_MINUTE:5 ADMS_REQUESTS_PER_MINUTE:20 ADMS_UPLOADS_PER_MINUTE:5",
    );
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

/// Rule A6 for ADMS: uploads are limited per (serial, address) pair (5 a
/// minute in this binary), so a stranger flooding a serial uses up only its
/// own allowance while the terminal's own uploads go on; every ADMS request
/// from one address is limited too (20 a minute here), unknown serials
/// included, so serials cannot be guessed at speed. Counted atomically
/// before anything is decided.
#[test]
fn a6_adms_uploads_per_serial_and_address_and_requests_per_address() {
    let t = limited_target();
    let c = Company::active(t, 1);
    let site = c.site();
    let serial = format!("CQZ{}", rand_below(1 << 40));
    c.adms_terminal(&site, &serial);
    let (home, stranger) = (loopback(), loopback());
    let path = format!("/iclock/cdata?SN={serial}&table=ATTLOG");
    let post = |from: &str, i: usize| {
        t.call_from(
            from,
            "POST",
            &path,
            &[("content-type", "text/plain")],
            format!("{}\t2026-11-23 07:{:02}:00\t0\t1\t0\t0\n", 3000 + i, i % 60).as_bytes(),
        )
    };
    assert_eq!(post(&home, 0).status, 200, "the first contact pins home");
    // The stranger's uploads stop at its pair's limit (a window may turn
    // over once during the run, hence up to ten).
    let refused = (0..11).position(|i| post(&stranger, i).status == 429);
    let refused = refused.expect("the stranger is limited");
    assert!((5..=10).contains(&refused), "{refused} accepted first");
    // The terminal's own uploads are not held back.
    assert_eq!(post(&home, 1).status, 200);
    // Guessing serials from one address: refused past its request limit
    // (45 guesses: even if the minute's window turns over once during the
    // run, one window sees more than 20 of them).
    let guesser = loopback();
    let statuses: Vec<u16> = (0..45)
        .map(|i| {
            t.call_from(
                &guesser,
                "GET",
                &format!("/iclock/getrequest?SN=GUESS{i}"),
                &[],
                b"",
            )
            .status
        })
        .collect();
    assert!(
        statuses.iter().take(20).all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    assert!(statuses.contains(&429), "{statuses:?}");
    let r = t.call_from(&guesser, "GET", "/iclock/getrequest?SN=GUESS99", &[], b"");
    r.expect(429);
}
