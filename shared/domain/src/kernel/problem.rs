//! RFC 9457 problem documents: the one place where errors become HTTP.

use crate::kernel::http::{Request, Response};
use crate::kernel::i18n::{msg, Lang};
use serde_json::{json, Map, Value};

/// A field that failed to parse: a JSON pointer into the request body and a message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub pointer: String,
    pub key: &'static str,
}

impl FieldError {
    pub fn new(field: &str, key: &'static str) -> Self {
        Self {
            pointer: format!("#/{field}"),
            key,
        }
    }
}

/// The most field errors one problem document lists.
pub const MAX_FIELD_ERRORS: usize = 50;

/// Collects field errors so a request reports every bad field at once.
#[derive(Debug, Default)]
pub struct Fields(pub Vec<FieldError>);

impl Fields {
    /// Records the error of a parse and returns its value, if any.
    pub fn take<T>(&mut self, field: &str, r: Result<T, &'static str>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(key) => {
                self.0.push(FieldError::new(field, key));
                None
            }
        }
    }
    pub fn push(&mut self, field: &str, key: &'static str) {
        self.0.push(FieldError::new(field, key));
    }
    /// Whether `field` has an error already.
    pub fn has(&self, field: &str) -> bool {
        let pointer = format!("#/{field}");
        self.0.iter().any(|e| e.pointer == pointer)
    }
    pub fn finish(self) -> Result<(), Problem> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Problem::validation(self.0))
        }
    }
    /// Ends parsing with one required value: it, or a 422 listing every
    /// error (the value missing with no error recorded is reported as
    /// required at `field`). See [`Fields::done`].
    ///
    /// # Errors
    /// The validation problem.
    pub fn one<T>(self, field: &str, value: Option<T>) -> Result<T, Problem> {
        self.done(((field, value),)).map(|(v,)| v)
    }

    /// Ends parsing with the required values, each `(field, value)`: the
    /// values themselves when every one is there and nothing was refused,
    /// else a 422 listing every error (a value missing while no error was
    /// recorded at all is reported as required at its field). The type
    /// says the values are there: no parser needs an "unreachable" 500
    /// after it.
    ///
    /// # Errors
    /// The validation problem.
    pub fn done<T: Required>(self, values: T) -> Result<T::Values, Problem> {
        values.required(self)
    }
}

/// Required values, `(field, Option<value>)` each, as [`Fields::done`]
/// takes them (tuples of one to seven).
pub trait Required {
    type Values;
    /// # Errors
    /// The validation problem.
    fn required(self, f: Fields) -> Result<Self::Values, Problem>;
}

macro_rules! required_tuple {
    ($($v:ident: $t:ident),+) => {
        impl<$($t),+> Required for ($((&str, Option<$t>),)+) {
            type Values = ($($t,)+);
            fn required(self, mut f: Fields) -> Result<Self::Values, Problem> {
                let ($($v,)+) = self;
                let unexplained = f.0.is_empty();
                $(
                    if unexplained && $v.1.is_none() {
                        f.push($v.0, "field.required");
                    }
                )+
                match ($($v.1,)+) {
                    ($(Some($v),)+) if f.0.is_empty() => Ok(($($v,)+)),
                    _ => Err(Problem::validation(f.0)),
                }
            }
        }
    };
}

required_tuple!(a: A);
required_tuple!(a: A, b: B);
required_tuple!(a: A, b: B, c: C);
required_tuple!(a: A, b: B, c: C, d: D);
required_tuple!(a: A, b: B, c: C, d: D, e: E);
required_tuple!(a: A, b: B, c: C, d: D, e: E, g: G);
required_tuple!(a: A, b: B, c: C, d: D, e: E, g: G, h: H);

