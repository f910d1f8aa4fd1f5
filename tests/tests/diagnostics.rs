//! Every fixture under `tests/fixtures/invalid/` is one mistake a spec author
//! makes. Each is checked together with the real specs, must fail, and its
//! rendered diagnostics are a snapshot: what the author would read.

use std::path::Path;

use graph_tests::{repo_root, spec_files, validate_files};
use graphgen::spec::{add_file, SourceFile};

#[test]
fn the_repository_specs_validate_clean() {
    let api = graph_tests::api();
    for seed in [
        "deleteParticipant",
        "inviteParticipants",
        "deleteMeetingRegistrant",
        "enrollMeetingRegistrant",
    ] {
        assert!(api.operation(seed).is_some(), "{seed} is in the specs");
    }
    assert!(api.operations.len() > 4);
    assert!(api.types.len() >= 13);
    let versions: Vec<&str> = api.versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(versions, ["v1.0", "beta"]);
}

#[test]
fn each_invalid_fixture_is_reported_with_its_place() {
    insta::glob!("../fixtures/invalid", "*/*.{yaml,rs}", |path| {
        let root = repo_root();
        let shown = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        let mut files = spec_files();
        add_file(
            &mut files,
            SourceFile::read(path, &shown).expect("fixture readable"),
        );
        let diagnostics = match validate_files(&files) {
            Ok(_) => panic!("{shown} should not validate"),
            Err(diagnostics) => diagnostics,
        };
        // Every diagnostic names the fixture itself, with a line and column.
        for d in &diagnostics.items {
            assert_eq!(
                d.file, shown,
                "a diagnostic points outside the fixture: {d}"
            );
            assert!(d.position.line >= 1 && d.position.column >= 1);
        }
        insta::assert_snapshot!(diagnostics.render());
    });
}

#[test]
fn the_fixture_corpus_is_large_and_varied() {
    let dir = repo_root().join("tests/fixtures/invalid");
    let count = ["operations", "types", "service"]
        .iter()
        .map(|kind| {
            std::fs::read_dir(dir.join(kind))
                .map(|d| d.count())
                .unwrap_or(0)
        })
        .sum::<usize>();
    assert!(count >= 30, "only {count} invalid fixtures");
    assert!(Path::new(&dir.join("operations/example-wrong-method.yaml")).is_file());
}
