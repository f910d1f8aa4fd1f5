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

    /// The scope that asks the identity platform for a token for this
    /// cloud's Graph with the app's configured permissions:
    /// `https://graph.microsoft.com/.default` in the global cloud,
    /// `https://graph.microsoft.us/.default` in US Gov L4, ...
    pub const fn graph_scope(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com/.default",
            Cloud::UsGov => "https://graph.microsoft.us/.default",
            Cloud::UsGovDod => "https://dod-graph.microsoft.us/.default",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn/.default",
        }
    }

    /// The identity platform (Microsoft Entra ID) host that signs in to
    /// this cloud: what an `azure_identity` credential's authority host must
    /// be set to outside the global cloud.
    pub const fn authority_host(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGov | Cloud::UsGovDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
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

/// A base URL that is not usable. Its message says what is wrong with the
/// URL (shown without query or user info) and what a valid one looks like;
/// there is nothing to match on: fix the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError(String);

/// What every base URL error ends with: what to pass instead.
const VALID_BASE_URL: &str = "a base URL is an absolute http or https URL with a host and \
     without the API version, query or fragment, such as `https://graph.microsoft.com` \
     or `http://127.0.0.1:8080` (the operations add `/v1.0` or `/beta` themselves)";

impl EndpointError {
    fn new(shown: &str, problem: &str) -> Self {
        EndpointError(format!(
            "`{shown}` is not a usable base URL: {problem}; {VALID_BASE_URL}"
        ))
    }
}

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
    /// The national cloud, when the endpoint is one.
    cloud: Option<Cloud>,
    /// Scheme, host and port, as the URL spec parses them (lowercase scheme
    /// and host, IDNA, default ports): what decides whether a URL may
    /// receive credentials.
    origin: url::Origin,
}

impl Endpoint {
    /// A national cloud.
    pub fn cloud(cloud: Cloud) -> Endpoint {
        let mut endpoint = Endpoint::custom(cloud.host()).expect("cloud hosts are valid URLs");
        endpoint.cloud = Some(cloud);
        endpoint
    }

    /// A custom base URL, such as a proxy or a local test server:
    /// `http://127.0.0.1:8080` or `https://proxy.example/graph`, without the
    /// API version, which every operation adds.
    pub fn custom(base: &str) -> Result<Endpoint, EndpointError> {
        let base = base.trim().trim_end_matches('/');
        // Shown as given unless it may carry a secret (a query, user info).
        let shown = if base.contains(['?', '#', '@']) {
            crate::urls::redact(base)
        } else {
            base.to_owned()
        };
        let fail = |problem: &str| Err(EndpointError::new(&shown, problem));
        if base.is_empty() {
            return Err(EndpointError(format!(
                "the base URL is empty; {VALID_BASE_URL}"
            )));
        }
        let url = match url::Url::parse(base) {
            Ok(url) => url,
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                return fail("it has no scheme (`https://`)")
            }
            Err(url::ParseError::EmptyHost) => return fail("it has no host"),
            Err(url::ParseError::InvalidPort) => {
                return fail("its port is not a number below 65536")
            }
            Err(url::ParseError::InvalidIpv4Address | url::ParseError::InvalidIpv6Address) => {
                return fail("its IP address is not valid")
            }
            Err(error) => return fail(&format!("it does not parse as a URL ({error})")),
        };
        if url.scheme() != "https" && url.scheme() != "http" {
            return fail(&format!(
                "its scheme is `{}`, not http or https",
                url.scheme()
            ));
        }
        if !url.has_host() || url.host_str() == Some("") {
            return fail("it has no host");
        }
        if base.contains('?') || base.contains('#') {
            return fail("it has a query or fragment");
        }
        if !url.username().is_empty() || url.password().is_some() {
            return fail("it carries user info, which would be sent with every request");
        }
        let last_segment = url.path().rsplit('/').next().unwrap_or_default();
        if ["v1.0", "beta"]
            .iter()
            .any(|version| last_segment.eq_ignore_ascii_case(version))
        {
            let without = base[..base.len() - last_segment.len()].trim_end_matches('/');
            return Err(EndpointError(format!(
                "`{shown}` ends with the API version `/{last_segment}`, which every operation \
                 adds itself (the paths would have it twice); pass `{without}` instead"
            )));
        }
        Ok(Endpoint {
            base: base.to_owned(),
            cloud: None,
            origin: url.origin(),
        })
    }

    /// The national cloud, when the endpoint is one; `None` for a custom
    /// base URL.
    pub fn national_cloud(&self) -> Option<Cloud> {
        self.cloud
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
        assert!(Endpoint::custom("https://proxy.example/graph/").is_ok());
        let error = |base: &str| Endpoint::custom(base).unwrap_err().to_string();
        let valid = "a base URL is an absolute http or https URL with a host and without the \
                     API version, query or fragment, such as `https://graph.microsoft.com` or \
                     `http://127.0.0.1:8080` (the operations add `/v1.0` or `/beta` themselves)";
        assert_eq!(
            error("graph.microsoft.com"),
            format!("`graph.microsoft.com` is not a usable base URL: it has no scheme (`https://`); {valid}")
        );
        assert_eq!(
            error("ftp://example.com"),
            format!("`ftp://example.com` is not a usable base URL: its scheme is `ftp`, not http or https; {valid}")
        );
        assert_eq!(
            error("https://x.example/?key=s3cret"),
            format!("`https://x.example/?<redacted>` is not a usable base URL: it has a query or fragment; {valid}")
        );
        assert_eq!(
            error("http://127.0.0.1:99999"),
            format!("`http://127.0.0.1:99999` is not a usable base URL: its port is not a number below 65536; {valid}")
        );
        assert_eq!(error(" "), format!("the base URL is empty; {valid}"));
        assert!(!error("https://user:s3cret@x.example").contains("s3cret"));
    }

    #[test]
    fn a_base_url_ending_in_the_api_version_is_refused_with_what_to_pass() {
        assert_eq!(
            Endpoint::custom("https://graph.microsoft.com/v1.0/")
                .unwrap_err()
                .to_string(),
            "`https://graph.microsoft.com/v1.0` ends with the API version `/v1.0`, which every \
             operation adds itself (the paths would have it twice); pass \
             `https://graph.microsoft.com` instead"
        );
        assert!(Endpoint::custom("http://127.0.0.1:8080/proxy/BETA")
            .unwrap_err()
            .to_string()
            .ends_with("pass `http://127.0.0.1:8080/proxy` instead"));
        // A segment that only contains a version is a path like any other.
        assert!(Endpoint::custom("https://proxy.example/v1.0-graph").is_ok());
    }

    #[test]
    fn clouds_know_their_scope_and_sign_in_host() {
        assert_eq!(
            Endpoint::cloud(Cloud::UsGov).national_cloud(),
            Some(Cloud::UsGov)
        );
        assert_eq!(
            Endpoint::custom("http://127.0.0.1:1")
                .unwrap()
                .national_cloud(),
            None
        );
        for cloud in Cloud::ALL {
            assert_eq!(cloud.graph_scope(), format!("{}/.default", cloud.host()));
            assert!(cloud.authority_host().starts_with("https://login."));
        }
    }
}
