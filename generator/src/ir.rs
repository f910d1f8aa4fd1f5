//! The validated, name-resolved, sorted model of an API: the only input the
//! emitters see. Everything here was checked by `validate`, so emitters never
//! check again and never fail on a spec.

use std::collections::BTreeMap;

use crate::naming::Name;

/// The feature that compiles every type of the enabled versions, also those
/// no operation of an enabled area uses (types reached only through
/// relationships, notifications or values read by hand).
pub const ALL_TYPES_FEATURE: &str = "all-types";

/// The generated crate's features that are not a version or an area: an
/// area may not take their names.
pub const FIXED_FEATURES: &[&str] = &["default", "reqwest", "azure", "testing", ALL_TYPES_FEATURE];

#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub service: Service,
    /// In the order the service file declares them.
    pub versions: Vec<Version>,
    pub clouds: Vec<Cloud>,
    pub areas: Vec<Area>,
    /// Sorted by documented name.
    pub types: Vec<TypeDef>,
    /// Sorted by documented name.
    pub operations: Vec<Operation>,
    /// Area name -> index into `areas` (which keep the service's order).
    pub area_index: BTreeMap<String, usize>,
    /// Base types that a property, body or response declares and that have
    /// derived types: where they are declared, any derived type may stand,
    /// and the Rust type is the `Any<Base>` enum.
    pub polymorphic: std::collections::BTreeSet<String>,
    /// Example programs written against the generated crate
    /// (`programs/*.rs`), sorted by name.
    pub programs: Vec<Program>,
    /// Each base type's direct derived types (indexes into `types`), built
    /// on first use, once validation has finished with `types`.
    pub derived_index: std::sync::OnceLock<BTreeMap<String, Vec<usize>>>,
}

/// An example program of the specs, copied into the crate's `examples/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// The file stem: `cargo run --example <name>`.
    pub name: String,
    /// Its first `//!` line, for the README.
    pub summary: String,
    /// The cargo features it needs (its `// graphgen: features = ...` line).
    pub features: Vec<String>,
    /// Where it comes from, inside the specs directory.
    pub relative: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: String,
    pub title: String,
    pub namespace: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// As documented: `v1.0`, `beta`.
    pub name: String,
    /// The Rust module and cargo feature: `v1_0`, `beta`.
    pub module: String,
    pub base_path: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cloud {
    pub name: Name,
    pub title: String,
    pub host: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub name: Name,
    /// The cargo feature that compiles the area: kebab-case.
    pub feature: String,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    pub date: Option<String>,
    pub note: String,
    /// Where it is said, when not on the spec's own page.
    pub source: Option<String>,
}

