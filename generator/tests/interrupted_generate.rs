//! A `generate` stopped at any point (killed, crashed, out of disk) leaves
//! an output directory that the next run first makes wholly old or wholly
//! new, then brings to exactly what `generate` writes. The writer asks an
//! interrupt hook before each change it makes to the disk; stopping there,
//! with no clean-up, is what a kill at that point leaves.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use graphgen::emit::GeneratedFile;
use graphgen::output;

fn file(path: &str, contents: &str) -> GeneratedFile {
    GeneratedFile {
        path: path.into(),
        contents: contents.into(),
        source: None,
    }
}

/// What an earlier run wrote.
fn old_files() -> Vec<GeneratedFile> {
    vec![
        file("Cargo.toml", "old manifest"),
        file("README.md", "same"),
        file("docs/a.md", "same"),
        file("docs/old.md", "not generated any more"),
        file("src/gone/mod.rs", "not generated any more"),
        file("src/lib.rs", "old lib"),
        file("tests/t.rs", "old test"),
    ]
}

/// What this run writes: changed, added (in new folders), removed files.
fn new_files() -> Vec<GeneratedFile> {
    vec![
        file("Cargo.toml", "new manifest"),
        file("README.md", "same"),
        file("docs/a.md", "same"),
        file("docs/new.md", "added"),
        file("rustfmt.toml", "added"),
        file("src/fresh/deep/mod.rs", "added deep"),
        file("src/lib.rs", "new lib"),
        file("tests/t.rs", "new test"),
    ]
}

