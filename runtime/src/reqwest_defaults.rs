//! What a preconfigured `reqwest::Client` adds to every request: its default
//! headers. reqwest has no accessor for them (seanmonstar/reqwest#2491), so
//! they are read from its `Debug` output, which lists them; whatever cannot
//! be read with certainty is treated as the unsafe case.

use http::HeaderValue;

/// What the runtime needs to know of a client's default headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Defaults {
    /// Whether the client may add credentials (`Authorization`,
    /// `Proxy-Authorization`, `Cookie`, or any value marked sensitive).
    /// True as well when the defaults could not be read.
    pub(crate) credentials: bool,
    /// The default `User-Agent`, when there is one and it could be read.
    pub(crate) user_agent: Option<HeaderValue>,
}

const CREDENTIAL_HEADERS: [&str; 3] = ["authorization", "proxy-authorization", "cookie"];

impl Defaults {
    /// Reads the defaults of `client`.
    pub(crate) fn of(client: &reqwest::Client) -> Defaults {
        Defaults::from_debug(&format!("{client:?}"))
    }

    fn from_debug(debug: &str) -> Defaults {
        let Some(headers) = parse(debug) else {
            return Defaults {
                credentials: true,
                user_agent: None,
            };
        };
        let mut defaults = Defaults::default();
        for (name, value) in headers {
            // A value shown as `Sensitive` was marked so by the caller.
            defaults.credentials |= value.is_none() || CREDENTIAL_HEADERS.contains(&name.as_str());
            if let (Some(value), "user-agent") = (value, name.as_str()) {
                defaults.user_agent = HeaderValue::from_str(&value).ok();
            }
        }
        defaults
    }
}

/// The `default_headers: {"name": "value", "other": Sensitive}` map of a
/// client's `Debug` output: each name with its value, `None` for a
/// sensitive value. `None` when the map is not there or not in the shape
/// `http::HeaderMap`'s `Debug` writes, or holds a value that cannot be read
/// back exactly: `http` writes a quote as `\"`, a byte that is not visible
/// ASCII as `\x..`, and a backslash as is, so only a `\"` that does not end
/// the value is read back (as a quote).
fn parse(debug: &str) -> Option<Vec<(String, Option<String>)>> {
    const MARKER: &str = "default_headers: {";
    let start = debug.find(MARKER)? + MARKER.len();
    let mut rest = &debug[start..];
    let mut headers = Vec::new();
    if rest.starts_with('}') {
        return Some(headers);
    }
    loop {
        // A header name is a token: no quotes or backslashes to unescape.
        rest = rest.strip_prefix('"')?;
        let end = rest.find('"')?;
        let name = &rest[..end];
        if name.is_empty() || name.contains('\\') {
            return None;
        }
        rest = rest[end + 1..].strip_prefix(": ")?;
        let value = if let Some(after) = rest.strip_prefix("Sensitive") {
            rest = after;
            None
        } else {
            rest = rest.strip_prefix('"')?;
            let mut value = String::new();
            loop {
                let c = rest.chars().next()?;
                if c == '"' {
                    rest = &rest[1..];
                    break;
                }
                if c == '\\' {
                    // A backslash that ends the value, before the next
                    // header or the end of the map, reads the same.
                    let after = rest.strip_prefix("\\\"")?;
                    if after.starts_with(", \"") || after.starts_with('}') {
                        return None;
                    }
                    value.push('"');
                    rest = after;
                } else {
                    value.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
            Some(value)
        };
        headers.push((name.to_owned(), value));
        if let Some(after) = rest.strip_prefix(", ") {
            rest = after;
        } else {
            rest.strip_prefix('}')?;
            return Some(headers);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(headers: &[(&'static str, &str, bool)]) -> reqwest::Client {
        let mut map = http::HeaderMap::new();
        for (name, value, sensitive) in headers {
            let mut value = HeaderValue::from_str(value).unwrap();
            value.set_sensitive(*sensitive);
            map.append(*name, value);
        }
        reqwest::Client::builder()
            .default_headers(map)
            .build()
            .unwrap()
    }

    /// Pins the `Debug` shape this module reads: a reqwest upgrade that
    /// changes it fails here rather than in the field.
    #[test]
    fn reads_the_default_headers_of_a_real_client() {
        let plain = Defaults::of(&client(&[]));
        assert_eq!(plain, Defaults::default());
        let app = Defaults::of(&client(&[
            ("user-agent", "app/1.0 (+https://app.example)", false),
            ("x-plain", "a, b; c=\"d\", e", false),
        ]));
        assert!(!app.credentials, "{app:?}");
        assert_eq!(
            app.user_agent.as_ref().unwrap(),
            "app/1.0 (+https://app.example)"
        );
        for (name, sensitive) in [
            ("authorization", false),
            ("proxy-authorization", false),
            ("cookie", false),
            ("x-api-key", true),
        ] {
            let defaults = Defaults::of(&client(&[
                ("user-agent", "app/1.0", false),
                (name, "secret", sensitive),
            ]));
            assert!(defaults.credentials, "{name}");
            assert_eq!(defaults.user_agent.as_ref().unwrap(), "app/1.0", "{name}");
        }
    }

    #[test]
    fn what_cannot_be_read_exactly_counts_as_credentials() {
        for debug in [
            "Client { accepts: Accepts }",
            "Client { default_headers: {\"user-agent\": \"a\\\", \"x\": \"b\"} }",
            "Client { default_headers: {\"user-agent\": \"a\\\"} }",
            "Client { default_headers: {\"user-agent\": \"a\\b\"} }",
            "Client { default_headers: {\"user-agent\": \"a\\\\\"b\"} }",
            "Client { default_headers: {\"x\": \"\\xff\"} }",
            "Client { default_headers: {\"user-agent\" \"a\"} }",
            "Client { default_headers: {\"user-agent\": \"a\"",
        ] {
            let defaults = Defaults::from_debug(debug);
            assert!(defaults.credentials, "{debug}");
            assert_eq!(defaults.user_agent, None, "{debug}");
        }
        assert_eq!(
            Defaults::from_debug("Client { default_headers: {}, timeout: 1s }"),
            Defaults::default()
        );
    }
}
