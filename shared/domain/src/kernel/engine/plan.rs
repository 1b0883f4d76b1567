//! A use case's decision: the writes of its one atomic batch, the effects
//! around the commit, the answer, and what it does to a session.

use super::log::log_error;
use super::macros::Reply;
use crate::kernel::ports::Stmt;
use crate::kernel::problem::Problem;
use crate::kernel::tokens::TokenKind;
use crate::stmt;
use serde_json::Value as Json;

/// What happens outside the database, around the commit.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Stored before the commit: a failed put writes no row. The key is a
    /// [`BlobIntent`]'s, recorded by the use case's reads: the commit
    /// clears the record, or deletes the blob when the batch fails.
    PutBlob {
        key: String,
        bytes: Vec<u8>,
        content_type: String,
    },
    /// Sent after the commit; whatever it refers to is already durable.
    Enqueue(Json),
    /// Sent before the commit, and the request fails (503, nothing written)
    /// unless the queue took every message: "accepted" means "queued".
    Publish(Vec<Json>),
    /// After the commit: this instance forgets what it remembered under
    /// keys with this prefix (the rows behind them changed).
    Forget(&'static str),
    /// After the commit: this instance remembers a value (what was just
    /// done, so a repeat can be recognised without a read).
    Keep(String, Json),
}

crate::row!(
    /// A blob's key, recorded before its file is stored (`blob_intents`).
    pub struct BlobIntent {
        pub key: String,
    }
);

/// The read that records the key `key` of a blob this request may store:
/// in the reading round trip, so a file stored by a request that then
/// ended before its write is found and deleted by the daily destruction
/// run (rule R2). The commit of the write clears it.
pub fn blob_intent(
    key: String,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::kernel::reads::Read<Option<BlobIntent>> {
    crate::read!(
        // A key recorded again (a request repeated after a refusal, where
        // the key is the record's own) is recorded anew.
        "INSERT INTO blob_intents (key, at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET at = excluded.at RETURNING key",
        key,
        now.to_rfc3339()
    )
}

/// A person's personal data that an admin read or changed in this request:
/// the engine logs it in the request's own write batch (rule A3's hook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalData {
    /// Whose data: the member (company contact person) or other subject id.
    pub subject: String,
    /// What was done with it: a stable name (`review.read_contact`, …).
    pub what: &'static str,
}

/// The decision of a use case.
#[derive(Debug)]
pub struct Plan {
    pub writes: Vec<Stmt>,
    pub effects: Vec<Effect>,
    pub outcome: Result<(u16, Json), Problem>,
    /// Problem reported if the write batch hits a constraint or version guard.
    pub on_conflict: Problem,
    /// `application/json`, or `text/plain` for devices that speak text
    /// (the body is then a JSON string, sent as its contents).
    pub content_type: &'static str,
    /// Personal data an admin touches in this request (logged by the engine).
    pub personal: Vec<PersonalData>,
    /// The reply is a type that carries personal data (`reply!`'s
    /// `@personal`): answered to an admin only with its subjects declared
    /// (`touches`, `touches_all`; rule A3), else refused by the engine.
    pub personal_reply: bool,
    /// The subjects shown were declared (possibly none: an empty list).
    pub declared: bool,
    /// A stored file to answer with instead of `outcome`'s JSON.
    pub download: Option<Download>,
    /// A session this answer starts or ends (cookie sessions of the pages).
    pub session: Option<SessionChange>,
}

/// What an answer does to a session, for callers that keep it in a cookie
/// (`x-session: cookie`, the web pages): the engine moves a new token from
/// the body into an `HttpOnly` cookie, or clears the cookie on sign-out.
/// API clients get the token in the body as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionChange {
    /// The reply's field `kind.reply_field()` holds a new token of this kind.
    Started(TokenKind),
    Ended(TokenKind),
}

/// A stored file served as an attachment: never rendered by the browser
/// (`Content-Disposition: attachment`, `nosniff`, a sandboxing CSP).
#[derive(Debug, Clone)]
pub struct Download {
    pub blob_key: String,
    pub content_type: String,
    pub filename: String,
    /// Where the stored file is sealed (`crypto::at`), opened before it
    /// is sent; `None` for a file stored as it came.
    pub sealed_at: Option<String>,
}