/// Every file and folder under `dir` (folders end with `/`), with contents.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if entry.file_type().unwrap().is_dir() {
                found.insert(format!("{relative}/"), None);
                pending.push(path);
            } else {
                found.insert(relative, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    found
}

/// The tree a run writing `files` into an empty directory leaves.
fn expected(files: &[GeneratedFile]) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut tree = BTreeMap::new();
    for file in files {
        let mut folder = String::new();
        let parts: Vec<&str> = file.path.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            folder.push_str(part);
            folder.push('/');
            tree.insert(folder.clone(), None);
        }
        tree.insert(file.path.clone(), Some(file.contents.clone().into_bytes()));
    }
    tree
}

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "graphgen-interrupted-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// A fresh output directory holding what the earlier run wrote.
    fn old_output(&self) -> PathBuf {
        let out = self.0.join("out");
        let _ = std::fs::remove_dir_all(&out);
        output::write(&old_files(), &out).unwrap();
        assert_eq!(tree(&out), expected(&old_files()));
        out
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An interrupt hook that stops the run before change number `stop`.
fn stop_at(stop: usize) -> impl Fn(usize) -> io::Result<()> + Sync {
    move |step| {
        if step == stop {
            Err(io::Error::other(format!("stopped before change {stop}")))
        } else {
            Ok(())
        }
    }
}

/// Every file outside the staging folder holds its old or its new bytes,
/// never part of either.
fn assert_whole_files(out: &Path, stop: usize) {
    let old = expected(&old_files());
    let new = expected(&new_files());
    for (path, contents) in tree(out) {
        if path.starts_with(output::STAGING) || contents.is_none() {
            continue;
        }
        assert!(
            old.get(&path) == Some(&contents) || new.get(&path) == Some(&contents),
            "stop {stop}: {path} is neither old nor new"
        );
    }
}

#[test]
fn a_run_stopped_at_any_change_is_undone_or_finished_by_the_next() {
    let scratch = Scratch::new("each-step");
    let (mut undone, mut finished) = (0, 0);
    let mut stop = 0;
    loop {
        let out = scratch.old_output();
        if output::write_interruptible(&new_files(), &out, &stop_at(stop)).is_ok() {
            // Past the last change: the run completed.
            assert_eq!(tree(&out), expected(&new_files()));
            break;
        }
        assert_whole_files(&out, stop);
        // What the next run does first: the directory is wholly old (not
        // committed) or wholly new (committed), with nothing left behind.
        output::recover(&out).unwrap();
        let recovered = tree(&out);
        if recovered == expected(&old_files()) {
            undone += 1;
        } else {
            assert_eq!(recovered, expected(&new_files()), "stop {stop}");
            finished += 1;
        }
        // And then it writes what generate writes.
        output::write(&new_files(), &out).unwrap();
        assert_eq!(tree(&out), expected(&new_files()), "stop {stop}");
        stop += 1;
    }
    assert!(
        undone >= 5 && finished >= 5,
        "{undone} undone, {finished} finished"
    );
}

#[test]
fn a_recovery_stopped_at_any_change_is_recovered_in_turn() {
    let scratch = Scratch::new("twice");
    let mut first = 0;
    loop {
        let out = scratch.old_output();
        if output::write_interruptible(&new_files(), &out, &stop_at(first)).is_ok() {
            break;
        }
        let mut second = 0;
        loop {
            let copy = scratch.0.join("copy");
            let _ = std::fs::remove_dir_all(&copy);
            copy_tree(&out, &copy);
            let done = output::recover_interruptible(&copy, &stop_at(second)).is_ok();
            assert_whole_files(&copy, first * 1000 + second);
            output::recover(&copy).unwrap();
            let recovered = tree(&copy);
            assert!(
                recovered == expected(&old_files()) || recovered == expected(&new_files()),
                "stops {first} then {second}: {:?}",
                recovered.keys().collect::<Vec<_>>()
            );
            output::write(&new_files(), &copy).unwrap();
            assert_eq!(tree(&copy), expected(&new_files()));
            if done {
                break;
            }
            second += 1;
        }
        first += 1;
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn what_an_earlier_writer_left_is_removed() {
    // The earlier writer put `<name>.graphgen-tmp` beside each target.
    let scratch = Scratch::new("old-temporaries");
    let out = scratch.old_output();
    std::fs::write(out.join("Cargo.graphgen-tmp"), "half").unwrap();
    std::fs::write(out.join("src/lib.graphgen-tmp"), "half").unwrap();
    let changes = output::write(&old_files(), &out).unwrap();
    assert_eq!(
        changes.stale,
        ["Cargo.graphgen-tmp", "src/lib.graphgen-tmp"]
    );
    assert_eq!(tree(&out), expected(&old_files()));
}

#[test]
fn check_reports_an_interrupted_run() {
    let scratch = Scratch::new("check");
    let out = scratch.old_output();
    // Stopped after staging, before the journal: nothing but staging.
    let _ = output::write_interruptible(&new_files(), &out, &stop_at(4));
    let changes = output::compare(&old_files(), &out).unwrap();
    assert_eq!(changes.stale, [output::STAGING]);
    assert!(changes.changed.is_empty());
}

#[test]
fn a_planted_journal_cannot_reach_outside_the_output_directory() {
    let scratch = Scratch::new("planted");
    let out = scratch.old_output();
    let staging = out.join(output::STAGING);
    std::fs::create_dir(&staging).unwrap();
    std::fs::write(staging.join("0"), "planted").unwrap();
    std::fs::write(
        staging.join("journal"),
        "graphgen journal 1\nwrite 0 ../escaped\nend\n",
    )
    .unwrap();
    let error = output::write(&new_files(), &out).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{} is not a journal graphgen wrote: remove {} and run generate again",
            staging.join("journal").display(),
            staging.display()
        )
    );
    assert!(!scratch.0.join("escaped").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        "old lib"
    );
}

#[cfg(unix)]
#[test]
fn a_planted_staging_link_is_refused() {
    let scratch = Scratch::new("staging-link");
    let out = scratch.old_output();
    let elsewhere = scratch.0.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("keep"), "keep").unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join(output::STAGING)).unwrap();
    let error = output::write(&new_files(), &out).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{} is a symbolic link; graphgen never follows links in the output directory: remove it and run generate again",
            out.join(output::STAGING).display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("keep")).unwrap(),
        "keep"
    );
}
