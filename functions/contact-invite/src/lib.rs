//! An invited contact person chooses its login ID and password with the
//! invitation's token (rule P10); it then signs in like the company's
//! administrator.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::LoginId;
use domain::privacy::p10_contacts::{AcceptInput, AcceptInvite};

domain::function!(handle, [
    ("POST", "/contacts/accept") => |op| op
        .summary("An invited contact person chooses its login ID and password (P10); 404 for an unknown or used invitation, 410 once it expired")
        .of(&AcceptInvite)
        .body::<InviteAcceptBody>()
        .reply::<domain::privacy::p10_contacts::InviteAccepted>(200)
        .problems(&[404, 409, 410]),
]);
domain::request!(
    struct InviteAcceptBody {
        /// the token of the invitation's link
        token: String,
        login_id: String,
        password: String,
        password_confirm: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&AcceptInvite, req, cx, parse).await
}

fn parse(req: &Request) -> Result<AcceptInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let token = body.str(&mut f, "token").and_then(|t| {
        f.take(
            "token",
            if (8..=100).contains(&t.len()) {
                Ok(t)
            } else {
                Err("detail.invite_invalid")
            },
        )
    });
    let login_id = body
        .str(&mut f, "login_id")
        .and_then(|s| f.take("login_id", LoginId::parse(&s)));
    let password = body.new_password(&mut f);
    let (token, login_id, password) = f.done((
        ("token", token),
        ("login_id", login_id),
        ("password", password),
    ))?;
    Ok(AcceptInput {
        token,
        login_id,
        password,
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

    /// rule P10: the invited person's login ID and password follow the
    /// signup's rules (S3), the password confirmed.
    #[test]
    fn p10_an_invitation_is_accepted_with_a_valid_login_and_password() {
        let ok = parse(&req(
            r#"{"token":"inv_abcdefghijkl","login_id":"park01","password":"a long passphrase 1","password_confirm":"a long passphrase 1"}"#,
        ))
        .unwrap();
        assert_eq!(ok.login_id.as_ref(), "park01");
        let p = parse(&req(
            r#"{"token":"inv_abcdefghijkl","login_id":"Park@","password":"short","password_confirm":"other"}"#,
        ))
        .unwrap_err();
        let pointers: Vec<&str> = p.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert!(
            pointers.contains(&"#/login_id") && pointers.contains(&"#/password"),
            "{pointers:?}"
        );
    }
}