/// A problem to report. `kind` becomes the `type` URI; texts are message keys
/// rendered in the request's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub status: u16,
    pub kind: &'static str,
    pub title: &'static str,
    pub detail: &'static str,
    /// Appended to the detail after translation (e.g. a step name key).
    pub detail_suffix_key: Option<&'static str>,
    pub errors: Vec<FieldError>,
    pub extra: Map<String, Value>,
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: u16, kind: &'static str, title: &'static str, detail: &'static str) -> Self {
        Self {
            status,
            kind,
            title,
            detail,
            detail_suffix_key: None,
            errors: vec![],
            extra: Map::new(),
            retry_after: None,
        }
    }
    /// 422 with every bad field, at most [`MAX_FIELD_ERRORS`] of them (a
    /// 650 KB body once earned a 4.9 MB answer); `errors_omitted` counts the rest.
    pub fn validation(mut errors: Vec<FieldError>) -> Self {
        let omitted = errors.len().saturating_sub(MAX_FIELD_ERRORS);
        errors.truncate(MAX_FIELD_ERRORS);
        let p = Self {
            errors,
            ..Self::new(422, "validation", "title.validation", "detail.validation")
        };
        if omitted > 0 {
            p.with("errors_omitted", json!(omitted))
        } else {
            p
        }
    }
    pub fn field(field: &str, key: &'static str) -> Self {
        Self::validation(vec![FieldError::new(field, key)])
    }
    /// 409 naming the step that must come first (rule S1).
    pub fn step_missing(step: &'static str) -> Self {
        let mut p = Self::new(409, "step-order", "title.step_order", "detail.step_missing");
        p.detail_suffix_key = Some(step);
        p.extra.insert(
            "missing_step".into(),
            json!(step.trim_start_matches("step.")),
        );
        p
    }
    pub fn conflict(detail: &'static str) -> Self {
        Self::new(409, "conflict", "title.conflict", detail)
    }
    pub fn unauthorized(detail: &'static str) -> Self {
        Self::new(401, "unauthorized", "title.unauthorized", detail)
    }
    pub fn forbidden(detail: &'static str) -> Self {
        Self::new(403, "forbidden", "title.forbidden", detail)
    }
    pub fn not_found() -> Self {
        Self::new(404, "not-found", "title.not_found", "detail.not_found")
    }
    pub fn rate_limited(detail: &'static str, retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(429, "rate-limited", "title.rate_limited", detail)
        }
    }
    pub fn internal() -> Self {
        Self::new(500, "internal", "title.internal", "detail.internal")
    }
    /// The deployment is missing settings it cannot work without (the
    /// notice providers): it serves nothing rather than pretend.
    pub fn not_configured() -> Self {
        Self::new(
            503,
            "not-configured",
            "title.unavailable",
            "detail.not_configured",
        )
    }
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
    /// Adds an extension member (RFC 9457 §3.2); the standard members
    /// cannot be replaced this way.
    /// Names the field a non-validation problem is about (a 409 for a
    /// login ID taken), written as a field error with its translated detail.
    #[must_use]
    pub fn at_field(mut self, field: &str, key: &'static str) -> Self {
        self.errors.push(FieldError::new(field, key));
        self
    }
    pub fn with(mut self, key: &str, value: Value) -> Self {
        debug_assert!(
            !matches!(key, "type" | "title" | "status" | "detail" | "instance"),
            "extension member {key} would replace a standard one"
        );
        self.extra.insert(key.into(), value);
        self
    }

    pub fn to_response(&self, lang: Lang, instance: &str) -> Response {
        let mut detail = msg(self.detail, lang).to_owned();
        if let Some(s) = self.detail_suffix_key {
            detail.push_str(msg(s, lang));
        }
        let mut body = Map::new();
        body.insert(
            "type".into(),
            json!(format!("https://problems.member-platform.kr/{}", self.kind)),
        );
        body.insert("title".into(), json!(msg(self.title, lang)));
        body.insert("status".into(), json!(self.status));
        body.insert("detail".into(), json!(detail));
        body.insert("instance".into(), json!(instance));
        if !self.errors.is_empty() {
            let errors: Vec<Value> = self
                .errors
                .iter()
                .map(|e| json!({ "pointer": e.pointer, "detail": msg(e.key, lang), "code": e.key }))
                .collect();
            body.insert("errors".into(), Value::Array(errors));
        }
        // Extension members never replace RFC 9457's own (a member's state
        // under `status` once did).
        for (k, v) in &self.extra {
            if !matches!(
                k.as_str(),
                "type" | "title" | "status" | "detail" | "instance"
            ) {
                body.insert(k.clone(), v.clone());
            }
        }
        let mut r = Response {
            status: self.status,
            headers: vec![
                ("content-type".into(), "application/problem+json".into()),
                (
                    "content-language".into(),
                    if lang == Lang::Ko { "ko" } else { "en" }.into(),
                ),
            ],
            body: serde_json::to_vec(&Value::Object(body)).unwrap_or_default(),
        };
        if let Some(s) = self.retry_after {
            r.headers.push(("retry-after".into(), s.to_string()));
        }
        r
    }
}

