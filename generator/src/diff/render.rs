//! The changelog as Markdown for reviewers, or JSON for tools.

use std::fmt::Write;

use super::{Bump, Changelog, Impact, Scope};

fn impact_label(impact: Impact) -> &'static str {
    match impact {
        Impact::Breaking => "**breaking**",
        Impact::Additive => "additive",
        Impact::Documentation => "docs",
    }
}

/// Markdown grouped by operation and version, then by type.
pub fn markdown(changelog: &Changelog) -> String {
    let mut out = format!("# Spec changes: {} -> {}\n\n", changelog.old, changelog.new);
    let count = |impact| {
        changelog
            .changes
            .iter()
            .filter(|c| c.impact == impact)
            .count()
    };
    let bump = match changelog.bump {
        Bump::None => "none (nothing changed)",
        Bump::Patch => "patch (documentation only)",
        Bump::Minor => "minor (additions only)",
        Bump::Major => "major (breaking changes)",
    };
    let _ = writeln!(
        out,
        "Semver bump of the generated crate: **{bump}**. {} breaking, {} additive, {} documentation.\n",
        count(Impact::Breaking),
        count(Impact::Additive),
        count(Impact::Documentation)
    );
    let mut current: Option<&Scope> = None;
    let mut in_types = false;
    for change in &changelog.changes {
        if current != Some(&change.scope) {
            match &change.scope {
                Scope::Operation { operation, version } => {
                    let _ = writeln!(
                        out,
                        "## `{operation}`{}\n",
                        version
                            .as_ref()
                            .map(|v| format!(" ({v})"))
                            .unwrap_or_else(|| " (all versions)".to_owned())
                    );
                }
                Scope::Type { name, version } => {
                    if !in_types {
                        let _ = writeln!(out, "## Types\n");
                        in_types = true;
                    }
                    let _ = writeln!(
                        out,
                        "### `{name}`{}\n",
                        version
                            .as_ref()
                            .map(|v| format!(" ({v})"))
                            .unwrap_or_default()
                    );
                }
            }
            current = Some(&change.scope);
        }
        let _ = writeln!(out, "- {}: {}", impact_label(change.impact), change.message);
        // A blank line after the last change of a scope.
        let next_scope = changelog
            .changes
            .iter()
            .skip_while(|c| !std::ptr::eq(*c, change))
            .nth(1)
            .map(|c| &c.scope);
        if next_scope != Some(&change.scope) {
            out.push('\n');
        }
    }
    if changelog.changes.is_empty() {
        out.push_str("No change.\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The same, for tools.
pub fn json(changelog: &Changelog) -> String {
    serde_json::to_string_pretty(changelog).expect("a changelog serializes")
}
