//! Rule S4: company information with the fields the member kind requires,
//! business number check digit, categories with their success-fee rates,
//! the system fee shown; and "search my company" to pre-fill the step.

use super::member::{own, read_member, MemberRow};
use super::s1_steps::{Progress, Step};
use super::SignupConfig;
use crate::kernel::crypto::at;
use crate::kernel::engine::{guard_one_change, Access, Env, Plan};
use crate::kernel::problem::{FieldError, Problem};
use crate::kernel::reads::Read;
use crate::kernel::types::BusinessNumber;
use crate::{read, read_set, row, stmt, use_case};
use serde_json::{json, Map, Value as Json};

/// Company fields as parsed; which are required depends on the member kind.
#[derive(Debug, Clone, Default)]
pub struct CompanyInput {
    pub company_name: Option<String>,
    pub business_number: Option<BusinessNumber>,
    pub representative_name: Option<String>,
    pub business_type: Option<String>,
    pub business_item: Option<String>,
    pub address: Option<String>,
    pub revenue_krw: Option<crate::kernel::types::Krw>,
    pub employees: Option<i64>,
    pub founded_year: Option<i64>,
    pub homepage: Option<String>,
    pub categories: Option<Vec<String>>,
}

impl CompanyInput {
    /// The fields whose value differs from what `m` holds (names only).
    fn changed_from(&self, m: &MemberRow, env: &Env) -> Vec<&'static str> {
        let was = saved_values(m, env);
        let now = json!({
            "company_name": self.company_name,
            "business_number": self.business_number.as_ref().map(|b| b.as_ref().to_owned()),
            "representative_name": self.representative_name,
            "address": self.address,
            "business_type": self.business_type,
            "business_item": self.business_item,
            "revenue_krw": self.revenue_krw,
            "employees": self.employees,
            "founded_year": self.founded_year,
            "homepage": self.homepage,
            "categories": self.categories,
        });
        COMPANY_FIELDS
            .iter()
            .copied()
            .filter(|k| now.get(k).unwrap_or(&Json::Null) != was.get(*k).unwrap_or(&Json::Null))
            .collect()
    }

    fn present(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        let mut add = |name, yes: bool| {
            if yes {
                v.push(name);
            }
        };
        add("company_name", self.company_name.is_some());
        add("business_number", self.business_number.is_some());
        add("representative_name", self.representative_name.is_some());
        add("business_type", self.business_type.is_some());
        add("business_item", self.business_item.is_some());
        add("address", self.address.is_some());
        add("revenue_krw", self.revenue_krw.is_some());
        add("employees", self.employees.is_some());
        add("founded_year", self.founded_year.is_some());
        add("homepage", self.homepage.is_some());
        add("categories", self.categories.is_some());
        v
    }
}

pub const COMPANY_FIELDS: &[&str] = &[
    "company_name",
    "business_number",
    "representative_name",
    "business_type",
    "business_item",
    "address",
    "revenue_krw",
    "employees",
    "founded_year",
    "homepage",
    "categories",
];

row!(
    /// Which company fields a member kind requires and allows (JSON lists).
    pub struct KindFields {
        pub required_fields: String,
        pub optional_fields: String,
    }
);

row!(
    /// A work category with its success-fee rate in basis points (S4, B8).
    pub struct Category {
        pub code: String,
        pub name_ko: String,
        pub name_en: String,
        pub success_fee_bp: i64,
    }
);

row!(
    pub struct MemberId {
        pub id: String,
    }
);

crate::reply!(
    /// Step 3 saved, with what the chosen categories cost (rule S4).
    pub struct CompanySaved {
        pub member_id: String,
        /// `000-00-00000`
        pub business_number: Option<String>,
        pub categories: Vec<ChosenCategory>,
        pub system_fee: SystemFee,
        pub next: &'static str,
    }
    pub struct ChosenCategory {
        pub code: String,
        pub name_ko: String,
        pub name_en: String,
        /// success fee in basis points of the contract amount
        pub success_fee_bp: i64,
        pub success_fee_percent: f64,
    }
    /// The yearly system fee, billed once the trial matchings are used.
    pub struct SystemFee {
        pub annual_krw: crate::kernel::types::Krw,
        pub billed_after_trial_matchings: i64,
    }
);

