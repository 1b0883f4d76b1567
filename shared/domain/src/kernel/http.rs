//! Platform-neutral HTTP values. Each platform adapter converts its own
//! request and response types to and from these; function crates see only these.

use serde::Serialize;

pub use crate::kernel::i18n::Lang;

/// The client's address, for rate limits and the access log.
///
/// Workers: `CF-Connecting-IP`, which Cloudflare's edge sets (a client's own
/// value is replaced), so it is trusted as is. Spin: the connection's peer
/// (`spin-client-addr`, `ip:port`); when Spin runs behind a proxy, the
/// deployment names the header that proxy sets (Spin variable
/// `client_address_header`, e.g. `x-forwarded-for`) and its last entry, the
/// address the proxy itself saw, is taken. A configured header that is
/// missing means no address (limits then share the `unknown` bucket),
/// never the proxy's own address.
pub fn client_address(peer: Option<&str>, trusted: Option<Option<String>>) -> Option<String> {
    let strip_port = |a: &str| -> String {
        let a = a.trim();
        match a.rsplit_once(':') {
            // `[v6]:port`, `v4:port`; a bare IPv6 address has several colons.
            Some((host, port))
                if port.bytes().all(|b| b.is_ascii_digit()) && !host.contains(':') =>
            {
                host.to_owned()
            }
            Some((host, port))
                if port.bytes().all(|b| b.is_ascii_digit()) && host.starts_with('[') =>
            {
                host.trim_matches(['[', ']']).to_owned()
            }
            _ => a.to_owned(),
        }
    };
    match trusted {
        Some(value) => value
            .as_deref()
            .and_then(|v| v.rsplit(',').next())
            .map(strip_port)
            .filter(|a| !a.is_empty()),
        None => peer.map(strip_port),
    }
}

/// The largest body a JSON endpoint reads (the largest valid one is a few
/// kilobytes); functions that take files or device batches declare theirs.
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// Path without the query string.
    pub path: String,
    pub query: String,
    /// Lower-cased header names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The client address as the platform reports it.
    pub client_ip: Option<String>,
    /// Path parameters of the matched route (`{id}` in `/admin/members/{id}`).
    pub params: Vec<(String, String)>,
}

/// The header a web page sends to use cookie sessions.
pub const SESSION_HEADER: &str = "x-session";

impl Request {
    /// A request with only a body (parsers' unit tests).
    pub fn with_body(body: impl Into<Vec<u8>>) -> Request {
        Request {
            body: body.into(),
            ..Request::default()
        }
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// A path parameter of the matched route.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn lang(&self) -> Lang {
        Lang::from_accept_language(self.header("accept-language"))
    }
    /// The web pages' way to carry a session: they send `x-session: cookie`
    /// and get the token as an `HttpOnly` cookie instead of in the body.
    /// A cookie is honoured only with that header, which a cross-site form
    /// or link cannot send (with `SameSite=Strict`, against request forgery).
    pub fn wants_cookie(&self) -> bool {
        self.header(SESSION_HEADER) == Some("cookie")
    }
    /// A cookie's value, when the request asked for cookie sessions.
    pub fn session_cookie(&self, name: &str) -> Option<&str> {
        if !self.wants_cookie() {
            return None;
        }
        self.header("cookie")?.split(';').find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name && !v.is_empty()).then_some(v)
        })
    }
    /// The token of `Authorization: Bearer …`; the scheme's name is
    /// case-insensitive (RFC 9110 §11.1).
    pub fn bearer(&self) -> Option<&str> {
        let h = self.header("authorization")?.trim_start();
        let (scheme, token) = h.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim())
            .filter(|t| !t.is_empty())
    }
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then(|| percent_decode(v))
        })
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len()
                && s.is_char_boundary(i + 1)
                && s.is_char_boundary(i + 3) =>
            {
                match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json<T: Serialize>(status: u16, value: &T) -> Response {
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body,
        }
    }
    pub fn text(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a6_client_address_is_the_peer_or_what_the_trusted_proxy_saw() {
        use super::client_address;
        assert_eq!(
            client_address(Some("203.0.113.7:51234"), None).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(
            client_address(Some("[2001:db8::1]:443"), None).as_deref(),
            Some("2001:db8::1")
        );
        // Behind a proxy: the last entry (the proxy's own view), never a
        // client's claim further left.
        let xff = Some("198.51.100.9, 203.0.113.7".to_owned());
        assert_eq!(
            client_address(Some("10.0.0.2:80"), Some(xff)).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(client_address(Some("10.0.0.2:80"), Some(None)), None);
    }
    use super::*;

    #[test]
    fn accept_language_picks_highest_quality_known_language() {
        assert_eq!(Lang::from_accept_language(None), Lang::Ko);
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::from_accept_language(Some("fr, en;q=0.5, ko;q=0.8")),
            Lang::Ko
        );
        assert_eq!(Lang::from_accept_language(Some("de")), Lang::Ko);
    }

    #[test]
    fn query_params_are_percent_decoded() {
        let r = Request {
            query: "q=%EC%B9%B4%EC%8A%A4+1&kind=brochure".into(),
            ..Default::default()
        };
        assert_eq!(r.query_param("q").as_deref(), Some("카스 1"));
        assert_eq!(r.query_param("kind").as_deref(), Some("brochure"));
        assert_eq!(r.query_param("nope"), None);
    }
}
