//! A member company's construction sites (rule V1).

use domain::devices::v1_sites::{CreateSite, ListSites, SiteInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;
use domain::signup::s4_company::string_list;

domain::function!(
    handle,
    [("GET", "/member/sites"), ("POST", "/member/sites")]
);
adapter_spin::component!(boxed, ROUTES);

/// # Responses
/// GET 200 with sites, terminals and the device count. POST 201; 403 for a
/// member not active; 422 with pointers.
pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&ListSites, req, cx, |_| Ok(())).await
    } else {
        serve(&CreateSite, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<SiteInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let t = |f: &mut Fields, name: &str, max: usize| {
        body.str(f, name).and_then(|s| f.take(name, text(&s, max)))
    };
    let name = t(&mut f, "name", 100);
    let manager_name = t(&mut f, "manager_name", 50);
    let manager_contact = t(&mut f, "manager_contact", 50);
    let address = t(&mut f, "address", 200);
    let services = f
        .take("services", string_list(&map, "services"))
        .flatten()
        .unwrap_or_default();
    f.finish()?;
    match (name, manager_name, manager_contact, address) {
        (Some(name), Some(manager_name), Some(manager_contact), Some(address)) => Ok(SiteInput {
            name,
            manager_name,
            manager_contact,
            address,
            services,
        }),
        _ => Err(Problem::internal()),
    }
}