impl Deprecation {
    /// The note, with the date when the note does not already give it, and
    /// where it is said when that is another page.
    pub fn text(&self) -> String {
        let mut text = match &self.date {
            Some(date) if !self.note.contains(date.as_str()) => {
                format!("{} (date: {date})", self.note)
            }
            _ => self.note.clone(),
        };
        if let Some(source) = &self.source {
            text.push_str(&format!(" (as {source} says)"));
        }
        text
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub command: Option<String>,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind {
    Entity,
    Complex,
    Enum,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: Name,
    pub kind: TypeKind,
    pub description: Option<String>,
    pub odata_type: String,
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub open: bool,
    /// The versions that have the type, in service order.
    pub versions: Vec<String>,
    pub deprecated: Option<Deprecation>,
    /// Own properties, in documented order; see [`Api::all_properties`] for
    /// inherited ones.
    pub properties: Vec<Property>,
    pub members: Vec<Member>,
    /// The spec file the type comes from, relative to the specs directory
    /// (`types/identity.yaml`).
    pub file: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: Name,
    pub ty: TypeRef,
    pub collection: bool,
    pub nullable: bool,
    pub read_only: bool,
    /// The caller gives it to the model's constructor (`new(identity)`).
    pub required: bool,
    pub description: Option<String>,
    pub versions: Vec<String>,
    pub deprecated: Option<Deprecation>,
    /// A navigation property (a relationship), not a structural one.
    pub relationship: bool,
}

impl Property {
    /// The key of the type spec that declares it: `properties` or `relationships`.
    pub fn spec_key(&self) -> &'static str {
        if self.relationship {
            "relationships"
        } else {
            "properties"
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub name: Name,
    /// Sent only with `Prefer: include-unknown-enum-members`: marked so by
    /// the spec, or listed after `unknownFutureValue`.
    pub evolvable: bool,
    pub description: Option<String>,
    pub versions: Vec<String>,
    pub deprecated: Option<Deprecation>,
}

/// A reference to a type: an Edm primitive or a type of the specs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Primitive(Primitive),
    Named(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    String,
    Boolean,
    Byte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    Guid,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Binary,
    Stream,
    Json,
}

impl Primitive {
    pub const ALL: [Primitive; 17] = [
        Primitive::String,
        Primitive::Boolean,
        Primitive::Byte,
        Primitive::Int16,
        Primitive::Int32,
        Primitive::Int64,
        Primitive::Single,
        Primitive::Double,
        Primitive::Decimal,
        Primitive::Guid,
        Primitive::DateTimeOffset,
        Primitive::Date,
        Primitive::TimeOfDay,
        Primitive::Duration,
        Primitive::Binary,
        Primitive::Stream,
        Primitive::Json,
    ];

    /// The name spec files use.
    pub fn spec_name(self) -> &'static str {
        match self {
            Primitive::String => "String",
            Primitive::Boolean => "Boolean",
            Primitive::Byte => "Byte",
            Primitive::Int16 => "Int16",
            Primitive::Int32 => "Int32",
            Primitive::Int64 => "Int64",
            Primitive::Single => "Single",
            Primitive::Double => "Double",
            Primitive::Decimal => "Decimal",
            Primitive::Guid => "Guid",
            Primitive::DateTimeOffset => "DateTimeOffset",
            Primitive::Date => "Date",
            Primitive::TimeOfDay => "TimeOfDay",
            Primitive::Duration => "Duration",
            Primitive::Binary => "Binary",
            Primitive::Stream => "Stream",
            Primitive::Json => "Json",
        }
    }

    pub fn from_spec_name(name: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.spec_name() == name)
    }
}

impl TypeRef {
    /// The name spec files use.
    pub fn spec_name(&self) -> &str {
        match self {
            TypeRef::Primitive(p) => p.spec_name(),
            TypeRef::Named(name) => name,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub name: Name,
    /// What the operation does: the page's title, or for a page that
    /// documents several operations, this one's own (unique in the index).
    pub title: String,
    /// The title of the page the operation is documented on.
    pub page_title: String,
    pub summary: String,
    pub description: Option<String>,
    pub area: String,
    pub source_page: Option<String>,
    pub source_url: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub conditions: Vec<Note>,
    pub notes: Vec<Note>,
    /// In service version order.
    pub versions: Vec<OperationVersion>,
    pub examples: Vec<Example>,
    /// Callback payloads the page shows (on the page's first operation).
    pub notifications: Vec<Notification>,
    /// The spec file, relative to the specs directory.
    pub file: String,
}

/// A notification the service sends to the application's callback URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub name: String,
    pub version: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub method: String,
    pub url: Option<String>,
    pub headers: Vec<(String, String)>,
    /// As the page shows it.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OperationVersion {
    pub version: String,
    pub method: Method,
    /// The first path is the primary one; deprecated paths come last.
    pub paths: Vec<PathTemplate>,
    pub parameters: Vec<Parameter>,
    /// OData system query options the operation supports, without `$`.
    pub query_options: Vec<String>,
    pub headers: Vec<Header>,
    pub body: Option<Body>,
    /// Sorted by status.
    pub responses: Vec<Response>,
    pub permissions: Permissions,
    /// `None` when the page does not say.
    pub clouds: Option<Vec<String>>,
    pub deprecated: Option<Deprecation>,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// As the spec writes it, fixed query included.
    pub template: String,
    pub segments: Vec<Segment>,
    /// The fixed query of a request line: `?$filter=JoinWebUrl eq '{joinWebUrl}'`.
    pub query: Vec<FixedQuery>,
    pub deprecated: Option<Deprecation>,
    /// The page's permissions table for this line alone, where it has one
    /// per line; else the operation version's applies.
    pub permissions: Option<Permissions>,
    /// Other operations are documented at this request line too (one page
    /// per derived type of the response).
    pub shared: bool,
    /// The line as the page shows it, where it is wrong.
    pub erratum: Option<PathErratum>,
}

/// A request line as the page shows it, and why the spec's differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathErratum {
    pub shown: String,
    pub note: String,
}

/// One `key=value` pair of a request line's fixed query. The value is a
/// template: literals and `{parameters}`; a parameter inside `'...'` is an
/// OData string literal (a `'` in the value is doubled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedQuery {
    pub key: String,
    pub value: Vec<SegmentPart>,
}

