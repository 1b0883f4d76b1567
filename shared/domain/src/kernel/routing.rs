//! Routes with path parameters (`/admin/members/{id}`), the same on every
//! runtime: the Worker's router, each Spin component (which also checks the
//! method Spin does not), and the in-process tests. Patterns are written as
//! OpenAPI writes them.

/// What a (method, path) resolves to.
pub enum Found<H> {
    /// The handler and the path's parameters.
    Handler(H, Vec<(String, String)>),
    /// The path exists with other methods (405, `Allow`).
    MethodNotAllowed(Vec<&'static str>),
    NotFound,
}

/// The answer for a route refused by the router: 404 or 405 with `Allow`.
pub fn refusal(
    req: &crate::kernel::http::Request,
    allowed: &[&str],
) -> crate::kernel::http::Response {
    use crate::kernel::problem::Problem;
    if allowed.is_empty() {
        return Problem::not_found().to_response(req.lang(), &req.path);
    }
    Problem::new(
        405,
        "method-not-allowed",
        "title.method_not_allowed",
        "detail.method_not_allowed",
    )
    .to_response(req.lang(), &req.path)
    .with_header("allow", allowed.join(", "))
}

/// `{name}` (OpenAPI) → `:name` (matchit 0.7, Spin manifests).
pub fn colon_pattern(pattern: &str) -> String {
    pattern
        .split('/')
        .map(
            |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => format!(":{name}"),
                None => seg.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// A route table: each path pattern with its methods' handlers.
///
/// Hand-written rather than `matchit`: patterns here are only literal and
/// `{name}` segments, and the crate cost every Spin component about 20 KB
/// (`meta`: 465 KB with it, 444 KB without) against a 400 KB target.
pub struct Routes<H: Copy> {
    /// (pattern's segments, its methods' handlers)
    patterns: Vec<(Vec<&'static str>, Vec<(&'static str, H)>)>,
}

impl<H: Copy> Routes<H> {
    pub fn new(routes: impl IntoIterator<Item = (&'static str, &'static str, H)>) -> Routes<H> {
        let mut patterns: Vec<(Vec<&'static str>, Vec<(&'static str, H)>)> = Vec::new();
        for (method, pattern, h) in routes {
            let segments: Vec<&'static str> = pattern.split('/').collect();
            match patterns.iter_mut().find(|(p, _)| *p == segments) {
                Some((_, methods)) => methods.push((method, h)),
                None => patterns.push((segments, vec![(method, h)])),
            }
        }
        Routes { patterns }
    }

    /// The pattern matching `path` with the most literal segments (so
    /// `/admin/jobs/move-attendance` wins over `/admin/jobs/{id}`), and its
    /// parameters.
    pub fn find(&self, method: &str, path: &str) -> Found<H> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut best: Option<(usize, &Vec<(&'static str, H)>, Vec<(String, String)>)> = None;
        for (pattern, methods) in &self.patterns {
            if pattern.len() != segments.len() {
                continue;
            }
            let mut literal = 0;
            let mut params = Vec::new();
            let matched = pattern.iter().zip(&segments).all(|(p, s)| {
                match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    Some(name) if !s.is_empty() => {
                        params.push((name.to_owned(), (*s).to_owned()));
                        true
                    }
                    Some(_) => false,
                    None => {
                        literal += 1;
                        p == s
                    }
                }
            });
            if matched && best.as_ref().is_none_or(|(l, _, _)| literal > *l) {
                best = Some((literal, methods, params));
            }
        }
        let Some((_, methods, params)) = best else {
            return Found::NotFound;
        };
        match methods
            .iter()
            .find(|(m, _)| *m == method || (method == "HEAD" && *m == "GET"))
        {
            Some((_, h)) => Found::Handler(*h, params),
            None => Found::MethodNotAllowed(methods.iter().map(|(m, _)| *m).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> Routes<u8> {
        Routes::new([
            ("GET", "/admin/members/{id}", 1),
            ("POST", "/contracts/{id}/confirm", 2),
            ("POST", "/signup/submit", 3),
            ("GET", "/signup/status", 4),
            ("GET", "/admin/jobs/{id}", 5),
            ("POST", "/admin/jobs/move-attendance", 6),
        ])
    }

    #[test]
    fn path_parameters_are_matched_and_named() {
        match routes().find("POST", "/contracts/ctr_1/confirm") {
            Found::Handler(h, p) => {
                assert_eq!(h, 2);
                assert_eq!(p, [("id".to_owned(), "ctr_1".to_owned())]);
            }
            _ => panic!("no match"),
        }
        assert!(matches!(
            routes().find("GET", "/admin/members/"),
            Found::NotFound
        ));
        assert!(matches!(
            routes().find("GET", "/admin/members/a/b"),
            Found::NotFound
        ));
        assert!(matches!(
            routes().find("HEAD", "/signup/status"),
            Found::Handler(4, _)
        ));
    }

    #[test]
    fn another_method_is_405_with_the_allowed_ones() {
        match routes().find("GET", "/signup/submit") {
            Found::MethodNotAllowed(allowed) => assert_eq!(allowed, ["POST"]),
            _ => panic!("expected 405"),
        }
    }

    #[test]
    fn patterns_are_written_for_spin_with_colons() {
        assert_eq!(
            colon_pattern("/contracts/{id}/confirm"),
            "/contracts/:id/confirm"
        );
        assert_eq!(colon_pattern("/signup/status"), "/signup/status");
    }
}
