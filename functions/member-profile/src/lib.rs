//! A partner's matching profile and its own score (rules M1, M3, S8, C11).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::text;
use domain::matching::m1_profile::{GetProfile, ProfileInput, SaveProfile};
use domain::matching::m1_score::{ALL_REGIONS, REGIONS};
use domain::signup::s4_company::string_list;

domain::function!(handle, [
    ("GET", "/member/profile") => |op| op
        .summary("The partner's matching profile and its score in each of its categories, every factor shown (M1, M3)")
        .of(&GetProfile)
        .reply::<domain::matching::m1_profile::PartnerProfile>(200),
    ("PUT", "/member/profile") => |op| op
        .summary("Saves the matching profile (the capability update S8 asks for); a portfolio text with contact details is held for review (C11)")
        .of(&SaveProfile)
        .body::<ProfileBody>()
        .reply::<domain::matching::m1_profile::PartnerProfile>(200),
]);
domain::request!(
    struct ProfileBody {
        /// core capabilities, 1–20, each at most 50 characters
        #[schemars(length(min = 1, max = 20))]
        capabilities: Vec<String>,
        /// projects it can take at once, 0–100 (`3` or `3건`)
        capacity: domain::kernel::korean::CountField,
        /// region codes served (`seoul`, `busan`, … `jeju`), or `["all"]`
        #[schemars(length(min = 1, max = 17))]
        regions: Vec<String>,
        /// at most 2,000 characters
        #[schemars(length(max = 2000))]
        portfolio_text: Option<String>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&GetProfile, req, cx, |_| Ok(())).await
    } else {
        serve(&SaveProfile, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<ProfileInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let capabilities = f
        .take("capabilities", string_list(&map, "capabilities"))
        .flatten();
    match &capabilities {
        None if !map.contains_key("capabilities") => f.push("capabilities", "field.required"),
        Some(c) if c.is_empty() => f.push("capabilities", "field.required"),
        Some(c) if c.len() > 20 => f.push("capabilities", "field.too_many"),
        Some(c) => {
            for (i, s) in c.iter().enumerate() {
                f.take(&format!("capabilities/{i}"), text(s, 50));
            }
        }
        None => {}
    }
    let capacity = body.count(&mut f, "capacity").and_then(|n| {
        if n <= 100 {
            u32::try_from(n).ok()
        } else {
            f.push("capacity", "field.too_many");
            None
        }
    });
    let regions = f.take("regions", string_list(&map, "regions")).flatten();
    match &regions {
        None if !map.contains_key("regions") => f.push("regions", "field.required"),
        Some(r) if r.is_empty() => f.push("regions", "field.required"),
        Some(r) if r.len() > REGIONS.len() => f.push("regions", "field.too_many"),
        Some(r) => {
            for (i, code) in r.iter().enumerate() {
                if code != ALL_REGIONS && !REGIONS.contains(&code.as_str()) {
                    f.push(&format!("regions/{i}"), "field.region");
                }
            }
        }
        None => {}
    }
    let portfolio_text = body
        .opt_str(&mut f, "portfolio_text")
        .and_then(|t| f.take("portfolio_text", text(&t, 2000)));
    let (capabilities, capacity, mut regions) = f.done((
        ("capabilities", capabilities),
        ("capacity", capacity),
        ("regions", regions),
    ))?;
    let capabilities = capabilities.iter().map(|c| c.trim().to_owned()).collect();
    // Every region, said once.
    if regions.iter().any(|r| r == ALL_REGIONS) {
        regions = vec![ALL_REGIONS.to_owned()];
    }
    regions.sort();
    regions.dedup();
    Ok(ProfileInput {
        capabilities,
        capacity,
        regions,
        portfolio_text,
    })
}
