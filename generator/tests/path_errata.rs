//! Errata on request lines (`paths[].erratum`): a line the page writes
//! wrongly is recorded with the page's text, shown in the docs beside the
//! spec's line, reported by `diff`, and refused when it says nothing.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

/// The repository's specs with the v1.0 line of Delete participant
/// carrying `erratum`.
fn specs_with(erratum: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "graphgen-path-errata-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&repo().join("specs"), &dir);
    let file = dir.join("operations/participant-delete.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = "  v1.0:\n    method: DELETE\n    paths:\n      - template: /communications/calls/{callId}/participants/{participantId}\n";
    assert!(text.contains(line), "the spec's v1.0 request line moved");
    std::fs::write(&file, text.replace(line, &format!("{line}{erratum}"))).unwrap();
    dir
}

#[test]
fn a_request_line_erratum_is_shown_in_the_docs_and_the_changelog() {
    let specs = specs_with(
        "        erratum:\n          template: /communications/calls/{callId}/participants\n          note: The page's examples delete one participant, by its id.\n",
        "shown",
    );
    let new = graphgen::validate::load_and_validate(&specs).unwrap_or_else(|d| panic!("{d}"));
    let files = graphgen::emit::generate(&new).unwrap();
    let docs = files
        .iter()
        .find(|f| f.path.ends_with("delete_participant.md") && f.path.contains("v1_0"))
        .expect("the operation's v1.0 page");
    assert!(
        docs.contents.contains("The reference page shows `/communications/calls/{callId}/participants` for `/communications/calls/{callId}/participants/{participantId}`: The page's examples delete one participant, by its id."),
        "{}",
        docs.contents
    );
    let old = graphgen::validate::load_and_validate(&repo().join("specs")).unwrap();
    let changelog = graphgen::diff::diff(&old, &new, "old", "new", &Default::default());
    let text = graphgen::diff::render::markdown(&changelog);
    assert!(
        text.contains("path `/communications/calls/{callId}/participants/{participantId}`: the page shows `/communications/calls/{callId}/participants`, recorded as an erratum"),
        "{text}"
    );
    assert_eq!(changelog.breaking(), 0, "{text}");
}

#[test]
fn an_erratum_that_agrees_with_its_line_is_refused_where_it_is() {
    let specs = specs_with(
        "        erratum:\n          template: /communications/calls/{callId}/participants/{participantId}\n          note: Same.\n",
        "same",
    );
    let error = graphgen::validate::load_and_validate(&specs)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("operations/participant-delete.yaml:"),
        "{error}"
    );
    assert!(
        error.contains("the erratum's template is the same as the path's"),
        "{error}"
    );
}
