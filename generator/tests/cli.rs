//! The `graphgen` binary as a user runs it: exit codes and what it prints.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn graphgen(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_graphgen"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("graphgen runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn validate_prints_a_summary_and_exits_0_on_the_repository_specs() {
    let (code, stdout, stderr) = graphgen(&["validate"]);
    assert_eq!(code, 0, "{stderr}");
    // `ok: N operations, M types, 2 versions (v1.0, beta) in specs`
    let counts: Vec<&str> = stdout.split_whitespace().collect();
    assert_eq!(counts.first(), Some(&"ok:"), "{stdout}");
    assert!(counts[1].parse::<usize>().is_ok_and(|n| n > 4), "{stdout}");
    assert!(
        stdout.contains(" operations, ") && stdout.contains(" types, 2 versions (v1.0, beta)"),
        "{stdout}"
    );
}

#[test]
fn validate_exits_1_and_names_file_line_and_column_for_every_fixture() {
    let fixtures = repo().join("tests/fixtures/invalid");
    let mut checked = 0;
    for kind in ["operations", "types", "service", "programs"] {
        for entry in std::fs::read_dir(fixtures.join(kind)).unwrap() {
            let path = entry.unwrap().path();
            let shown = path.strip_prefix(repo()).unwrap().display().to_string();
            let (code, stdout, stderr) = graphgen(&["validate", "--add", &shown]);
            assert_eq!(code, 1, "{shown} validated: {stdout}");
            let first = stderr.lines().next().unwrap_or_default();
            let place = format!("{shown}:");
            assert!(
                first.starts_with(&place),
                "{shown}: first line is {first:?}"
            );
            let mut numbers = first[place.len()..].splitn(3, ':');
            let line: usize = numbers.next().unwrap().parse().expect("a line number");
            let column: usize = numbers.next().unwrap().parse().expect("a column number");
            assert!(line >= 1 && column >= 1);
            assert!(first.contains(": error: "), "{first}");
            checked += 1;
        }
    }
    assert!(checked >= 30);
}

#[test]
fn validate_reports_a_missing_specs_directory() {
    let (code, _, stderr) = graphgen(&["validate", "--specs", "no/such/dir"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no/such/dir:1:1: error: the specs directory does not exist"),
        "{stderr}"
    );
}

#[test]
fn diff_prints_the_changelog_of_the_registrant_page_update() {
    let (code, stdout, stderr) = graphgen(&[
        "diff",
        "tests/fixtures/changes/meeting-registrant-delete-2021",
        "specs",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "Application: added higher privileged permission `OnlineMeetings.ReadWrite.All`"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("**minor (additions only)**"), "{stdout}");
}

#[test]
fn diff_fails_on_breaking_changes_when_asked() {
    let args = [
        "diff",
        "specs",
        "specs",
        "--from-version",
        "beta",
        "--to-version",
        "v1.0",
        "--operation",
        "deleteParticipant",
    ];
    let (code, stdout, _) = graphgen(&args);
    assert_eq!(code, 0);
    assert!(stdout.contains("**breaking**: path removed"), "{stdout}");
    let mut failing = args.to_vec();
    failing.push("--fail-on-breaking");
    let (code, _, stderr) = graphgen(&failing);
    assert_eq!(code, 1);
    assert!(stderr.contains("1 breaking change(s)"), "{stderr}");
}

#[test]
fn diff_reads_git_revisions_and_writes_json() {
    let (code, stdout, stderr) = graphgen(&["diff", "HEAD", "HEAD", "--format", "json"]);
    // HEAD's specs are read through git and validated as they are.
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"bump\": \"none\""), "{stdout}");
    let (code, _, stderr) = graphgen(&["diff", "no-such-revision-xyz"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("git cannot read `no-such-revision-xyz`"),
        "{stderr}"
    );
}

#[test]
fn permissions_lists_the_least_privileged_sets_and_names_unknown_operations() {
    let (code, stdout, _) = graphgen(&["permissions", "deleteParticipant", "inviteParticipants"]);
    assert_eq!(code, 0);
    assert!(
        stdout
            .contains("Application: Calls.InitiateGroupCalls.All, Calls.JoinGroupCallsasGuest.All"),
        "{stdout}"
    );
    assert!(stdout.contains("cannot call deleteParticipant"), "{stdout}");
    let (code, _, stderr) = graphgen(&["permissions", "deletParticipant"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("did you mean `deleteParticipant`?"),
        "{stderr}"
    );
}

#[test]
fn validate_reports_a_specs_directory_without_service_yaml() {
    let dir = std::env::temp_dir().join(format!("graphgen-no-service-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("operations")).unwrap();
    let shown = dir.display().to_string();
    let (code, _, stderr) = graphgen(&["validate", "--specs", &shown]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 1);
    assert!(
        stderr.contains("service.yaml:1:1: error: service.yaml is missing"),
        "{stderr}"
    );
    assert!(stderr.contains("error: 1 problem found"), "{stderr}");
}
