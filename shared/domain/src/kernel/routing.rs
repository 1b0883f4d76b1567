//! Routes with path parameters (`/admin/members/{id}`), the same on every
//! runtime: the Worker's router, each Spin component (which also checks the
//! method Spin does not), and the in-process tests. Patterns are written as
//! OpenAPI writes them; `matchit` (already in the Worker through `worker`)
//! matches them.

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
        "detail.not_found",
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
pub struct Routes<H: Copy> {
    router: matchit::Router<usize>,
    methods: Vec<Vec<(&'static str, H)>>,
}

impl<H: Copy> Routes<H> {
    /// # Panics
    /// On a malformed or conflicting pattern: a programming error that the
    /// route tests catch before anything ships.
    pub fn new(routes: impl IntoIterator<Item = (&'static str, &'static str, H)>) -> Routes<H> {
        let mut router = matchit::Router::new();
        let mut methods: Vec<Vec<(&'static str, H)>> = Vec::new();
        let mut patterns: Vec<&'static str> = Vec::new();
        for (method, pattern, h) in routes {
            let i = match patterns.iter().position(|p| *p == pattern) {
                Some(i) => i,
                None => {
                    router
                        .insert(colon_pattern(pattern), patterns.len())
                        .unwrap_or_else(|e| panic!("route {pattern}: {e}"));
                    patterns.push(pattern);
                    methods.push(Vec::new());
                    patterns.len() - 1
                }
            };
            methods[i].push((method, h));
        }
        Routes { router, methods }
    }

    pub fn find(&self, method: &str, path: &str) -> Found<H> {
        let Ok(m) = self.router.at(path) else {
            return Found::NotFound;
        };
        let entry = &self.methods[*m.value];
        let params = || {
            m.params
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        };
        match entry
            .iter()
            .find(|(m, _)| *m == method || (method == "HEAD" && *m == "GET"))
        {
            Some((_, h)) => Found::Handler(*h, params()),
            None => Found::MethodNotAllowed(entry.iter().map(|(m, _)| *m).collect()),
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