/// Reads a JSON object body; a body that is not a JSON object is a 422 at `#/`.
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, Problem> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => {
            let mut p = Problem::validation(vec![FieldError {
                pointer: "#/".into(),
                key: "field.type",
            }]);
            p.detail = "detail.body_json";
            Err(p)
        }
    }
}

/// Typed field access over a JSON object, recording errors in `Fields`.
pub struct Body<'a> {
    pub map: &'a Map<String, Value>,
}

impl Body<'_> {
    /// A required member: absent or null is `field.required`, another
    /// JSON type `field.type`.
    fn required<T>(
        &self,
        f: &mut Fields,
        name: &str,
        get: impl Fn(&Value) -> Option<T>,
    ) -> Option<T> {
        match self.map.get(name) {
            None | Some(Value::Null) => {
                f.push(name, "field.required");
                None
            }
            Some(v) => {
                let got = get(v);
                if got.is_none() {
                    f.push(name, "field.type");
                }
                got
            }
        }
    }
    pub fn str(&self, f: &mut Fields, name: &str) -> Option<String> {
        self.required(f, name, |v| v.as_str().map(str::to_owned))
    }
    /// A new `password` (the signup's rules) and its `password_confirm`,
    /// which must match: the password, or the fields' errors.
    pub fn new_password(&self, f: &mut Fields) -> Option<crate::kernel::types::Password> {
        let password = self
            .str(f, "password")
            .and_then(|s| f.take("password", crate::kernel::types::Password::parse(&s)));
        let confirm = self.str(f, "password_confirm");
        if let (Some(p), Some(c)) = (&password, &confirm) {
            if p.expose() != c {
                f.push("password_confirm", "field.password_mismatch");
            }
        }
        password
    }
    /// A staff decision's `reason`: required (`reason.required`, also when
    /// blank), at most 1,000 characters; shown to whom the decision is about.
    pub fn reason(&self, f: &mut Fields) -> Option<String> {
        match self.opt_str(f, "reason") {
            Some(r) => f.take("reason", crate::kernel::types::text(&r, 1000)),
            None => {
                f.push("reason", "reason.required");
                None
            }
        }
    }
    pub fn opt_str(&self, f: &mut Fields, name: &str) -> Option<String> {
        match self.map.get(name) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            None | Some(Value::Null) | Some(Value::String(_)) => None,
            Some(_) => {
                f.push(name, "field.type");
                None
            }
        }
    }
    pub fn bool(&self, f: &mut Fields, name: &str) -> Option<bool> {
        self.required(f, name, Value::as_bool)
    }
    pub fn opt_bool(&self, f: &mut Fields, name: &str) -> Option<bool> {
        match self.map.get(name) {
            Some(Value::Bool(b)) => Some(*b),
            None | Some(Value::Null) => None,
            Some(_) => {
                f.push(name, "field.type");
                None
            }
        }
    }
    /// A whole number ≥ 0, if present.
    /// An optional count: a whole number of 0 or more, or text as Koreans
    /// type it ("1,024", "24명": `kernel::korean::count`).
    pub fn opt_count(&self, f: &mut Fields, name: &str) -> Option<i64> {
        self.number(f, name, crate::kernel::korean::count)
    }

    /// An optional amount in won: a whole number of 0 or more, or text as
    /// Koreans type it ("12억 5,000만원": `kernel::korean::won`).
    pub fn opt_won(&self, f: &mut Fields, name: &str) -> Option<i64> {
        self.number(f, name, crate::kernel::korean::won)
    }

    /// A required amount in won (as [`Body::opt_won`]).
    pub fn won(&self, f: &mut Fields, name: &str) -> Option<i64> {
        self.present(f, name)?;
        self.opt_won(f, name)
    }

    /// A version or revision as read (a JSON number, a whole number from
    /// 1): anything else is `field.required`, so the caller reads again.
    pub fn version(&self, f: &mut Fields, name: &str) -> Option<i64> {
        match self.map.get(name).and_then(Value::as_i64) {
            Some(v) if v >= 1 => Some(v),
            _ => {
                f.push(name, "field.required");
                None
            }
        }
    }

    /// A required count (as [`Body::opt_count`]).
    pub fn count(&self, f: &mut Fields, name: &str) -> Option<i64> {
        self.present(f, name)?;
        self.opt_count(f, name)
    }

    fn present(&self, f: &mut Fields, name: &str) -> Option<()> {
        if matches!(self.map.get(name), None | Some(Value::Null)) {
            f.push(name, "field.required");
            return None;
        }
        Some(())
    }

    fn number(
        &self,
        f: &mut Fields,
        name: &str,
        text: fn(&str) -> Result<i64, &'static str>,
    ) -> Option<i64> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match n.as_i64() {
                Some(v) if v >= 0 => Some(v),
                _ => {
                    f.push(name, "field.non_negative");
                    None
                }
            },
            Some(Value::String(s)) => f.take(name, text(s)),
            Some(_) => {
                f.push(name, "field.type");
                None
            }
        }
    }
}

