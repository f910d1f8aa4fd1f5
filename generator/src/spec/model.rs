//! The spec files exactly as written: serde structs that mirror the YAML and
//! reject unknown keys. Nothing here is checked beyond its shape; see
//! `validate` for the rules and `specs/README.md` for the meaning of each key.

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// `specs/service.yaml`: the API versions, national clouds and resource areas.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServiceSpec {
    pub service: String,
    pub title: String,
    pub namespace: String,
    pub versions: Vec<VersionSpec>,
    pub clouds: Vec<CloudSpec>,
    pub areas: Vec<AreaSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VersionSpec {
    pub name: String,
    pub base_path: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CloudSpec {
    pub name: String,
    pub title: String,
    pub host: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AreaSpec {
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// `specs/operations/*.yaml`: one reference page, in every API version that
/// documents it. A page documents one operation (`operation` and `versions`)
/// or several (`operations`, each with its own name, title and versions);
/// what the page states once (area, source, conditions, notes, examples) is
/// stated once here.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperationSpec {
    #[serde(default)]
    pub operation: Option<String>,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub description: Option<String>,
    pub area: String,
    #[serde(default)]
    pub source: Option<SourceSpec>,
    #[serde(default)]
    pub deprecated: Option<DeprecationSpec>,
    #[serde(default)]
    pub conditions: Vec<NoteSpec>,
    #[serde(default)]
    pub notes: Vec<NoteSpec>,
    #[serde(default)]
    pub versions: Option<IndexMap<String, OperationVersionSpec>>,
    /// The operations of a page that documents several.
    #[serde(default)]
    pub operations: Option<Vec<PageOperationSpec>>,
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
    /// Callback payloads the page shows: what the service POSTs to the
    /// application's callback URL after the call (a bot's notifications).
    #[serde(default)]
    pub notifications: Vec<NotificationSpec>,
}

/// A notification the service sends to the application, as the page shows it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NotificationSpec {
    pub name: String,
    /// The API version whose page shows it.
    pub version: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// `POST` when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// The callback URL as the page shows it (the application's).
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    /// The body exactly as the page shows it.
    pub body: String,
}

/// One of the operations of a page that documents several (a resource and
/// its `/content`; a GET by id and a GET by filter).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PageOperationSpec {
    pub operation: String,
    /// What this operation does, as the docs index names it: unique.
    pub title: String,
    /// Its first sentence; the page's summary when absent.
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub deprecated: Option<DeprecationSpec>,
    pub versions: IndexMap<String, OperationVersionSpec>,
}

/// An operation of a page, whichever form the page is written in, with the
/// key path of its entry for positions.
#[derive(Debug, Clone, Copy)]
pub struct PageOperation<'a> {
    pub name: &'a str,
    /// The operation's own title; the page's for a one-operation page.
    pub title: &'a str,
    pub summary: &'a str,
    pub description: Option<&'a str>,
    pub deprecated: Option<&'a DeprecationSpec>,
    pub versions: &'a IndexMap<String, OperationVersionSpec>,
    /// `None` for a one-operation page, else its index in `operations`.
    pub index: Option<usize>,
}

