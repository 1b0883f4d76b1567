//! The local notice receiver for `scripts/dev.sh`: stands in for NAVER
//! Cloud SENS and Outbound Mailer on 127.0.0.1 and lists what the platform
//! sent at `http://127.0.0.1:<port>/` (where a person reads the phone code).
//! Accepts the key pair in `.dev.vars`. Usage: receiver [port] (default 8790).

fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8790);
    let vars = e2e::read_dev_vars();
    let get = |name: &str| {
        vars.get(name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} missing from .dev.vars (run scripts/setup.sh)"))
    };
    let r = e2e::receiver::Receiver::start(port, &get("NCP_ACCESS_KEY"), &get("NCP_SECRET_KEY"));
    println!(
        "notice receiver: {}/ (SMS and e-mail sent, newest first)",
        r.origin
    );
    loop {
        std::thread::park();
    }
}
