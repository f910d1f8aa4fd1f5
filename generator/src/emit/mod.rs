//! Emitters: the IR in, files out. They never check a spec (validation did)
//! and never write to disk (see `output`): they return every file's bytes.

pub mod format;
pub mod markdown;
pub mod rust;

/// A file the generator writes, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// `src/v1_0/operations/delete_participant.rs`, with `/` separators.
    pub path: String,
    pub contents: String,
    /// The spec file (relative to the specs directory) whose change changes
    /// this file; `None` for files made from the whole API (indexes).
    pub source: Option<String>,
}

/// A failure to emit: a bug of the generator, never of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitError(pub String);

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "internal error while generating: {} (please report it with the spec that caused it)",
            self.0
        )
    }
}

impl std::error::Error for EmitError {}

/// Everything the generator writes for an API, sorted by path.
pub fn generate(api: &crate::ir::Api) -> Result<Vec<GeneratedFile>, EmitError> {
    let mut files = rust_crate(api)?;
    files.extend(markdown_reference(api)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The Rust crate: sources, tests, manifest.
pub fn rust_crate(api: &crate::ir::Api) -> Result<Vec<GeneratedFile>, EmitError> {
    rust::emit(api)
}

/// The Markdown reference under `docs/`.
pub fn markdown_reference(api: &crate::ir::Api) -> Result<Vec<GeneratedFile>, EmitError> {
    markdown::emit(api, &rust::trees(api))
}
