//! Round trip 2: blobs before the commit (each key recorded by the reading
//! round trip), every write of the request in one atomic batch (its
//! guards, the idempotency record, the access log), the queue, then the
//! answer.

use super::context::{Cx, Env};
use super::log::{internal, log_error};
use super::plan::{Effect, Plan, SessionChange};
use super::session::session_cookie;
use crate::kernel::http::{Request, Response};
use crate::kernel::idempotency;
use crate::kernel::ports::DbError;
use crate::kernel::problem::Problem;
use crate::kernel::tokens::TokenKind;
use serde_json::Value as Json;

/// Blobs before the commit, the queue (before the commit for `Publish`, in
/// the batch for a table queue), round trip 2 with every write, then the
/// response.
pub(super) async fn commit(
    plan: Plan,
    req: &Request,
    cx: &Cx<'_>,
    env: &Env<'_>,
    name: &str,
    idem: Option<&idempotency::Key>,
) -> Result<Response, Problem> {
    // A blob goes in before the batch that refers to it. Its key was
    // recorded in the reading round trip (`blob_intent`); the batch that
    // commits the write clears the record. A batch that fails deletes the
    // blob; one the request could not clean up after (it ended between the
    // two) is found by its record and deleted by the daily destruction run
    // (R2, class `failed_write`).
    // Rule A3: personal data reaches staff only with its subjects in the
    // access log; a use case that forgot to declare them fails closed
    // (before any blob or write) rather than answer unlogged.
    if env.who.as_ref().is_some_and(|w| w.kind == TokenKind::Admin) && plan.hides_its_subjects() {
        log_error(&format!(
            "{name}: a reply with personal data to staff declared no subject (A3)"
        ));
        return Err(Problem::internal());
    }
    let blobs: Vec<(&String, &Vec<u8>, &String)> = plan
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::PutBlob {
                key,
                bytes,
                content_type,
            } => Some((key, bytes, content_type)),
            _ => None,
        })
        .collect();
    for (key, bytes, content_type) in &blobs {
        cx.blobs
            .put(key, bytes, content_type)
            .await
            .map_err(|e| internal(DbError::Other(e.0)))?;
    }
    // A queue that lives in the database (Spin's table queue) takes its
    // messages in the write batch itself: atomic with the change, and no
    // extra round trip.
    let file = match &plan.download {
        Some(d) => match cx.blobs.get(&d.blob_key).await {
            Ok(Some(bytes)) => match &d.sealed_at {
                None => Some(bytes),
                Some(place) => {
                    let opened = std::str::from_utf8(&bytes)
                        .ok()
                        .and_then(|s| cx.keys.open_at(place, s).ok());
                    let Some(opened) = opened else {
                        log_error("blob: a sealed file does not open at its place");
                        return Err(Problem::internal());
                    };
                    Some(opened.into_bytes())
                }
            },
            Ok(None) => return Err(Problem::not_found()),
            Err(e) => {
                log_error(&format!("blob: {e}"));
                return Err(Problem::internal());
            }
        },
        None => None,
    };
    let queue_in_db = cx.queue.as_statements(&[]).is_some();
    let mut queued_in_batch = Vec::new();
    for e in &plan.effects {
        let messages = match e {
            Effect::Publish(m) if !m.is_empty() => m.as_slice(),
            Effect::Enqueue(m) if queue_in_db => std::slice::from_ref(m),
            _ => continue,
        };
        if queue_in_db {
            queued_in_batch.extend(cx.queue.as_statements(messages).unwrap_or_default());
        } else {
            // Effect::Publish on a real queue: nothing is written unless it took every message.
            cx.queue.send_batch(messages).await.map_err(|e| {
                log_error(&format!("queue: {e}"));
                Problem::new(
                    503,
                    "queue-unavailable",
                    "title.unavailable",
                    "detail.resend",
                )
                .with_retry_after(30)
            })?;
        }
    }
    // The idempotency record goes first: a request racing one with the same
    // key fails on it (409 in progress) before any guard of the use case's
    // own writes can fail it for another reason.
    let mut writes = Vec::with_capacity(plan.writes.len() + 2);
    if let (Some(k), Ok((status, body))) = (idem, &plan.outcome) {
        writes.extend(k.store(env, *status, body, plan.session));
    }
    writes.extend(plan.writes);
    writes.extend(queued_in_batch);
    for (key, _, _) in &blobs {
        writes.push(crate::stmt!(
            "DELETE FROM blob_intents WHERE key = ?",
            key.as_str()
        ));
    }
    if let Some(admin) = env.who.as_ref().filter(|w| w.kind == TokenKind::Admin) {
        for p in &plan.personal {
            writes.push(crate::kernel::access_log::entry(env, admin, req, name, p));
        }
    }
    // Round trip 2: every write of the request, atomically.
    if !writes.is_empty() {
        let done = cx.db.batch(&writes).await;
        if done.is_err() {
            forget_blobs(cx, &blobs).await;
        }
        match done {
            Ok(_) => {}
            Err(DbError::Constraint(msg)) if idem.is_some() && msg.contains("idempotency") => {
                return Err(idempotency::in_progress());
            }
            Err(DbError::Constraint(msg)) if msg.contains("stale_version") => {
                return Err(Problem::conflict("detail.stale_version"))
            }
            Err(DbError::Constraint(_)) => return Err(plan.on_conflict),
            Err(e) => return Err(internal(e)),
        }
    }
    for e in &plan.effects {
        match e {
            // Committed already. Every message sent after a commit is one
            // the database can drive again, so a failed send is logged and
            // loses nothing: a notice's row is re-sent by the sweep
            // (`ResendLost`, after 5 minutes), a job's next step too
            // (`ResendIdleJobs`, from the row, after 10), and terminals'
            // contacts are reported again with their next minute's report.
            // Work that must not wait goes out before the commit instead
            // (`Effect::Publish`: nothing is written unless it was taken).
            Effect::Enqueue(msg) if !queue_in_db => {
                if let Err(e) = cx.queue.send(msg).await {
                    log_error(&format!(
                        "queue send after commit ({}): {e}",
                        msg["type"].as_str().unwrap_or("?")
                    ));
                }
            }
            Effect::Forget(prefix) => cx.memo.forget(prefix),
            Effect::Keep(key, value) => cx.memo.keep(key.clone(), value.clone(), env.now),
            _ => {}
        }
    }
    let (status, body) = plan.outcome?;
    if let (Some(d), Some(bytes)) = (plan.download, file) {
        let disposition = format!(
            "attachment; filename=\"{}\"",
            d.filename.replace(['"', '\\', '\r', '\n'], "_")
        );
        return Ok(Response {
            status,
            headers: vec![
                ("content-type".into(), d.content_type),
                ("content-disposition".into(), disposition),
                ("x-content-type-options".into(), "nosniff".into()),
                (
                    "content-security-policy".into(),
                    "default-src 'none'; sandbox".into(),
                ),
            ],
            body: bytes,
        });
    }
    Ok(respond(
        status,
        body,
        plan.session,
        plan.content_type,
        req,
        cx,
    ))
}

