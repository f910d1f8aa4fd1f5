//! What a spec change means for callers of the generated crate: a semantic
//! changelog of operations, paths, parameters, bodies, responses,
//! permissions, clouds, types and examples, each change classified as
//! breaking, additive or documentation, and the semver bump they need.

mod compare;
pub mod render;

use serde::Serialize;

use crate::ir::Api;

/// What a change does to callers of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Only documentation or examples change.
    Documentation,
    /// Something is added; existing code builds and behaves as before.
    Additive,
    /// Existing code may stop building, or a call that worked may now fail.
    Breaking,
}

/// The semver bump a set of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// Where a change is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "in", rename_all = "lowercase")]
pub enum Scope {
    /// An operation in a version; `version` is `None` for what all versions share.
    Operation {
        operation: String,
        version: Option<String>,
    },
    /// A type, in a version when the change is version-specific.
    Type {
        name: String,
        version: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    #[serde(flatten)]
    pub scope: Scope,
    /// A stable id of the kind of change: `path.removed`, `permission.added`, ...
    pub kind: &'static str,
    pub impact: Impact,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changelog {
    pub old: String,
    pub new: String,
    pub bump: Bump,
    pub changes: Vec<Change>,
}

impl Changelog {
    pub fn breaking(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count()
    }
}

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Compare this version of the old side with that version of the new
    /// side (`beta` -> `v1.0`: what moving to v1.0 changes), instead of
    /// each version with itself.
    pub versions: Option<(String, String)>,
    /// Only these operations (documented names); all when empty.
    pub operations: Vec<String>,
}

/// The changelog from `old` to `new`.
pub fn diff(
    old: &Api,
    new: &Api,
    old_label: &str,
    new_label: &str,
    options: &Options,
) -> Changelog {
    let mut changes = compare::all(old, new, options);
    changes.sort_by(|a, b| {
        (&a.scope, std::cmp::Reverse(a.impact)).cmp(&(&b.scope, std::cmp::Reverse(b.impact)))
    });
    Changelog {
        old: old_label.to_owned(),
        new: new_label.to_owned(),
        bump: bump_of(&changes),
        changes,
    }
}

/// The semver bump of a set of changes: that of the largest impact.
pub fn bump_of(changes: &[Change]) -> Bump {
    match changes.iter().map(|c| c.impact).max() {
        None => Bump::None,
        Some(Impact::Documentation) => Bump::Patch,
        Some(Impact::Additive) => Bump::Minor,
        Some(Impact::Breaking) => Bump::Major,
    }
}
