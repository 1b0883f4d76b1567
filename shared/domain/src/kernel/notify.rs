//! Notices leave the platform through NAVER Cloud Platform: text messages
//! through SENS (Simple & Easy Notification Service, `POST
//! /sms/v2/services/{serviceId}/messages`) and e-mail through Cloud Outbound
//! Mailer (`POST /api/v1/mails`). Both sit behind NCP's API gateway and are
//! signed the same way, so one access key pair serves both. Korean B2B
//! services commonly use them (domestic sender-number registration, Korean
//! delivery receipts). Requests go through the [`HttpClient`] port; the
//! origins are settings, so local development and tests point them at a
//! receiver on 127.0.0.1 that records what it got.
//!
//! Settings (secrets on Workers, variables on Spin): `NCP_ACCESS_KEY`,
//! `NCP_SECRET_KEY`, `SENS_SERVICE_ID`, `SMS_SENDER` (a sender number
//! registered with SENS), `MAIL_SENDER`; optional `NCP_SMS_ORIGIN` and
//! `NCP_MAIL_ORIGIN`. Without them the platform does not serve at all
//! (see [`NoticeConfig::from_secrets`]): a platform that cannot send a
//! verification code must not pretend that it did.

use crate::kernel::http::Lang;
use crate::kernel::ports::{Clock, HttpClient, Notice, Notifier, Outbound, PortError, Secrets};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

pub const SMS_ORIGIN: &str = "https://sens.apigw.ntruss.com";
pub const MAIL_ORIGIN: &str = "https://mail.apigw.ntruss.com";

/// Where people are sent: the member pages' origin for a notice's links
/// (`PAGES_ORIGIN`, e.g. `https://member-platform.kr`; local runs give
/// their own address), and the support contact where a member asks staff
/// for terminals and help connecting them (`SUPPORT_CONTACT`, an e-mail
/// address or a phone number; shown on the sites page). Kept apart from
/// the areas' limits, which the devices' accept path copies per request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    pub pages_origin: String,
    pub support_contact: Option<String>,
}

impl Default for Links {
    fn default() -> Self {
        Links {
            pages_origin: "https://member-platform.kr".into(),
            support_contact: None,
        }
    }
}

impl Links {
    pub fn from_secrets(s: &dyn Secrets) -> Links {
        let mut l = Links::default();
        if let Some(o) = s
            .get("PAGES_ORIGIN")
            .map(|v| v.trim().trim_end_matches('/').to_owned())
            .filter(|o| is_origin(o))
        {
            l.pages_origin = o;
        }
        l.support_contact = s
            .get("SUPPORT_CONTACT")
            .map(|v| v.trim().chars().take(200).collect::<String>())
            .filter(|v| !v.is_empty());
        l
    }

    /// The member app's page `#/<view>`.
    pub fn app(&self, view: &str) -> String {
        format!("{}/app/#/{view}", self.pages_origin)
    }
}

/// Where and as whom notices are sent.
#[derive(Clone, Default)]
pub struct NoticeConfig {
    pub access_key: String,
    secret_key: String,
    pub sms_service_id: String,
    pub sms_sender: String,
    pub mail_sender: String,
    pub sms_origin: String,
    pub mail_origin: String,
}

impl std::fmt::Debug for NoticeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoticeConfig")
            .field("sms_origin", &self.sms_origin)
            .field("mail_origin", &self.mail_origin)
            .finish_non_exhaustive()
    }
}

/// The notice settings that are missing (names only, never values).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("notices are not configured: {} missing", .0.join(", "))]
pub struct NotConfigured(pub Vec<&'static str>);

impl NoticeConfig {
    /// # Errors
    /// When any required setting is missing or empty, or an origin is not
    /// an `http(s)://host[:port]` origin.
    /// Whether the providers' keys are set (a deployment may run without
    /// them: attendance does not wait for e-mail).
    pub fn is_set(&self) -> bool {
        !self.access_key.is_empty() && !self.secret_key.is_empty()
    }

    pub fn from_secrets(s: &dyn Secrets) -> Result<NoticeConfig, NotConfigured> {
        let mut missing = Vec::new();
        let mut get = |name: &'static str| {
            let v = s.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
            if v.is_empty() {
                missing.push(name);
            }
            v
        };
        let config = NoticeConfig {
            access_key: get("NCP_ACCESS_KEY"),
            secret_key: get("NCP_SECRET_KEY"),
            sms_service_id: get("SENS_SERVICE_ID"),
            sms_sender: get("SMS_SENDER"),
            mail_sender: get("MAIL_SENDER"),
            sms_origin: origin(s, "NCP_SMS_ORIGIN", SMS_ORIGIN),
            mail_origin: origin(s, "NCP_MAIL_ORIGIN", MAIL_ORIGIN),
        };
        for (name, o) in [
            ("NCP_SMS_ORIGIN", &config.sms_origin),
            ("NCP_MAIL_ORIGIN", &config.mail_origin),
        ] {
            if !is_origin(o) {
                missing.push(name);
            }
        }
        if missing.is_empty() {
            Ok(config)
        } else {
            Err(NotConfigured(missing))
        }
    }
}

