//! A member reads what it consented to (each document's version in effect,
//! the version it last answered, whether it must consent again) and the
//! changes announced, and answers the version in effect (rule A8).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::privacy::a8_terms::{ConsentsView, GiveConsent, GiveInput};

domain::function!(handle, [
    ("GET", "/member/consents") => |op| op
        .summary("The member's consents to each document in effect, what needs its consent again, and the changes announced (A8)")
        .of(&ConsentsView)
        .reply::<domain::privacy::a8_terms::MyConsents>(200),
    ("POST", "/member/consents") => |op| op
        .summary("The member answers the version in effect of a document: a required one only by accepting (A8)")
        .of(&GiveConsent)
        .body::<MemberConsentBody>()
        .reply::<domain::privacy::a8_terms::MyConsents>(200),
]);
domain::request!(
    struct MemberConsentBody {
        /// the document's kind
        kind: String,
        /// the version in effect, as read
        version: String,
        accepted: bool,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&ConsentsView, req, cx, |r| Ok(r.lang())).await
    } else {
        serve(&GiveConsent, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<GiveInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let kind = body.str(&mut f, "kind");
    let version = body.str(&mut f, "version");
    let accepted = body.bool(&mut f, "accepted");
    let (kind, version, accepted) =
        f.done((("kind", kind), ("version", version), ("accepted", accepted)))?;
    Ok(GiveInput {
        lang: req.lang(),
        kind,
        version,
        accepted,
    })
}
