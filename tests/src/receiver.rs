//! The notice receiver: stands in for NAVER Cloud's SENS (SMS) and Cloud
//! Outbound Mailer (e-mail) on 127.0.0.1, for tests and local development.
//! It checks each request as the real gateway does (access key, timestamp
//! within 5 minutes, `x-ncp-apigw-signature-v2` computed here independently
//! of the platform's code), answers as the real APIs do (SENS `202`, the
//! mailer `201`), and records what it got. `GET /` is a page listing the
//! notices received, newest first (where a person running `scripts/dev.sh`
//! reads a phone code); `GET /messages` is the same as JSON.

use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value as Json};
use sha2::Sha256;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// One notice as the provider received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// `sms` or `email`.
    pub channel: &'static str,
    /// SENS `messages[].to` or the mailer's `recipients[].address`.
    pub to: String,
    /// The SMS text or the e-mail body (HTML).
    pub text: String,
    /// The e-mail's title; the SMS type (`SMS`, `LMS`).
    pub subject: String,
    /// The sender number or address.
    pub from: String,
}

#[derive(Default)]
struct Inner {
    got: Vec<Received>,
    /// Requests refused for their authentication.
    refused: u32,
    /// Answer 500 to this many more requests for a recipient (a provider
    /// outage, aimed so that parallel tests do not take each other's).
    failing: Vec<(String, u32)>,
}

#[derive(Clone)]
pub struct Receiver {
    /// `http://127.0.0.1:<port>`: both providers' origin.
    pub origin: String,
    /// The access key pair it accepts.
    pub access_key: String,
    pub secret_key: String,
    state: Arc<(Mutex<Inner>, Condvar)>,
}

/// How long a test waits for a notice before it fails (the queue consumer's
/// batch wait and retries are well inside it).
const PATIENCE: Duration = Duration::from_secs(60);

impl Receiver {
    /// Listens on `127.0.0.1:port` (0: any free port) and accepts requests
    /// signed with this access key pair.
    ///
    /// # Panics
    /// When the port cannot be bound.
    pub fn start(port: u16, access_key: &str, secret_key: &str) -> Receiver {
        let server = tiny_http::Server::http(("127.0.0.1", port)).expect("receiver binds");
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .expect("an IP listener");
        let r = Receiver {
            origin: format!("http://127.0.0.1:{port}"),
            access_key: access_key.to_owned(),
            secret_key: secret_key.to_owned(),
            state: Arc::new((Mutex::new(Inner::default()), Condvar::new())),
        };
        let me = r.clone();
        let (access, secret) = (access_key.to_owned(), secret_key.to_owned());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                me.answer(request, &access, &secret);
            }
        });
        r
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.state.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every notice received so far, oldest first.
    pub fn messages(&self) -> Vec<Received> {
        self.inner().got.clone()
    }

    /// Requests refused for bad authentication so far.
    pub fn refused(&self) -> u32 {
        self.inner().refused
    }

    /// The next `n` requests to `to` get a 500, as in a provider outage.
    pub fn fail_next_to(&self, to: &str, n: u32) {
        self.inner().failing.push((to.to_owned(), n));
    }

    /// Failures still to be answered for `to`.
    pub fn failures_left_to(&self, to: &str) -> u32 {
        self.inner()
            .failing
            .iter()
            .filter(|(r, _)| same_recipient(r, to))
            .map(|(_, n)| n)
            .sum()
    }

    /// Waits until `done` holds for the notices received (woken by each
    /// arrival), and returns them.
    ///
    /// # Panics
    /// When it does not hold within a minute.
    pub fn wait_for(&self, what: &str, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let (lock, arrived) = &*self.state;
        let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, timeout) = arrived
            .wait_timeout_while(guard, PATIENCE, |inner| !done(&inner.got))
            .unwrap_or_else(|e| e.into_inner());
        assert!(
            !timeout.timed_out(),
            "no {what} reached the receiver within {PATIENCE:?} (got {})",
            guard.got.len()
        );
        guard.got.clone()
    }

    /// The notices sent to `to` (digits compared for phone numbers), once
    /// there are at least `n`.
    pub fn wait_for_n_to(&self, to: &str, n: usize) -> Vec<Received> {
        let matches = |m: &Received| same_recipient(&m.to, to);
        self.wait_for(&format!("{n} notice(s) to the recipient"), |got| {
            got.iter().filter(|m| matches(m)).count() >= n
        })
        .into_iter()
        .filter(|m| matches(m))
        .collect()
    }

    fn answer(&self, mut request: tiny_http::Request, access: &str, secret: &str) {
        let mut body = Vec::new();
        let _ = std::io::Read::read_to_end(request.as_reader(), &mut body);
        let method = request.method().to_string();
        let url = request.url().to_owned();
        let header = |name: &str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
                .map(|h| h.value.as_str().to_owned())
        };
        let (status, reply, content_type) = if method == "GET" && (url == "/" || url == "/messages")
        {
            let got = self.messages();
            if url == "/" {
                (200, page(&got), "text/html; charset=utf-8")
            } else {
                (200, listing(&got).to_string(), "application/json")
            }
        } else if method != "POST" {
            (405, String::new(), "text/plain")
        } else if !authentic(
            &method,
            &url,
            header("x-ncp-apigw-timestamp").as_deref(),
            header("x-ncp-iam-access-key").as_deref(),
            header("x-ncp-apigw-signature-v2").as_deref(),
            access,
            secret,
        ) {
            self.inner().refused += 1;
            (
                401,
                json!({"error": {"errorCode": "200", "message": "Authentication Failed"}})
                    .to_string(),
                "application/json",
            )
        } else {
            let parsed: Json = serde_json::from_slice(&body).unwrap_or(Json::Null);
            match received(&url, &parsed) {
                Some((list, _, _)) if self.take_failure(&list) => (
                    500,
                    json!({"error": {"errorCode": "500", "message": "Internal Server Error"}})
                        .to_string(),
                    "application/json",
                ),
                Some((list, status, reply)) => {
                    let (lock, arrived) = &*self.state;
                    lock.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .got
                        .extend(list);
                    arrived.notify_all();
                    (status, reply.to_string(), "application/json")
                }
                None => (
                    400,
                    json!({"error": {"errorCode": "400", "message": "Bad Request"}}).to_string(),
                    "application/json",
                ),
            }
        };
        let response = tiny_http::Response::from_string(reply)
            .with_status_code(status)
            .with_header(
                tiny_http::Header::from_bytes("content-type", content_type).expect("header"),
            );
        let _ = request.respond(response);
    }

    fn take_failure(&self, list: &[Received]) -> bool {
        let mut inner = self.inner();
        for (to, n) in &mut inner.failing {
            if *n > 0 && list.iter().any(|m| same_recipient(&m.to, to)) {
                *n -= 1;
                return true;
            }
        }
        false
    }
}

