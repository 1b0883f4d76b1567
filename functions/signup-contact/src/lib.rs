//! Signup step 2: contact person (rule S3): login ID, password typed twice,
//! name, Korean mobile number, email.

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{text, Email, LoginId, MobileNumber};
use domain::signup::s3_contact::{Contact, ContactInput};

domain::function!(handle, [
    ("PUT", "/signup/contact") => |op| op
        .summary("Step 2: the contact person and the login (S3)")
        .of(&Contact)
        .body::<ContactBody>()
        .reply::<domain::signup::s3_contact::ContactSaved>(200)
        .problems(&[409, 429]),
]);
domain::request!(
    struct ContactBody {
        /// 4 to 20 lowercase letters, digits or `_`; not an e-mail or phone number
        #[schemars(pattern("^[a-z0-9_]{4,20}$"))]
        login_id: String,
        #[schemars(length(min = 8, max = 256))]
        password: String,
        password_confirm: String,
        #[schemars(length(min = 1, max = 50))]
        name: String,
        /// Korean mobile number, `010-1234-5678` or digits
        mobile: String,
        #[schemars(email)]
        email: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Contact, req, cx, parse).await
}

fn parse(req: &Request) -> Result<ContactInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let login_id = body
        .str(&mut f, "login_id")
        .and_then(|s| f.take("login_id", LoginId::parse(&s)));
    let password = body.new_password(&mut f);
    let name = body
        .str(&mut f, "name")
        .and_then(|s| f.take("name", text(&s, 50)));
    let mobile = body
        .str(&mut f, "mobile")
        .and_then(|s| f.take("mobile", MobileNumber::parse(&s)));
    let email = body
        .str(&mut f, "email")
        .and_then(|s| f.take("email", Email::parse(&s)));
    let (login_id, password, name, mobile, email) = f.done((
        ("login_id", login_id),
        ("password", password),
        ("name", name),
        ("mobile", mobile),
        ("email", email),
    ))?;
    Ok(ContactInput {
        login_id,
        password,
        name,
        mobile,
        email,
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

    #[test]
    fn s3_every_field_error_has_a_pointer() {
        let p = parse(&req(r#"{"login_id":"Kim@x.kr","password":"short","password_confirm":"other","name":"","mobile":"02-123-4567","email":"nope"}"#)).unwrap_err();
        let got: Vec<_> = p
            .errors
            .iter()
            .map(|e| (e.pointer.as_str(), e.key))
            .collect();
        assert_eq!(
            got,
            [
                ("#/login_id", "login_id.is_email"),
                ("#/password", "password.too_short"),
                ("#/name", "text.required"),
                ("#/mobile", "mobile.format"),
                ("#/email", "email.format")
            ]
        );
    }

    #[test]
    fn s3_passwords_must_match() {
        let p = parse(&req(r#"{"login_id":"kim_01","password":"long enough pw","password_confirm":"long enough pX","name":"김","mobile":"010-1234-5678","email":"k@x.kr"}"#)).unwrap_err();
        assert_eq!(p.errors[0].pointer, "#/password_confirm");
        assert_eq!(p.errors[0].key, "field.password_mismatch");
    }
}
