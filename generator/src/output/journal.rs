//! The output directory's set of changes as one recoverable transaction.
//!
//! 1. Every new file is written, in full and synced, into a staging folder
//!    inside the output directory ([`STAGING`]), under a number.
//! 2. A journal listing each rename (staged number -> path) and removal is
//!    written beside them, synced, and renamed into place: the commit point.
//! 3. The renames and removals are applied; then the journal and the staging
//!    folder are removed.
//!
//! A run killed before step 2 leaves a staging folder without a journal: the
//! next run removes it, and the old files were never touched. A run killed
//! after step 2 leaves a journal: the next run applies it again (each entry
//! whose staged file is gone was applied already) and then cleans up.
//!
//! The staging folder lives in the output directory, which arrives through
//! pull requests: a journal found there is parsed strictly and may only name
//! paths inside the output directory, never through a link.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{
    check_folder, check_folders, link_error, not_a_file_error, OLD_TEMPORARY_SUFFIX, OWNED_FOLDERS,
};
use crate::emit::GeneratedFile;
use crate::fs_guard::{self, Refusal};

/// The staging folder, at the top of the output directory.
pub const STAGING: &str = ".graphgen-staging";

const JOURNAL: &str = "journal";
const JOURNAL_TEMPORARY: &str = "journal.partial";
const HEADER: &str = "graphgen journal 1";
const END: &str = "end";

/// A journal names each file once; even 100,000 files stay far below this.
const MAX_JOURNAL_BYTES: u64 = 64 * 1024 * 1024;

/// Counts the changes made to the disk and asks the interrupt hook before
/// each one (see `output::write_interruptible`).
pub(super) struct Steps<'a> {
    interrupt: &'a (dyn Fn(usize) -> io::Result<()> + Sync),
    done: AtomicUsize,
}

impl<'a> Steps<'a> {
    pub(super) fn new(interrupt: &'a (dyn Fn(usize) -> io::Result<()> + Sync)) -> Self {
        Steps {
            interrupt,
            done: AtomicUsize::new(0),
        }
    }

