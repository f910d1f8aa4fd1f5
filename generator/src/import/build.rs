//! The facts of a page, in every version the docs have it, written as a v2
//! spec tree: one operation file per page, one type file per type. The
//! points a person should confirm become `# import:` comments at the key
//! they concern.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::operation::{self, Example, PageFacts, Permissions, Point, Row};
use super::resource::{Property, TypeFacts};
use super::yaml::Node;

/// One version of a page, read, with where it was read from.
pub struct VersionPage<'a> {
    pub version: &'a str,
    pub shown_as: String,
    pub facts: &'a PageFacts,
}

/// The operation a page title names: "call: answer" → `answerCall`,
/// "Get onlineMeeting" → `getOnlineMeeting`.
pub fn operation_name(title: &str, page: &str) -> String {
    let words = match title.split_once(':') {
        Some((noun, verb)) => format!("{} {}", verb.trim(), noun.trim()),
        None => title.to_owned(),
    };
    let name = operation::lower_camel(&words);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        operation::lower_camel(page)
    } else {
        name
    }
}

/// An area name from the page's `ms.prod` (`cloud-communications` →
/// `cloudCommunications`).
pub fn area_name(product: Option<&str>) -> String {
    let name = operation::lower_camel(product.unwrap_or(""));
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        "general".to_owned()
    } else {
        name
    }
}

fn comment_for(point: &Point) -> String {
    format!("import: {} (page line {})", point.text, point.line)
}

/// Which key of a version a point is about.
fn key_of(point: &Point) -> &'static str {
    let r = point.reason;
    if r.contains("{id}") {
        "parameters"
    } else if r.contains("permission") {
        "permissions"
    } else if r.contains("body") || r.contains("update") {
        "body"
    } else if r.contains("response") || r.contains("status") {
        "responses"
    } else if r.contains("header") {
        "headers"
    } else if r.contains("request line") {
        "paths"
    } else {
        "method"
    }
}