/// Deletes the blobs of a batch that failed, then their records; what
/// fails here stays recorded for the destruction run.
async fn forget_blobs(cx: &Cx<'_>, blobs: &[(&String, &Vec<u8>, &String)]) {
    let mut gone = Vec::new();
    for (key, _, _) in blobs {
        match cx.blobs.delete(key).await {
            Ok(()) => gone.push(crate::stmt!(
                "DELETE FROM blob_intents WHERE key = ?",
                key.as_str()
            )),
            Err(e) => log_error(&format!(
                "blob of a failed write kept for the destruction run: {e}"
            )),
        }
    }
    if !gone.is_empty() {
        if let Err(e) = cx.db.batch(&gone).await {
            log_error(&format!("blob intents of a failed write: {e}"));
        }
    }
}

/// An answer's body as sent: a session token moved into its cookie for a
/// caller with cookie sessions; text for devices that speak text.
pub(super) fn respond(
    status: u16,
    body: Json,
    session: Option<SessionChange>,
    content_type: &'static str,
    req: &Request,
    cx: &Cx<'_>,
) -> Response {
    let (body, cookie) = session_cookie(session, req, cx.config.dev(), body);
    let mut response = match body {
        Json::String(text) if content_type.starts_with("text/") => {
            Response::text(status, content_type, text)
        }
        body => Response::json(status, &body),
    };
    response
        .headers
        .extend(cookie.map(|c| ("set-cookie".into(), c)));
    response
}