/// 413 for a body larger than `limit`, by the length the request declares
/// (before anything is read) or by what was read.
pub fn body_too_large(req: &Request, limit: usize) -> Option<Response> {
    let declared = req
        .header("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let over = declared.is_some_and(|n| n > limit as u64) || req.body.len() > limit;
    over.then(|| too_large(req, limit))
}

/// The 413 answer for a body over `limit` bytes.
pub fn too_large(req: &Request, limit: usize) -> Response {
    Problem::new(
        413,
        "payload-too-large",
        "title.payload_too_large",
        "detail.body_too_large",
    )
    .with("max_bytes", serde_json::json!(limit))
    .to_response(req.lang(), &req.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 21: a parser ends with values its type proves are there; a
    /// value missing without an error of its own is a 422 at its field,
    /// never an "unreachable" 500.
    #[test]
    fn parsers_end_with_the_values_or_a_422() {
        let f = Fields::default();
        assert_eq!(f.done((("a", Some(1)), ("b", Some("x")))), Ok((1, "x")));
        let mut f = Fields::default();
        f.push("b", "field.enum");
        let p = f.done((("a", Some(1)), ("b", None::<&str>))).unwrap_err();
        assert_eq!((p.status, p.errors.len()), (422, 1));
        assert_eq!(
            (p.errors[0].pointer.as_str(), p.errors[0].key),
            ("#/b", "field.enum")
        );
        let p = Fields::default().one("c", None::<i64>).unwrap_err();
        assert_eq!(p.status, 422);
        assert_eq!(
            (p.errors[0].pointer.as_str(), p.errors[0].key),
            ("#/c", "field.required")
        );
        // Every value there, but another field was refused: still a 422.
        let mut f = Fields::default();
        f.push("z", "field.type");
        assert_eq!(f.done((("a", Some(1)),)).unwrap_err().errors.len(), 1);
    }

    #[test]
    fn a_validation_problem_lists_at_most_50_errors_and_counts_the_rest() {
        let errors = (0..10_000)
            .map(|i| FieldError::new(&format!("x/{i}"), "field.type"))
            .collect();
        let p = Problem::validation(errors);
        assert_eq!(p.errors.len(), MAX_FIELD_ERRORS);
        assert_eq!(p.extra["errors_omitted"], 9_950);
        let body = p.to_response(Lang::En, "/x").body;
        assert!(body.len() < 8 * 1024, "{} bytes", body.len());
    }

    #[test]
    fn problem_document_has_rfc9457_members_and_field_pointers() {
        let p = Problem::validation(vec![FieldError::new("email", "email.format")]);
        let r = p.to_response(Lang::En, "/signup/contact");
        assert_eq!(r.status, 422);
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["status"], 422);
        assert_eq!(v["instance"], "/signup/contact");
        assert!(v["type"].as_str().unwrap().ends_with("/validation"));
        assert_eq!(v["errors"][0]["pointer"], "#/email");
        assert_eq!(
            v["errors"][0]["detail"],
            "This is not a valid email address."
        );
        let ko: Value = serde_json::from_slice(&p.to_response(Lang::Ko, "/x").body).unwrap();
        assert_eq!(ko["title"], "입력값을 확인해 주세요");
    }

    #[test]
    fn s1_step_missing_names_the_step_in_both_languages() {
        let p = Problem::step_missing("step.contact");
        let v: Value = serde_json::from_slice(&p.to_response(Lang::En, "/x").body).unwrap();
        assert_eq!(v["status"], 409);
        assert_eq!(v["missing_step"], "contact");
        assert!(v["detail"].as_str().unwrap().ends_with("contact person"));
        let v: Value = serde_json::from_slice(&p.to_response(Lang::Ko, "/x").body).unwrap();
        assert!(v["detail"].as_str().unwrap().ends_with("담당자 정보"));
    }

    #[test]
    fn non_object_body_is_a_validation_problem_at_the_root() {
        let p = json_object(b"[1,2]").unwrap_err();
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].pointer, "#/");
        assert!(json_object(b"{nope").is_err());
        assert!(json_object(br#"{"a":1}"#).is_ok());
    }
}
