//! Login for member users (`/auth/login`) and admins (`/admin/login`)
//! (rules A1, A5, A6), and the member's own profile (`/auth/me`).

use domain::auth::a5_sessions::{Login, LoginInput, Me};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::tokens::TokenKind;

domain::function!(handle, [
    ("POST", "/auth/login") => |op| op
        .summary("A member user signs in (A5); the same 401 for a wrong ID or password")
        .of(&Login { realm: TokenKind::Member })
        .body::<LoginBody>()
        .reply::<domain::auth::a5_sessions::Session>(200)
        .problems(&[401, 403, 429]),
    ("POST", "/admin/login") => |op| op
        .summary("Staff sign in (A5)")
        .of(&Login { realm: TokenKind::Admin })
        .body::<LoginBody>()
        .reply::<domain::auth::a5_sessions::Session>(200)
        .problems(&[401, 403, 429]),
    ("GET", "/auth/me") => |op| op
        .summary("The signed-in member's own profile")
        .of(&Me)
        .reply::<domain::auth::a5_sessions::Profile>(200),
]);
domain::request!(
    struct LoginBody {
        #[schemars(length(max = 64))]
        login_id: String,
        #[schemars(length(max = 256))]
        password: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    match req.path.as_str() {
        "/auth/me" => serve(&Me, req, cx, |_| Ok(())).await,
        "/admin/login" => {
            serve(
                &Login {
                    realm: TokenKind::Admin,
                },
                req,
                cx,
                parse,
            )
            .await
        }
        _ => {
            serve(
                &Login {
                    realm: TokenKind::Member,
                },
                req,
                cx,
                parse,
            )
            .await
        }
    }
}

fn parse(req: &Request) -> Result<LoginInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let login_id = body.str(&mut f, "login_id");
    let password = body.str(&mut f, "password");
    // Bounded before anything is hashed or used as a rate-limit key.
    if login_id.as_ref().is_some_and(|l| l.len() > 64) {
        f.push("login_id", "text.too_long");
    }
    if password.as_ref().is_some_and(|p| p.chars().count() > 256) {
        f.push("password", "password.too_long");
    }
    f.finish()?;
    Ok(LoginInput {
        login_id: login_id.unwrap_or_default(),
        password: password.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a6_oversized_login_ids_and_passwords_are_refused_before_hashing() {
        let r = |b: String| Request {
            body: b.into_bytes(),
            ..Default::default()
        };
        let long_id = format!(r#"{{"login_id":"{}","password":"x"}}"#, "a".repeat(65));
        assert_eq!(
            parse(&r(long_id)).unwrap_err().errors[0].pointer,
            "#/login_id"
        );
        let long_pw = format!(
            r#"{{"login_id":"kim_01","password":"{}"}}"#,
            "p".repeat(257)
        );
        assert_eq!(
            parse(&r(long_pw)).unwrap_err().errors[0].pointer,
            "#/password"
        );
        assert!(parse(&r(r#"{"login_id":"kim_01","password":"whatever"}"#.into())).is_ok());
    }
}
