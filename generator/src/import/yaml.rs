//! A YAML tree that keeps comments, and its block-style writer: imported
//! specs are read and edited by people, so what the importer could not
//! decide is written as a comment at the place it concerns.
//!
//! serde_yaml writes no comments, hence this small writer. Scalars are
//! written plain only when they cannot be read back as anything else;
//! otherwise double-quoted with JSON escapes (a subset of YAML's), or as a
//! literal block when they span lines.

use std::fmt::Write;

/// A node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A string, quoted as needed.
    Str(String),
    /// A number or boolean, written as is.
    Raw(String),
    /// A mapping, in order.
    Map(Vec<Entry>),
    /// A sequence.
    Seq(Vec<Node>),
    /// A short sequence of strings, written `[a, b]`.
    Flow(Vec<String>),
}

/// A key of a mapping with its value and the comment lines written above it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Node,
    pub comments: Vec<String>,
}

impl Node {
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }

    pub fn map() -> Node {
        Node::Map(Vec::new())
    }

    /// Adds `key: value` to a mapping (no-op on other nodes).
    pub fn set(&mut self, key: &str, value: Node) -> &mut Self {
        if let Node::Map(entries) = self {
            entries.push(Entry {
                key: key.to_owned(),
                value,
                comments: Vec::new(),
            });
        }
        self
    }

    /// Adds `key: value` with a comment above it.
    pub fn set_with_comment(&mut self, key: &str, value: Node, comment: &str) -> &mut Self {
        if let Node::Map(entries) = self {
            entries.push(Entry {
                key: key.to_owned(),
                value,
                comments: comment.lines().map(str::to_owned).collect(),
            });
        }
        self
    }

    /// Adds a comment above the last key written so far, or above the first
    /// key written next when there is none yet.
    pub fn comment_last(&mut self, comment: &str) {
        if let Node::Map(entries) = self {
            if let Some(last) = entries.last_mut() {
                last.comments.extend(comment.lines().map(str::to_owned));
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match self {
            Node::Map(entries) => entries
                .iter_mut()
                .find(|e| e.key == key)
                .map(|e| &mut e.value),
            _ => None,
        }
    }

    pub fn is_empty_map(&self) -> bool {
        matches!(self, Node::Map(e) if e.is_empty())
    }
}

/// Writes a document whose root is a mapping, with a header comment.
pub fn document(header: &[String], root: &Node) -> String {
    let mut out = String::new();
    for line in header {
        comment_line(&mut out, 0, line);
    }
    write_node(&mut out, 0, root);
    out
}

fn comment_line(out: &mut String, indent: usize, text: &str) {
    let text = crate::diagnostics::printable(text);
    let _ = writeln!(out, "{:indent$}# {}", "", text.trim_end(), indent = indent);
}

fn write_node(out: &mut String, indent: usize, node: &Node) {
    match node {
        Node::Map(entries) => {
            for entry in entries {
                for comment in &entry.comments {
                    comment_line(out, indent, comment);
                }
                let _ = write!(out, "{:indent$}{}:", "", key(&entry.key), indent = indent);
                write_value(out, indent, &entry.value);
            }
        }
        Node::Seq(items) => {
            for item in items {
                let _ = write!(out, "{:indent$}-", "", indent = indent);
                match item {
                    Node::Map(entries) if !entries.is_empty() => {
                        // The first key goes on the dash's line.
                        let mut inner = String::new();
                        write_node(&mut inner, indent + 2, item);
                        out.push(' ');
                        out.push_str(inner.trim_start());
                    }
                    _ => write_value(out, indent, item),
                }
            }
        }
        other => {
            write_value(out, indent, other);
        }
    }
}

/// Writes what follows `key:` or `-`, with the newline.
fn write_value(out: &mut String, indent: usize, value: &Node) {
    match value {
        Node::Str(s) => {
            if s.contains('\n') && literal_ok(s) {
                let chomp = if s.ends_with('\n') { "" } else { "-" };
                let _ = writeln!(out, " |{chomp}");
                for line in s.trim_end_matches('\n').split('\n') {
                    if line.is_empty() {
                        out.push('\n');
                    } else {
                        let _ = writeln!(out, "{:w$}{}", "", line, w = indent + 2);
                    }
                }
            } else {
                let _ = writeln!(out, " {}", scalar(s));
            }
        }
        Node::Raw(r) => {
            let _ = writeln!(out, " {r}");
        }
        Node::Flow(items) => {
            let items: Vec<String> = items.iter().map(|s| scalar(s)).collect();
            let _ = writeln!(out, " [{}]", items.join(", "));
        }
        Node::Map(entries) if entries.is_empty() => {
            out.push_str(" {}\n");
        }
        Node::Seq(items) if items.is_empty() => {
            out.push_str(" []\n");
        }
        Node::Map(_) => {
            out.push('\n');
            write_node(out, indent + 2, value);
        }
        Node::Seq(_) => {
            out.push('\n');
            write_node(out, indent + 2, value);
        }
    }
}

/// A literal block keeps text exactly only when no line starts with a space
/// on the first line (the indentation would be misread), no line ends in
/// spaces that a reader might trim, more than one trailing newline is not
/// needed, and every character is printable.
fn literal_ok(s: &str) -> bool {
    !s.starts_with([' ', '\t'])
        && !s.ends_with("\n\n")
        && !s.contains('\r')
        && !s.contains('\t')
        && s.split('\n').all(|l| !l.ends_with(' '))
        && s.chars().all(|c| c == '\n' || !c.is_control())
        && !s.contains('\u{feff}')
}

fn key(k: &str) -> String {
    if plain_ok(k) {
        k.to_owned()
    } else {
        quoted(k)
    }
}

/// A scalar string, plain when that reads back as the same string.
pub fn scalar(s: &str) -> String {
    if plain_ok(s) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

fn quoted(s: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '/' || first == '_' || first == '$') {
        return false;
    }
    if s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    const WORDS: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ];
    if WORDS.iter().any(|w| s.eq_ignore_ascii_case(w)) {
        return false;
    }
    !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    ' ' | '.' | '/' | '_' | '-' | '$' | '(' | ')' | '+' | '=' | '?' | ';' | '\''
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: &str) {
        let mut root = Node::map();
        root.set("k", Node::str(value));
        let text = document(&[], &root);
        let back: std::collections::BTreeMap<String, String> =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back["k"], value, "{text}");
    }

    #[test]
    fn scalars_read_back_as_written() {
        for value in [
            "plain text",
            "yes",
            "123",
            "a: b",
            "x #y",
            "- item",
            "{ \"a\": 1 }\n",
            "line one\nline two",
            "line one\n\nline three\n",
            " leading space\nx",
            "trailing  \nspace",
            "tab\there",
            "bell\u{7}",
            "'quoted'",
            "\"dq\"",
            "",
            "@odata.type",
            "null",
            "~",
            "a\r\nb",
            "ends with two\n\n",
        ] {
            round_trip(value);
        }
    }

    #[test]
    fn nested_maps_and_sequences_with_comments() {
        let mut inner = Node::map();
        inner.set("name", Node::str("a"));
        inner.set("list", Node::Flow(vec!["x".into(), "y z".into()]));
        let mut root = Node::map();
        root.set_with_comment("items", Node::Seq(vec![inner.clone(), inner]), "two\nlines");
        let text = document(&["header".to_owned()], &root);
        assert_eq!(
            text,
            "# header\n# two\n# lines\nitems:\n  - name: a\n    list: [x, y z]\n  - name: a\n    list: [x, y z]\n"
        );
        let back: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back["items"][1]["list"][1], "y z");
    }
}
