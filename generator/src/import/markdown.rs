//! A reference page in the Graph docs' markdown, read into blocks: front
//! matter, headings, paragraphs, notes, tables, code blocks with the
//! `<!-- { "blockType": ... } -->` annotation before them, and includes.
//!
//! The pages are written to a line-oriented house style, and the importer
//! needs each table cell and code block as its source text (links kept, to
//! tell a type from its name), so they are read line by line rather than
//! through a CommonMark event stream. Every step is linear in the page and
//! nothing recurses, so a crafted page cannot make reading slow or deep.

use std::collections::BTreeMap;

/// A page, read.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Front matter keys and values, quotes removed.
    pub front: BTreeMap<String, String>,
    pub blocks: Vec<Block>,
}

/// A block and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub line: usize,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Heading {
        level: usize,
        text: String,
    },
    /// Lines of one paragraph (or list), joined with newlines.
    Paragraph(String),
    /// A `>` quote (notes, tips), markers removed, lines joined.
    Quote(String),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Code {
        info: String,
        text: String,
        annotation: Option<Annotation>,
    },
    /// `[!INCLUDE [name](target)]`.
    Include {
        name: String,
        target: String,
    },
}

/// What the annotation before a code block says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Annotation {
    pub block_type: String,
    pub name: Option<String>,
    pub odata_type: Option<String>,
    pub truncated: bool,
    pub is_collection: bool,
    pub base_type: Option<String>,
    pub open_type: Option<bool>,
    pub key_property: Option<String>,
    /// The annotation's text did not parse as JSON; its fields were read
    /// one by one.
    pub malformed: bool,
}

/// Reads a page.
pub fn parse(text: &str) -> Page {
    let lines: Vec<&str> = text.lines().collect();
    let mut page = Page::default();
    let mut i = 0;
    if lines.first().map(|l| l.trim()) == Some("---") {
        i = 1;
        while i < lines.len() && lines[i].trim() != "---" {
            if let Some((key, value)) = lines[i].split_once(':') {
                let value = value.trim().trim_matches('"').trim_matches('\'').to_owned();
                page.front.insert(key.trim().to_owned(), value);
            }
            i += 1;
        }
        i += 1;
    }
    let mut paragraph: Vec<&str> = Vec::new();
    let mut paragraph_line = 0;
    let mut pending: Option<Annotation> = None;
    macro_rules! flush {
        () => {
            if !paragraph.is_empty() {
                page.blocks.push(Block {
                    line: paragraph_line,
                    kind: BlockKind::Paragraph(paragraph.join("\n")),
                });
                paragraph.clear();
            }
        };
    }
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        let number = i + 1;
        if trimmed.is_empty() {
            flush!();
            i += 1;
            continue;
        }
        if trimmed.starts_with("<!--") {
            flush!();
            let mut comment = String::new();
            let mut j = i;
            loop {
                comment.push_str(lines[j]);
                comment.push('\n');
                if lines[j].contains("-->") || j + 1 >= lines.len() {
                    break;
                }
                j += 1;
            }
            if let Some(annotation) = annotation(&comment) {
                pending = Some(annotation);
            }
            i = j + 1;
            continue;
        }
        if let Some(fence) = fence_of(trimmed) {
            flush!();
            let info = trimmed[fence.len()..].trim().to_owned();
            let mut body = Vec::new();
            let mut j = i + 1;
            while j < lines.len() {
                let t = lines[j].trim();
                if t.starts_with(fence)
                    && t[fence.len()..]
                        .trim_start_matches(fence.as_bytes()[0] as char)
                        .trim()
                        .is_empty()
                {
                    break;
                }
                body.push(lines[j]);
                j += 1;
            }
            page.blocks.push(Block {
                line: number,
                kind: BlockKind::Code {
                    info,
                    text: dedent(&body),
                    annotation: pending.take(),
                },
            });
            i = j + 1;
            continue;
        }
        if let Some(heading) = heading(trimmed) {
            flush!();
            // `# [HTTP](#tab/http)` opens a tab of code samples, not a section.
            if !(heading.1.starts_with('[') && heading.1.contains("#tab/")) {
                page.blocks.push(Block {
                    line: number,
                    kind: BlockKind::Heading {
                        level: heading.0,
                        text: heading.1,
                    },
                });
            }
            i += 1;
            continue;
        }
        if trimmed == "---" || trimmed == "***" {
            flush!();
            i += 1;
            continue;
        }
        if let Some(include) = include(trimmed) {
            flush!();
            page.blocks.push(Block {
                line: number,
                kind: include,
            });
            i += 1;
            continue;
        }
        if trimmed.starts_with('|') {
            flush!();
            let mut j = i;
            let mut rows = Vec::new();
            while j < lines.len() && lines[j].trim().starts_with('|') {
                rows.push(cells(lines[j].trim()));
                j += 1;
            }
            let header = rows.first().cloned().unwrap_or_default();
            let body = rows
                .into_iter()
                .skip(1)
                .filter(|r| !is_separator(r))
                .collect();
            page.blocks.push(Block {
                line: number,
                kind: BlockKind::Table { header, rows: body },
            });
            i = j;
            continue;
        }
        if trimmed.starts_with('>') {
            flush!();
            let mut j = i;
            let mut text = Vec::new();
            while j < lines.len() && lines[j].trim().starts_with('>') {
                text.push(lines[j].trim().trim_start_matches('>').trim());
                j += 1;
            }
            page.blocks.push(Block {
                line: number,
                kind: BlockKind::Quote(text.join("\n").trim().to_owned()),
            });
            i = j;
            continue;
        }
        if paragraph.is_empty() {
            paragraph_line = number;
        }
        paragraph.push(trimmed);
        i += 1;
    }
    flush!();
    page
}

