//! Diagnostics: what is wrong with a spec, where, and what to do about it.
//!
//! Every phase collects all of its diagnostics before stopping, so a spec
//! author sees every mistake of a run at once. Rendering is plain text in the
//! `file:line:col: error: message` form that editors and CI logs recognise,
//! followed by the offending source line and a hint where one helps.

use std::fmt;

/// A position in a spec file, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Position {
            line: line.max(1),
            column: column.max(1),
        }
    }
}

/// One problem found in a spec file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file's path as the user should see it (relative to the specs directory).
    pub file: String,
    pub position: Position,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<String>, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            position,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Renders the diagnostic with the source line it points at, when the
    /// source is at hand.
    pub fn render(&self, source: Option<&str>) -> String {
        self.render_lines(source.map(SourceText::new).as_ref())
    }

    /// Like [`Diagnostic::render`], with the file's lines already indexed:
    /// rendering many diagnostics of one file then costs no rescans.
    pub fn render_lines(&self, source: Option<&SourceText>) -> String {
        let mut out = format!(
            "{}:{}:{}: error: {}\n",
            printable(&self.file),
            self.position.line,
            self.position.column,
            printable(&self.message)
        );
        if let Some(line) = source.and_then(|s| s.line(self.position.line)) {
            let number = self.position.line.to_string();
            let gutter = " ".repeat(number.len());
            let (shown, caret_offset) = quoted_line(line, self.position.column);
            out.push_str(&format!("{gutter} |\n{number} | {}\n", shown.trim_end()));
            out.push_str(&format!("{gutter} | {}^\n", " ".repeat(caret_offset)));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("  = hint: {}\n", printable(hint)));
        }
        out
    }
}

/// The most characters of a source line quoted under a diagnostic: a spec
/// of one 4 MiB line must not print 4 MiB per problem.
const QUOTE_WIDTH: usize = 160;

/// The most characters of a message or hint printed: they quote keys and
/// values of the spec, which can be any length.
const TEXT_WIDTH: usize = 1000;

/// A source line as quoted: tabs and other control characters shown as one
/// character each so that the caret lines up, and a long line cut to a
/// window around the column. Returns the text and the caret's offset in it.
fn quoted_line(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            c if is_unsafe(c) => '\u{fffd}',
            c => c,
        })
        .collect();
    let column = column.saturating_sub(1).min(chars.len());
    if chars.len() <= QUOTE_WIDTH {
        return (chars.into_iter().collect(), column);
    }
    let start = column.saturating_sub(QUOTE_WIDTH / 2);
    let end = (start + QUOTE_WIDTH).min(chars.len());
    let start = end.saturating_sub(QUOTE_WIDTH).min(start);
    let mut shown = String::new();
    let mut caret = column - start;
    if start > 0 {
        shown.push_str("...");
        caret += 3;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push_str("...");
    }
    (shown, caret)
}

/// Characters that must not reach a terminal or a CI log as they are: line
/// breaks and escapes (they could forge a diagnostic line or drive the
/// terminal) and bidirectional overrides (they reorder what is shown).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text from a spec or a file name as it is printed: unsafe characters
/// escaped (`\n`, `\u{1b}`), and cut when it is very long.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe) && text.len() <= TEXT_WIDTH {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count >= TEXT_WIDTH {
            out.push_str(&format!("... ({} bytes in all)", text.len()));
            break;
        }
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A file's text with the offset of each line, indexed once: quoting line
/// N is then a lookup, not a scan from the start per diagnostic.
#[derive(Debug, Clone, Default)]
pub struct SourceText {
    text: String,
    /// The byte offset of each line's start; lines end at the next start.
    starts: Vec<usize>,
}

impl SourceText {
    pub fn new(text: &str) -> SourceText {
        // As `str::lines`: no line in an empty text, and none after a final
        // line break.
        let starts = if text.is_empty() {
            Vec::new()
        } else {
            std::iter::once(0)
                .chain(
                    text.match_indices('\n')
                        .map(|(i, _)| i + 1)
                        .filter(|&start| start < text.len()),
                )
                .collect()
        };
        SourceText {
            text: text.to_owned(),
            starts,
        }
    }

