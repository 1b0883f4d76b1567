//! Cookie sessions of the web pages: a new token moves from the body into
//! an `HttpOnly` cookie, or the cookie is cleared on sign-out.

use super::plan::SessionChange;
use crate::kernel::http::Request;
use serde_json::Value as Json;

/// For a caller with cookie sessions: the body without the new token, and
/// the `Set-Cookie` that carries it (or clears it). `Secure` everywhere but
/// in dev builds' dev mode (plain-HTTP local runs).
pub(super) fn session_cookie(
    change: Option<SessionChange>,
    req: &Request,
    dev: bool,
    mut body: Json,
) -> (Json, Option<String>) {
    let Some(change) = change.filter(|_| req.wants_cookie()) else {
        return (body, None);
    };
    let secure = if dev { "" } else { "; Secure" };
    let cookie = match change {
        SessionChange::Started(kind) => {
            let token = body
                .as_object_mut()
                .and_then(|o| o.remove(kind.reply_field()))
                .and_then(|t| t.as_str().map(str::to_owned));
            token.map(|t| {
                format!(
                    "{}={t}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
                    kind.cookie_name(),
                    kind.lifetime_secs()
                )
            })
        }
        SessionChange::Ended(kind) => Some(format!(
            "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}",
            kind.cookie_name()
        )),
    };
    (body, cookie)
}
