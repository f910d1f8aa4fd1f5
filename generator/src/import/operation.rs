//! An operation page, one API version of it, read into the facts a spec
//! states: request lines, parameters, query options, headers, body,
//! responses, permissions, clouds, notes and examples.
//!
//! What the page leaves open is recorded as a [`Point`] at the fact it
//! concerns, never decided silently.

use indexmap::IndexMap;

use super::markdown::{self, Block, BlockKind, Page};
use super::typeref::{self, TypeIndex};

/// Something a person should confirm: where it is and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub line: usize,
    /// A short class for the report ("two {id}s named from the path").
    pub reason: &'static str,
    pub text: String,
}

/// One version of an operation page, read.
#[derive(Debug, Clone, Default)]
pub struct PageFacts {
    pub title: String,
    pub summary: String,
    pub description: Option<String>,
    pub notes: Vec<Note>,
    pub conditions: Vec<Note>,
    pub product: Option<String>,
    pub lines: Vec<RequestLine>,
    pub parameters: IndexMap<String, Parameter>,
    pub query_options: Vec<String>,
    pub headers: IndexMap<String, Header>,
    pub body: Option<Body>,
    pub responses: IndexMap<u16, Response>,
    pub permissions: Option<Permissions>,
    /// Per request line, where the page gives a table per line.
    pub line_permissions: Vec<Option<Permissions>>,
    pub clouds: Option<Vec<String>>,
    pub examples: Vec<Example>,
    pub points: Vec<Point>,
    /// The page is not an operation page, or has no request line.
    pub failure: Option<String>,
    /// The Request body section says to supply none.
    pub no_body_stated: bool,
    /// The page's digest (`Docs::page_digest`), recorded as `source.read`.
    pub digest: Option<String>,
}

/// A note or condition: its text, a command it shows, a page it links to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Note {
    pub text: String,
    pub command: Option<String>,
    pub link: Option<String>,
}

