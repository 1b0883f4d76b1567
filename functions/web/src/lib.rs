//! The web pages on Spin. `spin.toml` mounts `web/dist` at `/` in this
//! component (`files`) and routes `/`, `/app/...`, `/staff/...` and
//! `/assets/...` here; everything else stays with the API's components. It
//! answers as Workers static assets do (`html_handling =
//! "auto-trailing-slash"`): `/app/` is `/app/index.html`, `/app` redirects to
//! `/app/`, and every answer carries the headers of `_headers` (the CSP).
//! No rendering: files are sent as they are.

/// What a request path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A file under the mount, by its path there.
    File(String),
    /// A folder asked without its slash: where to go.
    Redirect(String),
    NotFound,
}

/// Maps a request path to a file, never outside the mount. `is_file` says
/// whether a path under the mount is a file.
pub fn resolve(path: &str, is_file: impl Fn(&str) -> bool) -> Resolved {
    let clean = path.split('?').next().unwrap_or("");
    if !clean.starts_with('/')
        || clean.contains("..")
        || clean.contains('\\')
        || clean.contains('\0')
        || clean.contains("//")
        || clean
            .split('/')
            .any(|s| s.starts_with('.') || s.starts_with('_'))
    {
        return Resolved::NotFound;
    }
    if clean.ends_with('/') {
        let index = format!("{clean}index.html");
        return if is_file(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if is_file(clean) {
        return Resolved::File(clean.to_owned());
    }
    if is_file(&format!("{clean}/index.html")) {
        return Resolved::Redirect(format!("{clean}/"));
    }
    Resolved::NotFound
}

/// The media type of a file by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The headers `_headers` gives every path (its `/*` block), in order.
pub fn headers_for_all(file: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_all = false;
    for line in file.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            in_all = line.trim() == "/*";
        } else if in_all {
            if let Some((k, v)) = line.trim().split_once(':') {
                out.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
    }
    out
}

#[cfg(target_os = "wasi")]
#[spin_sdk::http_service]
async fn serve(req: spin_sdk::http::Request) -> impl spin_sdk::http::IntoResponse {
    let path = req.uri().path().to_owned();
    let is_file = |p: &str| std::fs::metadata(p).is_ok_and(|m| m.is_file());
    let headers = headers_for_all(&std::fs::read_to_string("/_headers").unwrap_or_default());
    let mut b = http::Response::builder();
    for (k, v) in &headers {
        b = b.header(k.as_str(), v.as_str());
    }
    let (status, body) = if req.method() != http::Method::GET && req.method() != http::Method::HEAD
    {
        b = b.header("allow", "GET, HEAD");
        (405, Vec::new())
    } else {
        match resolve(&path, is_file) {
            Resolved::File(f) => match std::fs::read(&f) {
                Ok(bytes) => {
                    b = b
                        .header("content-type", content_type(&f))
                        .header("cache-control", "public, max-age=0, must-revalidate");
                    (200, bytes)
                }
                Err(_) => (404, b"Not found".to_vec()),
            },
            Resolved::Redirect(to) => {
                b = b.header("location", to);
                (307, Vec::new())
            }
            Resolved::NotFound => {
                b = b.header("content-type", "text/plain; charset=utf-8");
                (404, b"Not found".to_vec())
            }
        }
    };
    b.status(status)
        .body(spin_sdk::http::FullBody::new(bytes::Bytes::from(body)))
        .unwrap_or_else(|_| http::Response::new(spin_sdk::http::FullBody::new(bytes::Bytes::new())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(p: &str) -> bool {
        ["/index.html", "/app/index.html", "/assets/app.js"].contains(&p)
    }

    #[test]
    fn paths_resolve_as_workers_static_assets_do_and_never_leave_the_mount() {
        assert_eq!(resolve("/", files), Resolved::File("/index.html".into()));
        assert_eq!(
            resolve("/app/", files),
            Resolved::File("/app/index.html".into())
        );
        assert_eq!(resolve("/app", files), Resolved::Redirect("/app/".into()));
        assert_eq!(
            resolve("/assets/app.js", files),
            Resolved::File("/assets/app.js".into())
        );
        for bad in [
            "/../etc/passwd",
            "/app/../../x",
            "/_headers",
            "/.env",
            "//x",
            "/nope/",
        ] {
            assert_eq!(resolve(bad, files), Resolved::NotFound, "{bad}");
        }
        assert_eq!(
            content_type("/assets/app.js"),
            "text/javascript; charset=utf-8"
        );
    }

    #[test]
    fn headers_come_from_the_all_paths_block_of_the_headers_file() {
        let h = headers_for_all("# c\n/*\n  Content-Security-Policy: default-src 'self'\n  X-Frame-Options: DENY\n/other\n  X-No: 1\n");
        assert_eq!(
            h,
            vec![
                (
                    "content-security-policy".to_owned(),
                    "default-src 'self'".to_owned()
                ),
                ("x-frame-options".to_owned(), "DENY".to_owned())
            ]
        );
    }
}