impl OperationSpec {
    /// The page's operations in the order it lists them. A page that names
    /// no operation has none (validation says so).
    pub fn page_operations(&self) -> Vec<PageOperation<'_>> {
        let mut out = Vec::new();
        if let (Some(name), Some(versions)) = (&self.operation, &self.versions) {
            out.push(PageOperation {
                name,
                title: &self.title,
                summary: &self.summary,
                description: self.description.as_deref(),
                deprecated: self.deprecated.as_ref(),
                versions,
                index: None,
            });
        }
        for (i, op) in self.operations.iter().flatten().enumerate() {
            out.push(PageOperation {
                name: &op.operation,
                title: &op.title,
                summary: op.summary.as_deref().unwrap_or(&self.summary),
                description: op.description.as_deref().or(self.description.as_deref()),
                deprecated: op.deprecated.as_ref().or(self.deprecated.as_ref()),
                versions: &op.versions,
                index: Some(i),
            });
        }
        out
    }

    /// The operation examples call unless they name one: the page's first.
    pub fn first_operation(&self) -> Option<&str> {
        self.operation.as_deref().or_else(|| {
            self.operations
                .iter()
                .flatten()
                .next()
                .map(|o| o.operation.as_str())
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SourceSpec {
    pub page: String,
    #[serde(default)]
    pub url: Option<String>,
    /// Version to the digest of its page as it was last read
    /// (`sha256:` and 16 hex digits): `drift` compares the pages of now
    /// with it.
    #[serde(default)]
    pub read: Option<IndexMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeprecationSpec {
    /// `YYYY-MM-DD`: when the deprecated thing stops working or was deprecated.
    #[serde(default)]
    pub date: Option<String>,
    pub note: String,
    /// Where the deprecation is said, when not on the page the spec is
    /// transcribed from (`the meetingRegistrant resource page`).
    #[serde(default)]
    pub source: Option<String>,
}

/// A request line as the page shows it, where it is wrong, and why.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PathErratumSpec {
    /// The line's path as the page writes it.
    pub template: String,
    pub note: String,
}

/// A condition or note of a page: prose, with an optional command to run and
/// a link to read more.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NoteSpec {
    pub text: String,
    #[serde(default)]
    pub command: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperationVersionSpec {
    pub method: String,
    pub paths: Vec<PathSpec>,
    #[serde(default)]
    pub parameters: IndexMap<String, ParameterSpec>,
    #[serde(default)]
    pub query_options: Vec<String>,
    #[serde(default)]
    pub headers: IndexMap<String, HeaderSpec>,
    #[serde(default)]
    pub body: Option<BodySpec>,
    pub responses: IndexMap<StatusKey, ResponseSpec>,
    pub permissions: PermissionsSpec,
    #[serde(default)]
    pub clouds: Option<Vec<String>>,
    #[serde(default)]
    pub deprecated: Option<DeprecationSpec>,
    #[serde(default)]
    pub notes: Vec<NoteSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PathSpec {
    pub template: String,
    #[serde(default)]
    pub deprecated: Option<DeprecationSpec>,
    /// The permissions table the page gives for this request line alone,
    /// where it gives one per line.
    #[serde(default)]
    pub permissions: Option<PermissionsSpec>,
    /// What the page shows for this request line where it is wrong (a line
    /// that leaves out a segment its own examples call).
    #[serde(default)]
    pub erratum: Option<PathErratumSpec>,
    /// Other pages document this request line too (Graph writes a page per
    /// derived type a request may answer with): each operation that does
    /// marks it `shared`, and each is a typed view of the one request.
    #[serde(default)]
    pub shared: bool,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ParameterLocation {
    Path,
    Query,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ParameterSpec {
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    /// A primitive type name; `String` when absent.
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
    #[serde(default)]
    pub collection: bool,
    /// Path parameters are always required; query parameters default to optional.
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub description: Option<String>,
    /// The name the reference page uses, when the spec had to rename it
    /// (pages often write `{id}` for several parameters of one path).
    #[serde(default)]
    pub documented_as: Option<String>,
    /// A path parameter that may hold `/` (colon addressing:
    /// `/drive/root:/{itemPath}:/content`): each piece between slashes is
    /// encoded on its own and the slashes are kept.
    #[serde(default)]
    pub allow_slash: bool,
    #[serde(default)]
    pub deprecated: Option<DeprecationSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HeaderSpec {
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: Option<String>,
    /// A value the header must or may take, e.g. `Prefer: include-unknown-enum-members`.
    #[serde(default)]
    pub value: Option<String>,
}

/// A request body: a named type, inline action parameters, or raw content.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BodySpec {
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
    #[serde(default)]
    pub collection: bool,
    #[serde(default)]
    pub parameters: Option<IndexMap<String, BodyParameterSpec>>,
    /// `application/json` when absent.
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// For a PATCH of a resource: the properties the page's request-body
    /// table lists as the ones that can be updated.
    #[serde(default)]
    pub updatable: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BodyParameterSpec {
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default)]
    pub collection: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub nullable: Option<bool>,
    #[serde(default)]
    pub max_length: Option<u32>,
    #[serde(default)]
    pub description: Option<String>,
    /// The page's parameter table leaves it out, but its examples send it:
    /// why it is declared all the same.
    #[serde(default)]
    pub undocumented: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResponseSpec {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub body: Option<ResponseBodySpec>,
    #[serde(default)]
    pub headers: IndexMap<String, HeaderSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResponseBodySpec {
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default)]
    pub collection: bool,
    /// The collection comes in pages linked by `@odata.nextLink`.
    #[serde(default)]
    pub paged: bool,
    /// `application/json` when absent; a list where the response may come
    /// in several (`[text/vtt, application/octet-stream]`).
    #[serde(default)]
    pub content_type: Option<OneOrMany>,
}

/// A string, or a list of them.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values, in order.
    pub fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(one) => vec![one.as_str()],
            OneOrMany::Many(many) => many.iter().map(String::as_str).collect(),
        }
    }
}

/// A response status as written: YAML reads `204:` as a number, `"204":` as
/// a string; both are accepted and checked later.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusKey(pub String);

impl<'de> Deserialize<'de> for StatusKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StatusVisitor;
        impl Visitor<'_> for StatusVisitor {
            type Value = StatusKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an HTTP status code such as 200 or 204")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StatusKey, E> {
                Ok(StatusKey(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StatusKey, E> {
                Ok(StatusKey(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<StatusKey, E> {
                Ok(StatusKey(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StatusKey, E> {
                Ok(StatusKey(v.to_owned()))
            }
        }
        deserializer.deserialize_any(StatusVisitor)
    }
}

/// The permissions table of a page: one row per permission type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PermissionsSpec {
    pub delegated_work: PermissionRowSpec,
    pub delegated_personal: PermissionRowSpec,
    pub application: PermissionRowSpec,
}

/// `unsupported`, `none`, or the least and higher privileged permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermissionRowSpec {
    Unsupported,
    /// The page says "None": no permission is needed.
    NotRequired,
    Supported {
        least: Vec<String>,
        /// `None` when the page does not say; `Some([])` for "Not available".
        higher: Option<Vec<String>>,
    },
}

impl<'de> Deserialize<'de> for PermissionRowSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Supported {
            least: Vec<String>,
            #[serde(default)]
            higher: Option<Vec<String>>,
        }
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = PermissionRowSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "`unsupported`, `none` or a mapping with `least` (and optionally `higher`)",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v == "unsupported" {
                    Ok(PermissionRowSpec::Unsupported)
                } else if v == "none" {
                    Ok(PermissionRowSpec::NotRequired)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
                let row = Supported::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(PermissionRowSpec::Supported {
                    least: row.least,
                    higher: row.higher,
                })
            }
        }
        deserializer.deserialize_any(RowVisitor)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExampleSpec {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The operation the example calls, when a page shows a call of another
    /// operation (the participant pages invite before they delete).
    #[serde(default)]
    pub operation: Option<String>,
    pub request: ExampleRequestSpec,
    #[serde(default)]
    pub response: Option<ExampleResponseSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExampleRequestSpec {
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    /// The body exactly as the page shows it.
    #[serde(default)]
    pub body: Option<String>,
    /// What the page shows where it is wrong, kept so that the correction is
    /// reviewable and tested.
    #[serde(default)]
    pub erratum: Option<ErratumSpec>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ErratumSpec {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// The body as the page shows it, where it is wrong.
    #[serde(default)]
    pub body: Option<String>,
    /// The headers as the page shows them, where they are wrong.
    #[serde(default)]
    pub headers: Option<IndexMap<String, String>>,
    pub note: String,
}

/// What the page shows of a response where it is wrong: the status, the
/// headers or the body, with a note that says why.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResponseErratumSpec {
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub headers: Option<IndexMap<String, String>>,
    #[serde(default)]
    pub body: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExampleResponseSpec {
    /// Absent when the page shows no status line.
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    #[serde(default)]
    pub body: Option<String>,
    /// The page says the response "might be shortened for readability".
    #[serde(default)]
    pub truncated: bool,
    /// What the page shows where it is wrong.
    #[serde(default)]
    pub erratum: Option<ResponseErratumSpec>,
}

/// `specs/types/*.yaml`: an entity, complex or enum type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TypeSpec {
    #[serde(rename = "type")]
    pub name: String,
    pub kind: TypeKind,
    #[serde(default)]
    pub description: Option<String>,
    /// `#microsoft.graph.<name>` when absent.
    #[serde(default)]
    pub odata_type: Option<String>,
    #[serde(default)]
    pub base_type: Option<String>,
    #[serde(default, rename = "abstract")]
    pub is_abstract: bool,
    /// An open type keeps properties it does not declare.
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub versions: Option<Vec<String>>,
    #[serde(default)]
    pub deprecated: Option<DeprecationSpec>,
    #[serde(default)]
    pub properties: IndexMap<String, PropertySpec>,
    /// Navigation properties (the resource page's "Relationships" table):
    /// related entities, returned with `$expand` or reached by their path.
    #[serde(default)]
    pub relationships: IndexMap<String, PropertySpec>,
    #[serde(default)]
    pub members: Vec<MemberSpec>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum TypeKind {
    Entity,
    Complex,
    Enum,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PropertySpec {
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default)]
    pub collection: bool,
    #[serde(default)]
    pub nullable: Option<bool>,
    #[serde(default)]
    pub read_only: bool,
    /// The caller must give it when it sends the type: the model's
    /// constructor takes it.
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub versions: Option<Vec<String>>,
    #[serde(default)]
    pub deprecated: Option<DeprecationSpec>,
    /// The type's reference page leaves it out, but the service sends it
    /// (the examples of other pages show it): why it is declared all the same.
    #[serde(default)]
    pub undocumented: Option<String>,
    /// The page's own words for the property where they are wrong (a type
    /// its examples contradict); the spec holds what is right.
    #[serde(default)]
    pub erratum: Option<PropertyErratumSpec>,
}

/// What a type page says of a property where it is wrong.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PropertyErratumSpec {
    /// The type as the page writes it: `String collection`.
    #[serde(rename = "type")]
    pub type_text: String,
    pub note: String,
}

/// An enum member: a bare name, or a mapping with details.
#[derive(Debug, Clone)]
pub struct MemberSpec {
    pub name: String,
    /// Graph sends it only to callers that send
    /// `Prefer: include-unknown-enum-members` (an evolvable member).
    pub evolvable: bool,
    pub description: Option<String>,
    pub versions: Option<Vec<String>>,
    pub deprecated: Option<DeprecationSpec>,
}

impl<'de> Deserialize<'de> for MemberSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            name: String,
            #[serde(default)]
            evolvable: bool,
            #[serde(default)]
            description: Option<String>,
            #[serde(default)]
            versions: Option<Vec<String>>,
            #[serde(default)]
            deprecated: Option<DeprecationSpec>,
        }
        struct MemberVisitor;
        impl<'de> Visitor<'de> for MemberVisitor {
            type Value = MemberSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name, or a mapping with `name`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MemberSpec {
                    name: v.to_owned(),
                    evolvable: false,
                    description: None,
                    versions: None,
                    deprecated: None,
                })
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
                let full = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(MemberSpec {
                    name: full.name,
                    evolvable: full.evolvable,
                    description: full.description,
                    versions: full.versions,
                    deprecated: full.deprecated,
                })
            }
        }
        deserializer.deserialize_any(MemberVisitor)
    }
}
