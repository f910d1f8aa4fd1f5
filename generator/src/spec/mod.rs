//! The spec files: their serde mirror (`model`), where each node sits
//! (`locate`), and reading a specs directory into parsed files (`load`).
//!
//! Spec files arrive through pull requests and are read as hostile: `load`
//! reads only regular files of at most 4 MiB, never through a link, and
//! `locate` refuses what would make parsing unbounded (deep nesting, alias
//! bombs) before serde_yaml sees the text.

pub mod git;
pub mod load;
pub mod locate;
pub mod model;

pub use load::{
    add_file, load_dir, load_dir_as, parse_files, FileKind, Parsed, ProgramFile, SourceFile,
    SpecSet,
};
