//! Where requests go: a national cloud, or a custom base URL.

use std::fmt;

/// A national cloud deployment of Microsoft Graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cloud {
    /// The global service: `https://graph.microsoft.com`.
    Global,
    /// US Government L4: `https://graph.microsoft.us`.
    UsGov,
    /// US Government L5 (DOD): `https://dod-graph.microsoft.us`.
    UsGovDod,
    /// China operated by 21Vianet: `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl Cloud {
    /// Every cloud.
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::UsGov, Cloud::UsGovDod, Cloud::China];

    /// The cloud's Graph host, with scheme.
    pub const fn host(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGov => "https://graph.microsoft.us",
            Cloud::UsGovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The name the reference pages use.
    pub const fn title(self) -> &'static str {
        match self {
            Cloud::Global => "Global service",
            Cloud::UsGov => "US Government L4",
            Cloud::UsGovDod => "US Government L5 (DOD)",
            Cloud::China => "China operated by 21Vianet",
        }
    }
}

/// A base URL that is not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError(String);

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EndpointError {}

/// The base URL requests are sent to; the API version follows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    base: String,
    /// Scheme, host and port, as the URL spec parses them (lowercase scheme
    /// and host, IDNA, default ports): what decides whether a URL may
    /// receive credentials.
    origin: url::Origin,
}

impl Endpoint {
    /// A national cloud.
    pub fn cloud(cloud: Cloud) -> Endpoint {
        Endpoint::custom(cloud.host()).expect("cloud hosts are valid URLs")
    }

    /// A custom base URL, such as a proxy or a local test server:
    /// `http://127.0.0.1:8080` or `https://proxy.example/graph`.
    pub fn custom(base: &str) -> Result<Endpoint, EndpointError> {
        let base = base.trim_end_matches('/');
        let shown = crate::urls::redact(base);
        let url = url::Url::parse(base)
            .map_err(|_| EndpointError(format!("`{shown}` is not an absolute http(s) URL")))?;
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(EndpointError(format!(
                "`{shown}` is not an http or https URL"
            )));
        }
        if !url.has_host() {
            return Err(EndpointError(format!("`{shown}` has no host")));
        }
        if base.contains('?') || base.contains('#') {
            return Err(EndpointError(format!("`{shown}` has a query or fragment")));
        }
        Ok(Endpoint {
            base: base.to_owned(),
            origin: url.origin(),
        })
    }

    /// The base URL, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Whether `url` is on this endpoint's scheme, host and port: only then
    /// may it receive the token.
    pub fn is_same_origin(&self, url: &str) -> bool {
        url::Url::parse(url).is_ok_and(|url| self.is_home(&url))
    }

    /// Whether a parsed URL is on this endpoint's origin.
    pub(crate) fn is_home(&self, url: &url::Url) -> bool {
        url.origin() == self.origin
    }
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint::cloud(Cloud::Global)
    }
}

impl From<Cloud> for Endpoint {
    fn from(cloud: Cloud) -> Self {
        Endpoint::cloud(cloud)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds_have_their_documented_hosts() {
        assert_eq!(
            Endpoint::cloud(Cloud::Global).base(),
            "https://graph.microsoft.com"
        );
        assert_eq!(Cloud::UsGov.host(), "https://graph.microsoft.us");
        assert_eq!(Cloud::UsGovDod.host(), "https://dod-graph.microsoft.us");
        assert_eq!(
            Cloud::China.host(),
            "https://microsoftgraph.chinacloudapi.cn"
        );
    }

    #[test]
    fn same_origin_compares_scheme_host_and_port() {
        let endpoint = Endpoint::custom("https://graph.microsoft.com/").unwrap();
        assert!(endpoint.is_same_origin("https://graph.microsoft.com/v1.0/me?$top=1"));
        assert!(endpoint.is_same_origin("https://GRAPH.microsoft.com:443/beta/x"));
        assert!(!endpoint.is_same_origin("http://graph.microsoft.com/v1.0/me"));
        assert!(!endpoint.is_same_origin("https://graph.microsoft.com.evil.example/v1.0"));
        assert!(!endpoint.is_same_origin("https://graph.microsoft.com:8443/v1.0"));
        assert!(!endpoint.is_same_origin("not a url"));
        assert!(endpoint.is_same_origin("HTTPS://Graph.Microsoft.COM/v1.0"));
        assert!(endpoint.is_same_origin("https://graph%2Emicrosoft.com/v1.0"));
        assert!(!endpoint.is_same_origin("https://graph.microsoft.com@evil.example/v1.0"));
        assert!(!endpoint.is_same_origin("//graph.microsoft.com/v1.0"));
        let local = Endpoint::custom("http://[::1]:8080").unwrap();
        assert!(local.is_same_origin("http://[0:0::1]:8080/v1.0"));
        assert!(!local.is_same_origin("http://[::1]/v1.0"));
    }

    #[test]
    fn custom_endpoints_must_be_http_urls() {
        assert!(Endpoint::custom("http://127.0.0.1:8080").is_ok());
        assert!(Endpoint::custom("ftp://example.com").is_err());
        assert!(Endpoint::custom("graph.microsoft.com").is_err());
        assert_eq!(
            Endpoint::custom("https://x.example/?key=s3cret")
                .unwrap_err()
                .to_string(),
            "`https://x.example/?<redacted>` has a query or fragment"
        );
    }
}