impl FixedQuery {
    /// The parameters of the value, each with whether it is OData-quoted.
    pub fn parameters(&self) -> impl Iterator<Item = (&str, bool)> {
        self.value.iter().enumerate().filter_map(|(i, part)| match part {
            SegmentPart::Parameter(name) => {
                let quoted = i > 0
                    && matches!(&self.value[i - 1], SegmentPart::Literal(l) if l.ends_with('\''));
                Some((name.as_str(), quoted))
            }
            SegmentPart::Literal(_) => None,
        })
    }
}

/// One `/`-separated piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub parts: Vec<SegmentPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentPart {
    Literal(String),
    Parameter(String),
}

impl Segment {
    /// The parameter, when the whole segment is one (`{callId}`).
    pub fn sole_parameter(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [SegmentPart::Parameter(name)] => Some(name),
            _ => None,
        }
    }

    /// The literal text, when the segment has no parameter.
    pub fn literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [SegmentPart::Literal(text)] => Some(text),
            _ => None,
        }
    }

    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            SegmentPart::Parameter(name) => Some(name.as_str()),
            SegmentPart::Literal(_) => None,
        })
    }
}

impl PathTemplate {
    /// The parameters of the path's segments, in order.
    pub fn segment_parameters(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().flat_map(Segment::parameters)
    }

    /// The parameters of the fixed query, in order.
    pub fn query_parameters(&self) -> impl Iterator<Item = &str> {
        self.query
            .iter()
            .flat_map(|q| q.parameters().map(|(name, _)| name))
    }

    /// Every parameter of the request line: the segments', then the query's.
    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.segment_parameters().chain(self.query_parameters())
    }

    /// The path without its fixed query.
    pub fn path_only(&self) -> &str {
        self.template.split('?').next().unwrap_or(&self.template)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    Path,
    Query,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: Name,
    pub location: ParameterLocation,
    pub ty: Primitive,
    pub collection: bool,
    pub required: bool,
    pub description: Option<String>,
    pub documented_as: Option<String>,
    /// A path parameter that may hold `/`: encoded piece by piece.
    pub allow_slash: bool,
    /// Named in a request line (its path or fixed query): a value of the
    /// paths that name it, not a field of the operation.
    pub in_request_line: bool,
    pub deprecated: Option<Deprecation>,
}

/// Headers the runtime or the request body set: never an operation's field.
pub const MANAGED_HEADERS: &[&str] = &["authorization", "content-type", "content-length"];

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub name: String,
    pub required: bool,
    pub description: Option<String>,
    pub value: Option<String>,
}

