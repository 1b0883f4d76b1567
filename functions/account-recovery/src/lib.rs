//! Finding the login ID and setting a new password by the mobile number
//! verified at signup (`/auth/recovery/*`; rules A1, A6): a code by SMS,
//! the code for the number's login IDs and a one-time ticket, the ticket
//! for a new password.

use domain::auth::recovery::{
    RecoveryReset, RecoverySend, RecoveryVerify, ResetInput, VerifyInput,
};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::MobileNumber;

domain::function!(handle, [
    ("POST", "/auth/recovery/send") => |op| op
        .summary("Sends a code to a verified mobile number, if it has an account (the answer does not say); A6 limits")
        .of(&RecoverySend)
        .body::<SendBody>()
        .reply::<domain::auth::recovery::RecoveryCodeSent>(202)
        .problems(&[429]),
    ("POST", "/auth/recovery/verify") => |op| op
        .summary("The code: the number's login IDs and a one-time ticket for a new password; 5 tries per code")
        .of(&RecoveryVerify)
        .body::<VerifyBody>()
        .reply::<domain::auth::recovery::RecoveredAccounts>(200)
        .problems(&[409, 429]),
    ("POST", "/auth/recovery/password") => |op| op
        .summary("A new password for one of the number's accounts, with the ticket; its sessions end (A1, A5)")
        .of(&RecoveryReset)
        .body::<ResetBody>()
        .reply::<domain::auth::recovery::PasswordReset>(200),
]);
domain::request!(
    struct SendBody {
        /// Korean mobile number, `010-1234-5678` or digits
        mobile: String,
    }
);
domain::request!(
    struct VerifyBody {
        mobile: String,
        #[schemars(pattern("^[0-9]{6}$"))]
        code: String,
    }
);
domain::request!(
    struct ResetBody {
        mobile: String,
        #[schemars(length(max = 64))]
        ticket: String,
        #[schemars(length(max = 64))]
        login_id: String,
        #[schemars(length(min = 8, max = 256))]
        password: String,
        password_confirm: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    match req.path.as_str() {
        "/auth/recovery/verify" => serve(&RecoveryVerify, req, cx, parse_verify).await,
        "/auth/recovery/password" => serve(&RecoveryReset, req, cx, parse_reset).await,
        _ => serve(&RecoverySend, req, cx, parse_send).await,
    }
}

fn mobile(body: &Body, f: &mut Fields) -> Option<MobileNumber> {
    body.str(f, "mobile")
        .and_then(|s| f.take("mobile", MobileNumber::parse(&s)))
}

fn parse_send(req: &Request) -> Result<MobileNumber, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let m = mobile(&body, &mut f);
    let (m,) = f.done((("mobile", m),))?;
    Ok(m)
}

fn parse_verify(req: &Request) -> Result<VerifyInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let m = mobile(&body, &mut f);
    let code = body.str(&mut f, "code");
    if let Some(c) = &code {
        if c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit()) {
            f.push("code", "field.code_format");
        }
    }
    let (mobile, code) = f.done((("mobile", m), ("code", code)))?;
    Ok(VerifyInput { mobile, code })
}

fn parse_reset(req: &Request) -> Result<ResetInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let m = mobile(&body, &mut f);
    let ticket = body.str(&mut f, "ticket");
    if ticket.as_ref().is_some_and(|t| t.len() > 64) {
        f.push("ticket", "text.too_long");
    }
    let login_id = body.str(&mut f, "login_id");
    if login_id.as_ref().is_some_and(|l| l.len() > 64) {
        f.push("login_id", "text.too_long");
    }
    let password = body.new_password(&mut f);
    let (mobile, ticket, login_id, password) = f.done((
        ("mobile", m),
        ("ticket", ticket),
        ("login_id", login_id),
        ("password", password),
    ))?;
    Ok(ResetInput {
        mobile,
        ticket,
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

    fn keys(p: Problem) -> Vec<(String, String)> {
        p.errors
            .into_iter()
            .map(|e| (e.pointer, e.key.to_owned()))
            .collect()
    }

    #[test]
    fn numbers_are_read_as_koreans_write_them() {
        let m = parse_send(&req(r#"{"mobile":"010-1234-5678"}"#)).unwrap();
        assert_eq!(m.as_ref(), "01012345678");
        let p = parse_send(&req(r#"{"mobile":"02-123-4567"}"#)).unwrap_err();
        assert_eq!(keys(p)[0].0, "#/mobile");
    }

    #[test]
    fn a_short_code_and_a_mismatched_or_weak_password_are_pointed_at() {
        let p = parse_verify(&req(r#"{"mobile":"01012345678","code":"12a"}"#)).unwrap_err();
        assert_eq!(
            keys(p),
            [("#/code".to_owned(), "field.code_format".to_owned())]
        );
        let p = parse_reset(&req(
            r#"{"mobile":"01012345678","ticket":"rcv_x","login_id":"kim","password":"correct horse battery","password_confirm":"other"}"#,
        ))
        .unwrap_err();
        assert_eq!(keys(p)[0].0, "#/password_confirm");
        // rule A1: the signup's password policy (common passwords refused).
        let p = parse_reset(&req(
            r#"{"mobile":"01012345678","ticket":"rcv_x","login_id":"kim","password":"password123","password_confirm":"password123"}"#,
        ))
        .unwrap_err();
        assert_eq!(keys(p)[0].0, "#/password");
        let p = parse_reset(&req(r#"{"mobile":"01012345678"}"#)).unwrap_err();
        let missing: Vec<String> = keys(p).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            missing,
            ["#/ticket", "#/login_id", "#/password", "#/password_confirm"]
        );
    }
}