impl Note {
    /// A note from markdown: links become their text, and the first
    /// absolute link is kept as the note's link.
    pub fn from_markdown(text: &str) -> Note {
        let link = markdown::links(text)
            .into_iter()
            .map(|(_, target)| target)
            .find(|t| t.starts_with("https://") || t.starts_with("http://"));
        // Paragraphs stay paragraphs; the lines of one are joined, list
        // items kept on their own lines.
        let paragraphs: Vec<String> = text
            .split("\n\n")
            .map(|p| {
                let mut out = String::new();
                for line in p.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    if !out.is_empty() {
                        out.push(if line.starts_with("- ") || line.starts_with("* ") {
                            '\n'
                        } else {
                            ' '
                        });
                    }
                    out.push_str(line);
                }
                markdown::plain(&out)
            })
            .filter(|p| !p.is_empty())
            .collect();
        Note {
            text: paragraphs.join("\n\n"),
            command: None,
            link,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub method: String,
    pub template: String,
    pub deprecated: Option<String>,
    pub line: usize,
    /// Other pages that document this request line too.
    pub shared_with: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parameter {
    pub in_query: bool,
    pub documented_as: Option<String>,
    pub allow_slash: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    pub type_name: Option<String>,
    pub collection: bool,
    pub parameters: IndexMap<String, BodyParameter>,
    pub content_type: Option<String>,
    pub description: Option<String>,
    pub updatable: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyParameter {
    pub type_name: String,
    pub collection: bool,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    pub description: Option<String>,
    pub body: Option<(String, bool)>,
    pub paged: bool,
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Unsupported,
    /// The cell says "None": no permission is needed.
    NotRequired,
    Supported {
        least: Vec<String>,
        higher: Option<Vec<String>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permissions {
    pub delegated_work: Row,
    pub delegated_personal: Row,
    pub application: Row,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Example {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub method: String,
    pub url: String,
    pub headers: IndexMap<String, String>,
    pub body: Option<String>,
    pub response: Option<ExampleResponse>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExampleResponse {
    /// The type the annotation before the response names, and whether it
    /// says the body is a collection.
    pub annotated: Option<(String, bool)>,
    pub status: Option<u16>,
    pub headers: IndexMap<String, String>,
    pub body: Option<String>,
    pub truncated: bool,
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

/// A page's sections: the heading text (lowercase) and the blocks under it.
struct Section<'a> {
    heading: String,
    line: usize,
    blocks: &'a [Block],
}

fn sections(page: &Page) -> (Vec<&Block>, Vec<Section<'_>>) {
    let mut intro = Vec::new();
    let mut out: Vec<Section> = Vec::new();
    let mut start: Option<(String, usize, usize)> = None;
    for (i, block) in page.blocks.iter().enumerate() {
        if let BlockKind::Heading { level: 2, text } = &block.kind {
            if let Some((heading, line, from)) = start.take() {
                out.push(Section {
                    heading,
                    line,
                    blocks: &page.blocks[from..i],
                });
            }
            start = Some((text.to_ascii_lowercase(), block.line, i + 1));
        } else if start.is_none() {
            intro.push(block);
        }
    }
    if let Some((heading, line, from)) = start {
        out.push(Section {
            heading,
            line,
            blocks: &page.blocks[from..],
        });
    }
    (intro, out)
}

fn find<'a>(sections: &'a [Section<'a>], names: &[&str]) -> Option<&'a Section<'a>> {
    sections
        .iter()
        .find(|s| names.iter().any(|n| s.heading.starts_with(n)))
}

/// Reads one version of an operation page.
pub fn read(page: &Page, version: &str, types: &TypeIndex) -> PageFacts {
    let mut facts = PageFacts {
        product: page.front.get("ms.prod").cloned(),
        ..PageFacts::default()
    };
    let (intro, sections) = sections(page);
    facts.title = page
        .front
        .get("title")
        .cloned()
        .or_else(|| {
            intro.iter().find_map(|b| match &b.kind {
                BlockKind::Heading { level: 1, text } => Some(text.clone()),
                _ => None,
            })
        })
        .unwrap_or_default();
    read_intro(&intro, &mut facts);
    let Some(http) = find(&sections, &["http request"]) else {
        facts.failure = Some("no HTTP request section".into());
        return facts;
    };
    read_request_lines(http, &mut facts);
    if facts.lines.is_empty() {
        facts.failure = Some("no request line in the HTTP request section".into());
        return facts;
    }
    name_parameters(&mut facts);
    read_clouds(&page.blocks, &mut facts);
    let permission_section = find(&sections, &["permissions"]).or_else(|| {
        // Intune pages keep the table under "Prerequisites".
        sections.iter().find(|s| {
            s.blocks.iter().any(|b| matches!(&b.kind, BlockKind::Table { header, .. } if header.first().is_some_and(|h| h.to_ascii_lowercase().contains("permission type"))))
        })
    });
    if let Some(section) = permission_section {
        read_permissions(section, &mut facts);
    } else if let Some(first) = intro
        .iter()
        .find(|b| matches!(&b.kind, BlockKind::Table { header, .. } if header.first().is_some_and(|h| h.to_ascii_lowercase().contains("permission type"))))
    {
        // Some pages give the table without a heading, before "HTTP request".
        let start = page.blocks.iter().position(|b| b == *first).unwrap_or(0);
        let end = page.blocks[start..]
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Heading { .. }))
            .map_or(page.blocks.len(), |e| start + e);
        let section = Section {
            heading: "permissions".into(),
            line: first.line,
            blocks: &page.blocks[start..end],
        };
        read_permissions(&section, &mut facts);
    } else {
        facts.points.push(Point {
            line: 1,
            reason: "no permissions section",
            text: "the page has no Permissions section; no permissions imported".into(),
        });
    }
    if let Some(section) = find(
        &sections,
        &["optional query parameters", "query parameters"],
    ) {
        read_query_options(section, &mut facts);
    }
    if let Some(section) = find(&sections, &["request headers", "request header"]) {
        read_headers(section, &mut facts);
    }
    let method = facts.lines[0].method.clone();
    if let Some(section) = find(&sections, &["request body"]) {
        read_body(section, &method, types, &mut facts);
    }
    if let Some(section) = find(&sections, &["response"]) {
        read_responses(section, &method, types, &mut facts);
    }
    let example_blocks: Vec<&Block> = sections
        .iter()
        .filter(|s| s.heading.starts_with("example"))
        .flat_map(|s| s.blocks.iter())
        .collect();
    read_examples(&example_blocks, version, &mut facts);
    let response_line = find(&sections, &["response"]).map_or(1, |s| s.line);
    complete_from_examples(&mut facts, response_line, types);
    complete_update_type(&mut facts, types);
    facts
}

/// Where the Response section leaves out a status or a type, the page's
/// examples and their annotations say it; each such fill is a point.
fn complete_from_examples(facts: &mut PageFacts, line: usize, types: &TypeIndex) {
    if facts.responses.is_empty() {
        let mut statuses: Vec<u16> = facts
            .examples
            .iter()
            .filter_map(|e| e.response.as_ref().and_then(|r| r.status))
            .collect();
        statuses.sort();
        statuses.dedup();
        if statuses.is_empty() {
            statuses.push(200);
        }
        facts.points.push(Point {
            line,
            reason: "no response status",
            text: format!(
                "the Response section names no status code; {} taken from the examples",
                statuses
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        for s in statuses {
            facts.responses.insert(s, Response::default());
        }
    }
    // Query options the examples use that the page does not name ("This
    // method supports the OData query parameters").
    let mut used = Vec::new();
    for e in &facts.examples {
        let Some((_, query)) = e.url.split_once('?') else {
            continue;
        };
        for pair in query.split('&') {
            let key = pair.split('=').next().unwrap_or("");
            if let Some(option) = key.strip_prefix('$') {
                let known = crate::validate::QUERY_OPTIONS
                    .iter()
                    .find(|k| k.eq_ignore_ascii_case(option));
                let fixed = facts
                    .lines
                    .iter()
                    .any(|l| l.template.contains(&format!("${option}=")));
                if let (Some(k), false) = (known, fixed) {
                    let option = format!("${k}");
                    if !facts.query_options.contains(&option) && !used.contains(&option) {
                        used.push(option);
                    }
                }
            }
        }
    }
    if !used.is_empty() {
        facts.points.push(Point {
            line,
            reason: "query options only the examples name",
            text: format!(
                "the examples use {}, which the query-parameter section does not name; declared",
                used.join(", ")
            ),
        });
        facts.query_options.extend(used);
    }
    let examples = facts.examples.clone();
    let method = facts.lines[0].method.clone();
    for (status, response) in facts.responses.iter_mut() {
        // A single object in the prose, a `value` array in the example and
        // the annotation: the page's example decides, and says so.
        if let Some((name, false)) = &response.body {
            let collection_example = examples.iter().any(|e| {
                e.response.as_ref().is_some_and(|r| {
                    r.status.is_none_or(|s| s == *status)
                        && (r.annotated.as_ref().is_some_and(|(_, c)| *c)
                            || r.body.as_deref().is_some_and(has_value_array))
                })
            });
            if collection_example {
                let name = name.clone();
                facts.points.push(Point {
                    line,
                    reason: "a collection the prose calls an object",
                    text: format!(
                        "the Response section names a {name} object for {status}; the example answers with a collection of them, which is declared"
                    ),
                });
                response.body = Some((name, true));
                response.paged = method == "GET";
            }
        }
        if response.body.is_some() || !(200..300).contains(status) || *status == 204 {
            continue;
        }
        let annotated = examples.iter().find_map(|e| {
            let r = e.response.as_ref()?;
            if r.status.is_some_and(|s| s != *status) || r.body.is_none() {
                return None;
            }
            r.annotated.clone()
        });
        if let Some((name, collection)) = annotated {
            if let Some(known) = types.knows(&name) {
                response.body = Some((known.to_owned(), collection));
                response.paged = collection && facts.lines[0].method == "GET";
                facts.points.push(Point {
                    line,
                    reason: "a response type from the example",
                    text: format!(
                        "the Response section names no type for {status}; the example's annotation gives {known}{}",
                        if collection { " (a collection)" } else { "" }
                    ),
                });
            }
        }
    }
}

/// Page text quoted in a point, cut to a readable length.
pub fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// A JSON body of the form `{"value": [...]}`.
fn has_value_array(body: &str) -> bool {
    matches!(
        serde_json::from_str::<serde_json::Value>(body),
        Ok(serde_json::Value::Object(map)) if map.get("value").is_some_and(|v| v.is_array())
    )
}

/// An update whose body table links no type updates the resource the
/// title or the response names.
fn complete_update_type(facts: &mut PageFacts, types: &TypeIndex) {
    let Some(body) = facts.body.as_mut() else {
        return;
    };
    if body.type_name.is_some() || body.updatable.is_none() {
        return;
    }
    let from_title = facts
        .title
        .split_whitespace()
        .last()
        .and_then(|w| types.knows(&typeref::clean_name(w)).map(str::to_owned));
    let from_response = facts
        .responses
        .values()
        .find_map(|r| r.body.as_ref().map(|(t, _)| t.clone()));
    let line = facts.lines[0].line;
    match from_title.clone().or(from_response) {
        Some(t) => {
            facts.points.push(Point {
                line,
                reason: "an update whose type is not named",
                text: format!(
                    "the request body lists properties to update but links no type; {t} is taken from the {}",
                    if from_title.is_some() { "title" } else { "response" }
                ),
            });
            body.type_name = Some(t);
        }
        None => {
            facts.points.push(Point {
                line,
                reason: "a request body without a type",
                text: "the request body lists properties to update but names no type; no body imported".into(),
            });
            facts.body = None;
        }
    }
}

fn read_intro(intro: &[&Block], facts: &mut PageFacts) {
    let mut paragraphs = Vec::new();
    for block in intro {
        match &block.kind {
            BlockKind::Paragraph(text) => {
                // The national-cloud include's lead-in: its table says it.
                if text.starts_with("Namespace:")
                    || text.starts_with("This API is available in the following")
                {
                    continue;
                }
                paragraphs.push(Note::from_markdown(text).text);
            }
            BlockKind::Quote(text) => {
                if text.contains("[!IMPORTANT]") && text.contains("/beta") {
                    // The beta notice: the docs write it on every beta page.
                    continue;
                }
                if text.contains("[!INCLUDE") {
                    continue;
                }
                facts.notes.push(Note::from_markdown(&note_markdown(text)));
            }
            _ => {}
        }
    }
    let first = paragraphs.first().cloned().unwrap_or_default();
    let (summary, rest) = split_first_sentence(&first);
    facts.summary = if summary.is_empty() {
        facts.title.clone()
    } else {
        summary
    };
    let mut description: Vec<String> = Vec::new();
    if !rest.is_empty() {
        description.push(rest);
    }
    description.extend(paragraphs.into_iter().skip(1));
    if !description.is_empty() {
        facts.description = Some(description.join("\n\n"));
    }
}

/// A note's text without its `**Note:**` or `[!NOTE]` marker, links as text.
fn note_text(text: &str) -> String {
    markdown::plain(&note_markdown(text))
}

/// A note's markdown without its `**Note:**` or `[!NOTE]` marker.
fn note_markdown(text: &str) -> String {
    let mut t = text.trim();
    for marker in [
        "[!NOTE]",
        "[!TIP]",
        "[!IMPORTANT]",
        "[!CAUTION]",
        "[!WARNING]",
    ] {
        t = t.trim_start_matches(marker).trim_start();
    }
    for marker in [
        "**Note:**",
        "**Note**:",
        "**Notes:**",
        "**Important:**",
        "**Tip:**",
        "Note:",
    ] {
        t = t.trim_start_matches(marker).trim_start();
    }
    t.to_owned()
}

/// The first sentence of a paragraph, and the rest.
pub fn split_first_sentence(text: &str) -> (String, String) {
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'.' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            // "e.g. " and "i.e. " do not end a sentence.
            let before = &text[..i];
            if before.ends_with("e.g") || before.ends_with("i.e") || before.ends_with("etc") {
                continue;
            }
            return (
                text[..=i].trim().to_owned(),
                text[i + 1..].trim().to_owned(),
            );
        }
    }
    (text.trim().to_owned(), String::new())
}

fn read_request_lines(section: &Section, facts: &mut PageFacts) {
    let mut deprecated_prefix: Vec<String> = Vec::new();
    for block in section.blocks {
        match &block.kind {
            BlockKind::Code { text, .. } => {
                for (offset, raw) in text.lines().enumerate() {
                    let raw = raw.trim();
                    let Some((method, rest)) = raw.split_once(' ') else {
                        continue;
                    };
                    let method = method.to_ascii_uppercase();
                    if !METHODS.contains(&method.as_str()) {
                        continue;
                    }
                    let mut template = normalize_template(rest.trim());
                    if template.is_empty() {
                        continue;
                    }
                    if template.len() > 1 && template.ends_with('/') && !template.contains('?') {
                        facts.points.push(Point {
                            line: block.line + 1 + offset,
                            reason: "a request line ending in /",
                            text: format!(
                                "the page writes `{template}`; the trailing `/` is dropped"
                            ),
                        });
                        template.pop();
                    }
                    if facts
                        .lines
                        .iter()
                        .any(|l| l.template == template && l.method == method)
                    {
                        continue;
                    }
                    facts.lines.push(RequestLine {
                        method,
                        template,
                        deprecated: None,
                        line: block.line + 1 + offset,
                        shared_with: Vec::new(),
                    });
                }
            }
            BlockKind::Quote(text) | BlockKind::Paragraph(text)
                if text.to_ascii_lowercase().contains("deprecated") =>
            {
                // "> **Note:** The `/app` path is deprecated. Going forward,
                // use the `/communications` path.": the first path of the
                // sentence that says "deprecated" is the deprecated one.
                for sentence in text.split(". ") {
                    if !sentence.to_ascii_lowercase().contains("deprecated") {
                        continue;
                    }
                    let Some(span) = sentence
                        .split('`')
                        .skip(1)
                        .step_by(2)
                        .find(|s| s.starts_with('/'))
                    else {
                        continue;
                    };
                    deprecated_prefix.push(span.to_owned());
                    for line in &mut facts.lines {
                        if line.template.starts_with(span) {
                            line.deprecated = Some(note_text(text));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let methods: std::collections::BTreeSet<&str> =
        facts.lines.iter().map(|l| l.method.as_str()).collect();
    if methods.len() > 1 {
        let first = facts.lines[0].method.clone();
        let dropped: Vec<String> = facts
            .lines
            .iter()
            .filter(|l| l.method != first)
            .map(|l| format!("{} {}", l.method, l.template))
            .collect();
        facts.points.push(Point {
            line: section.line,
            reason: "request lines of several methods",
            text: format!(
                "the page documents request lines of several methods; only the {first} lines are imported, not {}",
                shorten(&dropped.join(", "))
            ),
        });
        facts.lines.retain(|l| l.method == first);
    }
}

/// A request line's path as a template: host and version removed, a space
/// or stray character ended.
pub fn normalize_template(raw: &str) -> String {
    let mut t = raw.trim();
    for prefix in [
        "https://graph.microsoft.com",
        "https://graph.microsoft.us",
        "https://dod-graph.microsoft.us",
        "https://microsoftgraph.chinacloudapi.cn",
    ] {
        t = t.strip_prefix(prefix).unwrap_or(t);
    }
    for version in ["/v1.0", "/beta"] {
        if let Some(rest) = t.strip_prefix(version) {
            if rest.starts_with('/') {
                t = rest;
            }
        }
    }
    // "GET /me/events HTTP/1.1" and trailing prose.
    let t = t.split(" HTTP/").next().unwrap_or(t).trim();
    let mut out = String::new();
    let mut depth = 0usize;
    for c in t.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            // A space outside a placeholder and before any query ends the
            // path (a fixed query's value may hold spaces).
            ' ' if depth == 0 && !out.contains('?') => break,
            _ => {}
        }
        out.push(c);
    }
    let out = out.trim().to_owned();
    if !out.starts_with('/') {
        return String::new();
    }
    out
}

/// Names the placeholders of the request lines: `{id}` after `calls/` is
/// `callId`; `{user-id}` is `userId`; the page's spelling is kept as
/// `documentedAs`. Colon-addressed placeholders may hold `/`.
fn name_parameters(facts: &mut PageFacts) {
    let mut renamed_ids = Vec::new();
    for line_index in 0..facts.lines.len() {
        let template = facts.lines[line_index].template.clone();
        let mut out = String::new();
        let mut rest = template.as_str();
        let mut used: Vec<String> = Vec::new();
        while let Some(open) = rest.find('{') {
            let Some(close_rel) = rest[open..].find('}') else {
                break;
            };
            let close = open + close_rel;
            let before = &rest[..open];
            out.push_str(before);
            let token = rest[open + 1..close].trim();
            let context = out.clone();
            let in_query = context.contains('?');
            let previous_segment = context
                .trim_end_matches(['/', '(', '=', '\'', ':'])
                .rsplit(['/', '?', '&', '('])
                .next()
                .unwrap_or("")
                .trim_end_matches(['=', '\''])
                .to_owned();
            let after = &rest[close + 1..];
            let allow_slash =
                context.ends_with(":/") || context.ends_with(':') && after.starts_with(':');
            let mut name = parameter_name(token, &previous_segment);
            let mut n = 2;
            while used.contains(&name) {
                name = format!("{}{n}", parameter_name(token, &previous_segment));
                n += 1;
            }
            used.push(name.clone());
            if token != name && token.eq_ignore_ascii_case("id") {
                renamed_ids.push(name.clone());
            }
            let documented_as = (token != name).then(|| token.to_owned());
            let entry = facts.parameters.entry(name.clone()).or_default();
            entry.in_query |= in_query;
            entry.allow_slash |= allow_slash;
            if entry.documented_as.is_none() {
                entry.documented_as = documented_as;
            }
            out.push('{');
            out.push_str(&name);
            out.push('}');
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        facts.lines[line_index].template = out;
    }
    renamed_ids.sort();
    renamed_ids.dedup();
    if !renamed_ids.is_empty() {
        facts.points.push(Point {
            line: facts.lines[0].line,
            reason: "{id} named from the path",
            text: format!(
                "the page writes {{id}}; named {} from the path",
                renamed_ids.join(", ")
            ),
        });
    }
}

/// A parameter name for a placeholder: an identifier in lowerCamel case.
pub fn parameter_name(token: &str, previous_segment: &str) -> String {
    let token = token.trim();
    // `{id | userPrincipalName}`: the first spelling names it.
    let first = token.split('|').next().unwrap_or("").trim();
    let is_generic = first.eq_ignore_ascii_case("id") || first.is_empty();
    let base = if is_generic {
        let segment = previous_segment
            .split(['(', '\''])
            .next()
            .unwrap_or("")
            .trim_start_matches('$');
        let singular = singular(segment);
        if singular.is_empty() {
            "id".to_owned()
        } else {
            format!("{singular}-id")
        }
    } else {
        first.to_owned()
    };
    let camel = lower_camel(&base);
    if camel.is_empty() || camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("p{camel}")
    } else {
        camel
    }
}

fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("sses") || word.ends_with("ches") || word.ends_with("shes") {
        word[..word.len() - 2].to_owned()
    } else if let Some(stem) = word.strip_suffix('s') {
        if stem.ends_with('s') {
            word.to_owned()
        } else {
            stem.to_owned()
        }
    } else {
        word.to_owned()
    }
}

/// `user-id` → `userId`, `userPrincipalName` kept, other characters dropped.
pub fn lower_camel(text: &str) -> String {
    let mut out = String::new();
    let mut upper_next = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if out.is_empty() {
                out.push(c.to_ascii_lowercase());
            } else if upper_next {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper_next = false;
        } else {
            upper_next = !out.is_empty();
        }
    }
    out
}

fn read_clouds(blocks: &[Block], facts: &mut PageFacts) {
    for block in blocks {
        if let BlockKind::Table { header, rows } = &block.kind {
            if header.first().map(|h| h.starts_with("Global service")) != Some(true) {
                continue;
            }
            let Some(row) = rows.first() else { continue };
            let mut clouds = Vec::new();
            for (name, cell) in header.iter().zip(row) {
                let yes = cell.contains("white_check_mark") || cell.contains('✅');
                let cloud = if name.starts_with("Global") {
                    "global"
                } else if name.contains("L4") {
                    "usGov"
                } else if name.contains("L5") || name.contains("DOD") {
                    "usGovDod"
                } else if name.contains("China") {
                    "china"
                } else {
                    continue;
                };
                if yes {
                    clouds.push(cloud.to_owned());
                }
            }
            facts.clouds = Some(clouds);
            return;
        }
    }
}

fn read_permissions(section: &Section, facts: &mut PageFacts) {
    let mut tables = Vec::new();
    let mut lead_ins: Vec<Option<String>> = Vec::new();
    let mut last_text: Option<String> = None;
    for block in section.blocks {
        match &block.kind {
            BlockKind::Table { header, rows }
                if header
                    .first()
                    .map(|h| h.to_ascii_lowercase().contains("permission type"))
                    == Some(true) =>
            {
                tables.push((block.line, header.clone(), rows.clone()));
                lead_ins.push(last_text.take());
            }
            BlockKind::Paragraph(text) | BlockKind::Heading { text, .. } => {
                let plain = markdown::plain(text);
                if !plain.starts_with("One of the following permissions")
                    && !plain.starts_with("The following permission")
                    && !plain.starts_with("Choose the permission")
                    && !plain.starts_with("The following table")
                {
                    if plain.contains('/') || plain.starts_with("For ") {
                        last_text = Some(plain.clone());
                    } else if !plain.is_empty() && !text.contains('|') {
                        facts.conditions.push(Note::from_markdown(text));
                    }
                }
            }
            BlockKind::Quote(text) => facts
                .conditions
                .push(Note::from_markdown(&note_markdown(text))),
            BlockKind::Code { text, .. } => {
                // A command the condition asks to run.
                if let Some(last) = facts.conditions.last_mut() {
                    if last.command.is_none() {
                        last.command = Some(text.trim_end().to_owned());
                    }
                }
            }
            _ => {}
        }
    }
    let parsed: Vec<(usize, Option<Permissions>)> = tables
        .iter()
        .map(|(line, header, rows)| (*line, permission_table(header, rows, *line, facts)))
        .collect();
    match parsed.len() {
        0 => {
            let include = section.blocks.iter().find_map(|b| match &b.kind {
                BlockKind::Include { target, .. } => Some(target.clone()),
                _ => None,
            });
            facts.points.push(Point {
                line: section.line,
                reason: "no permissions table",
                text: match include {
                    Some(target) => format!(
                        "the permissions table is in `{}`, which the docs at hand do not have; no permissions imported",
                        shorten(&target)
                    ),
                    None => "the Permissions section has no table; no permissions imported".into(),
                },
            })
        }
        1 => facts.permissions = parsed.into_iter().next().and_then(|(_, p)| p),
        n => {
            // A table per request line when the tables follow lead-ins that
            // name paths, one for each line.
            if n == facts.lines.len() {
                facts.line_permissions = parsed.iter().map(|(_, p)| p.clone()).collect();
                facts.permissions = parsed[0].1.clone();
                facts.points.push(Point {
                    line: section.line,
                    reason: "a permissions table per request line",
                    text: format!(
                        "the page gives {n} permission tables; matched to the {n} request lines in order"
                    ),
                });
            } else {
                facts.permissions = parsed[0].1.clone();
                facts.points.push(Point {
                    line: parsed[1].0,
                    reason: "several permissions tables",
                    text: format!(
                        "the page gives {n} permission tables for {} request lines; the first is imported for all (lead-ins: {})",
                        facts.lines.len(),
                        lead_ins.iter().flatten().cloned().collect::<Vec<_>>().join(" | ")
                    ),
                });
            }
        }
    }
}

fn permission_table(
    header: &[String],
    rows: &[Vec<String>],
    line: usize,
    facts: &mut PageFacts,
) -> Option<Permissions> {
    let mut duplicates = Vec::new();
    let mut permission_list = |cell: &str| {
        let mut list = permission_list(cell);
        let mut seen = std::collections::BTreeSet::new();
        let before = list.len();
        list.retain(|p| seen.insert(p.clone()));
        if list.len() != before {
            duplicates.push(Point {
                line,
                reason: "a permission listed twice",
                text: format!(
                    "the permissions table lists a permission twice in \"{}\"; listed once",
                    shorten(cell.trim())
                ),
            });
        }
        list
    };
    let split_layout = header.len() >= 3;
    let mut work = None;
    let mut personal = None;
    let mut application = None;
    for row in rows {
        let kind = row
            .first()
            .map(|c| markdown::plain(c).to_ascii_lowercase())
            .unwrap_or_default();
        let parsed = if split_layout {
            let least = row.get(1).map(String::as_str).unwrap_or("");
            let higher = row.get(2).map(String::as_str).unwrap_or("");
            if unsupported(least) {
                Row::Unsupported
            } else if says_none(least) {
                Row::NotRequired
            } else {
                let higher = if not_available(higher) || unsupported(higher) {
                    Some(Vec::new())
                } else {
                    Some(permission_list(higher))
                };
                Row::Supported {
                    least: permission_list(least),
                    higher,
                }
            }
        } else {
            let cell = row.get(1).map(String::as_str).unwrap_or("");
            if unsupported(cell) {
                Row::Unsupported
            } else if says_none(cell) {
                Row::NotRequired
            } else {
                let mut list = permission_list(cell);
                if list.is_empty() {
                    facts.points.push(Point {
                        line,
                        reason: "a permissions cell without permissions",
                        text: format!(
                            "the permissions table says \"{}\"; read as not supported",
                            shorten(cell.trim())
                        ),
                    });
                    Row::Unsupported
                } else {
                    let least = vec![list.remove(0)];
                    let higher = (!list.is_empty()).then_some(list);
                    Row::Supported { least, higher }
                }
            }
        };
        let parsed = match parsed {
            Row::Supported { least, .. } if least.is_empty() => {
                facts.points.push(Point {
                    line,
                    reason: "a permissions cell without permissions",
                    text: "a permissions row lists no permission; read as not supported".into(),
                });
                Row::Unsupported
            }
            other => other,
        };
        if kind.contains("personal") {
            personal = Some(parsed);
        } else if kind.contains("delegated") {
            work = Some(parsed);
        } else if kind.contains("application") {
            application = Some(parsed);
        }
    }
    facts.points.append(&mut duplicates);
    let missing: Vec<&str> = [
        ("delegated (work or school account)", work.is_none()),
        ("delegated (personal Microsoft account)", personal.is_none()),
        ("application", application.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(n, _)| *n)
    .collect();
    if !missing.is_empty() {
        facts.points.push(Point {
            line,
            reason: "a permissions row missing",
            text: format!(
                "the permissions table has no row for {}; read as not supported",
                missing.join(", ")
            ),
        });
    }
    Some(Permissions {
        delegated_work: work.unwrap_or(Row::Unsupported),
        delegated_personal: personal.unwrap_or(Row::Unsupported),
        application: application.unwrap_or(Row::Unsupported),
    })
}

fn unsupported(cell: &str) -> bool {
    let c = cell.trim().to_ascii_lowercase();
    c.is_empty() || c.starts_with("not supported") || c.starts_with("not applicable") || c == "n/a"
}

/// "None" or "None.": the page says the call needs no permission of the type.
fn says_none(cell: &str) -> bool {
    markdown::plain(cell)
        .trim()
        .trim_end_matches('.')
        .eq_ignore_ascii_case("none")
}

fn not_available(cell: &str) -> bool {
    cell.trim()
        .to_ascii_lowercase()
        .starts_with("not available")
}

/// `A, B or C` as a list; prose around them is dropped.
fn permission_list(cell: &str) -> Vec<String> {
    markdown::plain(cell)
        .replace(" or ", ",")
        .replace(" and ", ",")
        .replace(';', ",")
        .replace("<br/>", ",")
        .split([',', ' '])
        .map(|p| {
            p.trim()
                .trim_matches(|c| c == '*' || c == '`' || c == '.')
                .to_owned()
        })
        .filter(|p| {
            !p.is_empty()
                && p.contains('.')
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
        })
        .collect()
}

fn read_query_options(section: &Section, facts: &mut PageFacts) {
    let mut text = String::new();
    for block in section.blocks {
        match &block.kind {
            BlockKind::Paragraph(t) | BlockKind::Quote(t) => {
                text.push_str(t);
                text.push('\n');
            }
            BlockKind::Table { rows, .. } => {
                for row in rows {
                    text.push_str(&row.join(" "));
                    text.push('\n');
                }
            }
            _ => {}
        }
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("does not support")
        && !lower.contains("supports the")
        && !lower.contains("supports some")
    {
        return;
    }
    let mut found = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find('$') {
        let word: String = rest[at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if let Some(known) = crate::validate::QUERY_OPTIONS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(&word))
        {
            let option = format!("${known}");
            if !found.contains(&option) {
                found.push(option);
            }
        }
        rest = &rest[at + 1..];
    }
    facts.query_options = found;
}

fn read_headers(section: &Section, facts: &mut PageFacts) {
    for block in section.blocks {
        let BlockKind::Table { header, rows } = &block.kind else {
            continue;
        };
        if header.len() < 2 {
            continue;
        }
        for row in rows {
            let name_cell = markdown::plain(row.first().map(String::as_str).unwrap_or(""));
            let name = name_cell
                .trim_matches(|c| c == '*' || c == '`')
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                if !name.is_empty() {
                    facts.points.push(Point {
                        line: block.line,
                        reason: "a header name that is not a name",
                        text: format!(
                            "the request-header table names `{}`; not imported",
                            shorten(&name)
                        ),
                    });
                }
                continue;
            }
            let description = row
                .get(1)
                .map(|d| markdown::plain(d))
                .filter(|d| !d.is_empty());
            let required = description
                .as_deref()
                .map(|d| d.contains("Required") && !d.contains("Not required"))
                .unwrap_or(false);
            let canonical = canonical_header(&name);
            facts.headers.insert(
                canonical,
                Header {
                    required,
                    description,
                },
            );
        }
        return;
    }
}

/// `content-type` → `Content-Type`.
fn canonical_header(name: &str) -> String {
    if name.eq_ignore_ascii_case("ConsistencyLevel") {
        return "ConsistencyLevel".into();
    }
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => {
                    first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
                }
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn read_body(section: &Section, method: &str, types: &TypeIndex, facts: &mut PageFacts) {
    let mut text = String::new();
    // The first table of the section: its line, header and rows.
    type Table<'a> = (usize, &'a Vec<String>, &'a Vec<Vec<String>>);
    let mut table: Option<Table> = None;
    // The section's prose in order, other tables (the combinations a
    // parameter allows) kept as markdown tables.
    let mut described: Vec<String> = Vec::new();
    for block in section.blocks {
        match &block.kind {
            BlockKind::Paragraph(t) => {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&t.replace('\n', " "));
                described.push(markdown::plain(&t.replace('\n', " ")));
            }
            BlockKind::Table { header, rows } if table.is_none() => {
                table = Some((block.line, header, rows));
            }
            BlockKind::Table { header, rows } => {
                let mut t = format!(
                    "| {} |\n|{}\n",
                    header.join(" | "),
                    "---|".repeat(header.len())
                );
                for row in rows {
                    t.push_str(&format!("| {} |\n", row.join(" | ")));
                }
                described.push(t.trim_end().to_owned());
            }
            BlockKind::Quote(q) => facts.notes.push(Note::from_markdown(&note_markdown(q))),
            _ => {}
        }
    }
    let lower = text.to_ascii_lowercase();
    facts.no_body_stated = lower.contains("do not supply")
        || lower.contains("don't supply")
        || lower.contains("not supply a request body")
        || lower.contains("no request body");
    if let (Some((line, _, _)), true) = (&table, method == "GET" || method == "DELETE") {
        facts.points.push(Point {
            line: *line,
            reason: "body parameters of a GET or DELETE",
            text: format!("the page lists request-body parameters for a {method}, which sends no body; not imported"),
        });
        return;
    }
    if table.is_none()
        && (lower.contains("do not supply")
            || lower.contains("don't supply")
            || lower.contains("no request body")
            || lower.contains("not supply a request body")
            || lower.trim().is_empty()
            || method == "GET"
            || method == "DELETE")
    {
        return;
    }
    let description = (!described.is_empty()).then(|| described.join("\n\n"));
    let linked = markdown::links(&text)
        .into_iter()
        .find_map(|(label, target)| types.resolve_link(&label, &target));
    let mut body = Body {
        description,
        ..Body::default()
    };
    if lower.contains("binary") || lower.contains("stream") && table.is_none() && linked.is_none() {
        body.type_name = Some("Stream".into());
        body.content_type = Some("*/*".into());
        facts.body = Some(body);
        return;
    }
    match table {
        Some((line, header, rows)) if method == "PATCH" || method == "PUT" && linked.is_some() => {
            body.type_name = linked.clone();
            body.updatable = Some(
                rows.iter()
                    .filter_map(|r| r.first())
                    // "broadcastSettings (deprecated)": the name is the
                    // identifier the cell starts with.
                    .map(|c| {
                        typeref::clean_name(&markdown::plain(c))
                            .chars()
                            .take_while(|ch| {
                                ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '@' || *ch == '.'
                            })
                            .collect::<String>()
                    })
                    .filter(|c| !c.is_empty())
                    .collect(),
            );
            // A missing type is filled in once the responses are read.
            let _ = (line, header);
            facts.body = Some(body);
            return;
        }
        Some((line, header, rows)) if linked.is_none() || lower.contains("parameters") => {
            let type_col = header
                .iter()
                .position(|h| h.to_ascii_lowercase().contains("type"))
                .unwrap_or(1);
            let desc_col = header
                .iter()
                .position(|h| h.to_ascii_lowercase().contains("description"))
                .unwrap_or(2);
            for row in rows {
                let name = typeref::clean_name(&markdown::plain(
                    row.first().map(String::as_str).unwrap_or(""),
                ));
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@' || c == '.')
                {
                    continue;
                }
                let cell =
                    typeref::read_cell(row.get(type_col).map(String::as_str).unwrap_or(""), types);
                let mut type_name = cell.name.clone();
                if type_name.is_empty() {
                    facts.points.push(Point {
                        line,
                        reason: "a type no page defines",
                        text: format!(
                            "body parameter `{name}` has type `{}`, which no page defines; written as String",
                            cell.unresolved.clone().unwrap_or_default()
                        ),
                    });
                    type_name = "String".into();
                }
                let description = row
                    .get(desc_col)
                    .map(|d| markdown::plain(d))
                    .filter(|d| !d.is_empty());
                let required = description
                    .as_deref()
                    .map(|d| d.contains("Required") && !d.contains("Not required"))
                    .unwrap_or(false);
                body.parameters.insert(
                    name,
                    BodyParameter {
                        type_name,
                        collection: cell.collection,
                        required,
                        description,
                    },
                );
            }
            if body.parameters.is_empty() {
                body.type_name = linked;
            }
        }
        _ => {
            body.type_name = linked;
            body.collection = lower.contains("collection");
        }
    }
    if body.type_name.is_none() && body.parameters.is_empty() {
        facts.points.push(Point {
            line: section.line,
            reason: "a request body without a type",
            text: "the Request body section names no type and lists no parameter; no body imported"
                .into(),
        });
        return;
    }
    facts.body = Some(body);
}

fn read_responses(section: &Section, method: &str, types: &TypeIndex, facts: &mut PageFacts) {
    let mut paragraphs = Vec::new();
    for block in section.blocks {
        match &block.kind {
            BlockKind::Paragraph(t) => paragraphs.push(t.replace('\n', " ")),
            BlockKind::Quote(t) => facts.notes.push(Note::from_markdown(&note_markdown(t))),
            _ => {}
        }
    }
    for paragraph in &paragraphs {
        let statuses = status_codes(paragraph);
        if statuses.is_empty() {
            continue;
        }
        let lower = paragraph.to_ascii_lowercase();
        let linked = markdown::links(paragraph)
            .into_iter()
            .find_map(|(label, target)| types.resolve_link(&label, &target))
            .or_else(|| {
                // "a `participant` object", "**participant** object".
                let words: Vec<&str> = paragraph.split_whitespace().collect();
                words.windows(2).find_map(|w| {
                    let next = w[1].trim_end_matches(['.', ',']);
                    (next == "object" || next == "objects" || next == "collection")
                        .then(|| typeref::clean_name(w[0]))
                        .and_then(|n| types.knows(&n).map(str::to_owned))
                })
            });
        let binary =
            lower.contains("binary") || lower.contains("stream") || lower.contains("302 found");
        for status in statuses {
            let mut response = Response {
                description: Some(markdown::plain(paragraph)),
                ..Response::default()
            };
            if (200..300).contains(&status) && status != 204 {
                if let Some(t) = &linked {
                    let collection = lower.contains("collection") || lower.contains("objects");
                    response.body = Some((t.clone(), collection));
                    response.paged = collection && method == "GET";
                } else if binary && status == 200 {
                    response.body = Some(("Stream".into(), false));
                    response.content_type = Some("application/octet-stream".into());
                }
            }
            facts.responses.entry(status).or_insert(response);
        }
    }
}

/// Status codes a sentence names: "`200 OK`", "204 No Content".
fn status_codes(text: &str) -> Vec<u16> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 3 <= bytes.len() {
        if bytes[i..i + 3].iter().all(u8::is_ascii_digit)
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes
                .get(i + 3)
                .is_none_or(|b| matches!(*b, b' ' | b'`' | b','))
        {
            let after = &text[i + 3..];
            let after = after.trim_start_matches(['`', ',']).trim_start();
            let named = after.starts_with(|c: char| c.is_ascii_uppercase());
            if let Ok(code) = text[i..i + 3].parse::<u16>() {
                if (100..600).contains(&code) && named && !out.contains(&code) {
                    out.push(code);
                }
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    out
}

fn read_examples(blocks: &[&Block], version: &str, facts: &mut PageFacts) {
    let mut title: Option<String> = None;
    let mut last_paragraph: Option<String> = None;
    let mut current: Option<Example> = None;
    let mut unnamed = 0;
    for block in blocks {
        match &block.kind {
            BlockKind::Heading { text, .. } => {
                let lower = text.to_ascii_lowercase();
                if !matches!(
                    lower.as_str(),
                    "request" | "response" | "examples" | "example"
                ) {
                    title = Some(markdown::plain(text));
                }
                last_paragraph = None;
            }
            BlockKind::Paragraph(text) => {
                last_paragraph = Some(markdown::plain(&text.replace('\n', " ")));
            }
            BlockKind::Code {
                text, annotation, ..
            } => {
                let Some(annotation) = annotation else {
                    continue;
                };
                match annotation.block_type.as_str() {
                    "request" => {
                        if let Some(done) = current.take() {
                            facts.examples.push(done);
                        }
                        let Some(mut example) = parse_request(text) else {
                            facts.points.push(Point {
                                line: block.line,
                                reason: "an example request that does not parse",
                                text: "the example request has no `METHOD URL` first line; not imported".into(),
                            });
                            continue;
                        };
                        example.line = block.line;
                        example.title = title.clone();
                        example.description = last_paragraph.take();
                        example.name = match &annotation.name {
                            Some(name) if !name.trim().is_empty() => name.trim().to_owned(),
                            _ => {
                                unnamed += 1;
                                let name =
                                    format!("{}-example-{unnamed}", version.replace('.', "-"));
                                facts.points.push(Point {
                                    line: block.line,
                                    reason: "an example without a name",
                                    text: format!(
                                        "the example request has no name; named `{name}`"
                                    ),
                                });
                                name
                            }
                        };
                        current = Some(example);
                    }
                    "response" => {
                        let mut response = parse_response(text, annotation.truncated);
                        response.annotated = annotation.odata_type.as_ref().map(|t| {
                            (
                                typeref::clean_name(t.trim_start_matches('#'))
                                    .rsplit('.')
                                    .next()
                                    .unwrap_or("")
                                    .to_owned(),
                                annotation.is_collection,
                            )
                        });
                        match current.as_mut() {
                            Some(example) if example.response.is_none() => {
                                example.response = Some(response)
                            }
                            _ => facts.points.push(Point {
                                line: block.line,
                                reason: "an example response without its request",
                                text: "an example response follows no request; not imported".into(),
                            }),
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if let Some(done) = current.take() {
        facts.examples.push(done);
    }
}

fn parse_request(text: &str) -> Option<Example> {
    let mut lines = text.lines();
    let first = lines.by_ref().find(|l| !l.trim().is_empty())?.trim();
    let (method, rest) = first.split_once(' ')?;
    let method = method.to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) {
        return None;
    }
    let url = rest.trim().trim_end_matches("HTTP/1.1").trim().to_owned();
    let (headers, body) = headers_and_body(lines);
    Some(Example {
        method,
        url,
        headers,
        body,
        ..Example::default()
    })
}

fn parse_response(text: &str, truncated: bool) -> ExampleResponse {
    let mut lines = text.lines().peekable();
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        lines.next();
    }
    let status = match lines.peek() {
        Some(l) if l.trim_start().starts_with("HTTP/") => {
            let l = lines.next().unwrap_or("");
            l.split_whitespace().nth(1).and_then(|s| s.parse().ok())
        }
        _ => None,
    };
    let (headers, body) = if status.is_some() {
        headers_and_body(lines)
    } else {
        let rest: Vec<&str> = lines.collect();
        let body = rest.join("\n");
        (
            IndexMap::new(),
            (!body.trim().is_empty()).then(|| format!("{}\n", body.trim_end())),
        )
    };
    ExampleResponse {
        annotated: None,
        status,
        headers,
        body,
        truncated,
    }
}

fn headers_and_body<'a>(
    lines: impl Iterator<Item = &'a str>,
) -> (IndexMap<String, String>, Option<String>) {
    let mut headers = IndexMap::new();
    let mut body = Vec::new();
    let mut in_body = false;
    for line in lines {
        if in_body {
            body.push(line);
            continue;
        }
        if line.trim().is_empty() {
            in_body = true;
            continue;
        }
        match line.split_once(':') {
            Some((name, value))
                if !name.trim().is_empty()
                    && name
                        .trim()
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                headers.insert(name.trim().to_owned(), value.trim().to_owned());
            }
            _ => {
                // A body with no blank line before it.
                in_body = true;
                body.push(line);
            }
        }
    }
    let text = body.join("\n");
    let body = (!text.trim().is_empty()).then(|| format!("{}\n", text.trim_end()));
    (headers, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_named_from_the_path() {
        assert_eq!(parameter_name("id", "calls"), "callId");
        assert_eq!(parameter_name("id", "participants"), "participantId");
        assert_eq!(parameter_name("id", "policies"), "policyId");
        assert_eq!(parameter_name("user-id", "users"), "userId");
        assert_eq!(parameter_name("id | userPrincipalName", "users"), "userId");
        assert_eq!(
            parameter_name("userPrincipalName", "users"),
            "userPrincipalName"
        );
        assert_eq!(parameter_name("id", ""), "id");
    }

    #[test]
    fn templates_lose_host_version_and_trailing_text() {
        assert_eq!(
            normalize_template("https://graph.microsoft.com/v1.0/me/events HTTP/1.1"),
            "/me/events"
        );
        assert_eq!(
            normalize_template("/me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'"),
            "/me/onlineMeetings?$filter=JoinWebUrl eq '{joinWebUrl}'"
        );
        assert_eq!(normalize_template("me/events"), "");
    }

    #[test]
    fn status_codes_in_prose() {
        assert_eq!(
            status_codes("returns a `200 OK` response code and a `201 Created`, not 404x"),
            vec![200, 201]
        );
        assert_eq!(status_codes("returns 204 No Content."), vec![204]);
        assert!(status_codes("version 1234 Thing").is_empty());
    }

    #[test]
    fn sentences_split_after_the_first() {
        assert_eq!(
            split_first_sentence("Delete a thing. It goes away."),
            ("Delete a thing.".to_owned(), "It goes away.".to_owned())
        );
    }
}
