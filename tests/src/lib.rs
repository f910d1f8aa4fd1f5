//! Helpers shared by the workspace's tests: where the repository is, and how
//! to load its specs the way the `graphgen` command does.

use std::path::{Path, PathBuf};

use graphgen::diagnostics::Diagnostics;
use graphgen::ir::Api;
use graphgen::spec::SourceFile;

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the repository root")
        .to_path_buf()
}

/// The repository's spec files, named `specs/...` as a user at the root sees them.
pub fn spec_files() -> Vec<SourceFile> {
    graphgen::spec::load_dir_as(&repo_root().join("specs"), Path::new("specs"))
        .unwrap_or_else(|d| panic!("the repository's specs cannot be read:\n{d}"))
}

/// Parses and validates a set of spec files.
pub fn validate_files(files: &[SourceFile]) -> Result<Api, Diagnostics> {
    graphgen::validate::validate(graphgen::spec::parse_files(files)?)
}

/// The repository's specs, validated.
pub fn api() -> Api {
    validate_files(&spec_files())
        .unwrap_or_else(|d| panic!("the repository's specs do not validate:\n{d}"))
}
