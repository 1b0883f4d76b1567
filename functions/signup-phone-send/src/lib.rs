//! Signup: sends a 6-digit code to the contact's mobile number (rules S3, A6).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::signup::s3_phone::PhoneSend;

domain::function!(handle, [
    ("POST", "/signup/phone/send") => |op| op
        .summary("Step 2: sends a 6-digit code by SMS to the contact's mobile (S3)")
        .of(&PhoneSend)
        .reply::<domain::signup::s3_phone::PhoneAlreadyVerified>(200)
        .reply::<domain::signup::s3_phone::CodeSent>(202)
        .problems(&[409, 429]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&PhoneSend, req, cx, |_| Ok(())).await
}
