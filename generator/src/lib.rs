//! graphgen: turns YAML specs of documented Microsoft Graph operations into a
//! typed Rust client crate and Markdown reference docs.
//!
//! The pipeline, one module per stage:
//! `spec` (load YAML) -> `validate` (check, lower) -> `ir` -> `emit` (Rust,
//! Markdown) -> `output` (write only what changed). `import` drafts specs
//! from reference pages and compares specs with their pages (`drift`).

pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod fs_guard;
pub mod import;
pub mod ir;
pub mod naming;
pub mod openapi;
pub mod output;
pub mod parallel;
pub mod permissions;
pub mod spec;
pub mod synthetic;
pub mod validate;
