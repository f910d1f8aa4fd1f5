//! Example programs of the specs (`programs/<name>.rs`): a name cargo takes,
//! a summary line, and the features they need, which must exist.
//!
//! The program's code is not checked here: CI builds the generated crate's
//! examples, which is where a program that no longer fits the crate fails.

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::ir::{Api, Program};
use crate::spec::ProgramFile;

/// The line that names a program's cargo features.
const FEATURES_LINE: &str = "// graphgen: features =";

/// Names the generator gives its own example programs.
const GENERATED_NAMES: &[&str] = &[
    "sign_in_and_call",
    "handle_throttling",
    "page_through_collection",
];

pub(super) fn check(
    files: &[ProgramFile],
    api: &Api,
    diagnostics: &mut Diagnostics,
) -> Vec<Program> {
    let known: Vec<String> = crate::ir::FIXED_FEATURES
        .iter()
        .filter(|f| **f != "default")
        .map(|f| f.to_string())
        .chain(api.versions.iter().map(|v| v.module.clone()))
        .chain(api.areas.iter().map(|a| a.feature.clone()))
        .collect();
    let mut programs = Vec::new();
    for file in files {
        let stem = file
            .relative
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".rs"))
            .unwrap_or("");
        let mut ok = true;
        let mut fail = |line: usize, message: String, hint: &str| {
            diagnostics.push(
                Diagnostic::new(&file.file, Position { line, column: 1 }, message)
                    .with_hint(hint.to_owned()),
            );
            ok = false;
        };
        if stem.is_empty()
            || !stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            || !stem.as_bytes()[0].is_ascii_lowercase()
        {
            fail(
                1,
                format!("`{stem}` is not a snake_case program name"),
                "name the file like `bot_day.rs`: it is the name of `cargo run --example`",
            );
        } else if GENERATED_NAMES.contains(&stem) {
            fail(
                1,
                format!("`{stem}` is the name of an example the generator writes"),
                "choose another name",
            );
        }
        let summary = file
            .text
            .lines()
            .find_map(|l| l.strip_prefix("//!"))
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty());
        if summary.is_none() {
            fail(
                1,
                "the program has no `//!` summary line".into(),
                "begin it with `//! What the program shows.`: the crate's README lists it",
            );
        }
        let features_line = file.text.lines().enumerate().find_map(|(i, l)| {
            l.trim()
                .strip_prefix(FEATURES_LINE)
                .map(|rest| (i + 1, rest))
        });
        let mut features = Vec::new();
        match features_line {
            None => fail(
                1,
                "the program does not say which features it needs".into(),
                "add a line `// graphgen: features = reqwest, v1_0, calls`",
            ),
            Some((line, rest)) => {
                for feature in rest.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                    if known.iter().any(|k| k == feature) {
                        features.push(feature.to_owned());
                    } else {
                        fail(
                            line,
                            format!("`{feature}` is not a feature of the generated crate"),
                            &format!("the features are {}", known.join(", ")),
                        );
                    }
                }
            }
        }
        if ok {
            programs.push(Program {
                name: stem.to_owned(),
                summary: summary.unwrap_or_default(),
                features,
                relative: file.relative.clone(),
                text: file.text.clone(),
            });
        }
    }
    programs.sort_by(|a, b| a.name.cmp(&b.name));
    programs
}
