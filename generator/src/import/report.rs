//! What an import did, per API version: pages read, imported, with points
//! for a person, failed; and the commonest reasons with a sample page each.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::operation::Point;

#[derive(Debug, Default, Clone)]
pub struct VersionCounts {
    pub pages: usize,
    pub imported: usize,
    pub with_points: usize,
    pub failed: usize,
    /// Filled in by validation: imported pages whose spec validates as written.
    pub valid: Option<usize>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub versions: BTreeMap<String, VersionCounts>,
    /// Reason -> (count, a sample page).
    pub reasons: BTreeMap<String, (usize, String)>,
    /// Every point, with the page and the spec file it concerns.
    pub points: Vec<(String, String, String, Point)>,
    pub notes: Vec<String>,
    last_point_page: Option<(String, String)>,
}

impl Report {
    pub fn page(&mut self, version: &str) {
        self.versions.entry(version.to_owned()).or_default().pages += 1;
    }

    pub fn imported(&mut self, version: &str) {
        self.versions
            .entry(version.to_owned())
            .or_default()
            .imported += 1;
    }

    pub fn failed(&mut self, version: &str, page: &str, reason: &str, detail: &str) {
        if !version.is_empty() {
            self.versions.entry(version.to_owned()).or_default().failed += 1;
        }
        self.count(&format!("failed: {reason}"), page);
        self.notes
            .push(format!("{page} ({version}): {reason}: {detail}"));
    }

    pub fn point(&mut self, version: &str, page: &str, point: &Point, spec: &str) {
        let key = (version.to_owned(), page.to_owned());
        if self.last_point_page.as_ref() != Some(&key) {
            self.versions
                .entry(version.to_owned())
                .or_default()
                .with_points += 1;
            self.last_point_page = Some(key);
        }
        self.count(point.reason, page);
        self.points.push((
            version.to_owned(),
            page.to_owned(),
            spec.to_owned(),
            point.clone(),
        ));
    }

    pub fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    pub fn count(&mut self, reason: &str, page: &str) {
        let entry = self
            .reasons
            .entry(reason.to_owned())
            .or_insert((0, page.to_owned()));
        entry.0 += 1;
    }

    /// The table, then the commonest reasons.
    pub fn table(&self, reasons_shown: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "| version | pages | imported | valid as imported | with points | failed |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
        for (version, c) in &self.versions {
            let valid = match c.valid {
                Some(v) => format!("{v} ({:.1}%)", percent(v, c.pages)),
                None => "not checked".into(),
            };
            let _ = writeln!(
                out,
                "| {version} | {} | {} | {valid} | {} | {} |",
                c.pages, c.imported, c.with_points, c.failed
            );
        }
        let mut reasons: Vec<(&String, &(usize, String))> = self.reasons.iter().collect();
        reasons.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        if !reasons.is_empty() {
            let _ = writeln!(out, "\n| reason | count | sample page |\n|---|---:|---|");
            for (reason, (count, sample)) in reasons.iter().take(reasons_shown) {
                let _ = writeln!(out, "| {reason} | {count} | {sample} |");
            }
        }
        out
    }

    /// Every point, one line each: `spec: page (version) line N: text`.
    pub fn points_text(&self) -> String {
        let mut out = String::new();
        for (version, page, spec, point) in &self.points {
            let _ = writeln!(
                out,
                "{spec}: {page} ({version}) line {}: {}",
                point.line, point.text
            );
        }
        out
    }
}

pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// A diagnostic message with the names in it replaced, so that messages
/// of one kind count together: "type `x` is not declared" -> "type `…` is
/// not declared".
pub fn pattern(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("`…`");
        } else {
            out.push_str(part);
        }
    }
    out.chars().take(120).collect()
}
