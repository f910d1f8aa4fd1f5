//! A resource page (one type) and the enum pages, read into the facts a type
//! spec states: kind, base type, open type, properties, relationships and
//! enum members.

use indexmap::IndexMap;

use super::markdown::{self, BlockKind, Page};
use super::operation::{split_first_sentence, Point};
use super::typeref::{self, TypeIndex};

#[derive(Debug, Clone, Default)]
pub struct TypeFacts {
    pub name: String,
    /// `#microsoft.graph.callRecords.callRecord` where the type is in a
    /// namespace other than `microsoft.graph`.
    pub odata_type: Option<String>,
    pub entity: bool,
    pub description: Option<String>,
    pub base_type: Option<String>,
    pub open: bool,
    pub properties: IndexMap<String, Property>,
    pub relationships: IndexMap<String, Property>,
    pub members: Vec<String>,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Property {
    pub type_name: String,
    pub collection: bool,
    pub read_only: bool,
    pub description: Option<String>,
    /// Members listed in the description ("Possible values are: `a`, `b`")
    /// when the type is an enum no page defines.
    pub inline_members: Vec<String>,
    pub line: usize,
}

/// The type a resource page declares, from its JSON representation's
/// annotation: `(name, full OData name)`.
pub fn declared_type(page: &Page) -> Option<(String, String)> {
    for block in &page.blocks {
        if let BlockKind::Code {
            annotation: Some(a),
            ..
        } = &block.kind
        {
            if a.block_type == "resource" {
                let full = a.odata_type.clone()?;
                let full = full.trim().trim_start_matches('#').to_owned();
                let name = full.rsplit('.').next()?.to_owned();
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return None;
                }
                return Some((name, full));
            }
        }
    }
    None
}