fn origin(s: &dyn Secrets, name: &str, default: &str) -> String {
    s.get(name)
        .map(|v| v.trim().trim_end_matches('/').to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

fn is_origin(o: &str) -> bool {
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains('/') && !r.contains('?'))
}

/// NCP API gateway signature (`x-ncp-apigw-signature-v2`): base64 of
/// HMAC-SHA256 over `"{method} {path and query}\n{timestamp ms}\n{access key}"`.
pub fn signature(
    secret: &str,
    method: &str,
    path: &str,
    timestamp_ms: &str,
    access: &str,
) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{method} {path}\n{timestamp_ms}\n{access}").as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// SENS sends a plain SMS up to 80 bytes (counted as the handset does:
/// Hangul and other non-ASCII characters take two); longer texts go as LMS.
fn sms_type(text: &str) -> &'static str {
    let bytes: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    if bytes <= 80 {
        "SMS"
    } else {
        "LMS"
    }
}

/// SENS takes domestic numbers as digits (`01012345678`).
fn domestic_digits(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("82") {
        Some(rest) if phone.trim_start().starts_with('+') => format!("0{rest}"),
        _ => digits,
    }
}

pub(crate) fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "<br>")
}

/// An e-mail's subject: `subject.{template}` from the message tables, or
/// the platform's general one.
fn subject(template: &str) -> String {
    let key = format!("subject.{template}");
    let s = crate::kernel::i18n::msg(&key, Lang::Ko);
    if s == key {
        crate::kernel::i18n::msg("subject.default", Lang::Ko).to_owned()
    } else {
        s.to_owned()
    }
}

/// The NCP notifier: SENS for `sms`, Cloud Outbound Mailer for `email`.
pub struct Ncp<'a> {
    pub http: &'a dyn HttpClient,
    pub config: &'a NoticeConfig,
    pub clock: &'a dyn Clock,
}

impl Ncp<'_> {
    /// The signed request for one notice (no I/O).
    ///
    /// # Errors
    /// An unknown channel (a programming error; the message dead-letters).
    pub fn request(&self, n: &Notice<'_>) -> Result<Outbound, PortError> {
        let c = self.config;
        let (origin, path, body) = match n.channel {
            "sms" => (
                &c.sms_origin,
                format!("/sms/v2/services/{}/messages", c.sms_service_id),
                json!({
                    "type": sms_type(n.text),
                    "contentType": "COMM",
                    "countryCode": "82",
                    "from": domestic_digits(&c.sms_sender),
                    "content": n.text,
                    "messages": [{ "to": domestic_digits(n.recipient) }],
                }),
            ),
            "email" => (
                &c.mail_origin,
                "/api/v1/mails".to_owned(),
                json!({
                    "senderAddress": c.mail_sender,
                    "title": subject(n.template),
                    "body": html_text(n.text),
                    "recipients": [{ "address": n.recipient, "type": "R" }],
                    "individual": true,
                    "advertising": false,
                }),
            ),
            other => return Err(PortError(format!("unknown notice channel {other}"))),
        };
        let ts = self.clock.now().timestamp_millis().to_string();
        Ok(Outbound {
            method: "POST",
            url: format!("{origin}{path}"),
            headers: vec![
                ("content-type", "application/json; charset=utf-8".to_owned()),
                ("x-ncp-apigw-timestamp", ts.clone()),
                ("x-ncp-iam-access-key", c.access_key.clone()),
                (
                    "x-ncp-apigw-signature-v2",
                    signature(&c.secret_key, "POST", &path, &ts, &c.access_key),
                ),
            ],
            body: body.to_string().into_bytes(),
        })
    }
}

