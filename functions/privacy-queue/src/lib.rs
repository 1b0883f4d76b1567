//! The privacy desk's queue of privacy-rights requests, open first by
//! their last day (rules P2, P3; each requester's words read are logged,
//! A3), and the requests it enters for a person who wrote, e-mailed or
//! phoned (P2): the case waits for a code sent to a contact point on file.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{prose, text};
use domain::privacy::p1_requests::{Channel, RightsKind};
use domain::privacy::p2_entered::{CodeTo, EnterInput, EnterRequest, ProxyRelationship};
use domain::privacy::p3_desk::DeskQueueView;

domain::function!(handle, [
    ("GET", "/admin/privacy-requests") => |op| op
        .summary("The privacy desk's queue: open requests by their last day, then the latest closed (P3)")
        .of(&DeskQueueView)
        .reply::<domain::privacy::p3_desk::DeskQueue>(200),
    ("POST", "/admin/privacy-requests") => |op| op
        .summary("A request made on paper, by e-mail or by phone, entered by the desk (P2): it waits for the code sent to the member's contact point on file; its clock runs from now (P3)")
        .of(&EnterRequest)
        .body::<EnteredRequestBody>()
        .reply::<domain::privacy::p2_entered::EnteredCase>(201)
        .problems(&[409]),
]);
domain::request!(
    struct EnteredRequestBody {
        /// the member whose data it is
        member_id: String,
        /// `access`, `correction`, `deletion`, `suspension`,
        /// `marketing_email`, `marketing_sms` or `withdrawal`
        kind: String,
        /// how it came in: `written`, `email` or `phone`
        channel: String,
        /// what the person asks, as it asked it
        #[schemars(length(max = 2000))]
        details: Option<String>,
        /// where the identity code goes: `sms` (the mobile on file) or
        /// `email` (the address on file); never an address in the request
        code_to: String,
        /// a proxy's name, when one acts for the person
        #[schemars(length(max = 100))]
        proxy_name: Option<String>,
        /// with `proxy_name`: `legal_representative` or `delegate`
        proxy_relationship: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&DeskQueueView, req, cx, |_| Ok(())).await
    } else {
        serve(&EnterRequest, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<EnterInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let member_id = body.str(&mut f, "member_id");
    let kind = body
        .str(&mut f, "kind")
        .and_then(|k| f.take("kind", RightsKind::parse(&k).ok_or("field.privacy_kind")));
    let channel = body.str(&mut f, "channel").and_then(|c| {
        f.take(
            "channel",
            Channel::parse(&c)
                .filter(|c| *c != Channel::SelfService)
                .ok_or("field.privacy_channel"),
        )
    });
    let details = body
        .opt_str(&mut f, "details")
        .and_then(|d| f.take("details", prose(&d, 2000)));
    let code_to = body
        .str(&mut f, "code_to")
        .and_then(|c| f.take("code_to", CodeTo::parse(&c).ok_or("field.privacy_code_to")));
    let proxy_name = body
        .opt_str(&mut f, "proxy_name")
        .and_then(|n| f.take("proxy_name", text(&n, 100)));
    let relationship = body.opt_str(&mut f, "proxy_relationship").and_then(|r| {
        f.take(
            "proxy_relationship",
            ProxyRelationship::parse(&r).ok_or("field.privacy_proxy_relationship"),
        )
    });
    // A proxy is named with its relationship, or not at all.
    let proxy = match (proxy_name, relationship) {
        (Some(n), Some(r)) => Some((n, r)),
        (Some(_), None) if !f.has("proxy_relationship") => {
            f.push("proxy_relationship", "field.privacy_proxy_relationship");
            None
        }
        (None, Some(_)) if !f.has("proxy_name") => {
            f.push("proxy_name", "field.privacy_proxy_name");
            None
        }
        _ => None,
    };
    let (member_id, kind, channel, code_to) = f.done((
        ("member_id", member_id),
        ("kind", kind),
        ("channel", channel),
        ("code_to", code_to),
    ))?;
    Ok(EnterInput {
        member_id,
        kind,
        channel,
        details,
        code_to,
        proxy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &str) -> Request {
        Request {
            body: body.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    fn pointers(body: &str) -> Vec<String> {
        let p = parse(&req(body)).unwrap_err();
        assert_eq!(p.status, 422);
        let mut out: Vec<String> = p.errors.iter().map(|e| e.pointer.clone()).collect();
        out.sort();
        out
    }

    /// rule P2: the desk enters what came on paper, by e-mail or by phone;
    /// self-service is the person's own, signed in.
    #[test]
    fn p2_an_entered_request_names_its_channel_and_a_contact_point_on_file() {
        let ok = parse(&req(
            r#"{"member_id":"mem_1","kind":"access","channel":"written","code_to":"sms"}"#,
        ))
        .unwrap();
        assert_eq!(ok.channel, Channel::Written);
        assert_eq!(ok.code_to, CodeTo::Sms);
        assert!(ok.proxy.is_none());
        assert_eq!(
            pointers(r#"{"member_id":"mem_1","kind":"access","channel":"self","code_to":"sms"}"#),
            ["#/channel"]
        );
        // No address is taken from the request: only a kind of contact point on file.
        assert_eq!(
            pointers(
                r#"{"member_id":"mem_1","kind":"access","channel":"phone","code_to":"010-1234-5678"}"#
            ),
            ["#/code_to"]
        );
        assert_eq!(
            pointers(r#"{"kind":"erase everything","channel":"fax"}"#),
            ["#/channel", "#/code_to", "#/kind", "#/member_id"]
        );
    }

    /// rule P2: a proxy is named with its relationship.
    #[test]
    fn p2_a_proxy_comes_with_its_relationship() {
        let ok = parse(&req(
            r#"{"member_id":"m","kind":"deletion","channel":"email","code_to":"email","proxy_name":"김대리","proxy_relationship":"delegate"}"#,
        ))
        .unwrap();
        assert_eq!(
            ok.proxy,
            Some(("김대리".into(), ProxyRelationship::Delegate))
        );
        assert_eq!(
            pointers(
                r#"{"member_id":"m","kind":"deletion","channel":"email","code_to":"email","proxy_name":"김대리"}"#
            ),
            ["#/proxy_relationship"]
        );
        assert_eq!(
            pointers(
                r#"{"member_id":"m","kind":"deletion","channel":"email","code_to":"email","proxy_relationship":"friend"}"#
            ),
            ["#/proxy_relationship"]
        );
    }
}