/// Reads a resource page whose declared type is known.
pub fn read(page: &Page, name: &str, full: &str, types: &TypeIndex) -> TypeFacts {
    let mut facts = TypeFacts {
        name: name.to_owned(),
        ..TypeFacts::default()
    };
    if full != format!("microsoft.graph.{name}") {
        facts.odata_type = Some(format!("#{full}"));
    }
    let mut section = String::new();
    let mut intro = Vec::new();
    for block in &page.blocks {
        match &block.kind {
            BlockKind::Heading { level: 2, text } => section = text.to_ascii_lowercase(),
            BlockKind::Paragraph(text) if section.is_empty() => {
                if text.starts_with("Namespace:") {
                    continue;
                }
                let plain = markdown::plain(&text.replace('\n', " "));
                if let Some(base) = inherits_from(text, types) {
                    facts.base_type.get_or_insert(base);
                }
                intro.push(plain);
            }
            BlockKind::Paragraph(text) if section.starts_with("properties") => {
                if let Some(base) = inherits_from(text, types) {
                    facts.base_type.get_or_insert(base);
                }
            }
            BlockKind::Table { header, rows } => {
                let first = header
                    .first()
                    .map(|h| h.to_ascii_lowercase())
                    .unwrap_or_default();
                let target = if first.starts_with("relationship") {
                    &mut facts.relationships
                } else if first.starts_with("property") && section.starts_with("propert") {
                    &mut facts.properties
                } else if (first.starts_with("member") || first.starts_with("value"))
                    && (section.contains("member")
                        || section.contains("value")
                        || section.starts_with("propert"))
                {
                    for row in rows {
                        let member =
                            typeref::clean_name(row.first().map(String::as_str).unwrap_or(""));
                        if is_identifier(&member) && !facts.members.contains(&member) {
                            facts.members.push(member);
                        }
                    }
                    continue;
                } else {
                    continue;
                };
                let type_col = header
                    .iter()
                    .position(|h| h.to_ascii_lowercase().starts_with("type"))
                    .unwrap_or(1);
                let desc_col = header
                    .iter()
                    .position(|h| h.to_ascii_lowercase().starts_with("description"))
                    .unwrap_or(2);
                for row in rows {
                    let property = typeref::clean_name(&markdown::plain(
                        row.first().map(String::as_str).unwrap_or(""),
                    ));
                    if !is_identifier(&property) {
                        if !property.is_empty() {
                            facts.points.push(Point {
                                line: block.line,
                                reason: "a property name that is not a name",
                                text: format!("the table names `{property}`; not imported"),
                            });
                        }
                        continue;
                    }
                    let cell_text = row.get(type_col).map(String::as_str).unwrap_or("");
                    let cell = typeref::read_cell(cell_text, types);
                    let description = row
                        .get(desc_col)
                        .map(|d| markdown::plain(d))
                        .filter(|d| !d.is_empty());
                    let read_only = description
                        .as_deref()
                        .is_some_and(|d| d.contains("Read-only") || d.contains("Read only"));
                    let mut prop = Property {
                        type_name: cell.name.clone(),
                        collection: cell.collection,
                        read_only,
                        description: description.clone(),
                        inline_members: Vec::new(),
                        line: block.line,
                    };
                    if prop.type_name.is_empty() {
                        let named = cell.unresolved.clone().unwrap_or_default();
                        let members = description
                            .as_deref()
                            .map(possible_values)
                            .unwrap_or_default();
                        if is_identifier(&named) && !members.is_empty() {
                            prop.type_name = named;
                            prop.inline_members = members;
                        } else {
                            facts.points.push(Point {
                                line: block.line,
                                reason: "a type no page defines",
                                text: format!(
                                    "property `{property}` has type `{}`, which no page defines; written as String",
                                    markdown::plain(cell_text)
                                ),
                            });
                            prop.type_name = "String".into();
                        }
                    }
                    if !cell.alternatives.is_empty() {
                        facts.points.push(Point {
                            line: block.line,
                            reason: "a property of one of several types",
                            text: format!(
                                "property `{property}` is one of {} or {}; typed as the first (declare their base type if they share one)",
                                prop.type_name,
                                cell.alternatives.join(", ")
                            ),
                        });
                    }
                    target.entry(property).or_insert(prop);
                }
            }
            BlockKind::Code {
                annotation: Some(a),
                ..
            } if a.block_type == "resource" => {
                if let Some(base) = &a.base_type {
                    let base = base
                        .trim_start_matches('#')
                        .rsplit('.')
                        .next()
                        .unwrap_or("");
                    if !base.is_empty() {
                        facts.base_type = Some(types.knows(base).unwrap_or(base).to_owned());
                    }
                }
                if a.open_type == Some(true) {
                    facts.open = true;
                }
                if a.key_property.is_some() {
                    facts.entity = true;
                }
            }
            _ => {}
        }
    }
    let both: Vec<String> = facts
        .relationships
        .keys()
        .filter(|k| facts.properties.contains_key(*k))
        .cloned()
        .collect();
    for key in both {
        if let Some(p) = facts.relationships.shift_remove(&key) {
            facts.points.push(Point {
                line: p.line,
                reason: "a property listed as a relationship too",
                text: format!("`{key}` is in both the properties and the relationships table; kept as a property"),
            });
        }
    }
    if facts.base_type.as_deref() == Some(name) {
        facts.base_type = None;
    }
    let first = intro.first().cloned().unwrap_or_default();
    let (summary, rest) = split_first_sentence(&first);
    let mut description = vec![summary];
    if !rest.is_empty() {
        description.push(rest);
    }
    description.extend(intro.into_iter().skip(1));
    let description = description.join(" ").trim().to_owned();
    facts.description = (!description.is_empty()).then_some(description);
    if page.front.get("doc_type").map(String::as_str) == Some("enumPageType")
        && !facts.members.is_empty()
    {
        facts.properties.clear();
    }
    facts
}

/// "Inherits from [entity](entity.md)."
fn inherits_from(text: &str, types: &TypeIndex) -> Option<String> {
    let at = text.find("nherits from")?;
    let (label, target) = markdown::links(&text[at..]).into_iter().next()?;
    types.resolve_link(&label, &target)
}

