//! Importing a page whose spec exists: the page's facts replace the
//! versions it documents, and what a person wrote stays: the operation's
//! name, area and title, parameter names the page leaves open, errata the
//! page still calls for, examples' names and the operations they call, the
//! versions and examples of other pages, notifications.

use serde_yaml::{Mapping, Value};

use super::build::VersionPage;
use super::yaml::{Entry, Node};

/// Keys of the page's text that the page owns.
const PAGE_TEXT: &[&str] = &["summary", "description", "conditions", "notes"];
/// Keys of a version that a person may add and the importer never writes.
const PERSON_VERSION_KEYS: &[&str] = &["deprecated", "notes"];

/// A spec with a page's facts merged in.
pub struct Merged {
    pub tree: Node,
    /// Only the page's text was merged: the spec splits the page into
    /// several operations, whose request lines and examples are left as
    /// they are.
    pub partial: bool,
}

/// The existing spec with the imported facts merged in.
pub fn onto_existing(
    existing: &str,
    imported: &Node,
    pages: &[VersionPage<'_>],
) -> Result<Merged, String> {
    let existing: Value = serde_yaml::from_str(existing)
        .map_err(|e| format!("the existing spec does not parse: {e}"))?;
    let Value::Mapping(existing) = existing else {
        return Err("the existing spec is not a mapping".into());
    };
    let imported = to_value(imported);
    let Value::Mapping(imported) = imported else {
        return Err("nothing imported".into());
    };
    let covered: Vec<&str> = pages.iter().map(|p| p.version).collect();
    let mut out = existing.clone();
    if existing.contains_key("operations") {
        // A person split the page into several operations; which request
        // lines and examples go to which is theirs to say. The page's text
        // is merged, the rest left as it is (see `Merged::partial`).
        merge_page_text(&mut out, &imported);
        merge_read(&mut out, &imported);
        return Ok(Merged {
            tree: from_value(&Value::Mapping(out)),
            partial: true,
        });
    }
    merge_page_text(&mut out, &imported);
    merge_read(&mut out, &imported);
    // A one-operation page: its versions. (A page of several operations
    // keeps its own split; its facts are compared by drift, not merged.)
    if let (Some(Value::Mapping(old_versions)), Some(Value::Mapping(new_versions))) =
        (existing.get("versions"), imported.get("versions"))
    {
        let mut merged = Mapping::new();
        for (key, old) in old_versions {
            let name = key.as_str().unwrap_or("");
            match new_versions.get(key) {
                Some(new) if covered.contains(&name) => {
                    merged.insert(key.clone(), merge_version(old, new));
                }
                _ => {
                    merged.insert(key.clone(), old.clone());
                }
            }
        }
        for (key, new) in new_versions {
            if !merged.contains_key(key) {
                merged.insert(key.clone(), new.clone());
            }
        }
        out.insert("versions".into(), Value::Mapping(merged));
    }
    // Examples carry literal values, so renamed parameters do not touch them.
    let old_examples = seq(existing.get("examples"));
    let new_examples = seq(imported.get("examples"));
    out.insert(
        "examples".into(),
        Value::Sequence(merge_examples(&old_examples, &new_examples, &covered)),
    );
    if seq(out.get("examples")).is_empty() {
        out.remove("examples");
    }
    Ok(Merged {
        tree: from_value(&Value::Mapping(out)),
        partial: false,
    })
}

/// The page's text replaces the spec's: a key the page no longer has goes.
fn merge_page_text(out: &mut Mapping, imported: &Mapping) {
    for key in PAGE_TEXT {
        match imported.get(*key) {
            Some(v) => {
                out.insert(Value::from(*key), v.clone());
            }
            None => {
                out.remove(*key);
            }
        }
    }
}

fn seq(value: Option<&Value>) -> Vec<Value> {
    match value {
        Some(Value::Sequence(s)) => s.clone(),
        _ => Vec::new(),
    }
}

/// The imported version, with the existing parameter names where the page
/// leaves them open, and the keys only a person writes kept.
fn merge_version(old: &Value, new: &Value) -> Value {
    let (Value::Mapping(old), Value::Mapping(new)) = (old, new) else {
        return new.clone();
    };
    let mut merged = new.clone();
    // Placeholder names, matched by position in paths of the same shape.
    let old_paths = templates(old);
    let new_paths = templates(new);
    let mut rename: Vec<(String, String)> = Vec::new();
    for n in &new_paths {
        if let Some(o) = old_paths.iter().find(|o| shape(o) == shape(n)) {
            for (a, b) in placeholders(n).into_iter().zip(placeholders(o)) {
                if a != b && !rename.iter().any(|(x, _)| x == &a) {
                    rename.push((a, b));
                }
            }
        }
    }
    if !rename.is_empty() {
        if let Some(Value::Sequence(paths)) = merged.get_mut("paths") {
            for p in paths {
                if let Some(Value::String(t)) = p.get_mut("template") {
                    *t = rename_placeholders(t, &rename);
                }
            }
        }
        if let Some(Value::Mapping(params)) = merged.get("parameters").cloned() {
            let mut renamed = Mapping::new();
            for (k, v) in params {
                let name = k.as_str().unwrap_or("").to_owned();
                let to = rename
                    .iter()
                    .find(|(a, _)| *a == name)
                    .map(|(_, b)| b.clone())
                    .unwrap_or(name);
                renamed.insert(Value::String(to), v);
            }
            merged.insert("parameters".into(), Value::Mapping(renamed));
        }
    }
    // A parameter's details a person wrote (its description, type) stay.
    if let (Some(Value::Mapping(old_params)), Some(Value::Mapping(params))) =
        (old.get("parameters"), merged.get_mut("parameters"))
    {
        for (k, v) in params.iter_mut() {
            if let (Some(Value::Mapping(o)), Value::Mapping(n)) = (old_params.get(k), v) {
                for (ok, ov) in o {
                    if !n.contains_key(ok) {
                        n.insert(ok.clone(), ov.clone());
                    }
                }
            }
        }
    }
    // Permissions the page did not give (an include the docs lack) stay as
    // the spec has them.
    if !merged.contains_key("permissions") {
        if let Some(v) = old.get("permissions") {
            merged.insert("permissions".into(), v.clone());
        }
    }
    // Body parameters a person declared although the page's table leaves
    // them out (`undocumented`: its examples send them) stay.
    if let Some(Value::Mapping(old_params)) = old.get("body").and_then(|b| b.get("parameters")) {
        if let Some(Value::Mapping(params)) =
            merged.get_mut("body").and_then(|b| b.get_mut("parameters"))
        {
            for (k, v) in old_params {
                if v.get("undocumented").is_some() && !params.contains_key(k) {
                    params.insert(k.clone(), v.clone());
                }
            }
        }
    }
    for key in PERSON_VERSION_KEYS {
        if let Some(v) = old.get(*key) {
            if !merged.contains_key(*key) {
                merged.insert(Value::from(*key), v.clone());
            }
        }
    }
    Value::Mapping(merged)
}

fn templates(version: &Mapping) -> Vec<String> {
    seq(version.get("paths"))
        .iter()
        .filter_map(|p| p.get("template").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

fn shape(template: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in template.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('{');
            }
            '}' => {
                depth -= 1;
                out.push('}');
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    out
}

fn rename_placeholders(template: &str, rename: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..open + close];
        let to = rename
            .iter()
            .find(|(a, _)| a == name)
            .map(|(_, b)| b.as_str())
            .unwrap_or(name);
        out.push('{');
        out.push_str(to);
        out.push('}');
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn example_version(example: &Value) -> Option<&'static str> {
    let url = example.get("request")?.get("url")?.as_str()?;
    if url.contains("/v1.0/") {
        Some("v1.0")
    } else if url.contains("/beta/") {
        Some("beta")
    } else {
        None
    }
}

fn request_key(example: &Value) -> Option<(String, String)> {
    let request = example.get("request")?;
    Some((
        request.get("method")?.as_str()?.to_owned(),
        request.get("url")?.as_str()?.to_owned(),
    ))
}

/// What the page shows of a request: the erratum's values where it has
/// them, else the example's own.
fn shown_request(example: &Value) -> Option<(String, String, Option<String>)> {
    let request = example.get("request")?;
    let erratum = request.get("erratum");
    let pick = |key: &str| {
        erratum
            .and_then(|e| e.get(key))
            .or_else(|| request.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Some((pick("method")?, pick("url")?, pick("body")))
}

fn has_erratum(example: &Value) -> bool {
    example
        .get("request")
        .and_then(|r| r.get("erratum"))
        .is_some()
        || example
            .get("response")
            .and_then(|r| r.get("erratum"))
            .is_some()
}

/// Existing examples of the covered versions are matched to the imported
/// ones by name, else by the request the page shows. A matched example
/// keeps its name and the operation it calls; one with errata is kept
/// whole while the page still shows what its errata record. Examples of
/// other versions stay; imported ones without a match are appended.
fn merge_examples(old: &[Value], new: &[Value], covered: &[&str]) -> Vec<Value> {
    let mut used = vec![false; new.len()];
    let new_names: Vec<Option<&str>> = new
        .iter()
        .map(|n| n.get("name").and_then(Value::as_str))
        .collect();
    let mut out = Vec::new();
    for e in old {
        let version = example_version(e);
        if !version.is_some_and(|v| covered.contains(&v)) {
            out.push(e.clone());
            continue;
        }
        let name = e.get("name").and_then(Value::as_str);
        let found = new
            .iter()
            .enumerate()
            .position(|(i, n)| !used[i] && n.get("name").and_then(Value::as_str) == name);
        let found = found.or_else(|| {
            let shown = shown_request(e);
            new.iter()
                .enumerate()
                .position(|(i, n)| !used[i] && shown.is_some() && shown_request(n) == shown)
        });
        let found = found.or_else(|| {
            let key = request_key(e);
            new.iter()
                .enumerate()
                .position(|(i, n)| !used[i] && key.is_some() && request_key(n) == key)
        });
        let Some(i) = found else {
            // The page no longer shows it.
            continue;
        };
        used[i] = true;
        let page_same = shown_request(e) == shown_request(&new[i])
            && e.get("response").map(strip_response_erratum)
                == new[i].get("response").map(strip_response_erratum);
        if has_erratum(e) && page_same {
            out.push(e.clone());
            continue;
        }
        let mut merged = new[i].clone();
        if let (Value::Mapping(m), Value::Mapping(old_map)) = (&mut merged, e) {
            if let Some(v) = old_map.get("operation") {
                m.insert("operation".into(), v.clone());
            }
            // The spec's name for the example, unless another of the page's
            // examples has that name.
            if let Some(v) = old_map.get("name") {
                let taken = new_names
                    .iter()
                    .enumerate()
                    .any(|(j, n)| j != i && *n == v.as_str());
                if !taken {
                    m.insert("name".into(), v.clone());
                }
            }
            // Where the page changed under an erratum, the new text is
            // taken and the old correction dropped (drift shows both).
            // Keep the key order of the spec: name first.
            let mut ordered = Mapping::new();
            for key in ["name", "title", "description", "operation"] {
                if let Some(v) = m.get(key) {
                    ordered.insert(key.into(), v.clone());
                }
            }
            for (k, v) in m.iter() {
                if !ordered.contains_key(k) {
                    ordered.insert(k.clone(), v.clone());
                }
            }
            merged = Value::Mapping(ordered);
        }
        out.push(merged);
    }
    // A page's example the spec does not have yet, named apart from the
    // spec's examples of other versions.
    for (i, n) in new.iter().enumerate() {
        if used[i] {
            continue;
        }
        let mut n = n.clone();
        let name = n
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("example")
            .to_owned();
        let taken = |candidate: &str, out: &[Value]| {
            out.iter()
                .any(|e| e.get("name").and_then(Value::as_str) == Some(candidate))
        };
        if taken(&name, &out) {
            let suffix = match example_version(&n) {
                Some("v1.0") => "v1",
                Some(v) => v,
                None => "page",
            };
            let mut candidate = format!("{name}-{suffix}");
            let mut k = 2;
            while taken(&candidate, &out) {
                candidate = format!("{name}-{suffix}-{k}");
                k += 1;
            }
            if let Value::Mapping(m) = &mut n {
                m.insert("name".into(), Value::String(candidate));
            }
        }
        out.push(n);
    }
    out
}

/// A response as the page shows it (an erratum's values where recorded).
fn strip_response_erratum(response: &Value) -> Value {
    let mut r = response.clone();
    if let Value::Mapping(m) = &mut r {
        if let Some(Value::Mapping(erratum)) = m.remove("erratum") {
            for (k, v) in erratum {
                if k.as_str() != Some("note") {
                    m.insert(k, v);
                }
            }
        }
    }
    r
}

/// The tree as a serde_yaml value.
pub fn to_value(node: &Node) -> Value {
    match node {
        Node::Str(s) => Value::String(s.clone()),
        Node::Raw(r) => serde_yaml::from_str(r).unwrap_or_else(|_| Value::String(r.clone())),
        Node::Flow(items) => Value::Sequence(items.iter().cloned().map(Value::String).collect()),
        Node::Seq(items) => Value::Sequence(items.iter().map(to_value).collect()),
        Node::Map(entries) => {
            let mut m = Mapping::new();
            for e in entries {
                m.insert(Value::String(e.key.clone()), to_value(&e.value));
            }
            Value::Mapping(m)
        }
    }
}

/// A serde_yaml value as a tree (comments are not kept by serde_yaml).
pub fn from_value(value: &Value) -> Node {
    match value {
        Value::Null => Node::Raw("null".into()),
        Value::Bool(b) => Node::Raw(b.to_string()),
        Value::Number(n) => Node::Raw(n.to_string()),
        Value::String(s) => Node::Str(s.clone()),
        Value::Sequence(items) => {
            if !items.is_empty()
                && items.len() <= 8
                && items
                    .iter()
                    .all(|i| matches!(i, Value::String(s) if s.len() < 60 && !s.contains('\n')))
            {
                Node::Flow(
                    items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_owned))
                        .collect(),
                )
            } else {
                Node::Seq(items.iter().map(from_value).collect())
            }
        }
        Value::Mapping(m) => Node::Map(
            m.iter()
                .map(|(k, v)| Entry {
                    key: match k {
                        Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_owned(),
                    },
                    value: from_value(v),
                    comments: Vec::new(),
                })
                .collect(),
        ),
        Value::Tagged(t) => from_value(&t.value),
    }
}

/// `source.read`: the digests of the versions just read replace theirs; a
/// version the docs at hand lack keeps the digest it had.
fn merge_read(out: &mut Mapping, imported: &Mapping) {
    let Some(Value::Mapping(new_read)) = imported.get("source").and_then(|s| s.get("read")) else {
        return;
    };
    let mut source = match out.get("source") {
        Some(Value::Mapping(m)) => m.clone(),
        _ => Mapping::new(),
    };
    let mut read = match source.get("read") {
        Some(Value::Mapping(m)) => m.clone(),
        _ => Mapping::new(),
    };
    for (version, digest) in new_read {
        read.insert(version.clone(), digest.clone());
    }
    source.insert("read".into(), Value::Mapping(read));
    out.insert("source".into(), Value::Mapping(source));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renamed_by_position_in_paths_of_one_shape() {
        let old: Value = serde_yaml::from_str(
            "method: DELETE\npaths:\n  - template: /calls/{callId}/participants/{participantId}\nparameters:\n  callId: { in: path, documentedAs: id, description: kept }\n  participantId: { in: path, documentedAs: id }\ndeprecated: { note: a person's }\n",
        )
        .unwrap();
        let new: Value = serde_yaml::from_str(
            "method: DELETE\npaths:\n  - template: /calls/{callId}/participants/{participantId2}\nparameters:\n  callId: { in: path, documentedAs: id }\n  participantId2: { in: path, documentedAs: id }\n",
        )
        .unwrap();
        let merged = merge_version(&old, &new);
        assert_eq!(
            merged["paths"][0]["template"],
            "/calls/{callId}/participants/{participantId}"
        );
        assert!(merged["parameters"].get("participantId").is_some());
        assert_eq!(merged["parameters"]["callId"]["description"], "kept");
        assert_eq!(merged["deprecated"]["note"], "a person's");
    }
}