impl Category {
    /// The category as shown to an applicant, its rate also in percent.
    pub fn priced(&self) -> ChosenCategory {
        ChosenCategory {
            code: self.code.clone(),
            name_ko: self.name_ko.clone(),
            name_en: self.name_en.clone(),
            success_fee_bp: self.success_fee_bp,
            success_fee_percent: self.success_fee_bp as f64 / 100.0,
        }
    }
}

impl SystemFee {
    fn of(env: &Env) -> SystemFee {
        let config: SignupConfig = env.config.area();
        SystemFee {
            annual_krw: config.system_fee,
            billed_after_trial_matchings: config.trial_matchings,
        }
    }
}

crate::reply!(
    /// What step 3 asks of this applicant (rule S4): its kind's required and
    /// optional fields, every category with its success-fee rate, and the
    /// system fee.
    pub struct CompanyForm {
        /// `partner` or `client`
        pub kind: String,
        pub required_fields: Vec<String>,
        pub optional_fields: Vec<String>,
        pub categories: Vec<ChosenCategory>,
        pub system_fee: SystemFee,
        /// what this step saved before, keyed as its body (null fields
        /// absent); null before the step was done
        pub saved: Option<Map<String, Json>>,
    }
);

read_set!(pub struct FormReads => FormRows {
    member: Option<MemberRow>,
    fields: Option<KindFields>,
    categories: Vec<Category>,
});

/// `GET /signup/company`: the form of step 3, with what it saved before.
pub struct CompanyFormView;
use_case!(CompanyFormView, "signup.company_form", |_uc| Access::Signup, () => FormReads);

impl CompanyFormView {
    fn reads(&self, _: &(), env: &Env) -> FormReads {
        let id = env.caller();
        FormReads {
            member: read_member(id),
            fields: read_kind_fields(id),
            categories: read_categories(),
        }
    }

    fn decide(&self, _: (), rows: FormRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let (required_fields, optional_fields) = kind_fields(rows.fields.as_ref());
        Ok(Plan::ok(
            200,
            CompanyForm {
                kind: m.kind.clone(),
                required_fields,
                optional_fields,
                categories: rows.categories.iter().map(Category::priced).collect(),
                system_fee: SystemFee::of(env),
                saved: (m.step >= 3).then(|| {
                    let mut v = saved_values(&m, env);
                    v.retain(|_, x| !x.is_null());
                    v
                }),
            },
            vec![],
        ))
    }
}

/// What step 3 saved, keyed as its body (personal fields opened; absent
/// ones null): shown back on the form, compared when fixed on hold.
fn saved_values(m: &MemberRow, env: &Env) -> Map<String, Json> {
    let extra: Json = m
        .company_json
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or(Json::Null);
    let categories: Json = m
        .categories
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or(Json::Null);
    let mut v = Map::new();
    v.insert("company_name".into(), json!(m.company_name));
    v.insert("business_number".into(), json!(m.business_number));
    v.insert(
        "representative_name".into(),
        json!(m.open(
            env.keys,
            "members.representative_name",
            &m.representative_name_enc
        )),
    );
    v.insert(
        "address".into(),
        json!(m.open(env.keys, "members.address", &m.address_enc)),
    );
    for k in [
        "business_type",
        "business_item",
        "revenue_krw",
        "employees",
        "founded_year",
        "homepage",
    ] {
        v.insert(k.into(), extra.get(k).cloned().unwrap_or(Json::Null));
    }
    v.insert("categories".into(), categories);
    v
}

/// The member's kind's company fields.
fn read_kind_fields(member: &str) -> Read<Option<KindFields>> {
    read!("SELECT k.required_fields, k.optional_fields FROM member_kinds k JOIN members m ON m.kind = k.kind WHERE m.id = ?", member)
}

/// Every category with its success-fee rate.
fn read_categories() -> Read<Vec<Category>> {
    read!("SELECT code, name_ko, name_en, success_fee_bp FROM categories ORDER BY code")
}

/// A kind's required and optional company fields (stored as JSON lists).
fn kind_fields(f: Option<&KindFields>) -> (Vec<String>, Vec<String>) {
    let list = |s: Option<&str>| -> Vec<String> {
        s.and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    };
    (
        list(f.map(|f| f.required_fields.as_str())),
        list(f.map(|f| f.optional_fields.as_str())),
    )
}

read_set!(pub struct CompanyReads => CompanyRows {
    member: Option<MemberRow>,
    fields: Option<KindFields>,
    categories: Vec<Category>,
    same_number: Vec<MemberId>,
});