impl Header {
    /// Set by the runtime or the body, so never a field or an argument.
    pub fn is_managed(&self) -> bool {
        MANAGED_HEADERS.contains(&self.name.to_ascii_lowercase().as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// JSON of a named type (or a collection of it).
    Typed {
        ty: TypeRef,
        collection: bool,
        description: Option<String>,
        /// For an update (PATCH of one resource): the properties the caller
        /// may send, each left unchanged, cleared or set. Read-only ones and
        /// those the page does not list are not among them.
        update: Option<Vec<String>>,
    },
    /// An action's inline parameters, sent as one JSON object.
    Parameters {
        parameters: Vec<BodyParameter>,
        description: Option<String>,
    },
    /// Raw bytes of a content type other than JSON.
    Raw {
        content_type: String,
        description: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct BodyParameter {
    pub name: Name,
    pub ty: TypeRef,
    pub collection: bool,
    pub required: bool,
    pub nullable: bool,
    pub max_length: Option<u32>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub description: Option<String>,
    pub body: Option<ResponseBody>,
    pub headers: Vec<Header>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Json {
        ty: TypeRef,
        collection: bool,
        paged: bool,
    },
    /// Content of other media types, streamed to the caller.
    Raw {
        /// Every content type the page says it may come in.
        content_types: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PermissionType {
    DelegatedWork,
    DelegatedPersonal,
    Application,
}

impl PermissionType {
    pub const ALL: [PermissionType; 3] = [
        PermissionType::DelegatedWork,
        PermissionType::DelegatedPersonal,
        PermissionType::Application,
    ];

    /// As the reference pages write it.
    pub fn title(self) -> &'static str {
        match self {
            PermissionType::DelegatedWork => "Delegated (work or school account)",
            PermissionType::DelegatedPersonal => "Delegated (personal Microsoft account)",
            PermissionType::Application => "Application",
        }
    }

    pub fn spec_key(self) -> &'static str {
        match self {
            PermissionType::DelegatedWork => "delegatedWork",
            PermissionType::DelegatedPersonal => "delegatedPersonal",
            PermissionType::Application => "application",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permissions {
    pub delegated_work: PermissionRow,
    pub delegated_personal: PermissionRow,
    pub application: PermissionRow,
}

impl Permissions {
    pub fn row(&self, ty: PermissionType) -> &PermissionRow {
        match ty {
            PermissionType::DelegatedWork => &self.delegated_work,
            PermissionType::DelegatedPersonal => &self.delegated_personal,
            PermissionType::Application => &self.application,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermissionRow {
    Unsupported,
    /// The page says "None": the permission type needs no permission.
    NotRequired,
    Supported {
        least: Vec<String>,
        higher: Vec<String>,
        /// Whether the page has a higher-privileged column at all.
        higher_documented: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The operation called: the spec's own unless the example says otherwise.
    pub operation: String,
    pub version: String,
    pub request: ExampleRequest,
    pub response: Option<ExampleResponse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExampleRequest {
    pub method: Method,
    pub url: String,
    /// Index into the operation version's `paths` of the path the URL matches.
    pub path_index: usize,
    /// The path parameters' values, decoded, by parameter name.
    pub path_values: BTreeMap<String, String>,
    /// The query string's pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<ExampleBody>,
    pub erratum: Option<Erratum>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erratum {
    pub method: Option<String>,
    pub url: Option<String>,
    /// The body the page shows.
    pub body: Option<String>,
    /// The headers the page shows.
    pub headers: Option<Vec<(String, String)>>,
    pub note: String,
}

impl Erratum {
    /// What the page shows, in a line: `POST`, `the body`, ...
    pub fn shown(&self) -> String {
        let mut parts: Vec<String> = [self.method.as_deref(), self.url.as_deref()]
            .into_iter()
            .flatten()
            .map(|s| format!("`{s}`"))
            .collect();
        if self.headers.is_some() {
            parts.push("other headers".to_owned());
        }
        if self.body.is_some() {
            parts.push("another body".to_owned());
        }
        parts.join(", ")
    }
}

/// What the page shows of an example response where it is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseErratum {
    pub status: Option<u16>,
    pub headers: Option<Vec<(String, String)>>,
    pub body: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExampleResponse {
    /// The status shown, or for a page that shows none, the documented
    /// success status the example stands for.
    pub status: u16,
    /// Whether the page shows a status line.
    pub status_shown: bool,
    pub headers: Vec<(String, String)>,
    pub body: Option<ExampleBody>,
    pub truncated: bool,
    pub erratum: Option<ResponseErratum>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExampleBody {
    /// As the page shows it.
    pub text: String,
    /// Parsed, when the body is JSON.
    pub json: Option<serde_json::Value>,
}

impl Api {
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.name.documented.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations
            .binary_search_by(|o| o.name.documented.as_str().cmp(name))
            .ok()
            .map(|i| &self.operations[i])
    }

    pub fn area(&self, name: &str) -> Option<&Area> {
        self.area_index.get(name).map(|&i| &self.areas[i])
    }

    pub fn version(&self, name: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.name == name)
    }

    /// The types derived from `name`, directly or not, in a version, by name.
    pub fn derived_types<'a>(&'a self, name: &str, version: &str) -> Vec<&'a TypeDef> {
        let index = self.derived_index.get_or_init(|| {
            let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, t) in self.types.iter().enumerate() {
                if let Some(base) = &t.base_type {
                    index.entry(base.clone()).or_default().push(i);
                }
            }
            index
        });
        let mut found: Vec<usize> = Vec::new();
        let mut stack: Vec<&str> = vec![name];
        // Validation rejects inheritance cycles; `found` bounds the walk anyway.
        while let Some(current) = stack.pop() {
            for &i in index.get(current).into_iter().flatten() {
                if !found.contains(&i) && found.len() < self.types.len() {
                    found.push(i);
                    stack.push(self.types[i].name.documented.as_str());
                }
            }
        }
        // In the order of `types`: by name.
        found.sort_unstable();
        found
            .into_iter()
            .map(|i| &self.types[i])
            .filter(|t| t.versions.iter().any(|v| v == version))
            .collect()
    }

    /// Whether `ty` derives from `base`, directly or not (not itself).
    pub fn derives_from(&self, ty: &TypeDef, base: &str) -> bool {
        let mut current = ty.base_type.as_deref();
        let mut steps = 0;
        while let Some(name) = current {
            if name == base {
                return true;
            }
            // Validation rejects cycles; the bound is a second guard.
            steps += 1;
            if steps > self.types.len() {
                return false;
            }
            current = self.type_def(name).and_then(|t| t.base_type.as_deref());
        }
        false
    }

    /// The type whose `@odata.type` is `tag` (with or without `#`).
    pub fn type_by_odata(&self, tag: &str) -> Option<&TypeDef> {
        let bare = tag.strip_prefix('#').unwrap_or(tag);
        self.types.iter().find(|t| {
            t.odata_type
                .strip_prefix('#')
                .unwrap_or(&t.odata_type)
                .eq_ignore_ascii_case(bare)
        })
    }

    /// The type's properties in a version, inherited ones first (base before
    /// derived), as they appear on the wire.
    pub fn all_properties<'a>(&'a self, ty: &'a TypeDef, version: &str) -> Vec<&'a Property> {
        let mut chain = vec![ty];
        let mut current = ty;
        while let Some(base) = current.base_type.as_deref().and_then(|b| self.type_def(b)) {
            // Validation rejects inheritance cycles; the bound is a second guard.
            if chain.len() > self.types.len() {
                break;
            }
            chain.push(base);
            current = base;
        }
        chain
            .iter()
            .rev()
            .flat_map(|t| t.properties.iter())
            .filter(|p| p.versions.iter().any(|v| v == version))
            .collect()
    }
}

impl Operation {
    pub fn version(&self, name: &str) -> Option<&OperationVersion> {
        self.versions.iter().find(|v| v.version == name)
    }
}

/// What a successful call gives the caller: the one answer the emitter and
/// the changelog both ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// No success response has a body.
    Nothing,
    /// Every success response is a documented redirect (302, 303): the
    /// caller gets its `Location`.
    Redirect,
    /// Bytes of another media type.
    Bytes { content_type: String },
    /// JSON of a type; `collection` answers are pages. `optional` when some
    /// success response has no body.
    Json {
        ty: TypeRef,
        collection: bool,
        optional: bool,
    },
}

impl OperationVersion {
    /// The success (2xx, 3xx) responses, by status.
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses
            .iter()
            .filter(|r| (200..400).contains(&r.status))
    }

    /// What a successful call gives the caller.
    pub fn output(&self) -> Output {
        if self.successes().next().is_some() && self.successes().all(|r| r.status >= 300) {
            return Output::Redirect;
        }
        let some_without = self.successes().any(|r| r.body.is_none());
        match self.successes().find_map(|r| r.body.as_ref()) {
            None => Output::Nothing,
            Some(ResponseBody::Raw { content_types }) => Output::Bytes {
                content_type: content_types.join(", "),
            },
            Some(ResponseBody::Json { ty, collection, .. }) => Output::Json {
                ty: ty.clone(),
                collection: *collection,
                optional: some_without,
            },
        }
    }
}

impl Output {
    /// In words, for changelogs: "a page of identity", "maybe meetingRegistrant".
    pub fn describe(&self) -> String {
        match self {
            Output::Nothing => "nothing".to_owned(),
            Output::Redirect => "a redirect (its Location)".to_owned(),
            Output::Bytes { content_type } => format!("a download ({content_type})"),
            Output::Json {
                ty,
                collection,
                optional,
            } => format!(
                "{}{}",
                if *optional { "maybe " } else { "" },
                if *collection {
                    format!("a page of {}", ty.spec_name())
                } else {
                    ty.spec_name().to_owned()
                }
            ),
        }
    }
}