/// The members a description lists: "Possible values are: `a`, `b`, `c`."
pub fn possible_values(description: &str) -> Vec<String> {
    let lower = description.to_ascii_lowercase();
    let Some(at) = lower
        .find("possible value")
        .or_else(|| lower.find("supported values"))
    else {
        return Vec::new();
    };
    let rest = &description[at..];
    let end = rest.find(". ").map_or(rest.len(), |e| e + 1);
    let mut out = Vec::new();
    for span in rest[..end].split('`').skip(1).step_by(2) {
        let span = span.trim();
        if is_identifier(span) && !out.iter().any(|m: &String| m == span) {
            out.push(span.to_owned());
        }
    }
    out
}

/// The enums of an enum page (`### callState values` and a member table).
pub fn read_enums(page: &Page) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut current: Option<String> = None;
    for block in &page.blocks {
        match &block.kind {
            BlockKind::Heading { text, .. } => {
                let name = text
                    .trim()
                    .trim_end_matches("values")
                    .trim_end_matches("Values")
                    .trim()
                    .trim_start_matches("microsoft.graph.")
                    .to_owned();
                current = (is_identifier(&name) && text.to_ascii_lowercase().contains("values"))
                    .then_some(name);
            }
            BlockKind::Table { header, rows } => {
                let Some(name) = current.take() else { continue };
                let first = header
                    .first()
                    .map(|h| h.to_ascii_lowercase())
                    .unwrap_or_default();
                if !(first.starts_with("member")
                    || first.starts_with("value")
                    || first.starts_with("name"))
                {
                    continue;
                }
                let members: Vec<String> = rows
                    .iter()
                    .filter_map(|r| r.first())
                    .map(|c| typeref::clean_name(c))
                    .filter(|m| is_identifier(m))
                    .collect();
                if !members.is_empty() {
                    out.push((name, members));
                }
            }
            _ => {}
        }
    }
    out
}

/// The enum of a page that declares one: "# mobileAppPublishingState enum
/// type" with a table of members.
pub fn single_enum(page: &Page) -> Option<(String, Vec<String>)> {
    let title = page.front.get("title").cloned().or_else(|| {
        page.blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Heading { level: 1, text } => Some(text.clone()),
            _ => None,
        })
    })?;
    let name = typeref::clean_name(title.split_whitespace().next()?);
    if !is_identifier(&name) || !title.to_ascii_lowercase().contains("enum") {
        return None;
    }
    for block in &page.blocks {
        if let BlockKind::Table { header, rows } = &block.kind {
            let first = header
                .first()
                .map(|h| h.to_ascii_lowercase())
                .unwrap_or_default();
            if first.starts_with("member")
                || first.starts_with("name")
                || first.starts_with("value")
            {
                let members: Vec<String> = rows
                    .iter()
                    .filter_map(|r| r.first())
                    .map(|c| typeref::clean_name(c))
                    .filter(|m| is_identifier(m))
                    .collect();
                if !members.is_empty() {
                    return Some((name, members));
                }
            }
        }
    }
    None
}

pub fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= 128
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possible_values_in_a_description() {
        assert_eq!(
            possible_values(
                "The state. Possible values are: `incoming`, `ringing`, or `hold`. Read-only."
            ),
            vec!["incoming", "ringing", "hold"]
        );
        assert!(possible_values("No list here `a`.").is_empty());
    }

    #[test]
    fn enum_pages() {
        let page = markdown::parse("### callState values\n\n|Member|\n|:---|\n|incoming|\n|ringing|\n\n### Bad heading\n|Member|\n|---|\n|x|\n");
        assert_eq!(
            read_enums(&page),
            vec![(
                "callState".to_owned(),
                vec!["incoming".to_owned(), "ringing".to_owned()]
            )]
        );
    }
}
