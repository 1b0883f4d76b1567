//! Owners list staff accounts and add them with a role (SPEC Actors, rule
//! A4).

use domain::auth::a4_admins::{CreateAdmin, ListAdmins, NewAdminInput};
use domain::kernel::engine::AdminRole;
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{LoginId, Password};

domain::function!(handle, [
    ("GET", "/admin/admins") => |op| op
        .summary("An owner lists the staff accounts and their roles (A4)")
        .of(&ListAdmins)
        .reply::<domain::auth::a4_admins::AdminList>(200),
    ("POST", "/admin/admins") => |op| op
        .summary("An owner creates a staff account with one role (A4)")
        .of(&CreateAdmin)
        .body::<NewAdminBody>()
        .reply::<domain::auth::a4_admins::AdminCreated>(201)
        .problems(&[409]),
]);
domain::request!(
    struct NewAdminBody {
        /// 4 to 20 lowercase letters, digits or `_`; not an e-mail or phone number
        #[schemars(pattern("^[a-z0-9_]{4,20}$"))]
        login_id: String,
        #[schemars(length(min = 8, max = 256))]
        password: String,
        role: AdminRole,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&ListAdmins, req, cx, |_| Ok(())).await
    } else {
        serve(&CreateAdmin, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<NewAdminInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let login_id = body
        .str(&mut f, "login_id")
        .and_then(|s| f.take("login_id", LoginId::parse(&s)));
    let password = body
        .str(&mut f, "password")
        .and_then(|s| f.take("password", Password::parse(&s)));
    let role = body
        .str(&mut f, "role")
        .and_then(|r| f.take("role", AdminRole::parse(&r).ok_or("field.role")));
    let (login_id, password, role) = f.done((
        ("login_id", login_id),
        ("password", password),
        ("role", role),
    ))?;
    Ok(NewAdminInput {
        login_id,
        password,
        role,
    })
}