/// The operation spec of a page.
pub fn operation_spec(
    page: &str,
    operation_name: &str,
    title: &str,
    area: &str,
    pages: &[VersionPage<'_>],
) -> (Vec<String>, Node) {
    let first = pages[0].facts;
    let mut header = vec![format!(
        "Imported from the reference page \"{}\":",
        first.title
    )];
    for p in pages {
        header.push(format!("  {}: {}", p.version, p.shown_as));
    }
    let mut root = Node::map();
    root.set("operation", Node::str(operation_name));
    if title != first.title {
        root.set_with_comment(
            "title",
            Node::str(title),
            &format!(
                "import: another page has the title \"{}\"; this one is named after its page",
                first.title
            ),
        );
    } else {
        root.set("title", Node::str(title));
    }
    root.set("summary", Node::str(&first.summary));
    if let Some(d) = &first.description {
        root.set("description", Node::str(d));
    }
    root.set("area", Node::str(area));
    let mut source = Node::map();
    source.set("page", Node::str(page));
    // What was read, so that `drift` can tell a page changed since.
    let mut read = Node::map();
    for p in pages {
        if let Some(digest) = &p.facts.digest {
            read.set(p.version, Node::str(digest));
        }
    }
    if !pages.iter().all(|p| p.facts.digest.is_none()) {
        source.set("read", read);
    }
    root.set("source", source);
    if !first.conditions.is_empty() {
        root.set("conditions", notes(&first.conditions));
    }
    let shared_notes = first.notes.clone();
    if !shared_notes.is_empty() {
        root.set("notes", notes(&shared_notes));
    }
    let mut versions = Node::map();
    let mut examples = Vec::new();
    let mut example_names = BTreeSet::new();
    for p in pages {
        let (node, comments) = version_spec(p.facts);
        versions.set(p.version, node);
        for c in comments {
            versions.comment_last(&c);
        }
        let mut differs = Vec::new();
        if p.facts.summary != first.summary || p.facts.description != first.description {
            differs.push("summary or description");
        }
        if p.facts.notes != first.notes {
            differs.push("notes");
        }
        if p.facts.conditions != first.conditions {
            differs.push("conditions");
        }
        if !differs.is_empty() {
            versions.comment_last(&format!(
                "import: the {} page's {} differ from the {} page's, which are imported",
                p.version,
                differs.join(", "),
                pages[0].version
            ));
        }
        for example in &p.facts.examples {
            examples.push(example_spec(
                example,
                p.version,
                p.facts,
                &mut example_names,
            ));
        }
    }
    root.set("versions", versions);
    if !examples.is_empty() {
        root.set("examples", Node::Seq(examples));
    }
    (header, root)
}

fn notes(notes: &[operation::Note]) -> Node {
    Node::Seq(
        notes
            .iter()
            .map(|note| {
                let mut n = Node::map();
                n.set("text", Node::str(&note.text));
                if let Some(c) = &note.command {
                    n.set("command", Node::str(c));
                }
                if let Some(l) = &note.link {
                    n.set("link", Node::str(l));
                }
                n
            })
            .collect(),
    )
}

fn version_spec(facts: &PageFacts) -> (Node, Vec<String>) {
    let mut node = Node::map();
    let method = facts.lines[0].method.clone();
    node.set("method", Node::str(&method));
    let mut paths = Vec::new();
    for (i, line) in facts.lines.iter().enumerate() {
        let mut p = Node::map();
        p.set("template", Node::str(&line.template));
        if let Some(note) = &line.deprecated {
            let mut d = Node::map();
            d.set("note", Node::str(note));
            p.set("deprecated", d);
        }
        if let Some(Some(perms)) = facts.line_permissions.get(i) {
            p.set("permissions", permissions(perms));
        }
        if !line.shared_with.is_empty() {
            let mut others = line
                .shared_with
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if line.shared_with.len() > 3 {
                others.push_str(&format!(" and {} more", line.shared_with.len() - 3));
            }
            p.set_with_comment(
                "shared",
                Node::Raw("true".into()),
                &format!("import: the pages {others} document this request line too"),
            );
        }
        paths.push(p);
    }
    node.set("paths", Node::Seq(paths));
    if !facts.parameters.is_empty() {
        let mut params = Node::map();
        for (name, p) in &facts.parameters {
            let mut n = Node::map();
            n.set("in", Node::str(if p.in_query { "query" } else { "path" }));
            if p.in_query {
                n.set("required", Node::Raw("true".into()));
            }
            if let Some(d) = &p.documented_as {
                n.set("documentedAs", Node::str(d));
            }
            if p.allow_slash {
                n.set("allowSlash", Node::Raw("true".into()));
            }
            params.set(name, n);
        }
        node.set("parameters", params);
    }
    if !facts.query_options.is_empty() {
        node.set("queryOptions", Node::Flow(facts.query_options.clone()));
    }
    if !facts.headers.is_empty() {
        let mut headers = Node::map();
        for (name, h) in &facts.headers {
            let mut n = Node::map();
            if h.required {
                n.set("required", Node::Raw("true".into()));
            }
            if let Some(d) = &h.description {
                n.set("description", Node::str(d));
            }
            headers.set(name, n);
        }
        node.set("headers", headers);
    }
    if let Some(body) = &facts.body {
        let mut b = Node::map();
        if let Some(t) = &body.type_name {
            b.set("type", Node::str(t));
            if body.collection {
                b.set("collection", Node::Raw("true".into()));
            }
        }
        if !body.parameters.is_empty() {
            let mut params = Node::map();
            for (name, p) in &body.parameters {
                let mut n = Node::map();
                n.set("type", Node::str(&p.type_name));
                if p.collection {
                    n.set("collection", Node::Raw("true".into()));
                }
                if p.required {
                    n.set("required", Node::Raw("true".into()));
                }
                if let Some(d) = &p.description {
                    n.set("description", Node::str(d));
                }
                params.set(name, n);
            }
            b.set("parameters", params);
        }
        if let Some(c) = &body.content_type {
            b.set("contentType", Node::str(c));
        }
        if let Some(d) = &body.description {
            b.set("description", Node::str(d));
        }
        if let Some(u) = &body.updatable {
            b.set("updatable", Node::Flow(u.clone()));
        }
        node.set("body", b);
    }
    let mut responses = Node::map();
    for (status, r) in &facts.responses {
        let mut n = Node::map();
        if let Some(d) = &r.description {
            n.set("description", Node::str(d));
        }
        if let Some((t, collection)) = &r.body {
            let mut b = Node::map();
            b.set("type", Node::str(t));
            if *collection {
                b.set("collection", Node::Raw("true".into()));
            }
            if r.paged {
                b.set("paged", Node::Raw("true".into()));
            }
            if let Some(c) = &r.content_type {
                b.set("contentType", Node::str(c));
            }
            n.set("body", b);
        }
        responses.set(&status.to_string(), n);
    }
    node.set("responses", responses);
    // Permissions the page does not give (an include the docs at hand lack)
    // are left out rather than read as "not supported": the spec says what
    // a person must add, and an existing spec keeps its own.
    if let Some(perms) = &facts.permissions {
        node.set("permissions", permissions(perms));
    }
    if let Some(clouds) = &facts.clouds {
        node.set("clouds", Node::Flow(clouds.clone()));
    }
    // Each point as a comment above the key it is about.
    let mut unplaced = Vec::new();
    for point in &facts.points {
        let key = key_of(point);
        if let Node::Map(entries) = &mut node {
            if let Some(entry) = entries.iter_mut().find(|e| e.key == key) {
                entry.comments.push(comment_for(point));
                continue;
            }
        }
        unplaced.push(comment_for(point));
    }
    (node, unplaced)
}

fn permissions(p: &Permissions) -> Node {
    let mut n = Node::map();
    for (key, row) in [
        ("delegatedWork", &p.delegated_work),
        ("delegatedPersonal", &p.delegated_personal),
        ("application", &p.application),
    ] {
        match row {
            Row::Unsupported => {
                n.set(key, Node::str("unsupported"));
            }
            Row::NotRequired => {
                n.set(key, Node::str("none"));
            }
            Row::Supported { least, higher } => {
                let mut r = Node::map();
                r.set("least", Node::Flow(least.clone()));
                if let Some(h) = higher {
                    r.set("higher", Node::Flow(h.clone()));
                }
                n.set(key, r);
            }
        }
    }
    n
}

/// The version an example URL names, if any.
fn url_version(url: &str) -> Option<&'static str> {
    if url.contains("/v1.0/") {
        Some("v1.0")
    } else if url.contains("/beta/") {
        Some("beta")
    } else {
        None
    }
}

