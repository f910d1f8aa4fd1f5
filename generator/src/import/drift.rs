//! `graphgen drift`: each spec that names its source page, compared with
//! that page as the docs have it now. The page is imported onto the spec
//! (keeping what a person wrote, see `merge`), and the two spec sets are
//! compared by `graphgen diff`, so drift speaks in the same classes
//! (breaking, additive, documentation) and semver bumps.

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
}

/// The drift of one spec.
pub struct SpecDrift {
    /// `operations/<file>.yaml`.
    pub spec: String,
    pub page: String,
    pub changelog: Changelog,
    /// The files `--apply` writes: the spec, and type files it needs that
    /// the specs do not have yet.
    pub files: Vec<Drafted>,
}

/// The drift of every spec, and what could not be compared.
pub struct Drift {
    pub specs: Vec<SpecDrift>,
    pub problems: Vec<String>,
}

impl Drift {
    pub fn changes(&self) -> usize {
        self.specs.iter().map(|s| s.changelog.changes.len()).sum()
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
        let changelog = diff::diff(
            &old_api,
            &new_api,
            &relative,
            &format!("{page} in {}", options.docs.display()),
            &diff::Options {
                versions: None,
                operations: names,
            },
        );
        out.specs.push(SpecDrift {
            spec: relative,
            page,
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
