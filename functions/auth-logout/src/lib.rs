//! Logout: revokes the session token (rule A5).

use domain::auth::a5_sessions::Logout;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::tokens::TokenKind;

domain::function!(
    handle,
    [("POST", "/auth/logout"), ("POST", "/admin/logout")]
);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// 200 signed out; 401 when the token is missing, invalid or already revoked.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let realm = if req.path == "/admin/logout" {
        TokenKind::Admin
    } else {
        TokenKind::Member
    };
    serve(&Logout { realm }, req, cx, |_| Ok(())).await
}