fn example_spec(
    example: &Example,
    version: &str,
    facts: &PageFacts,
    names: &mut BTreeSet<String>,
) -> Node {
    let mut n = Node::map();
    let mut name = example.name.clone();
    let mut rename_note = None;
    if names.contains(&name) {
        let base = name.clone();
        let suffix = if version == "v1.0" { "v1" } else { version };
        name = format!("{base}-{suffix}");
        let mut k = 2;
        while names.contains(&name) {
            name = format!("{base}-{suffix}-{k}");
            k += 1;
        }
        rename_note = Some(format!(
            "import: the page names this example `{base}`, as another example is named; renamed"
        ));
    }
    names.insert(name.clone());
    match rename_note {
        Some(note) => n.set_with_comment("name", Node::str(&name), &note),
        None => n.set("name", Node::str(&name)),
    };
    if let Some(t) = &example.title {
        n.set("title", Node::str(t));
    }
    if let Some(d) = &example.description {
        n.set("description", Node::str(d));
    }
    let documented = &facts.lines[0].method;
    let mut request = Node::map();
    let mut erratum = Node::map();
    let mut errata_notes = Vec::new();
    if &example.method != documented {
        request.set("method", Node::str(documented));
        erratum.set("method", Node::str(&example.method));
        errata_notes.push(format!(
            "The page shows {}; the operation is {} (its HTTP request section).",
            example.method, documented
        ));
    } else {
        request.set("method", Node::str(&example.method));
    }
    let mut url = example.url.clone();
    if url.starts_with('/') {
        // A URL without its host: the page's own version is meant.
        url = if url_version(&format!("{url}/")).is_some()
            || url.starts_with("/v1.0")
            || url.starts_with("/beta")
        {
            format!("https://graph.microsoft.com{url}")
        } else {
            format!("https://graph.microsoft.com/{version}{url}")
        };
        errata_notes.push("The page shows the URL without its host.".to_owned());
    }
    match url_version(&url) {
        Some(v) if v != version => {
            url = url.replacen(&format!("/{v}/"), &format!("/{version}/"), 1);
            errata_notes.push(format!("The {version} page shows a {v} URL."));
        }
        _ => {}
    }
    if let Some((corrected, shown, documented_segment)) = near_request_line(&url, facts) {
        errata_notes.push(if shown.eq_ignore_ascii_case(&documented_segment) {
            format!(
                "The page's example URL spells `{documented_segment}` as `{shown}`; Graph reads path segments without regard to case, and the request line's spelling is used."
            )
        } else {
            format!(
                "The page's example URL has `{shown}` where its request line has `{documented_segment}`; the request line is followed."
            )
        });
        url = corrected;
    }
    request.set("url", Node::str(&url));
    if url != example.url {
        erratum.set("url", Node::str(&example.url));
    }
    if !example.headers.is_empty() {
        request.set("headers", string_map(&example.headers));
    }
    if let Some(body) = &example.body {
        let takes_none = documented == "GET" || (facts.body.is_none() && facts.no_body_stated);
        if takes_none {
            erratum.set("body", Node::str(body));
            errata_notes.push(if documented == "GET" {
                "The page shows a body with a GET request, which sends none.".to_owned()
            } else {
                "The page says to supply no request body; its example shows one.".to_owned()
            });
        } else if let Some(fixed) = without_trailing_commas(body) {
            request.set("body", Node::str(&fixed));
            erratum.set("body", Node::str(body));
            errata_notes
                .push("The page's body has trailing commas, which JSON does not allow.".to_owned());
        } else {
            request.set("body", Node::str(body));
        }
    }
    if !errata_notes.is_empty() {
        erratum.set("note", Node::str(errata_notes.join(" ")));
        request.set("erratum", erratum);
    }
    n.set("request", request);
    if let Some(r) = &example.response {
        let mut resp = Node::map();
        let mut erratum = Node::map();
        let mut notes = Vec::new();
        if let Some(s) = r.status {
            let successes: Vec<u16> = facts
                .responses
                .keys()
                .copied()
                .filter(|k| (200..300).contains(k))
                .collect();
            if !facts.responses.contains_key(&s) && (200..300).contains(&s) && successes.len() == 1
            {
                resp.set("status", Node::Raw(successes[0].to_string()));
                erratum.set("status", Node::Raw(s.to_string()));
                notes.push(format!(
                    "The page's Response section documents {}; its example shows {s}.",
                    successes[0]
                ));
            } else {
                resp.set("status", Node::Raw(s.to_string()));
            }
        }
        if r.truncated {
            resp.set("truncated", Node::Raw("true".into()));
        }
        if !r.headers.is_empty() {
            resp.set("headers", string_map(&r.headers));
        }
        if let Some(b) = &r.body {
            let single = r
                .status
                .and_then(|s| facts.responses.get(&s))
                .is_some_and(|d| matches!(&d.body, Some((_, false))));
            if let Some(fixed) = without_trailing_commas(b) {
                resp.set("body", Node::str(&fixed));
                erratum.set("body", Node::str(b));
                notes.push(
                    "The page's body has trailing commas, which JSON does not allow.".to_owned(),
                );
            } else if let Some(inner) = single.then(|| value_object(b)).flatten() {
                resp.set("body", Node::str(&inner));
                erratum.set("body", Node::str(b));
                notes.push("The page answers a single object as `\"value\": {...}`; the operation returns the object itself.".to_owned());
            } else {
                resp.set("body", Node::str(b));
            }
        }
        if !notes.is_empty() {
            erratum.set("note", Node::str(notes.join(" ")));
            resp.set("erratum", erratum);
        }
        n.set("response", resp);
    }
    n
}