impl Plan {
    /// A JSON answer: the body is a reply type (`reply!`), the same type
    /// the OpenAPI document describes.
    pub fn ok<B: Reply>(status: u16, body: B, writes: Vec<Stmt>) -> Plan {
        Plan {
            personal_reply: B::PERSONAL,
            ..Plan::of_json(status, serde_json::to_value(body), writes)
        }
    }
    fn of_json(status: u16, body: Result<Json, serde_json::Error>, writes: Vec<Stmt>) -> Plan {
        Plan {
            writes,
            effects: vec![],
            outcome: body.map(|b| (status, b)).map_err(|e| {
                log_error(&format!("reply not serialisable: {e}"));
                Problem::internal()
            }),
            on_conflict: Problem::conflict("detail.stale_version"),
            content_type: "application/json",
            personal: vec![],
            personal_reply: false,
            declared: false,
            download: None,
            session: None,
        }
    }
    /// A plain-text answer (ZKTeco ADMS devices expect `OK`).
    pub fn text(status: u16, body: impl Into<String>, writes: Vec<Stmt>) -> Plan {
        Plan {
            content_type: "text/plain; charset=utf-8",
            ..Plan::of_json(status, Ok(Json::String(body.into())), writes)
        }
    }
    /// A failure that still records something (a failed login attempt, a try).
    pub fn fail_with(p: Problem, writes: Vec<Stmt>) -> Plan {
        Plan {
            outcome: Err(p),
            ..Plan::of_json(0, Ok(Json::Null), writes)
        }
    }
    pub fn effect(mut self, e: Effect) -> Plan {
        self.effects.push(e);
        self
    }
    pub fn effects(mut self, e: impl IntoIterator<Item = Effect>) -> Plan {
        self.effects.extend(e);
        self
    }
    pub fn conflict_means(mut self, p: Problem) -> Plan {
        self.on_conflict = p;
        self
    }
    /// Declares that an admin reads or changes `subject`'s personal data.
    /// Answers with a stored file (fetched before the write batch, so a
    /// missing file is a 404 with nothing logged).
    pub fn download(download: Download, writes: Vec<Stmt>) -> Plan {
        Plan {
            download: Some(download),
            ..Plan::of_json(200, Ok(Json::Null), writes)
        }
    }

    /// The reply's `kind.reply_field()` is a new session token of `kind`.
    pub fn starts_session(mut self, kind: TokenKind) -> Plan {
        self.session = Some(SessionChange::Started(kind));
        self
    }
    /// The caller's session of `kind` ends.
    pub fn ends_session(mut self, kind: TokenKind) -> Plan {
        self.session = Some(SessionChange::Ended(kind));
        self
    }

    pub fn touches(mut self, subject: &str, what: &'static str) -> Plan {
        self.personal.push(PersonalData {
            subject: subject.to_owned(),
            what,
        });
        self.declared = true;
        self
    }
    /// A reply with personal data whose subjects this plan did not
    /// declare: the engine refuses to send it to staff (A3).
    pub fn hides_its_subjects(&self) -> bool {
        self.personal_reply && !self.declared && self.outcome.is_ok()
    }
    /// Declares every subject whose personal data a list shows (each once;
    /// none for an empty list).
    pub fn touches_all<'a>(
        mut self,
        subjects: impl IntoIterator<Item = &'a str>,
        what: &'static str,
    ) -> Plan {
        for subject in subjects {
            if !self.personal.iter().any(|p| p.subject == subject) {
                self.personal.push(PersonalData {
                    subject: subject.to_owned(),
                    what,
                });
            }
        }
        self.declared = true;
        self
    }
}

/// A version guard for the write batch: aborts the whole batch unless the
/// statement just before it changed exactly one row (see migration 0001,
/// view `expect_one_change`).
pub fn guard_one_change() -> Stmt {
    stmt!("INSERT INTO expect_one_change(n) VALUES (changes())")
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::reply!(
        @personal struct Contact {
            email: String,
        }
        @personal struct Contacts {
            items: Vec<Contact>,
        }
        struct Counted {
            n: i64,
        }
    );

    /// rule A3: a reply declared personal goes to staff only with its
    /// subjects declared (an empty list declares none, and shows no one).
    #[test]
    fn a3_a_personal_reply_without_its_subjects_is_refused() {
        let one = || Contact {
            email: "a@b.kr".into(),
        };
        assert!(Plan::ok(200, one(), vec![]).hides_its_subjects());
        assert!(!Plan::ok(200, one(), vec![])
            .touches("mem_1", "test.read")
            .hides_its_subjects());
        let list = Plan::ok(200, Contacts { items: vec![one()] }, vec![]);
        assert!(list.hides_its_subjects());
        let listed = list.touches_all(["mem_1", "mem_1"], "test.read");
        assert!(!listed.hides_its_subjects());
        assert_eq!(listed.personal.len(), 1, "each subject once");
        let empty = Plan::ok(200, Contacts { items: vec![] }, vec![])
            .touches_all(std::iter::empty(), "test.read");
        assert!(!empty.hides_its_subjects() && empty.personal.is_empty());
        assert!(!Plan::ok(200, Counted { n: 1 }, vec![]).hides_its_subjects());
        assert!(!Plan::ok(200, &one(), vec![])
            .touches("m", "t")
            .hides_its_subjects());
        assert!(
            Plan::ok(200, &one(), vec![]).hides_its_subjects(),
            "a reference is as personal"
        );
    }
}
