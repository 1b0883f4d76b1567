//! Signup: sends a 6-digit code to the contact's mobile number (rules S3, A6).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::signup::s3_phone::PhoneSend;

domain::function!(handle, [("POST", "/signup/phone/send")]);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// 202 when sent; 200 with `already_verified`; 409 before step 2; 429 when
/// asked again within 60 s, more than 5 times a day, or 10 times an hour per number.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&PhoneSend, req, cx, |_| Ok(())).await
}