/// Whether two recipients are the same (phone numbers by their digits).
pub fn same_recipient(a: &str, b: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if a.contains('@') || b.contains('@') {
        a.eq_ignore_ascii_case(b)
    } else {
        digits(a) == digits(b)
    }
}

/// The gateway's check: the key, a timestamp within 5 minutes, and the
/// HMAC-SHA256 over "METHOD path\ntimestamp\naccess key".
fn authentic(
    method: &str,
    url: &str,
    timestamp: Option<&str>,
    key: Option<&str>,
    signature: Option<&str>,
    access: &str,
    secret: &str,
) -> bool {
    let (Some(ts), Some(key), Some(sig)) = (timestamp, key, signature) else {
        return false;
    };
    let now = chrono::Utc::now().timestamp_millis();
    let fresh = ts
        .parse::<i64>()
        .is_ok_and(|t| (now - t).abs() <= 5 * 60 * 1000);
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(format!("{method} {url}\n{ts}\n{key}").as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    fresh && key == access && sig == expected
}

/// What a valid SENS or mailer request carries, and the provider's answer.
fn received(url: &str, b: &Json) -> Option<(Vec<Received>, u16, Json)> {
    let s = |v: &Json| v.as_str().map(str::to_owned);
    let request_id = format!("req-{}", crate::rand_below(1 << 40));
    if url.starts_with("/sms/v2/services/") && url.ends_with("/messages") {
        let kind = s(&b["type"]).filter(|t| ["SMS", "LMS", "MMS"].contains(&t.as_str()))?;
        let from = s(&b["from"]).filter(|f| !f.is_empty())?;
        let content = s(&b["content"])?;
        let list: Vec<Received> = b["messages"]
            .as_array()?
            .iter()
            .map(|m| {
                Some(Received {
                    channel: "sms",
                    to: s(&m["to"])?,
                    text: s(&m["content"]).unwrap_or_else(|| content.clone()),
                    subject: kind.clone(),
                    from: from.clone(),
                })
            })
            .collect::<Option<_>>()?;
        (!list.is_empty()).then(|| {
            (
                list,
                202,
                json!({"requestId": request_id, "requestTime": chrono::Utc::now().to_rfc3339(), "statusCode": "202", "statusName": "success"}),
            )
        })
    } else if url == "/api/v1/mails" {
        let from = s(&b["senderAddress"]).filter(|f| !f.is_empty())?;
        let title = s(&b["title"]).filter(|t| !t.is_empty())?;
        let text = s(&b["body"])?;
        let list: Vec<Received> = b["recipients"]
            .as_array()?
            .iter()
            .map(|r| {
                Some(Received {
                    channel: "email",
                    to: s(&r["address"])?,
                    text: text.clone(),
                    subject: title.clone(),
                    from: from.clone(),
                })
            })
            .collect::<Option<_>>()?;
        let count = list.len();
        (!list.is_empty()).then(|| (list, 201, json!({"requestId": request_id, "count": count})))
    } else {
        None
    }
}

fn listing(got: &[Received]) -> Json {
    Json::Array(
        got.iter()
            .map(|m| json!({"channel": m.channel, "to": m.to, "from": m.from, "subject": m.subject, "text": m.text}))
            .collect(),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(got: &[Received]) -> String {
    let rows: String = got
        .iter()
        .rev()
        .map(|m| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                m.channel,
                escape(&m.to),
                escape(&m.subject),
                // The e-mail body is HTML as sent; shown as text here.
                escape(&m.text)
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><title>Notices sent (local)</title></head><body><h1>Notices sent (local receiver)</h1><p>SMS and e-mail the platform sent, newest first. Reload to see new ones.</p><table><thead><tr><th>channel</th><th>to</th><th>type / subject</th><th>text</th></tr></thead><tbody>{rows}</tbody></table></body></html>"
    )
}
