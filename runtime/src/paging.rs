//! Collections in pages linked by `@odata.nextLink`.

use serde::{Deserialize, Serialize};

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