fn fence_of(trimmed: &str) -> Option<&'static str> {
    if trimmed.starts_with("```") {
        Some("```")
    } else if trimmed.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
}

fn heading(trimmed: &str) -> Option<(usize, String)> {
    let level = trimmed.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &trimmed[level..];
    if !rest.starts_with(' ') {
        return None;
    }
    Some((level, rest.trim().trim_end_matches('#').trim().to_owned()))
}

fn include(trimmed: &str) -> Option<BlockKind> {
    let rest = trimmed.strip_prefix("[!INCLUDE")?.trim_start();
    let rest = rest.strip_prefix('[')?;
    let (name, rest) = rest.split_once("](")?;
    let (target, _) = rest.split_once(')')?;
    Some(BlockKind::Include {
        name: name.trim().to_owned(),
        target: target.trim().to_owned(),
    })
}

/// Splits a table row on the pipes that are not escaped and not inside a
/// code span.
pub fn cells(row: &str) -> Vec<String> {
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = if inner.ends_with('|') && !inner.ends_with("\\|") {
        &inner[..inner.len() - 1]
    } else {
        inner
    };
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut in_code = false;
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '`' => {
                in_code = !in_code;
                cell.push(c);
            }
            '|' if !in_code => {
                out.push(cell.trim().to_owned());
                cell.clear();
            }
            _ => cell.push(c),
        }
    }
    out.push(cell.trim().to_owned());
    out
}

fn is_separator(row: &[String]) -> bool {
    !row.is_empty()
        && row
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Removes the indentation every non-blank line of a code block shares.
fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in lines {
        out.push_str(line.get(indent..).unwrap_or("").trim_end_matches('\r'));
        out.push('\n');
    }
    out
}

/// Reads the annotation in an HTML comment, if it is one.
fn annotation(comment: &str) -> Option<Annotation> {
    let start = comment.find('{')?;
    let end = comment.rfind('}')?;
    if end < start {
        return None;
    }
    let json = &comment[start..=end];
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) {
        let block_type = map.get("blockType")?.as_str()?.to_owned();
        let text = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let flag = |k: &str| map.get(k).and_then(|v| v.as_bool());
        return Some(Annotation {
            block_type,
            name: text("name"),
            odata_type: text("@odata.type"),
            truncated: flag("truncated").unwrap_or(false),
            is_collection: flag("isCollection").unwrap_or(false),
            base_type: text("baseType"),
            open_type: flag("openType"),
            key_property: text("keyProperty"),
            malformed: false,
        });
    }
    // Trailing commas and comments inside are common: read the fields the
    // importer needs one by one.
    let block_type = string_field(json, "blockType")?;
    Some(Annotation {
        block_type,
        name: string_field(json, "name"),
        odata_type: string_field(json, "@odata.type"),
        truncated: bool_field(json, "truncated").unwrap_or(false),
        is_collection: bool_field(json, "isCollection").unwrap_or(false),
        base_type: string_field(json, "baseType"),
        open_type: bool_field(json, "openType"),
        key_property: string_field(json, "keyProperty"),
        malformed: true,
    })
}

