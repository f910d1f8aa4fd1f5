//! URLs the service hands back (`Location`, `@odata.nextLink`): resolved as
//! RFC 3986 says with the `url` crate (the parser reqwest itself connects
//! with), checked to be http(s), and shown without their secrets.

use url::Url;

/// Why a URL the service gave cannot be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlProblem {
    /// It does not parse, even relative to the request's URL.
    NotAUrl,
    /// It parses, with a scheme other than http or https.
    NotHttp,
}

/// Parses an absolute http or https URL, without its fragment (which is
/// never sent).
pub(crate) fn parse_http(url: &str) -> Result<Url, UrlProblem> {
    http_only(Url::parse(url).map_err(|_| UrlProblem::NotAUrl)?)
}

/// Resolves `reference` (absolute, scheme-relative `//host/x`, absolute-path
/// `/x`, relative `x`, or query-only `?x=1`) against `base`, the URL it
/// answered.
pub(crate) fn resolve(base: &Url, reference: &str) -> Result<Url, UrlProblem> {
    http_only(base.join(reference).map_err(|_| UrlProblem::NotAUrl)?)
}

fn http_only(mut url: Url) -> Result<Url, UrlProblem> {
    match url.scheme() {
        "http" | "https" if url.has_host() => {
            url.set_fragment(None);
            Ok(url)
        }
        "http" | "https" => Err(UrlProblem::NotAUrl),
        _ => Err(UrlProblem::NotHttp),
    }
}

/// A URL as errors and events show it: scheme, host, port and path, with
/// the user info, query and fragment replaced by `<redacted>`. Graph's
/// pre-authenticated URLs (downloads, upload sessions) carry their secret
/// in the query (`?tempauth=...`), and logs outlive the secret's purpose.
pub(crate) fn redact(url: &str) -> String {
    let Ok(parsed) = Url::parse(url) else {
        return redact_text(url);
    };
    let Some(host) = parsed.host_str() else {
        return redact_text(parsed.as_str());
    };
    let mut out = format!("{}://", parsed.scheme());
    if !parsed.username().is_empty() || parsed.password().is_some() {
        out.push_str("<redacted>@");
    }
    out.push_str(host);
    if let Some(port) = parsed.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(parsed.path());
    if parsed.query().is_some() {
        out.push_str("?<redacted>");
    } else if parsed.fragment().is_some() {
        out.push_str("#<redacted>");
    }
    out
}

/// Text (an error message from a lower layer) with every URL in it
/// [`redact`]ed: a word holding `://` is taken as a URL, without the
/// punctuation around it.
pub(crate) fn redact_in_text(text: &str) -> String {
    if !text.contains("://") {
        return text.to_owned();
    }
    let around = |c: char| {
        matches!(
            c,
            '(' | ')' | '<' | '>' | '[' | ']' | '"' | '\'' | '`' | ',' | ';'
        )
    };
    text.split(' ')
        .map(|word| {
            if !word.contains("://") {
                return word.to_owned();
            }
            let start = word.len() - word.trim_start_matches(around).len();
            let end = word.trim_end_matches(around).len().max(start);
            format!(
                "{}{}{}",
                &word[..start],
                redact(&word[start..end]),
                &word[end..]
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`redact`] for text that does not parse as a URL: everything from the
/// first `?` or `#` goes, and so does whatever precedes an `@` in what
/// looks like the authority.
fn redact_text(url: &str) -> String {
    let (head, tail) = match url.find(['?', '#']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let mut out = match head.find("://") {
        Some(i) => {
            let start = i + 3;
            let end = head[start..]
                .find(['/', '\\'])
                .map_or(head.len(), |j| start + j);
            match head[start..end].rfind('@') {
                Some(at) => format!("{}<redacted>{}", &head[..start], &head[start + at..]),
                None => head.to_owned(),
            }
        }
        None => head.to_owned(),
    };
    if tail.starts_with('?') {
        out.push_str("?<redacted>");
    } else if !tail.is_empty() {
        out.push_str("#<redacted>");
    }
    out
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
            ("#frag", "https://a.example/v1.0/x/y?old=1"),
            ("/p#frag", "https://a.example/p"),
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

    #[test]
    fn urls_inside_messages_are_redacted() {
        assert_eq!(
            redact_in_text(
                "error trying to connect (http://u:s3cret@h.example/p?t=s3cret), retrying"
            ),
            "error trying to connect (http://<redacted>@h.example/p?<redacted>), retrying"
        );
        assert_eq!(redact_in_text("no url here"), "no url here");
    }

    #[test]
    fn redaction_keeps_scheme_host_port_and_path_only() {
        let cases = [
            (
                "https://x.sharepoint.com/_layouts/15/download.aspx?UniqueId=1&tempauth=s3cret",
                "https://x.sharepoint.com/_layouts/15/download.aspx?<redacted>",
            ),
            (
                "http://user:s3cret@127.0.0.1:8080/p?q=s3cret#s3cret",
                "http://<redacted>@127.0.0.1:8080/p?<redacted>",
            ),
            (
                "https://h.example/p#s3cret",
                "https://h.example/p#<redacted>",
            ),
            ("https://s3cret@h.example", "https://<redacted>@h.example/"),
            (
                "http:user:s3cret@h.example/p",
                "http://<redacted>@h.example/p",
            ),
            (
                "HTTPS://H.EXAMPLE:443/P?s3cret",
                "https://h.example/P?<redacted>",
            ),
            ("https://[::1]:9/p?s3cret", "https://[::1]:9/p?<redacted>"),
            ("https://h.example/plain", "https://h.example/plain"),
            // What does not parse is cut textually.
            ("not a url?s3cret", "not a url?<redacted>"),
            ("http://[::1/x?s3cret", "http://[::1/x?<redacted>"),
            ("http://us:s3cret@[::1/x", "http://<redacted>@[::1/x"),
            (
                "/relative/next?$skiptoken=s3cret",
                "/relative/next?<redacted>",
            ),
            (
                "mailto:a@b.example?subject=s3cret",
                "mailto:a@b.example?<redacted>",
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(redact(url), expected, "{url}");
            assert!(!redact(url).contains("s3cret"), "{url}");
        }
    }
}
