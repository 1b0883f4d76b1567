//! Signup: checks the mobile verification code (rule S3).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::signup::s3_phone::PhoneVerify;

domain::function!(handle, [
    ("POST", "/signup/phone/verify") => |op| op
        .summary("Step 2: checks the SMS code (S3); 5 tries per code")
        .of(&PhoneVerify)
        .body::<CodeBody>()
        .reply::<domain::signup::s3_phone::PhoneVerified>(200)
        .problems(&[409, 429]),
]);
domain::request!(
    struct CodeBody {
        #[schemars(pattern("^[0-9]{6}$"))]
        code: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&PhoneVerify, req, cx, parse).await
}

fn parse(req: &Request) -> Result<String, Problem> {
    let map = json_object(&req.body)?;
    let mut f = Fields::default();
    let code = Body { map: &map }.str(&mut f, "code");
    if let Some(c) = &code {
        if c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit()) {
            f.push("code", "field.code_format");
        }
    }
    f.finish()?;
    Ok(code.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_code_must_be_six_digits() {
        let r = |b: &str| Request {
            body: b.as_bytes().to_vec(),
            ..Default::default()
        };
        assert_eq!(parse(&r(r#"{"code":"123456"}"#)).unwrap(), "123456");
        assert_eq!(
            parse(&r(r#"{"code":"12345"}"#)).unwrap_err().errors[0].key,
            "field.code_format"
        );
        assert_eq!(
            parse(&r(r#"{"code":"12345a"}"#)).unwrap_err().errors[0].pointer,
            "#/code"
        );
        assert_eq!(
            parse(&r(r#"{}"#)).unwrap_err().errors[0].key,
            "field.required"
        );
    }
}
