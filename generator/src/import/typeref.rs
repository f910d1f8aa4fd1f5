//! Type cells of the pages ("[mediaStream](mediastream.md) collection",
//! "String", "Edm.Int32", "callState") read as a spec type reference: a
//! primitive, or a type named by the resource page a link points to.

use std::collections::HashMap;

use super::markdown;

/// What a type cell names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeCell {
    pub name: String,
    pub collection: bool,
    /// Other types the cell names ("[a](a.md) or [b](b.md)").
    pub alternatives: Vec<String>,
    /// The cell named something no page defines (kept as it reads).
    pub unresolved: Option<String>,
}

/// The resource pages of one API version: file stem (lowercase) to the type
/// name their JSON representation declares.
#[derive(Debug, Default, Clone)]
pub struct TypeIndex {
    by_stem: HashMap<String, String>,
    /// Lowercase type name to its spelling.
    by_name: HashMap<String, String>,
}

impl TypeIndex {
    pub fn insert(&mut self, stem: &str, name: &str) {
        self.by_stem
            .insert(stem.to_ascii_lowercase(), name.to_owned());
        self.by_name
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| name.to_owned());
    }

    /// Adds what `other` knows and this index does not: a version whose
    /// pages link a type documented only in another version.
    pub fn fill_from(&mut self, other: &TypeIndex) {
        for (stem, name) in &other.by_stem {
            self.by_stem
                .entry(stem.clone())
                .or_insert_with(|| name.clone());
        }
        for (lower, name) in &other.by_name {
            self.by_name
                .entry(lower.clone())
                .or_insert_with(|| name.clone());
        }
    }

    /// Declares a type that has no page of its own (an enum of enums.md).
    pub fn insert_name(&mut self, name: &str) {
        self.by_name
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| name.to_owned());
    }

    pub fn knows(&self, name: &str) -> Option<&str> {
        self.by_name
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The type a link names: by the page it points to, else by its text.
    pub fn resolve_link(&self, text: &str, target: &str) -> Option<String> {
        let file = target.split(['#', '?']).next().unwrap_or("");
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md")
            .to_ascii_lowercase();
        if let Some(name) = self.by_stem.get(&stem) {
            return Some(name.clone());
        }
        // enums.md#callstate, or a link to a page of another name.
        if let Some(anchor) = target.split('#').nth(1) {
            if let Some(name) = self.knows(anchor.trim_end_matches("values").trim_end_matches('-'))
            {
                return Some(name.to_owned());
            }
        }
        let text = clean_name(text);
        self.knows(&text).map(str::to_owned)
    }
}

/// The primitive a cell names, in the spec's spelling.
pub fn primitive(name: &str) -> Option<&'static str> {
    let bare = name
        .trim()
        .trim_start_matches("Edm.")
        .trim_start_matches("edm.");
    let lower = bare.to_ascii_lowercase();
    Some(match lower.as_str() {
        "string" | "str" | "url" | "uri" => "String",
        "boolean" | "bool" => "Boolean",
        "byte" | "sbyte" => "Byte",
        "int16" => "Int16",
        "int32" | "int" | "integer" | "number" => "Int32",
        "int64" | "long" => "Int64",
        "single" | "float" => "Single",
        "double" => "Double",
        "decimal" => "Decimal",
        "guid" | "uuid" => "Guid",
        "datetimeoffset" | "datetime" | "timestamp" => "DateTimeOffset",
        "date" => "Date",
        "timeofday" => "TimeOfDay",
        "duration" | "timespan" => "Duration",
        "binary" | "base64url" | "byte[]" => "Binary",
        "stream" => "Stream",
        "json" | "object" => "Json",
        _ => return None,
    })
}

/// A name as a cell writes it, emphasis and code marks removed.
pub fn clean_name(text: &str) -> String {
    text.trim()
        .trim_matches(|c| c == '*' || c == '`' || c == '_')
        .trim()
        .trim_start_matches("microsoft.graph.")
        .to_owned()
}

/// Reads a type cell.
pub fn read_cell(cell: &str, index: &TypeIndex) -> TypeCell {
    let lower = cell.to_ascii_lowercase();
    let collection = lower.contains("collection") || cell.trim_end().ends_with("[]");
    let links = markdown::links(cell);
    let mut names: Vec<String> = Vec::new();
    let mut unresolved = None;
    for (text, target) in &links {
        match index.resolve_link(text, target) {
            Some(name) => names.push(name),
            None => {
                let name = clean_name(text);
                if let Some(p) = primitive(&name) {
                    names.push(p.to_owned());
                } else if unresolved.is_none() {
                    unresolved = Some(name);
                }
            }
        }
    }
    if links.is_empty() {
        let text = markdown::plain(cell);
        let word = text
            .split_whitespace()
            .find(|w| !w.eq_ignore_ascii_case("collection") && !w.eq_ignore_ascii_case("of"))
            .unwrap_or("")
            .trim_end_matches("[]")
            .trim_end_matches(',');
        let word = clean_name(word);
        if let Some(p) = primitive(&word) {
            names.push(p.to_owned());
        } else if let Some(known) = index.knows(&word) {
            names.push(known.to_owned());
        } else if !word.is_empty() {
            unresolved = Some(word);
        }
    }
    names.dedup();
    let name = names.first().cloned().unwrap_or_default();
    TypeCell {
        name,
        collection,
        alternatives: names.into_iter().skip(1).collect(),
        unresolved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TypeIndex {
        let mut index = TypeIndex::default();
        index.insert("mediastream", "mediaStream");
        index.insert("apphostedmediaconfig", "appHostedMediaConfig");
        index.insert("servicehostedmediaconfig", "serviceHostedMediaConfig");
        index.insert_name("callState");
        index
    }

    #[test]
    fn cells_read_as_types() {
        let index = index();
        let cell = read_cell("[mediaStream](mediastream.md) collection", &index);
        assert_eq!((cell.name.as_str(), cell.collection), ("mediaStream", true));
        assert_eq!(read_cell("String Collection", &index).name, "String");
        assert!(read_cell("String Collection", &index).collection);
        assert_eq!(read_cell("Edm.Int32", &index).name, "Int32");
        assert_eq!(read_cell("callState", &index).name, "callState");
        let either = read_cell(
            "[appHostedMediaConfig](apphostedmediaconfig.md) or [serviceHostedMediaConfig](servicehostedmediaconfig.md)",
            &index,
        );
        assert_eq!(either.name, "appHostedMediaConfig");
        assert_eq!(
            either.alternatives,
            vec!["serviceHostedMediaConfig".to_owned()]
        );
        let unknown = read_cell("[mystery](mystery.md)", &index);
        assert_eq!(unknown.unresolved.as_deref(), Some("mystery"));
    }
}
