//! Logout: revokes the session token (rule A5).

use domain::auth::a5_sessions::Logout;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::tokens::TokenKind;

domain::function!(handle, [
    ("POST", "/auth/logout") => |op| op
        .summary("Revokes the member session (A5)")
        .of(&Logout { realm: TokenKind::Member })
        .reply::<domain::auth::a5_sessions::SignedOut>(200),
    ("POST", "/admin/logout") => |op| op
        .summary("Revokes the admin session (A5)")
        .of(&Logout { realm: TokenKind::Admin })
        .reply::<domain::auth::a5_sessions::SignedOut>(200),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let realm = if req.path == "/admin/logout" {
        TokenKind::Admin
    } else {
        TokenKind::Member
    };
    serve(&Logout { realm }, req, cx, |_| Ok(())).await
}
