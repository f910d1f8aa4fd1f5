//! Writing the generated files: only those whose bytes changed, removing
//! files the generator no longer produces, and telling whether what is on
//! disk is fresh. Emission is finished in memory before anything here runs,
//! so a failed run never leaves a half-written output directory.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;

/// The folders of the output directory that belong to the generator: a file
/// there that the generator does not produce is stale and is removed.
pub const OWNED_FOLDERS: &[&str] = &["src", "docs", "tests"];

/// How the output directory differs from the generated files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files that are missing or have other bytes.
    pub changed: Vec<String>,
    /// Files in owned folders that the generator does not produce.
    pub stale: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Changes {
    pub fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.stale.is_empty()
    }
}

/// Compares the generated files with the output directory.
pub fn compare(files: &[GeneratedFile], out: &Path) -> io::Result<Changes> {
    let mut changes = Changes::default();
    for file in files {
        match fs::read(out.join(&file.path)) {
            Ok(bytes) if bytes == file.contents.as_bytes() => changes.unchanged += 1,
            Ok(_) => changes.changed.push(file.path.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                changes.changed.push(file.path.clone())
            }
            Err(e) => return Err(e),
        }
    }
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for folder in OWNED_FOLDERS {
        for path in walk(&out.join(folder))? {
            let relative = relative_path(&path, out);
            if !produced.contains(relative.as_str()) {
                changes.stale.push(relative);
            }
        }
    }
    changes.stale.sort();
    Ok(changes)
}

/// Writes what changed and removes what is stale. Each file is written to a
/// temporary name and renamed, so a reader never sees half a file.
pub fn write(files: &[GeneratedFile], out: &Path) -> io::Result<Changes> {
    let changes = compare(files, out)?;
    let changed: HashSet<&str> = changes.changed.iter().map(String::as_str).collect();
    let to_write: Vec<&GeneratedFile> = files
        .iter()
        .filter(|f| changed.contains(f.path.as_str()))
        .collect();
    let folders: BTreeSet<PathBuf> = to_write
        .iter()
        .filter_map(|f| out.join(&f.path).parent().map(Path::to_path_buf))
        .collect();
    for folder in &folders {
        fs::create_dir_all(folder)?;
    }
    // Creating many files is kernel work that both cores can do.
    let results = crate::parallel::map(&to_write, |file| {
        let target = out.join(&file.path);
        let temporary = target.with_extension("graphgen-tmp");
        fs::write(&temporary, file.contents.as_bytes())?;
        fs::rename(&temporary, &target)
    });
    for result in results {
        result?;
    }
    for path in &changes.stale {
        fs::remove_file(out.join(path))?;
    }
    for folder in OWNED_FOLDERS {
        remove_empty_folders(&out.join(folder))?;
    }
    Ok(changes)
}

fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

fn remove_empty_folders(dir: &Path) -> io::Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            remove_empty_folders(&path)?;
            if fs::read_dir(&path)?.next().is_none() {
                fs::remove_dir(&path)?;
            }
        }
    }
    Ok(())
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
        fs::remove_dir_all(&out).unwrap();
    }
}
