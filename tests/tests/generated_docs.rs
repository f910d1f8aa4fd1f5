//! The Markdown reference: a snapshot of the pages each spec owns, the
//! index, links that resolve, and the facts a reader must find on a page.

use std::collections::BTreeSet;

use graph_tests::{api, repo_root};
use graphgen::emit::{generate, GeneratedFile};

fn docs() -> Vec<GeneratedFile> {
    generate(&api())
        .expect("the specs generate")
        .into_iter()
        .filter(|f| f.path.starts_with("docs/"))
        .collect()
}

#[test]
fn each_spec_file_has_a_snapshot_of_its_pages() {
    let files = docs();
    let root = repo_root().join("specs");
    insta::glob!("../../specs", "{operations,types}/*.yaml", |path| {
        let spec = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut pages = String::new();
        for file in files
            .iter()
            .filter(|f| f.source.as_deref() == Some(spec.as_str()))
        {
            pages.push_str(&format!("==> {} <==\n{}\n", file.path, file.contents));
        }
        assert!(!pages.is_empty(), "{spec} has no page");
        insta::assert_snapshot!(pages);
    });
}

#[test]
fn the_index_lists_every_operation_with_its_least_privileged_permissions() {
    let files = docs();
    let index = &files
        .iter()
        .find(|f| f.path == "docs/README.md")
        .unwrap()
        .contents;
    for operation in api().operations {
        assert!(
            index.contains(&format!("[{}](", operation.title)),
            "{} is not in the index",
            operation.title
        );
    }
    insta::assert_snapshot!(index);
}

/// `](target)` links of a Markdown text.
fn links(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter_map(|(i, _)| {
            let rest = &text[i + 2..];
            rest.find(')').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn every_relative_link_resolves() {
    let files = docs();
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut checked = 0;
    for file in &files {
        let dir = file.path.rsplit_once('/').map_or("", |(d, _)| d);
        for link in links(&file.contents) {
            if link.starts_with("http") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let target = link.split('#').next().unwrap();
            let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
            for piece in target.split('/') {
                match piece {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    other => parts.push(other),
                }
            }
            let resolved = parts.join("/");
            assert!(
                paths.contains(resolved.as_str()),
                "{}: link `{link}` goes nowhere ({resolved})",
                file.path
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}

#[test]
fn the_delete_participant_v1_page_tells_what_a_caller_needs() {
    let files = docs();
    let page = &files
        .iter()
        .find(|f| f.path == "docs/v1_0/delete_participant.md")
        .unwrap()
        .contents;
    // The HTTP line.
    assert!(
        page.contains("DELETE /v1.0/communications/calls/{callId}/participants/{participantId}")
    );
    // Only application permissions work, and which.
    assert!(
        page.contains("| Delegated (work or school account) | Not supported. | Not supported. |")
    );
    assert!(page
        .contains("| Delegated (personal Microsoft account) | Not supported. | Not supported. |"));
    // The page's one column, "from least to most privileged", as it spells it.
    assert!(page.contains(
        "| Application | `Calls.JoinGroupCallsasGuest.All` | `Calls.JoinGroupCalls.All` |"
    ));
    // The tenant admin requirement.
    assert!(page.contains("Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds"));
    // How to call it from Rust.
    // (The page's examples write `{id}` for both ids.)
    assert!(page.contains(".calls(\"{id}\")"), "{page}");
    assert!(page.contains(".participants(\"{id}\")"), "{page}");
    assert!(page.contains(".delete()"));
    // The page no longer lists national clouds: the docs say it does not say.
    assert!(!page.contains("| US Government L5 (DOD) | `https://dod-graph.microsoft.us` |"));
}