fn brn_taken() -> Problem {
    Problem::new(
        409,
        "business-number",
        "title.conflict",
        "detail.brn_duplicate",
    )
    .at_field("business_number", "detail.brn_duplicate")
}

/// Step 3: company information (rule S4).
pub struct Company;
use_case!(Company, "signup.company", |_uc| Access::Signup, CompanyInput => CompanyReads);

impl Company {
    fn reads(&self, input: &CompanyInput, env: &Env) -> CompanyReads {
        let id = env.caller();
        let brn = input.business_number.as_ref().map_or("", |b| b.as_ref());
        CompanyReads {
            member: read_member(id),
            fields: read_kind_fields(id),
            categories: read_categories(),
            same_number: read!("SELECT id FROM members WHERE business_number = ? AND status IN ('approved','active') AND id != ?", brn, id),
        }
    }

    fn decide(&self, input: CompanyInput, rows: CompanyRows, env: &Env) -> Result<Plan, Problem> {
        let m = own(rows.member)?;
        let id = m.id.as_str();
        Progress::of(&m, false).allows(Step::Company)?;
        let (required, optional) = kind_fields(rows.fields.as_ref());
        let present = input.present();
        let mut errors = Vec::new();
        for r in &required {
            if !present.contains(&r.as_str()) {
                errors.push(FieldError::new(r, "field.required"));
            }
        }
        for p in &present {
            if !required.iter().chain(&optional).any(|f| f == p) {
                errors.push(FieldError::new(p, "field.not_for_kind"));
            }
        }
        let mut chosen = Vec::new();
        if let Some(cats) = &input.categories {
            if cats.is_empty() || cats.len() > 3 {
                errors.push(FieldError::new("categories", "field.categories_count"));
            }
            for (i, c) in cats.iter().enumerate() {
                match rows.categories.iter().find(|k| &k.code == c) {
                    Some(k) => chosen.push(k.priced()),
                    None => errors.push(FieldError::new(
                        &format!("categories/{i}"),
                        "field.unknown_category",
                    )),
                }
            }
        }
        if !errors.is_empty() {
            return Err(Problem::validation(errors));
        }
        if !rows.same_number.is_empty() {
            return Err(brn_taken());
        }
        let extra = json!({
            "business_type": input.business_type,
            "business_item": input.business_item,
            "revenue_krw": input.revenue_krw,
            "employees": input.employees,
            "founded_year": input.founded_year,
            "homepage": input.homepage,
        });
        let seal = |place: &str, v: &Option<String>| {
            v.as_ref()
                .map(|s| env.keys.seal_for(env.rng, &at(place, id), s))
        };
        let mut writes = vec![
            stmt!(
                "UPDATE members SET company_name = ?, business_number = ?, representative_name_enc = ?, address_enc = ?,
                   company_json = ?, categories = ?, capability_updated_at = ?, step = MAX(step, 3), version = version + 1
                 WHERE id = ? AND version = ? AND status IN ('applying', 'on_hold')",
                input.company_name.clone(),
                input.business_number.as_ref().map(|b| b.as_ref().to_owned()),
                seal("members.representative_name", &input.representative_name),
                seal("members.address", &input.address),
                extra.to_string(),
                input.categories.as_ref().map(|c| json!(c).to_string()),
                env.now.to_rfc3339(),
                id,
                m.version
            ),
            guard_one_change(),
        ];
        writes.extend(crate::signup::s1_steps::record_change(
            env,
            &m,
            "company",
            &input.changed_from(&m, env),
        ));
        // Rule S8: a partner's capability information's six months start
        // now (clients register no capabilities to keep fresh).
        if m.kind == "partner" {
            writes.extend(crate::signup::s8_capability::saved(env, id));
        }
        Ok(Plan::ok(
            200,
            CompanySaved {
                member_id: id.to_owned(),
                business_number: input
                    .business_number
                    .as_ref()
                    .map(BusinessNumber::formatted),
                categories: chosen,
                system_fee: SystemFee::of(env),
                next: "documents",
            },
            writes,
        )
        .conflict_means(brn_taken()))
    }
}

row!(
    /// A company the platform already knows.
    pub struct DirectoryEntry {
        pub business_number: String,
        pub company_name: String,
        pub business_type: Option<String>,
        pub business_item: Option<String>,
        pub founded_year: Option<i64>,
        pub homepage: Option<String>,
    }
);

