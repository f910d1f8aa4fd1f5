//! `graphgen drift`: each spec that names its source page, compared with
//! that page as the docs have it now. A spec records the digest of each
//! version's page as it was read (`source.read`); a page whose digest is
//! the same has not changed since, and shows no drift. A page that changed
//! (or a spec without digests) is imported onto the spec (keeping what a
//! person wrote, see `merge`), and the two spec sets are compared by
//! `graphgen diff`, so drift speaks in the same classes (breaking, additive,
//! documentation) and semver bumps; with digests, only the changes of the
//! versions whose page changed are shown, since the rest is the person's
//! reading of a page that did not change.

use std::path::{Path, PathBuf};

use super::docs::{self, Docs};
use super::{draft_with, Drafted, Options};
use crate::diff::{self, Changelog};
use crate::spec::{self, FileKind, SourceFile};

/// What to compare.
pub struct DriftOptions {
    pub specs: PathBuf,
    pub docs: PathBuf,
    /// Only specs of these operations (documented names); all when empty.
    pub operations: Vec<String>,
    /// Only tell which pages changed since they were read (for `--record`):
    /// nothing is imported or compared.
    pub digests_only: bool,
}

/// The drift of one spec.
pub struct SpecDrift {
    /// `operations/<file>.yaml`.
    pub spec: String,
    pub page: String,
    /// The versions whose page changed since the spec recorded it:
    /// (version, digest recorded, digest now). Empty for a spec that
    /// records no digest.
    pub changed: Vec<(String, Option<String>, String)>,
    pub changelog: Changelog,
    /// The files `--apply` writes: the spec, and type files it needs that
    /// the specs do not have yet.
    pub files: Vec<Drafted>,
}

/// The drift of every spec, and what could not be compared.
pub struct Drift {
    pub specs: Vec<SpecDrift>,
    /// Specs whose every page at hand is as it was read.
    pub unchanged: Vec<String>,
    pub problems: Vec<String>,
}

impl Drift {
    /// Changes to the specs, and pages read before that changed without
    /// changing them.
    pub fn changes(&self) -> usize {
        self.specs
            .iter()
            .map(|s| {
                let page_changed = s.changed.iter().any(|(_, before, _)| before.is_some());
                s.changelog.changes.len().max(usize::from(page_changed))
            })
            .sum()
    }
}

/// Compares the specs with their pages.
pub fn drift(options: &DriftOptions) -> Result<Drift, String> {
    let docs = Docs::open(&options.docs, &super::existing_types(&options.specs))?;
    let files = spec::load_dir(&options.specs).map_err(|d| d.to_string())?;
    let old_api = spec::parse_files(&files)
        .and_then(crate::validate::validate)
        .map_err(|d| format!("the specs do not validate, so they cannot be compared:\n{d}"))?;
    let mut existing: Vec<(String, String, String)> = super::existing_specs(&options.specs)
        .into_iter()
        .map(|(page, (relative, text))| (relative, page, text))
        .collect();
    existing.sort();
    let mut out = Drift {
        specs: Vec::new(),
        unchanged: Vec::new(),
        problems: Vec::new(),
    };
    for (relative, page, text) in existing {
        let names = operation_names(&text);
        if !options.operations.is_empty() && !names.iter().any(|n| options.operations.contains(n)) {
            continue;
        }
        let pages: Vec<PathBuf> = docs::VERSIONS
            .iter()
            .filter_map(|v| docs.operation_page(v, &page))
            .collect();
        if pages.is_empty() {
            out.problems.push(format!(
                "{relative}: its source page `{page}` is not in {}",
                options.docs.display()
            ));
            continue;
        }
        let recorded = read_digests(&text);
        let mut changed = Vec::new();
        for path in &pages {
            let version = docs::version_of(path).unwrap_or_default();
            let now = match docs.page_digest(path) {
                Ok(digest) => digest,
                Err(error) => {
                    out.problems.push(format!("{relative}: {error}"));
                    continue;
                }
            };
            let before = recorded.get(&version).cloned();
            if before.as_deref() != Some(now.as_str()) {
                changed.push((version, before, now));
            }
        }
        if !recorded.is_empty() && changed.is_empty() {
            out.unchanged.push(relative);
            continue;
        }
        if options.digests_only {
            out.specs.push(SpecDrift {
                spec: relative.clone(),
                page,
                changed,
                changelog: Changelog {
                    old: relative.clone(),
                    new: relative,
                    bump: diff::Bump::None,
                    changes: Vec::new(),
                },
                files: Vec::new(),
            });
            continue;
        }
        let outcome = draft_with(
            &docs,
            &Options {
                pages,
                all: false,
                docs: Some(docs.root.clone()),
                out: options.specs.clone(),
                area: None,
            },
        )?;
        let drafted: Vec<Drafted> = outcome
            .files
            .into_iter()
            .filter(|f| {
                f.relative == relative
                    || (f.relative.starts_with("types/")
                        && !options.specs.join(&f.relative).exists())
            })
            .collect();
        if !drafted.iter().any(|f| f.relative == relative) {
            out.problems.push(format!(
                "{relative}: its page `{page}` could not be imported: {}",
                outcome.report.notes.join("; ")
            ));
            continue;
        }
        let new_files = replaced(&files, &drafted, &options.specs);
        let new_api = match spec::parse_files(&new_files).and_then(crate::validate::validate) {
            Ok(api) => api,
            Err(diagnostics) => {
                out.problems.push(format!(
                    "{relative}: the page `{page}` as imported does not validate, so it is not compared:\n{diagnostics}"
                ));
                continue;
            }
        };
        let mut changelog = diff::diff(
            &old_api,
            &new_api,
            &relative,
            &format!("{page} in {}", options.docs.display()),
            &diff::Options {
                versions: None,
                operations: names,
            },
        );
        if !recorded.is_empty() {
            // A version whose page is as it was read keeps the person's
            // reading of it: only the changed versions, and what all share.
            changelog.changes.retain(|c| {
                let version = match &c.scope {
                    diff::Scope::Operation { version, .. } | diff::Scope::Type { version, .. } => {
                        version
                    }
                };
                version
                    .as_ref()
                    .is_none_or(|v| changed.iter().any(|(changed, _, _)| changed == v))
            });
            changelog.bump = diff::bump_of(&changelog.changes);
        }
        out.specs.push(SpecDrift {
            spec: relative,
            page,
            changed,
            changelog,
            files: drafted,
        });
    }
    Ok(out)
}

