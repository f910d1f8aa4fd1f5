//! URLs the service hands back (`Location`, `@odata.nextLink`): resolved as
//! RFC 3986 says with the `url` crate (the parser reqwest itself connects
//! with), and checked to be http(s).

use url::Url;

/// Why a URL the service gave cannot be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlProblem {
    /// It does not parse, even relative to the request's URL.
    NotAUrl,
    /// It parses, with a scheme other than http or https.
    NotHttp,
}

/// Parses an absolute http or https URL.
pub(crate) fn parse_http(url: &str) -> Result<Url, UrlProblem> {
    http_only(Url::parse(url).map_err(|_| UrlProblem::NotAUrl)?)
}

/// Resolves `reference` (absolute, scheme-relative `//host/x`, absolute-path
/// `/x`, relative `x`, or query-only `?x=1`) against `base`, the URL it
/// answered.
pub(crate) fn resolve(base: &Url, reference: &str) -> Result<Url, UrlProblem> {
    http_only(base.join(reference).map_err(|_| UrlProblem::NotAUrl)?)
}

fn http_only(url: Url) -> Result<Url, UrlProblem> {
    match url.scheme() {
        "http" | "https" if url.has_host() => Ok(url),
        "http" | "https" => Err(UrlProblem::NotAUrl),
        _ => Err(UrlProblem::NotHttp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(base: &str, reference: &str) -> Result<String, UrlProblem> {
        resolve(&Url::parse(base).unwrap(), reference).map(String::from)
    }

    #[test]
    fn locations_resolve_against_the_request_url_as_rfc_3986_says() {
        let base = "https://a.example/v1.0/x/y?old=1";
        let cases = [
            ("https://b.example/z", "https://b.example/z"),
            ("/beta/q", "https://a.example/beta/q"),
            ("z", "https://a.example/v1.0/x/z"),
            ("//b.example/x", "https://b.example/x"),
            ("//b.example:8443", "https://b.example:8443/"),
            ("HTTP://B.EXAMPLE/Z", "http://b.example/Z"),
            ("?x=1", "https://a.example/v1.0/x/y?x=1"),
            ("#frag", "https://a.example/v1.0/x/y?old=1#frag"),
            ("../../up", "https://a.example/up"),
            ("", "https://a.example/v1.0/x/y?old=1"),
            ("https://a.example:443/p", "https://a.example/p"),
        ];
        for (reference, expected) in cases {
            assert_eq!(
                resolved(base, reference).as_deref(),
                Ok(expected),
                "{reference:?}"
            );
        }
    }

    #[test]
    fn only_http_urls_with_a_host_are_followed() {
        let base = "https://a.example/v1.0/x";
        for reference in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "ftp://b.example/",
        ] {
            assert_eq!(
                resolved(base, reference),
                Err(UrlProblem::NotHttp),
                "{reference}"
            );
        }
        for reference in ["http://[::1", "https://", "http://a b/"] {
            assert_eq!(
                resolved(base, reference),
                Err(UrlProblem::NotAUrl),
                "{reference}"
            );
        }
        assert_eq!(parse_http("/v1.0/relative"), Err(UrlProblem::NotAUrl));
        assert!(parse_http("https://graph.microsoft.com/v1.0/me").is_ok());
    }
}