crate::reply!(
    /// "Search my company": at most 10 known companies.
    pub struct CompanyMatches {
        pub results: Vec<KnownCompany>,
    }
    pub struct KnownCompany {
        pub company_name: String,
        /// `000-00-00000`
        pub business_number: Option<String>,
        pub business_type: Option<String>,
        pub business_item: Option<String>,
        pub founded_year: Option<i64>,
        pub homepage: Option<String>,
    }
);

read_set!(pub struct SearchReads => SearchRows { found: Vec<DirectoryEntry> });

/// D1 refuses LIKE patterns over 50 bytes (17 Hangul syllables were a 500).
const LIKE_PATTERN_MAX_BYTES: usize = 50;

/// A LIKE pattern for names starting with `q`: wildcards escaped, then cut
/// to fit D1's pattern limit at a character (never inside an escape), so a
/// long query searches by its first characters.
pub fn like_prefix(q: &str) -> String {
    let mut out = String::new();
    for c in q.chars() {
        let piece = match c {
            '\\' | '%' | '_' => format!("\\{c}"),
            c => c.to_string(),
        };
        if out.len() + piece.len() + 1 > LIKE_PATTERN_MAX_BYTES {
            break;
        }
        out.push_str(&piece);
    }
    out.push('%');
    out
}

/// The directory row of member `id`'s public company data (name, business
/// number, type, item, founding year, homepage), written when staff approve
/// it: what "search my company" knows.
pub fn known_company(id: &str) -> crate::kernel::ports::Stmt {
    stmt!(
        "INSERT INTO company_directory (business_number, company_name, business_type, business_item, founded_year, homepage)
         SELECT business_number, company_name, json_extract(company_json, '$.business_type'),
                json_extract(company_json, '$.business_item'), json_extract(company_json, '$.founded_year'),
                json_extract(company_json, '$.homepage')
           FROM members WHERE id = ? AND business_number IS NOT NULL AND company_name IS NOT NULL
         ON CONFLICT (business_number) DO UPDATE SET company_name = excluded.company_name,
           business_type = excluded.business_type, business_item = excluded.business_item,
           founded_year = excluded.founded_year, homepage = excluded.homepage",
        id
    )
}

/// "Search my company" (rule S4): by business number or name prefix, what the
/// platform already knows (approved members' public company data), to
/// pre-fill step 3.
pub struct CompanySearch;
use_case!(CompanySearch, "signup.company_search", |_uc| Access::Signup, String => SearchReads);

impl CompanySearch {
    fn reads(&self, q: &String, _: &Env) -> SearchReads {
        let found = match BusinessNumber::parse(q) {
            Ok(b) => read!(
                "SELECT business_number, company_name, business_type, business_item, founded_year, homepage FROM company_directory WHERE business_number = ?",
                b.as_ref()
            ),
            Err(_) => read!(
                "SELECT business_number, company_name, business_type, business_item, founded_year, homepage FROM company_directory WHERE company_name LIKE ? ESCAPE '\\' ORDER BY company_name LIMIT 10",
                like_prefix(q)
            ),
        };
        SearchReads { found }
    }

    fn decide(&self, _: String, rows: SearchRows, _: &Env) -> Result<Plan, Problem> {
        let results = rows
            .found
            .into_iter()
            .map(|r| {
                let brn = BusinessNumber::parse(&r.business_number).ok();
                KnownCompany {
                    company_name: r.company_name,
                    business_number: brn.as_ref().map(BusinessNumber::formatted),
                    business_type: r.business_type,
                    business_item: r.business_item,
                    founded_year: r.founded_year,
                    homepage: r.homepage,
                }
            })
            .collect();
        Ok(Plan::ok(200, CompanyMatches { results }, vec![]))
    }
}

/// Helper for function crates: a JSON object's string array field.
pub fn string_list(
    map: &Map<String, Json>,
    name: &str,
) -> Result<Option<Vec<String>>, &'static str> {
    match map.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or("field.type"))
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err("field.type"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s4_search_patterns_fit_the_like_limit_and_escape_wildcards() {
        let long = "한".repeat(17);
        let p = like_prefix(&long);
        assert!(p.len() <= LIKE_PATTERN_MAX_BYTES, "{} bytes", p.len());
        assert_eq!(p, format!("{}%", "한".repeat(16)));
        assert_eq!(like_prefix("50%_a\\b"), "50\\%\\_a\\\\b%");
        let wild = "%".repeat(30);
        let p = like_prefix(&wild);
        assert!(p.len() <= LIKE_PATTERN_MAX_BYTES && p.ends_with("\\%%"));
    }
}
