//! Spec files at a git revision, read with one `git cat-file --batch`, so
//! that `graphgen diff` can compare the working tree with a commit.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::load::{FileKind, SourceFile};
use crate::diagnostics::{Diagnostic, Diagnostics, Position};

fn failure(revision: &str, message: String) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(
        Diagnostic::new(format!("{revision}:specs"), Position::START, message)
            .with_hint("name a commit, branch or tag of this repository, e.g. HEAD or main~1"),
    );
    diagnostics
}

/// The spec files under `specs/` of `repo` at `revision`.
pub fn load_revision(repo: &Path, revision: &str) -> Result<Vec<SourceFile>, Diagnostics> {
    let listing = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["ls-tree", "-r", "--name-only", revision, "--", "specs/"])
        .output()
        .map_err(|e| failure(revision, format!("cannot run git: {e}")))?;
    if !listing.status.success() {
        return Err(failure(
            revision,
            format!(
                "git cannot read `{revision}`: {}",
                String::from_utf8_lossy(&listing.stderr).trim()
            ),
        ));
    }
    let paths: Vec<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter(|p| p.ends_with(".yaml") || p.ends_with(".yml"))
        .filter(|p| FileKind::from_path(Path::new(p)).is_some())
        .map(str::to_owned)
        .collect();
    if paths.is_empty() {
        return Err(failure(
            revision,
            format!("`{revision}` has no spec files under specs/"),
        ));
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| failure(revision, format!("cannot run git: {e}")))?;
    let mut requests = String::new();
    for path in &paths {
        requests.push_str(&format!("{revision}:{path}\n"));
    }
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Written from a thread: git answers while it reads, and a large
    // request list would otherwise fill both pipes.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let mut output = Vec::new();
    child
        .stdout
        .take()
        .expect("piped stdout")
        .read_to_end(&mut output)
        .map_err(|e| failure(revision, format!("cannot read from git: {e}")))?;
    let _ = writer.join();
    let _ = child.wait();

    let mut files = Vec::new();
    let mut rest = output.as_slice();
    for path in &paths {
        let header_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| failure(revision, "git's answer ended early".into()))?;
        let header = String::from_utf8_lossy(&rest[..header_end]).into_owned();
        rest = &rest[header_end + 1..];
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| failure(revision, format!("git cannot read {path}: {header}")))?;
        let bytes = rest
            .get(..size)
            .ok_or_else(|| failure(revision, "git's answer ended early".into()))?
            .to_vec();
        rest = rest.get(size + 1..).unwrap_or_default();
        let relative = path.strip_prefix("specs/").unwrap_or(path).to_owned();
        files.push(SourceFile {
            name: format!("{revision}:{path}"),
            kind: FileKind::from_path(Path::new(path)).expect("filtered above"),
            relative,
            bytes,
        });
    }
    Ok(files)
}
