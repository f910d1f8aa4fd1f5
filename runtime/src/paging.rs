//! Collections in pages linked by `@odata.nextLink`, and the bounds of one
//! listing: no page twice, no more than a set number of pages.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::Error;
use crate::urls::{self, UrlProblem};

/// One page of a collection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The URL of the next page; absent on the last page.
    #[serde(
        default,
        rename = "@odata.nextLink",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// The delta link of the last page of a delta query.
    #[serde(
        default,
        rename = "@odata.deltaLink",
        skip_serializing_if = "Option::is_none"
    )]
    pub delta_link: Option<String>,
    /// The total count, when `$count=true` was asked.
    #[serde(
        default,
        rename = "@odata.count",
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    /// Everything else the page carried (`@odata.context`, ...).
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

/// The items of a stream of pages, one by one; an error ends the stream
/// after it.
pub(crate) fn items<'a, T: 'a>(
    pages: impl Stream<Item = Result<Page<T>, Error>> + 'a,
) -> impl Stream<Item = Result<T, Error>> + 'a {
    pages
        .map_ok(|page| futures_util::stream::iter(page.value.into_iter().map(Ok)))
        .try_flatten()
}

/// Every item of a stream of pages, or its first error.
pub(crate) async fn collect_items<T>(
    pages: impl Stream<Item = Result<Page<T>, Error>>,
) -> Result<Vec<T>, Error> {
    let mut pages = std::pin::pin!(pages);
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        all.extend(page?.value);
    }
    Ok(all)
}

/// The state of one listing: the pages fetched, the URLs visited, and
/// whether credentials may still go to the Graph origin.
pub(crate) struct Listing {
    /// Hashes of the URLs visited, not the URLs: next links carry long
    /// skip tokens, and a listing may have many pages.
    visited: HashSet<u64>,
    hasher: RandomState,
    pages: u64,
    max_pages: u64,
    credentials: bool,
}

impl Listing {
    pub(crate) fn new(max_pages: u64) -> Listing {
        Listing {
            visited: HashSet::new(),
            hasher: RandomState::new(),
            pages: 0,
            max_pages,
            credentials: true,
        }
    }

    /// Counts the page about to be fetched; an error when it is one too many.
    pub(crate) fn count_page(&mut self) -> Result<(), Error> {
        if self.pages >= self.max_pages {
            return Err(Error::Paging {
                message: format!(
                    "the listing goes on past {} pages; raise `ClientBuilder::max_pages` \
                     if that many are expected",
                    self.max_pages
                ),
            });
        }
        self.pages += 1;
        Ok(())
    }

    /// Whether the next page may carry credentials to the Graph origin.
    pub(crate) fn credentials(&self) -> bool {
        self.credentials
    }

    /// Records a page fetched from `url`; `credentials` false once the
    /// listing has left the Graph origin, which it does not come back from.
    pub(crate) fn fetched(&mut self, url: &Url, credentials: bool) {
        self.visited.insert(self.hasher.hash_one(url.as_str()));
        self.credentials &= credentials;
    }

    /// The URL of the next page: `link` resolved against `base`, the URL of
    /// the page that gave it. An error when it cannot be sent or was visited.
    pub(crate) fn follow(&mut self, base: &Url, link: &str) -> Result<Url, Error> {
        let shown = || urls::redact(link);
        let url = urls::resolve(base, link).map_err(|problem| Error::Paging {
            message: match problem {
                UrlProblem::NotAUrl => format!("the @odata.nextLink `{}` is not a URL", shown()),
                UrlProblem::NotHttp => format!(
                    "the @odata.nextLink `{}` is not an http or https URL",
                    shown()
                ),
            },
        })?;
        if !self.visited.insert(self.hasher.hash_one(url.as_str())) {
            return Err(Error::Paging {
                message: format!(
                    "the @odata.nextLink `{}` points to a page already visited in this \
                     listing: the service is looping",
                    urls::redact(url.as_str())
                ),
            });
        }
        Ok(url)
    }
}