#[async_trait::async_trait(?Send)]
impl Notifier for Ncp<'_> {
    async fn deliver(&self, n: &Notice<'_>) -> Result<(), PortError> {
        let reply = self.http.send(self.request(n)?).await?;
        // SENS answers 202 Accepted, the mailer 201 Created; anything else
        // was not taken (the queue retries, then dead-letters).
        if (200..300).contains(&reply.status) {
            Ok(())
        } else {
            Err(PortError(format!(
                "{} provider answered {}",
                n.channel, reply.status
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::ports::OutboundReply;
    use std::cell::RefCell;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, &'static str>);
    impl Secrets for Map {
        fn get(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|v| (*v).to_owned())
        }
    }
    fn settings() -> Map {
        Map(HashMap::from([
            ("NCP_ACCESS_KEY", "AKIDEXAMPLE"),
            ("NCP_SECRET_KEY", "SECRETEXAMPLE"),
            ("SENS_SERVICE_ID", "ncp:sms:kr:1:svc"),
            ("SMS_SENDER", "02-1234-5678"),
            ("MAIL_SENDER", "no-reply@example.kr"),
        ]))
    }

    struct At;
    impl Clock for At {
        fn now(&self) -> chrono::DateTime<chrono::Utc> {
            chrono::DateTime::from_timestamp_millis(1_521_787_414_578).expect("time")
        }
    }

    struct Recorder(RefCell<Vec<Outbound>>, u16);
    #[async_trait::async_trait(?Send)]
    impl HttpClient for Recorder {
        async fn send(&self, r: Outbound) -> Result<OutboundReply, PortError> {
            self.0.borrow_mut().push(r);
            Ok(OutboundReply {
                status: self.1,
                body: vec![],
            })
        }
    }

    /// Delivers one notice to a recorder answering `status`: the outcome
    /// and the request the provider would have got.
    fn send(
        status: u16,
        channel: &str,
        recipient: &str,
        text: &str,
    ) -> (Result<(), PortError>, Outbound) {
        let c = NoticeConfig::from_secrets(&settings()).expect("configured");
        let http = Recorder(RefCell::new(vec![]), status);
        let ncp = Ncp {
            http: &http,
            config: &c,
            clock: &At,
        };
        let n = Notice {
            channel,
            template: if channel == "sms" {
                "phone_code"
            } else {
                "no_such_template"
            },
            recipient,
            text,
        };
        let outcome = futures::executor::block_on(ncp.deliver(&n));
        let sent = http.0.borrow()[0].clone();
        (outcome, sent)
    }

    #[test]
    fn signature_matches_an_independent_hmac() {
        // printf 'POST /sms/v2/services/ncp:sms:kr:1:svc/messages\n1521787414578\nAKIDEXAMPLE' \
        //   | openssl dgst -sha256 -hmac SECRETEXAMPLE -binary | base64
        assert_eq!(
            signature(
                "SECRETEXAMPLE",
                "POST",
                "/sms/v2/services/ncp:sms:kr:1:svc/messages",
                "1521787414578",
                "AKIDEXAMPLE"
            ),
            "sW1vZMD0jcJDnOjvATIHwdn5Lc8kc+1LvLmOCT2cZVc="
        );
    }

    #[test]
    fn missing_settings_are_named_and_refused() {
        let e = NoticeConfig::from_secrets(&Map(HashMap::new())).expect_err("refused");
        assert_eq!(
            e.0,
            vec![
                "NCP_ACCESS_KEY",
                "NCP_SECRET_KEY",
                "SENS_SERVICE_ID",
                "SMS_SENDER",
                "MAIL_SENDER"
            ]
        );
        let mut bad = settings();
        bad.0.insert("NCP_SMS_ORIGIN", "http://127.0.0.1:9/sms");
        assert_eq!(
            NoticeConfig::from_secrets(&bad)
                .expect_err("a path is not an origin")
                .0,
            vec!["NCP_SMS_ORIGIN"]
        );
        let c = NoticeConfig::from_secrets(&settings()).expect("configured");
        assert_eq!(
            (c.sms_origin.as_str(), c.mail_origin.as_str()),
            (SMS_ORIGIN, MAIL_ORIGIN)
        );
        assert!(!format!("{c:?}").contains("SECRETEXAMPLE"));
    }

    #[test]
    fn sms_goes_to_sens_signed_with_domestic_digits() {
        let (outcome, sent) = send(
            202,
            "sms",
            "+82 10-1234-5678",
            "[멤버 플랫폼] 인증번호 123456 (3분 안에 입력)",
        );
        outcome.expect("taken");
        let r = &sent;
        assert_eq!(
            r.url,
            "https://sens.apigw.ntruss.com/sms/v2/services/ncp:sms:kr:1:svc/messages"
        );
        let h: HashMap<_, _> = r.headers.iter().cloned().collect();
        assert_eq!(h["x-ncp-apigw-timestamp"], "1521787414578");
        assert_eq!(
            h["x-ncp-apigw-signature-v2"],
            "sW1vZMD0jcJDnOjvATIHwdn5Lc8kc+1LvLmOCT2cZVc="
        );
        let body: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
        assert_eq!(body["type"], "SMS");
        assert_eq!(body["from"], "0212345678");
        assert_eq!(body["messages"][0]["to"], "01012345678");
        assert_eq!(sms_type(&"가".repeat(41)), "LMS");
    }

    #[test]
    fn email_goes_to_the_mailer_escaped_with_a_subject() {
        let (outcome, sent) = send(201, "email", "kim@example.kr", "a <b> & c");
        outcome.expect("taken");
        let r = &sent;
        assert_eq!(r.url, "https://mail.apigw.ntruss.com/api/v1/mails");
        let body: serde_json::Value = serde_json::from_slice(&r.body).expect("json");
        assert_eq!(body["body"], "a &lt;b&gt; &amp; c");
        assert_eq!(body["recipients"][0]["address"], "kim@example.kr");
        assert!(!body["title"].as_str().unwrap_or("").is_empty());
    }

    #[test]
    fn a_refusal_is_an_error_that_names_no_recipient() {
        let (outcome, _) = send(401, "sms", "010-9999-8888", "123456");
        let e = outcome.expect_err("not taken");
        assert!(!e.0.contains("9999") && !e.0.contains("123456"), "{e}");
    }
}
