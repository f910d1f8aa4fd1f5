//! The spec files: their serde mirror (`model`), where each node sits
//! (`locate`), and reading a specs directory into parsed files (`load`).

pub mod git;
pub mod load;
pub mod locate;
pub mod model;

pub use load::{
    add_file, load_dir, load_dir_as, parse_files, FileKind, Parsed, SourceFile, SpecSet,
};
