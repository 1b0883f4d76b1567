//! The matching score's weights: seen by staff, set by an owner (rule M1).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Fields, Problem};
use domain::matching::m1_score::FACTORS;
use domain::matching::m1_weights::{GetWeights, SetWeights};

domain::function!(handle, [
    ("GET", "/admin/match-weights") => |op| op
        .summary("The weight of each factor of the matching score (M1)")
        .of(&GetWeights)
        .reply::<domain::matching::m1_weights::MatchWeights>(200),
    ("PUT", "/admin/match-weights") => |op| op
        .summary("Sets factors' weights (0–100); every partner's ranking is re-scored at once (M1)")
        .of(&SetWeights)
        .body::<WeightsBody>()
        .reply::<domain::matching::m1_weights::MatchWeights>(200),
]);
domain::request!(
    /// factor → weight (0–100): `category`, `capabilities`, `capacity`,
    /// `portfolio`, `scale`, `region`, `freshness`; at least one
    struct WeightsBody {
        weights: std::collections::BTreeMap<String, u8>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&GetWeights, req, cx, |_| Ok(())).await
    } else {
        serve(&SetWeights, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<Vec<(usize, u32)>, Problem> {
    let map = json_object(&req.body)?;
    let mut f = Fields::default();
    let mut out = Vec::new();
    match map.get("weights").and_then(|w| w.as_object()) {
        None => f.push("weights", "field.required"),
        Some(w) if w.is_empty() => f.push("weights", "field.required"),
        Some(w) => {
            for (name, v) in w {
                let at = format!("weights/{name}");
                match (FACTORS.iter().position(|x| x == name), v.as_u64()) {
                    (None, _) => f.push(&at, "field.not_allowed"),
                    (Some(_), None) => f.push(&at, "field.type"),
                    (Some(_), Some(n)) if n > 100 => f.push(&at, "field.too_many"),
                    (Some(i), Some(n)) => out.push((i, n as u32)),
                }
            }
        }
    }
    f.finish()?;
    Ok(out)
}
