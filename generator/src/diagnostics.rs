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
        let mut out = format!(
            "{}:{}:{}: error: {}\n",
            self.file, self.position.line, self.position.column, self.message
        );
        if let Some(line) = source.and_then(|s| s.lines().nth(self.position.line - 1)) {
            let number = self.position.line.to_string();
            let gutter = " ".repeat(number.len());
            // Tabs are shown as one space so that the caret lines up.
            let shown: String = line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let caret_offset = shown
                .chars()
                .take(self.position.column.saturating_sub(1))
                .count();
            out.push_str(&format!("{gutter} |\n{number} | {}\n", shown.trim_end()));
            out.push_str(&format!("{gutter} | {}^\n", " ".repeat(caret_offset)));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("  = hint: {hint}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.file, self.position.line, self.position.column, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// All the diagnostics of a failed phase, with the sources they point into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
    sources: std::collections::BTreeMap<String, String>,
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
        self.sources.insert(file.to_owned(), text.to_owned());
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
            out.push_str(&d.render(self.sources.get(&d.file).map(String::as_str)));
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