    /// Line `number` (1-based) without its line break, as `str::lines`
    /// gives it.
    pub fn line(&self, number: usize) -> Option<&str> {
        let index = number.checked_sub(1)?;
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The number of the first line indented with a tab, if any.
    pub fn first_tabbed_line(&self) -> Option<usize> {
        (1..=self.starts.len()).find(|&n| {
            self.line(n)
                .is_some_and(|l| l.trim_start_matches(' ').starts_with('\t'))
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            printable(&self.file),
            self.position.line,
            self.position.column,
            printable(&self.message)
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {})", printable(hint))?;
        }
        Ok(())
    }
}

/// All the diagnostics of a failed phase, with the sources they point into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
    sources: std::collections::BTreeMap<String, SourceText>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Remembers a file's text so that rendering can quote its lines.
    pub fn add_source(&mut self, file: &str, text: &str) {
        self.sources.insert(file.to_owned(), SourceText::new(text));
    }

    /// Like [`Diagnostics::add_source`], with the lines already indexed.
    pub fn add_source_text(&mut self, file: &str, text: SourceText) {
        self.sources.insert(file.to_owned(), text);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
        self.sources.extend(other.sources);
    }

    /// Sorted by file and position, so output is stable whatever the order
    /// in which checks ran.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (&a.file, a.position, &a.message).cmp(&(&b.file, b.position, &b.message))
        });
        items.dedup();
        items
    }

    /// Every diagnostic rendered, then a summary line.
    pub fn render(&self) -> String {
        let sorted = self.sorted();
        let mut out = String::new();
        for d in &sorted {
            out.push_str(&d.render_lines(self.sources.get(&d.file)));
            out.push('\n');
        }
        let n = sorted.len();
        out.push_str(&format!(
            "error: {n} problem{} found in the specs\n",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate to a misspelled name, if one is close enough to be
/// what the author meant.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let score = strsim::jaro_winkler(&wrong_lower, &c.to_ascii_lowercase());
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines_are_those_of_str_lines() {
        for text in ["", "a", "a\n", "a\n\nb", "a\r\nb\r\n", "\n\n", "x\ny\n\n"] {
            let source = SourceText::new(text);
            let expected: Vec<&str> = text.lines().collect();
            let got: Vec<&str> = (1..=expected.len() + 1)
                .map_while(|n| source.line(n))
                .collect();
            assert_eq!(got, expected, "{text:?}");
        }
        assert_eq!(SourceText::new("a\n\tb\n").first_tabbed_line(), Some(2));
    }

    #[test]
    fn unsafe_characters_and_long_text_are_not_printed_as_they_are() {
        let d = Diagnostic::new(
            "specs/operations/a\nb.yaml",
            Position::new(1, 3),
            "unknown key `\u{1b}[31mred\u{202e}`",
        );
        let rendered = d.render(Some("a:\u{1b} 1\n"));
        assert_eq!(
            rendered,
            "specs/operations/a\\nb.yaml:1:3: error: unknown key `\\u{1b}[31mred\\u{202e}`\n  |\n1 | a:\u{fffd} 1\n  |   ^\n"
        );
        let long = "k".repeat(5000);
        assert!(printable(&long).ends_with("... (5000 bytes in all)"));
        assert_eq!(printable(&long).chars().count(), 1000 + 23);
    }

    #[test]
    fn a_long_line_is_quoted_around_the_column() {
        let line = format!("{}X{}", "a".repeat(3000), "b".repeat(3000));
        let (shown, caret) = quoted_line(&line, 3001);
        assert_eq!(shown.chars().nth(caret), Some('X'));
        assert!(shown.starts_with("...") && shown.ends_with("..."));
        assert!(shown.len() <= QUOTE_WIDTH + 6);
        assert_eq!(quoted_line("ab\tc", 4), ("ab c".to_owned(), 3));
    }
}