/// What writing `drafted` into `specs` changes for callers of the
/// generated crate, for the operations named: `import` says it when it
/// updates specs in place.
pub fn changes_of(
    specs: &Path,
    drafted: &[Drafted],
    operations: Vec<String>,
) -> Result<Changelog, String> {
    let files = spec::load_dir(specs).map_err(|d| d.to_string())?;
    let old_api = spec::parse_files(&files)
        .and_then(crate::validate::validate)
        .map_err(|d| format!("the specs do not validate, so the change cannot be shown:\n{d}"))?;
    let new_files = replaced(&files, drafted, specs);
    let new_api = spec::parse_files(&new_files)
        .and_then(crate::validate::validate)
        .map_err(|d| format!("the updated specs do not validate:\n{d}"))?;
    Ok(diff::diff(
        &old_api,
        &new_api,
        "the specs",
        "the specs with the pages imported",
        &diff::Options {
            versions: None,
            operations,
        },
    ))
}

/// The digests a spec records of its pages (`source.read`), by version.
pub fn read_digests(text: &str) -> std::collections::BTreeMap<String, String> {
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Default::default();
    };
    let Some(serde_yaml::Value::Mapping(read)) = value.get("source").and_then(|s| s.get("read"))
    else {
        return Default::default();
    };
    read.iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.as_str()?.to_owned())))
        .collect()
}

/// The documented operation names a spec text declares.
pub fn operation_names(text: &str) -> Vec<String> {
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Vec::new();
    };
    let mut names: Vec<String> = value
        .get("operation")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .into_iter()
        .collect();
    if let Some(serde_yaml::Value::Sequence(ops)) = value.get("operations") {
        for op in ops {
            if let Some(n) = op.get("operation").and_then(|v| v.as_str()) {
                names.push(n.to_owned());
            }
        }
    }
    names
}

/// The spec files with the drafted ones in place of their namesakes.
fn replaced(files: &[SourceFile], drafted: &[Drafted], specs: &Path) -> Vec<SourceFile> {
    let mut out: Vec<SourceFile> = files
        .iter()
        .filter(|f| !drafted.iter().any(|d| d.relative == f.relative))
        .cloned()
        .collect();
    for d in drafted {
        let kind = if d.relative.starts_with("types/") {
            FileKind::Type
        } else {
            FileKind::Operation
        };
        out.push(SourceFile {
            name: specs.join(&d.relative).display().to_string(),
            relative: d.relative.clone(),
            kind,
            bytes: d.text.clone().into_bytes(),
        });
    }
    out
}

/// The spec text with `source.read` set to `digests` (merged into what it
/// records of other versions), and nothing else changed: the top-level
/// `source:` block is rewritten, every other line is kept as it is.
pub fn record_read(
    text: &str,
    digests: &std::collections::BTreeMap<String, String>,
) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("source:"))
        .ok_or("the spec has no top-level `source:`")?;
    // The block: the `source:` line and the indented lines under it.
    let mut end = start + 1;
    while end < lines.len() && (lines[end].starts_with(' ') || lines[end].trim().is_empty()) {
        end += 1;
    }
    // Blank lines after the block stay outside it.
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let block = lines[start..end].join("\n");
    let value: serde_yaml::Value =
        serde_yaml::from_str(&block).map_err(|e| format!("`source:` does not parse: {e}"))?;
    let source = value
        .get("source")
        .and_then(|s| s.as_mapping())
        .ok_or("`source:` is not a mapping")?;
    let field = |key: &str| source.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let page = field("page").ok_or("`source:` has no `page`")?;
    let mut read = read_digests(text);
    read.extend(digests.iter().map(|(k, v)| (k.clone(), v.clone())));
    let quote = |s: &str| {
        serde_yaml::to_string(s)
            .unwrap_or_default()
            .trim_end()
            .to_owned()
    };
    let mut out: Vec<String> = lines[..start].iter().map(|l| l.to_string()).collect();
    out.push("source:".into());
    out.push(format!("  page: {}", quote(&page)));
    if let Some(url) = field("url") {
        out.push(format!("  url: {}", quote(&url)));
    }
    out.push("  read:".into());
    for (version, digest) in &read {
        out.push(format!("    {}: \"{digest}\"", quote(version)));
    }
    out.extend(lines[end..].iter().map(|l| l.to_string()));
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    Ok(joined)
}
