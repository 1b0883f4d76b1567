//! Creates the first `owner` admin, once, with the deployment's bootstrap
//! token (`ADMIN_BOOTSTRAP_TOKEN`). See the README's "first admin" command.

use domain::auth::a4_admins::{Bootstrap, BootstrapInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{LoginId, Password};

domain::function!(handle, [
    ("POST", "/admin/bootstrap") => |op| op
        .summary("Creates the first owner admin with the deployment's bootstrap token (A4)")
        .of(&Bootstrap)
        .body::<BootstrapBody>()
        .reply::<domain::auth::a4_admins::AdminCreated>(201)
        .problems(&[403, 409]),
]);
domain::request!(
    struct BootstrapBody {
        /// the deployment's ADMIN_BOOTSTRAP_TOKEN
        token: String,
        /// 4 to 20 lowercase letters, digits or `_`; not an e-mail or phone number
        #[schemars(pattern("^[a-z0-9_]{4,20}$"))]
        login_id: String,
        #[schemars(length(min = 8, max = 256))]
        password: String,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    serve(&Bootstrap, req, cx, parse).await
}

fn parse(req: &Request) -> Result<BootstrapInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let token = body.str(&mut f, "token");
    let login_id = body
        .str(&mut f, "login_id")
        .and_then(|s| f.take("login_id", LoginId::parse(&s)));
    let password = body
        .str(&mut f, "password")
        .and_then(|s| f.take("password", Password::parse(&s)));
    let (token, login_id, password) = f.done((
        ("token", token),
        ("login_id", login_id),
        ("password", password),
    ))?;
    Ok(BootstrapInput {
        token,
        login_id,
        password,
    })
}