/// The object of a body `{"value": {...}}` (annotations beside it aside),
/// written as the page writes JSON.
fn value_object(body: &str) -> Option<String> {
    let serde_json::Value::Object(map) = serde_json::from_str::<serde_json::Value>(body).ok()?
    else {
        return None;
    };
    if map
        .keys()
        .any(|k| k != "value" && !k.starts_with("@odata."))
    {
        return None;
    }
    let inner = map.get("value")?;
    if !inner.is_object() {
        return None;
    }
    serde_json::to_string_pretty(inner)
        .ok()
        .map(|s| format!("{s}\n"))
}

/// A JSON text that parses once the commas before `}` and `]` are removed,
/// and not before.
pub fn without_trailing_commas(body: &str) -> Option<String> {
    let trimmed = body.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    if serde_json::from_str::<serde_json::Value>(body).is_ok() {
        return None;
    }
    let mut out = String::with_capacity(body.len());
    let mut in_string = false;
    let mut escaped = false;
    let chars: Vec<char> = body.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|n| !n.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        out.push(c);
    }
    serde_json::from_str::<serde_json::Value>(&out)
        .ok()
        .map(|_| out)
}

/// An example URL that no request line matches, but that one line matches
/// but for one literal segment spelled a little differently
/// (`accessPackages` against `accessPackage`): the URL rewritten onto that
/// line, with the page's and the line's spelling of the segment.
fn near_request_line(url: &str, facts: &PageFacts) -> Option<(String, String, String)> {
    let (base, rest) = split_version(url)?;
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let literal = |t: &str| !t.contains('{');
    let mut candidates = Vec::new();
    for line in &facts.lines {
        let template = line.template.split('?').next().unwrap_or("");
        let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
        if parts.len() != segments.len() || parts.iter().any(|p| p.contains(':')) {
            continue;
        }
        let mismatches: Vec<usize> = parts
            .iter()
            .zip(&segments)
            .enumerate()
            .filter(|(_, (t, u))| literal(t) && t != u)
            .map(|(i, _)| i)
            .collect();
        match mismatches.as_slice() {
            [] => return None,
            [i] if strsim::levenshtein(parts[*i], segments[*i]) <= 2
                || parts[*i].eq_ignore_ascii_case(segments[*i]) =>
            {
                candidates.push((*i, parts[*i]));
            }
            _ => {}
        }
    }
    let (i, documented) = candidates.first().copied()?;
    if candidates.iter().any(|(j, d)| (*j, *d) != (i, documented)) {
        return None;
    }
    let mut fixed: Vec<&str> = segments.clone();
    let shown = fixed[i].to_owned();
    fixed[i] = documented;
    let mut corrected = format!("{base}/{}", fixed.join("/"));
    if let Some(q) = query {
        corrected.push('?');
        corrected.push_str(q);
    }
    Some((corrected, shown, documented.to_owned()))
}

