//! Writing the generated files: only those whose bytes changed, removing
//! files the generator no longer produces, and telling whether what is on
//! disk is fresh.
//!
//! Emission is finished in memory before anything here runs, so a spec error
//! writes nothing. Writing is a transaction (see [`journal`]): the new
//! contents are staged and synced inside the output directory, a journal of
//! every rename and removal is written last, then applied. A run that fails
//! or is killed before its journal is complete leaves the old files as they
//! were; once the journal is complete, the next `generate` finishes it before
//! doing anything else. So no file is ever half written, and the next run
//! leaves the directory exactly as `generate` writes it, with no temporary
//! file behind.
//!
//! `generated/` arrives through pull requests, so no symbolic link under it
//! is followed: a link where the generator reads, writes or sweeps is an
//! error that names it.

mod journal;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;
use crate::fs_guard::{self, Refusal};

pub use journal::STAGING;

/// The folders of the output directory that belong to the generator: a file
/// there that the generator does not produce is stale and is removed.
pub const OWNED_FOLDERS: &[&str] = &["src", "docs", "tests"];

/// The suffix of the temporary files of earlier versions of the writer,
/// which wrote each file beside its target; a run removes any it finds.
const OLD_TEMPORARY_SUFFIX: &str = ".graphgen-tmp";

/// How the output directory differs from the generated files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files that are missing or have other bytes.
    pub changed: Vec<String>,
    /// Files in owned folders that the generator does not produce (and what
    /// an interrupted run left behind).
    pub stale: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Changes {
    pub fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.stale.is_empty()
    }
}

/// The error for a link under the output directory.
fn link_error(path: &Path) -> io::Error {
    io::Error::other(format!(
        "{} is a symbolic link; graphgen never follows links in the output directory: \
         remove it and run generate again",
        path.display()
    ))
}

/// The error for something other than a regular file where one is written.
fn not_a_file_error(path: &Path, kind: &str) -> io::Error {
    io::Error::other(format!(
        "{} is {kind} where graphgen writes a file: remove it and run generate again",
        path.display()
    ))
}

fn refusal_error(path: &Path, refusal: Refusal) -> io::Error {
    match refusal {
        Refusal::Symlink => link_error(path),
        Refusal::NotRegular(kind) => not_a_file_error(path, kind),
        Refusal::TooLarge { .. } => io::Error::other(format!("{} {refusal}", path.display())),
        Refusal::Io(error) => error,
    }
}

/// Checks the output directory itself: absent, or a real directory.
fn check_root(out: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(out) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(link_error(out)),
        Ok(metadata) if !metadata.is_dir() => Err(io::Error::other(format!(
            "{} is {}, not a directory",
            out.display(),
            fs_guard::kind_of(&metadata)
        ))),
        Ok(_) => Ok(true),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}

/// Checks that `path`, if it exists, is a real folder (not a link, not a
/// file); returns whether it exists.
fn check_folder(path: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(link_error(path)),
        Ok(metadata) if !metadata.is_dir() => Err(io::Error::other(format!(
            "{} is {} where graphgen needs a folder: remove it and run generate again",
            path.display(),
            fs_guard::kind_of(&metadata)
        ))),
        Ok(_) => Ok(true),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}

/// Checks each folder on the way from `out` to the file at `relative`: none
/// may be a link or a file. Folders already checked are skipped, so a whole
/// tree costs one look per folder. Stops at the first folder that does not
/// exist: what would be below it does not either.
fn check_folders(out: &Path, relative: &str, checked: &mut HashSet<PathBuf>) -> io::Result<()> {
    let mut folder = out.to_path_buf();
    let mut parts: Vec<&str> = relative.split('/').collect();
    parts.pop();
    for part in parts {
        folder.push(part);
        if checked.contains(&folder) {
            continue;
        }
        if !check_folder(&folder)? {
            return Ok(());
        }
        checked.insert(folder.clone());
    }
    Ok(())
}

/// Compares the generated files with the output directory.
pub fn compare(files: &[GeneratedFile], out: &Path) -> io::Result<Changes> {
    let mut changes = Changes::default();
    if !check_root(out)? {
        changes.changed = files.iter().map(|f| f.path.clone()).collect();
        return Ok(changes);
    }
    let mut checked = HashSet::new();
    for file in files {
        check_folders(out, &file.path, &mut checked)?;
        let path = out.join(&file.path);
        match fs_guard::holds(&path, file.contents.as_bytes()) {
            Ok(Some(true)) => changes.unchanged += 1,
            Ok(Some(false) | None) => changes.changed.push(file.path.clone()),
            Err(refusal) => return Err(refusal_error(&path, refusal)),
        }
    }
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for folder in OWNED_FOLDERS {
        for path in walk(out, folder)?.files {
            if !produced.contains(path.as_str()) {
                changes.stale.push(path);
            }
        }
    }
    // What an interrupted run left: `generate` removes it first.
    if fs::symlink_metadata(out.join(STAGING)).is_ok() {
        changes.stale.push(STAGING.to_owned());
    }
    changes.stale.extend(old_temporaries_at_root(out)?);
    changes.stale.sort();
    Ok(changes)
}

/// Finishes what an interrupted `generate` left in `out` (see the module's
/// documentation); nothing to do when it left nothing.
pub fn recover(out: &Path) -> io::Result<()> {
    recover_interruptible(out, &|_| Ok(()))
}

