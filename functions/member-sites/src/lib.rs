//! A member company's construction sites (rule V1).

use domain::devices::v1_sites::{CreateSite, ListSites, SiteInput};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;
use domain::signup::s4_company::string_list;

domain::function!(handle, [
    ("GET", "/member/sites") => |op| op
        .summary("The member's sites and terminals, and its device count (V1, V6)")
        .of(&ListSites { admin: false })
        .reply::<domain::devices::v1_sites::Sites>(200),
    ("GET", "/admin/members/{id}/sites") => |op| op
        .summary("A member's sites and terminals with last-seen times, device count and suspension, for staff (V1, V6)")
        .of(&ListSites { admin: true })
        .reply::<domain::devices::v1_sites::Sites>(200)
        .problems(&[404]),
    ("POST", "/member/sites") => |op| op
        .summary("Adds a site (V1)")
        .of(&CreateSite)
        .body::<SiteBody>()
        .reply::<domain::devices::v1_sites::SiteCreated>(201)
        .problems(&[403]),
]);
domain::request!(
    struct SiteBody {
        #[schemars(length(min = 1, max = 100))]
        name: String,
        #[schemars(length(min = 1, max = 50))]
        manager_name: String,
        #[schemars(length(min = 1, max = 50))]
        manager_contact: String,
        #[schemars(length(min = 1, max = 200))]
        address: String,
        /// services at the site (at most 20, 100 characters each)
        #[schemars(length(max = 20))]
        services: Option<Vec<String>>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if let Some(member) = req.param("id") {
        let member = member.to_owned();
        serve(&ListSites { admin: true }, req, cx, |_| Ok(member)).await
    } else if req.method == "GET" {
        serve(&ListSites { admin: false }, req, cx, |_| Ok(String::new())).await
    } else {
        serve(&CreateSite, req, cx, parse).await
    }
}

/// Services a site lists, each at most 100 characters.
const MAX_SERVICES: usize = 20;

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
    // Bounded: a 3 MB `services` value was once stored whole.
    if services.len() > MAX_SERVICES {
        f.push("services", "field.too_many");
    }
    for (i, s) in services.iter().enumerate().take(MAX_SERVICES) {
        f.take(&format!("services/{i}"), text(s, 100));
    }
    let (name, manager_name, manager_contact, address) = f.done((
        ("name", name),
        ("manager_name", manager_name),
        ("manager_contact", manager_contact),
        ("address", address),
    ))?;
    Ok(SiteInput {
        name,
        manager_name,
        manager_contact,
        address,
        services,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(services: &serde_json::Value) -> Vec<String> {
        let body = serde_json::json!({"name": "현장", "manager_name": "김", "manager_contact": "010-1234-5678", "address": "서울", "services": services});
        match parse(&Request::with_body(body.to_string())) {
            Ok(_) => vec![],
            Err(p) => p.errors.iter().map(|e| e.pointer.clone()).collect(),
        }
    }

    #[test]
    fn v1_site_services_are_bounded_in_count_and_length() {
        assert!(site(&serde_json::json!(["출입 관리"])).is_empty());
        assert_eq!(
            site(&serde_json::json!(["x".repeat(3_000_000)])),
            ["#/services/0"]
        );
        let many: Vec<String> = (0..21).map(|i| format!("s{i}")).collect();
        assert_eq!(site(&serde_json::json!(many)), ["#/services"]);
    }
}