/// `https://graph.microsoft.com/v1.0` and the rest of a URL.
fn split_version(url: &str) -> Option<(&str, &str)> {
    for version in ["/v1.0/", "/beta/"] {
        if let Some(at) = url.find(version) {
            let split = at + version.len() - 1;
            return Some((&url[..split], &url[split..]));
        }
    }
    None
}

fn string_map(map: &IndexMap<String, String>) -> Node {
    let mut n = Node::map();
    for (k, v) in map {
        n.set(k, Node::str(v));
    }
    n
}

/// A type spec from the type's pages, per version.
pub fn type_spec(
    name: &str,
    pages: &[(&str, String, &TypeFacts)],
    extra_versions: &[&str],
    all_versions: &[&str],
) -> (Vec<String>, Node) {
    let first = pages[0].2;
    let mut header = vec![format!("Imported from the resource page of {name}:")];
    for (v, shown, _) in pages {
        header.push(format!("  {v}: {shown}"));
    }
    let mut root = Node::map();
    root.set("type", Node::str(name));
    let is_enum =
        !first.members.is_empty() && first.properties.is_empty() && first.base_type.is_none();
    let kind = if is_enum {
        "enum"
    } else if first.entity {
        "entity"
    } else {
        "complex"
    };
    root.set("kind", Node::str(kind));
    if let Some(d) = &first.description {
        root.set("description", Node::str(d));
    }
    if let Some(o) = &first.odata_type {
        root.set("odataType", Node::str(o));
    }
    if let Some(b) = &first.base_type {
        root.set("baseType", Node::str(b));
    }
    if first.open {
        root.set("open", Node::Raw("true".into()));
    }
    let versions: Vec<&str> = pages.iter().map(|(v, _, _)| *v).collect();
    let mut declared_versions: Vec<&str> = all_versions
        .iter()
        .copied()
        .filter(|v| versions.contains(v) || extra_versions.contains(v))
        .collect();
    declared_versions.dedup();
    if declared_versions.len() != all_versions.len() {
        root.set(
            "versions",
            Node::Flow(declared_versions.iter().map(|v| (*v).to_owned()).collect()),
        );
    } else if !extra_versions.is_empty() {
        root.set_with_comment(
            "versions",
            Node::Flow(declared_versions.iter().map(|v| (*v).to_owned()).collect()),
            &format!(
                "import: no {} page of this type; declared there because that version's pages use it",
                extra_versions.join(", ")
            ),
        );
    }
    if is_enum {
        let mut members: Vec<String> = Vec::new();
        for (_, _, f) in pages {
            for m in &f.members {
                if !members.contains(m) {
                    members.push(m.clone());
                }
            }
        }
        root.set("members", Node::Flow(members));
    } else {
        let properties = merge_properties(pages, false, &versions);
        let mut relationships = merge_properties(pages, true, &versions);
        // One version's page may list as a relationship what another lists
        // as a property: declared once, as a property.
        relationships.retain(|r| !properties.iter().any(|p| p.key == r.key));
        if !properties.is_empty() {
            root.set("properties", Node::Map(properties));
        }
        if !relationships.is_empty() {
            root.set("relationships", Node::Map(relationships));
        }
    }
    let mut comments = Vec::new();
    for (_, _, f) in pages {
        for p in &f.points {
            let c = comment_for(p);
            if !comments.contains(&c) {
                comments.push(c);
            }
        }
    }
    if let Node::Map(entries) = &mut root {
        if let Some(e) = entries
            .iter_mut()
            .find(|e| e.key == "properties" || e.key == "kind")
        {
            e.comments.extend(comments);
        }
    }
    (header, root)
}