    /// Called before each change to the disk.
    pub(super) fn next(&self) -> io::Result<()> {
        (self.interrupt)(self.done.fetch_add(1, Ordering::SeqCst))
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Entry {
    /// Rename the staged file `staged` to `path`.
    Write { staged: usize, path: String },
    /// Remove the file at `path`.
    Remove { path: String },
}

/// Writes `to_write` and removes `stale` under `out` as one transaction.
pub(super) fn run(
    out: &Path,
    to_write: &[&GeneratedFile],
    stale: &[String],
    steps: &Steps,
) -> io::Result<()> {
    let mut entries = Vec::with_capacity(to_write.len() + stale.len());
    for (staged, file) in to_write.iter().enumerate() {
        entries.push(Entry::Write {
            staged,
            path: file.path.clone(),
        });
    }
    entries.extend(
        stale
            .iter()
            .map(|path| Entry::Remove { path: path.clone() }),
    );
    let text = render(&entries)?;

    steps.next()?;
    fs::create_dir_all(out)?;
    let staging = out.join(STAGING);
    steps.next()?;
    fs::create_dir(&staging)?;
    let numbered: Vec<(usize, &GeneratedFile)> = to_write.iter().copied().enumerate().collect();
    // Creating many files is kernel work that both cores can do.
    let staged = crate::parallel::map(&numbered, |(number, file)| {
        steps.next()?;
        create_synced(&staging.join(number.to_string()), file.contents.as_bytes())
    });
    staged.into_iter().collect::<io::Result<()>>()?;

    steps.next()?;
    create_synced(&staging.join(JOURNAL_TEMPORARY), text.as_bytes())?;
    steps.next()?;
    fs::rename(staging.join(JOURNAL_TEMPORARY), staging.join(JOURNAL))?;
    sync_folder(&staging);

    apply(out, &entries, steps)?;
    finish(out, steps)
}

/// Completes or rolls back what an interrupted run left in `out`.
pub(super) fn recover(out: &Path, steps: &Steps) -> io::Result<()> {
    let staging = out.join(STAGING);
    match fs::symlink_metadata(&staging) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
        Ok(metadata) if metadata.file_type().is_symlink() => return Err(link_error(&staging)),
        Ok(metadata) if !metadata.is_dir() => {
            return Err(io::Error::other(format!(
            "{} is {}, not the folder graphgen stages files in: remove it and run generate again",
            staging.display(),
            fs_guard::kind_of(&metadata)
        )))
        }
        Ok(_) => {}
    }
    let journal = staging.join(JOURNAL);
    match fs_guard::read_regular(&journal, MAX_JOURNAL_BYTES) {
        Ok(bytes) => {
            let entries = parse(&bytes).ok_or_else(|| {
                io::Error::other(format!(
                    "{} is not a journal graphgen wrote: remove {} and run generate again",
                    journal.display(),
                    staging.display()
                ))
            })?;
            apply(out, &entries, steps)?;
        }
        // Not committed: the old files are intact; the staging goes.
        Err(Refusal::Io(error)) if error.kind() == io::ErrorKind::NotFound => {}
        Err(Refusal::Symlink) => return Err(link_error(&journal)),
        Err(Refusal::NotRegular(kind)) => return Err(not_a_file_error(&journal, kind)),
        Err(refusal @ Refusal::TooLarge { .. }) => {
            return Err(io::Error::other(format!("{} {refusal}", journal.display())))
        }
        Err(Refusal::Io(error)) => return Err(error),
    }
    finish(out, steps)
}

/// Applies the journal's entries. Each can be applied again: a write whose
/// staged file is gone, or a removal whose file is gone, is done already.
fn apply(out: &Path, entries: &[Entry], steps: &Steps) -> io::Result<()> {
    let staging = out.join(STAGING);
    let mut checked = HashSet::new();
    let mut touched = BTreeSet::new();
    for entry in entries {
        match entry {
            Entry::Write { staged, path } => {
                let from = staging.join(staged.to_string());
                match fs::symlink_metadata(&from) {
                    Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                    Err(error) => return Err(error),
                    Ok(metadata) if metadata.file_type().is_symlink() => {
                        return Err(link_error(&from))
                    }
                    Ok(metadata) if !metadata.is_file() => {
                        return Err(not_a_file_error(&from, fs_guard::kind_of(&metadata)))
                    }
                    Ok(_) => {}
                }
                let target = out.join(path);
                make_folders(out, path, &mut checked, steps)?;
                check_target(&target)?;
                steps.next()?;
                fs::rename(&from, &target)?;
                touched.extend(target.parent().map(Path::to_path_buf));
            }
            Entry::Remove { path } => {
                check_folders(out, path, &mut checked)?;
                let target = out.join(path);
                match fs::symlink_metadata(&target) {
                    Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                    Err(error) => return Err(error),
                    Ok(_) => check_target(&target)?,
                }
                steps.next()?;
                fs::remove_file(&target)?;
                touched.extend(target.parent().map(Path::to_path_buf));
            }
        }
    }
    for folder in &touched {
        sync_folder(folder);
    }
    Ok(())
}

/// Removes the journal, then the staging folder: in that order, a stop in
/// between leaves a staging folder without a journal, which is rolled back.
fn finish(out: &Path, steps: &Steps) -> io::Result<()> {
    let staging = out.join(STAGING);
    let journal = staging.join(JOURNAL);
    if fs::symlink_metadata(&journal).is_ok() {
        steps.next()?;
        fs::remove_file(&journal)?;
        sync_folder(&staging);
    }
    steps.next()?;
    // Does not follow links inside the folder: it removes them.
    fs::remove_dir_all(&staging)?;
    sync_folder(out);
    Ok(())
}

/// Refuses to replace a link or a folder at a file's place.
fn check_target(target: &Path) -> io::Result<()> {
    match fs::symlink_metadata(target) {
        Ok(metadata) if metadata.file_type().is_symlink() => Err(link_error(target)),
        Ok(metadata) if metadata.is_dir() => Err(not_a_file_error(target, "a directory")),
        _ => Ok(()),
    }
}

/// Creates the folders on the way to `relative`, each checked not to be a
/// link or a file.
fn make_folders(
    out: &Path,
    relative: &str,
    checked: &mut HashSet<PathBuf>,
    steps: &Steps,
) -> io::Result<()> {
    let mut folder = out.to_path_buf();
    let mut parts: Vec<&str> = relative.split('/').collect();
    parts.pop();
    for part in parts {
        folder.push(part);
        if checked.contains(&folder) {
            continue;
        }
        if !check_folder(&folder)? {
            steps.next()?;
            fs::create_dir(&folder)?;
        }
        checked.insert(folder.clone());
    }
    Ok(())
}

/// Creates a new file (never an existing one, nor through a link planted at
/// its name) with `bytes`, synced to disk.
fn create_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file: File = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes renames and removals in a folder durable. Best effort: some file
/// systems cannot sync a folder, and the journal covers a lost rename.
fn sync_folder(path: &Path) {
    if let Ok(folder) = File::open(path) {
        let _ = folder.sync_all();
    }
}

/// A path the journal may name: relative, inside the output directory, not
/// in the staging folder or `.git`.
fn confined(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.iter().all(|part| {
        !part.is_empty()
            && *part != "."
            && *part != ".."
            && !part.chars().any(|c| c.is_control() || c == '\\')
    }) && parts[0] != STAGING
        && parts[0] != ".git"
}

/// A path the journal may remove: what the sweep removes, in owned folders,
/// or an earlier writer's temporary file at the top.
fn removable(path: &str) -> bool {
    confined(path)
        && match path.split_once('/') {
            Some((folder, _)) => OWNED_FOLDERS.contains(&folder),
            None => path.ends_with(OLD_TEMPORARY_SUFFIX),
        }
}

fn render(entries: &[Entry]) -> io::Result<String> {
    let mut text = format!("{HEADER}\n");
    for entry in entries {
        let (line, allowed) = match entry {
            Entry::Write { staged, path } => (format!("write {staged} {path}"), confined(path)),
            Entry::Remove { path } => (format!("remove {path}"), removable(path)),
        };
        if !allowed {
            return Err(io::Error::other(format!(
                "internal error: graphgen would write outside the output directory ({line:?}); please report it"
            )));
        }
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(END);
    text.push('\n');
    Ok(text)
}

/// The entries of a journal, or `None` when it is not one graphgen wrote
/// (incomplete, unknown lines, paths that leave the output directory).
fn parse(bytes: &[u8]) -> Option<Vec<Entry>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let body = text.strip_prefix(HEADER)?.strip_prefix('\n')?;
    let body = body.strip_suffix('\n')?.strip_suffix(END)?;
    let mut entries = Vec::new();
    for line in body.lines() {
        let entry = if let Some(rest) = line.strip_prefix("write ") {
            let (number, path) = rest.split_once(' ')?;
            let staged: usize = number.parse().ok()?;
            // Only the numbers `run` writes: no sign, no leading zero.
            (staged.to_string() == number && confined(path)).then(|| Entry::Write {
                staged,
                path: path.to_owned(),
            })?
        } else {
            let path = line.strip_prefix("remove ")?;
            removable(path).then(|| Entry::Remove {
                path: path.to_owned(),
            })?
        };
        entries.push(entry);
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journals_read_back_as_written() {
        let entries = vec![
            Entry::Write {
                staged: 0,
                path: "src/lib.rs".into(),
            },
            Entry::Write {
                staged: 1,
                path: "Cargo.toml".into(),
            },
            Entry::Remove {
                path: "docs/old page.md".into(),
            },
            Entry::Remove {
                path: "Cargo.graphgen-tmp".into(),
            },
        ];
        let text = render(&entries).unwrap();
        assert_eq!(parse(text.as_bytes()), Some(entries));
        // Incomplete: the end line is missing.
        assert_eq!(parse(text.trim_end_matches("end\n").as_bytes()), None);
    }

    #[test]
    fn journals_that_leave_the_output_directory_are_refused() {
        for line in [
            "write 0 ../outside",
            "write 0 /etc/passwd",
            "write 0 src/../../x",
            "write 0 .graphgen-staging/journal",
            "write 0 .git/config",
            "write 00 src/a.rs",
            "remove Cargo.toml",
            "remove ../x.graphgen-tmp",
            "remove .git/config",
            "delete src/a.rs",
        ] {
            let text = format!("{HEADER}\n{line}\n{END}\n");
            assert_eq!(parse(text.as_bytes()), None, "{line}");
        }
    }
}