fn field_value<'a>(json: &'a str, key: &str) -> Option<&'a str> {
    let quoted = format!("\"{key}\"");
    let at = json.find(&quoted)?;
    let rest = json[at + quoted.len()..].trim_start();
    Some(rest.strip_prefix(':')?.trim_start())
}

fn string_field(json: &str, key: &str) -> Option<String> {
    let rest = field_value(json, key)?.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_owned())
}

fn bool_field(json: &str, key: &str) -> Option<bool> {
    let rest = field_value(json, key)?;
    if rest.starts_with("true") {
        Some(true)
    } else if rest.starts_with("false") {
        Some(false)
    } else {
        None
    }
}

/// The link targets and texts in a piece of markdown: `[text](target)`.
pub fn links(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else {
            break;
        };
        let label = &after[..close];
        let target_start = &after[close + 2..];
        let Some(end) = target_start.find(')') else {
            break;
        };
        if !label.contains('[') {
            out.push((label.to_owned(), target_start[..end].trim().to_owned()));
        }
        rest = &target_start[end..];
    }
    out
}

/// Markdown inline text made plain for a description: links become their
/// text; emphasis and code marks stay (the docs render them).
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match after.find("](") {
            Some(close) if !after[..close].contains('[') && !after[..close].contains(']') => {
                let target = &after[close + 2..];
                match target.find(')') {
                    Some(end) => {
                        out.push_str(&rest[..open]);
                        out.push_str(&after[..close]);
                        rest = &target[end + 1..];
                    }
                    None => break,
                }
            }
            _ => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    // Line and paragraph tags in table cells read as a space.
    let mut plain = out;
    for tag in ["<br/>", "<br />", "<br>", "</p>", "<p>"] {
        plain = plain.replace(tag, " ");
    }
    plain.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_blocks_of_a_page() {
        let page = parse(
            "---\ntitle: \"Delete x\"\ndoc_type: apiPageType\n---\n# Delete x\n\nDeletes.\nMore.\n\n## HTTP request\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nDELETE /x/{id}\n```\n| A | B |\n|:--|:--|\n| a \\| b | `c|d` |\n> **Note:** n\n[!INCLUDE [permissions-table](../includes/p.md)]\n# [HTTP](#tab/http)\n",
        );
        assert_eq!(page.front["title"], "Delete x");
        let kinds: Vec<_> = page.blocks.iter().map(|b| &b.kind).collect();
        assert_eq!(kinds[1], &BlockKind::Paragraph("Deletes.\nMore.".into()));
        match kinds[3] {
            BlockKind::Code {
                text, annotation, ..
            } => {
                assert_eq!(text, "DELETE /x/{id}\n");
                assert_eq!(annotation.as_ref().unwrap().block_type, "ignored");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            kinds[4],
            &BlockKind::Table {
                header: vec!["A".into(), "B".into()],
                rows: vec![vec!["a | b".into(), "`c|d`".into()]],
            }
        );
        assert_eq!(kinds[5], &BlockKind::Quote("**Note:** n".into()));
        assert_eq!(
            kinds[6],
            &BlockKind::Include {
                name: "permissions-table".into(),
                target: "../includes/p.md".into()
            }
        );
        assert_eq!(kinds.len(), 7);
    }

    #[test]
    fn malformed_annotations_are_read_field_by_field() {
        let page = parse("<!-- {\n \"blockType\": \"request\",\n \"name\": \"a-b\",\n} -->\n```http\nGET /x\n```\n");
        let BlockKind::Code { annotation, .. } = &page.blocks[0].kind else {
            panic!()
        };
        let a = annotation.as_ref().unwrap();
        assert!(a.malformed);
        assert_eq!(a.name.as_deref(), Some("a-b"));
    }

    #[test]
    fn unterminated_fences_and_comments_end_the_page() {
        let page = parse("```http\nGET /x\n");
        assert_eq!(page.blocks.len(), 1);
        let page = parse("<!-- { \"blockType\": \"request\"\n\nno end");
        assert!(page.blocks.is_empty());
    }

    #[test]
    fn links_and_plain_text() {
        assert_eq!(
            links("[a](a.md) or [b](../b.md)"),
            vec![("a".into(), "a.md".into()), ("b".into(), "../b.md".into())]
        );
        assert_eq!(plain("a [b](c) d [e]"), "a b d [e]");
    }
}
