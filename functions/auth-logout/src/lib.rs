//! Logout: revokes the session token (rule A5).

use domain::auth::Logout;
use domain::http::{Request, Response};
use domain::runtime::{serve, Cx};

domain::function!(
    handle,
    [("POST", "/auth/logout"), ("POST", "/admin/logout")]
);
adapter_spin::component!(boxed);

/// # Responses
/// 200 signed out; 401 when the token is missing, invalid or already revoked.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.path == "/admin/logout" {
        serve(&Logout::<true>, req, cx, |_| Ok(())).await
    } else {
        serve(&Logout::<false>, req, cx, |_| Ok(())).await
    }
}
