//! Signup step 3: company information (rule S4). Which fields are required
//! depends on the member kind (configured as data).

use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::{json_object, Body, Fields, Problem};
use domain::kernel::types::{text, BusinessNumber};
use domain::signup::s4_company::{
    string_list, Company, CompanyFormView, CompanyInput, COMPANY_FIELDS,
};

domain::function!(handle, [
    ("GET", "/signup/company") => |op| op
        .summary("Step 3's form (S4): the fields the member kind requires and allows, every category with its success-fee rate, the system fee")
        .of(&CompanyFormView)
        .reply::<domain::signup::s4_company::CompanyForm>(200),
    ("PUT", "/signup/company") => |op| op
        .summary("Step 3: company information (S4); which fields are required depends on the member kind")
        .of(&Company)
        .body::<CompanyBody>()
        .reply::<domain::signup::s4_company::CompanySaved>(200)
        .problems(&[409]),
]);
domain::request!(
    #[schemars(deny_unknown_fields)]
    struct CompanyBody {
        #[schemars(length(max = 100))]
        company_name: Option<String>,
        /// `000-00-00000`, with or without hyphens; the check digit is verified
        #[schemars(pattern("^[0-9]{3}-?[0-9]{2}-?[0-9]{5}$"))]
        business_number: Option<String>,
        #[schemars(length(max = 50))]
        representative_name: Option<String>,
        #[schemars(length(max = 100))]
        business_type: Option<String>,
        #[schemars(length(max = 100))]
        business_item: Option<String>,
        #[schemars(length(max = 200))]
        address: Option<String>,
        /// `https://…`, `http://…`, or a host typed without the scheme
        /// (`www.example.co.kr`), which is stored with `https://`
        #[schemars(length(max = 200))]
        homepage: Option<String>,
        revenue_krw: Option<domain::kernel::korean::WonField>,
        employees: Option<domain::kernel::korean::CountField>,
        /// 1800–2100 (`2015` or `2015년`)
        founded_year: Option<domain::kernel::korean::CountField>,
        /// category codes
        #[schemars(length(min = 1, max = 3))]
        categories: Option<Vec<String>>,
    }
);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    if req.method == "GET" {
        serve(&CompanyFormView, req, cx, |_| Ok(())).await
    } else {
        serve(&Company, req, cx, parse).await
    }
}

fn parse(req: &Request) -> Result<CompanyInput, Problem> {
    let map = json_object(&req.body)?;
    let body = Body { map: &map };
    let mut f = Fields::default();
    let t = |f: &mut Fields, name: &str, max: usize| {
        body.opt_str(f, name)
            .and_then(|s| f.take(name, text(&s, max)))
    };
    let mut input = CompanyInput {
        company_name: t(&mut f, "company_name", 100),
        business_number: None,
        representative_name: t(&mut f, "representative_name", 50),
        business_type: t(&mut f, "business_type", 100),
        business_item: t(&mut f, "business_item", 100),
        address: t(&mut f, "address", 200),
        homepage: t(&mut f, "homepage", 200)
            .and_then(|h| f.take("homepage", domain::kernel::korean::homepage(&h))),
        revenue_krw: body
            .opt_won(&mut f, "revenue_krw")
            .and_then(|w| f.take("revenue_krw", domain::kernel::types::Krw::new(w))),
        employees: body.opt_count(&mut f, "employees"),
        founded_year: body.opt_count(&mut f, "founded_year"),
        categories: f
            .take("categories", string_list(&map, "categories"))
            .flatten(),
    };
    input.business_number = body
        .opt_str(&mut f, "business_number")
        .and_then(|s| f.take("business_number", BusinessNumber::parse(&s)));
    if input
        .founded_year
        .is_some_and(|y| !(1800..=2100).contains(&y))
    {
        f.push("founded_year", "field.founded_year");
    }
    for key in map.keys() {
        if !COMPANY_FIELDS.contains(&key.as_str()) {
            f.push(key, "field.not_for_kind");
        }
    }
    f.finish()?;
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(b: &str) -> Request {
        Request {
            body: b.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn s4_bad_business_number_and_numbers_point_at_their_fields() {
        let p = parse(&r(r#"{"business_number":"220-81-62518","employees":-1,"founded_year":1200,"homepage":"ftp://x","nickname":"x"}"#)).unwrap_err();
        let got: Vec<_> = p
            .errors
            .iter()
            .map(|e| (e.pointer.as_str(), e.key))
            .collect();
        assert!(
            got.contains(&("#/business_number", "brn.check_digit")),
            "{got:?}"
        );
        assert!(got.contains(&("#/employees", "field.non_negative")));
        assert!(got.contains(&("#/founded_year", "field.founded_year")));
        assert!(got.contains(&("#/homepage", "field.url")));
        assert!(got.contains(&("#/nickname", "field.not_for_kind")));
    }

    #[test]
    fn s4_valid_business_number_parses() {
        let i = parse(&r(r#"{"company_name":"캐스팅엔","business_number":"220-81-62517","categories":["software"]}"#)).unwrap();
        assert_eq!(i.business_number.unwrap().as_ref(), "2208162517");
        assert_eq!(i.categories.unwrap(), ["software"]);
    }
}