fn merge_properties(
    pages: &[(&str, String, &TypeFacts)],
    relationships: bool,
    versions: &[&str],
) -> Vec<super::yaml::Entry> {
    let mut order: IndexMap<String, Vec<(&str, &Property)>> = IndexMap::new();
    for (v, _, f) in pages {
        let table = if relationships {
            &f.relationships
        } else {
            &f.properties
        };
        for (name, p) in table {
            order.entry(name.clone()).or_default().push((v, p));
        }
    }
    let mut out = Vec::new();
    for (name, seen) in order {
        let p = seen[0].1;
        let mut n = Node::map();
        n.set("type", Node::str(&p.type_name));
        if p.collection {
            n.set("collection", Node::Raw("true".into()));
        }
        if p.read_only {
            n.set("readOnly", Node::Raw("true".into()));
        }
        if let Some(d) = &p.description {
            n.set("description", Node::str(d));
        }
        let mut comments = Vec::new();
        if seen.len() != versions.len() {
            n.set(
                "versions",
                Node::Flow(seen.iter().map(|(v, _)| (*v).to_owned()).collect()),
            );
        } else if seen
            .iter()
            .any(|(_, q)| q.type_name != p.type_name || q.collection != p.collection)
        {
            comments.push(format!(
                "import: the versions' pages give this property different types; the {} page's is imported",
                seen[0].0
            ));
        }
        out.push(super::yaml::Entry {
            key: name,
            value: n,
            comments,
        });
    }
    out
}

/// An enum type known only from a property's description, or from an enum
/// page.
pub fn enum_spec(
    name: &str,
    members: &[String],
    versions: &[&str],
    all: &[&str],
    from: &str,
) -> (Vec<String>, Node) {
    let header = vec![format!("Imported from {from}.")];
    let mut root = Node::map();
    root.set("type", Node::str(name));
    root.set("kind", Node::str("enum"));
    if versions.len() != all.len() {
        root.set(
            "versions",
            Node::Flow(versions.iter().map(|v| (*v).to_owned()).collect()),
        );
    }
    root.set("members", Node::Flow(members.to_vec()));
    (header, root)
}