/// [`recover`], asking `interrupt` before each change (see
/// [`write_interruptible`]): a recovery can be stopped too.
pub fn recover_interruptible(
    out: &Path,
    interrupt: &(dyn Fn(usize) -> io::Result<()> + Sync),
) -> io::Result<()> {
    recover_with(out, &journal::Steps::new(interrupt))
}

fn recover_with(out: &Path, steps: &journal::Steps) -> io::Result<()> {
    if check_root(out)? {
        journal::recover(out, steps)?;
        // The folders an interrupted run emptied go too, as they would have.
        remove_empty_folders(out, steps)?;
    }
    Ok(())
}

/// Writes what changed and removes what is stale, as one recoverable set of
/// changes (see the module's documentation).
pub fn write(files: &[GeneratedFile], out: &Path) -> io::Result<Changes> {
    write_interruptible(files, out, &|_| Ok(()))
}

/// [`write`], asking `interrupt` before each change it makes to the disk
/// (with the number of changes made so far): an error stops the run there,
/// with no clean-up, as if the process had been killed. Tests use it to check
/// that the next run recovers from a stop at every step.
pub fn write_interruptible(
    files: &[GeneratedFile],
    out: &Path,
    interrupt: &(dyn Fn(usize) -> io::Result<()> + Sync),
) -> io::Result<Changes> {
    let steps = journal::Steps::new(interrupt);
    recover_with(out, &steps)?;
    let changes = compare(files, out)?;
    if !changes.is_fresh() {
        let changed: HashSet<&str> = changes.changed.iter().map(String::as_str).collect();
        let to_write: Vec<&GeneratedFile> = files
            .iter()
            .filter(|f| changed.contains(f.path.as_str()))
            .collect();
        journal::run(out, &to_write, &changes.stale, &steps)?;
    }
    remove_empty_folders(out, &steps)?;
    Ok(changes)
}

/// Removes the folders left empty in owned folders (by removals, or by an
/// interrupted run), deepest first.
fn remove_empty_folders(out: &Path, steps: &journal::Steps) -> io::Result<()> {
    for folder in OWNED_FOLDERS {
        for path in walk(out, folder)?.folders.iter().rev() {
            if fs::read_dir(path)?.next().is_none() {
                steps.next()?;
                fs::remove_dir(path)?;
            }
        }
    }
    Ok(())
}

/// The files and folders under one owned folder, relative to `out` with `/`
/// separators, found without following links (a link is an error).
struct Walk {
    files: Vec<String>,
    /// Folders, each listed before the folders inside it.
    folders: Vec<PathBuf>,
}

fn walk(out: &Path, folder: &str) -> io::Result<Walk> {
    let mut walk = Walk {
        files: Vec::new(),
        folders: Vec::new(),
    };
    let top = out.join(folder);
    match fs::symlink_metadata(&top) {
        Ok(metadata) if metadata.file_type().is_symlink() => return Err(link_error(&top)),
        Ok(metadata) if metadata.is_dir() => {}
        Ok(_) => {
            // A file where an owned folder belongs is not generated: stale.
            walk.files.push(folder.to_owned());
            return Ok(walk);
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(walk),
        Err(error) => return Err(error),
    }
    // A stack, not recursion: a checkout can nest folders arbitrarily deep.
    let mut pending = vec![top];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let file_type = entry.file_type()?;
            if file_type.is_symlink() {
                return Err(link_error(&path));
            }
            if file_type.is_dir() {
                pending.push(path.clone());
                walk.folders.push(path);
            } else {
                walk.files.push(relative_path(&path, out));
            }
        }
    }
    Ok(walk)
}

/// Temporary files of earlier writers beside the files at the top of `out`.
fn old_temporaries_at_root(out: &Path) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    let entries = match fs::read_dir(out) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(found),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if let Some(name) = name.to_str().filter(|n| n.ends_with(OLD_TEMPORARY_SUFFIX)) {
            if entry.file_type()?.is_symlink() {
                return Err(link_error(&entry.path()));
            }
            found.push(name.to_owned());
        }
    }
    Ok(found)
}

fn relative_path(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
            source: None,
        }
    }

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let out = std::env::temp_dir().join(format!("graphgen-output-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        let first = [
            file("src/a.rs", "a"),
            file("src/b/c.rs", "c"),
            file("Cargo.toml", "t"),
        ];
        let written = write(&first, &out).unwrap();
        assert_eq!(written.changed.len(), 3);
        assert!(compare(&first, &out).unwrap().is_fresh());

        fs::write(out.join("notes.txt"), "not ours").unwrap();
        let second = [file("src/a.rs", "a2"), file("Cargo.toml", "t")];
        let changes = write(&second, &out).unwrap();
        assert_eq!(changes.changed, ["src/a.rs"]);
        assert_eq!(changes.stale, ["src/b/c.rs"]);
        assert_eq!(changes.unchanged, 1);
        assert!(!out.join("src/b").exists(), "empty folders are removed");
        assert!(
            out.join("notes.txt").exists(),
            "files outside owned folders are left alone"
        );
        assert_eq!(fs::read_to_string(out.join("src/a.rs")).unwrap(), "a2");
        assert!(!out.join(STAGING).exists(), "the staging folder is removed");
        fs::remove_dir_all(&out).unwrap();
    }
}
