//! Reading files from directories that arrive through pull requests (`specs/`,
//! `generated/`) without trusting what is in them: regular files only, never
//! through a symbolic link, never more than a cap.
//!
//! Links are refused rather than resolved. A spec or generated file has no
//! use for one, and a link that "stays inside" the directory can be swapped
//! or re-pointed; refusing every link needs no path resolution and leaves no
//! window between checking a link and reading through it.
//!
//! The checks guard against what a checkout holds, not against another
//! process racing this one: that would need every path opened relative to a
//! directory handle.

use std::fmt;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// The largest spec file read: far above any real spec (the largest is a few
/// KB), far below what would strain memory once parsed.
pub const MAX_SPEC_BYTES: u64 = 4 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum Refusal {
    /// The path is a symbolic link; it was not followed.
    Symlink,
    /// The path is something other than a regular file.
    NotRegular(&'static str),
    /// The file is larger than the cap.
    TooLarge { limit: u64 },
    /// The file could not be opened or read.
    Io(io::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Symlink => f.write_str("is a symbolic link, which graphgen does not follow"),
            Refusal::NotRegular(kind) => write!(f, "is {kind}, not a regular file"),
            Refusal::TooLarge { limit } => write!(f, "is larger than {}", size(*limit)),
            Refusal::Io(error) => write!(f, "cannot be read: {error}"),
        }
    }
}

/// A size in the unit people read: `4 MiB`, `512 KiB`, `300 bytes`.
pub fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes % 1024 == 0 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a file is, in words: `a directory`, `a named pipe`.
pub fn kind_of(metadata: &Metadata) -> &'static str {
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return "a directory";
    }
    if file_type.is_file() {
        return "a regular file";
    }
    if file_type.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    "a special file"
}

/// Opens `path` for reading only when it is a regular file, without following
/// a link in its last component and without blocking on a pipe.
fn open_regular(path: &Path) -> Result<(File, Metadata), Refusal> {
    // Looked at first so that a pipe or device is never opened: opening a
    // pipe waits for a writer, reading a device may never end.
    let metadata = std::fs::symlink_metadata(path).map_err(Refusal::Io)?;
    if metadata.file_type().is_symlink() {
        return Err(Refusal::Symlink);
    }
    if !metadata.is_file() {
        return Err(Refusal::NotRegular(kind_of(&metadata)));
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Had the path been swapped since it was looked at, these refuse a
        // link and keep a pipe from blocking; the handle's own metadata is
        // checked again below.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|error| {
        #[cfg(unix)]
        if error.raw_os_error() == Some(libc::ELOOP) {
            return Refusal::Symlink;
        }
        Refusal::Io(error)
    })?;
    let metadata = file.metadata().map_err(Refusal::Io)?;
    if !metadata.is_file() {
        return Err(Refusal::NotRegular(kind_of(&metadata)));
    }
    Ok((file, metadata))
}

/// Reads a regular file of at most `limit` bytes. The read itself is bounded,
/// so a file that grows while it is read cannot exceed the cap either.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let (file, metadata) = open_regular(path)?;
    if metadata.len() > limit {
        return Err(Refusal::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge { limit });
    }
    Ok(bytes)
}

/// Whether the regular file at `path` holds exactly `expected`, reading at
/// most one byte more than that. `Ok(None)` when there is no file.
pub fn holds(path: &Path, expected: &[u8]) -> Result<Option<bool>, Refusal> {
    match std::fs::symlink_metadata(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let (file, metadata) = open_regular(path)?;
    if metadata.len() != expected.len() as u64 {
        return Ok(Some(false));
    }
    let mut bytes = Vec::with_capacity(expected.len());
    file.take(expected.len() as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    Ok(Some(bytes == expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("graphgen-fs-guard-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn reads_regular_files_up_to_the_cap() {
        let dir = scratch("cap");
        std::fs::write(dir.join("small"), b"12345").unwrap();
        assert_eq!(read_regular(&dir.join("small"), 5).unwrap(), b"12345");
        assert!(matches!(
            read_regular(&dir.join("small"), 4),
            Err(Refusal::TooLarge { limit: 4 })
        ));
        assert!(matches!(
            read_regular(&dir, 4),
            Err(Refusal::NotRegular("a directory"))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_and_pipes_without_opening_them() {
        let dir = scratch("links");
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero")).unwrap();
        assert!(matches!(
            read_regular(&dir.join("zero"), 10),
            Err(Refusal::Symlink)
        ));
        let fifo = dir.join("fifo");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_regular(&fifo, 10),
            Err(Refusal::NotRegular("a named pipe"))
        ));
        assert_eq!(holds(&dir.join("missing"), b"").unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(MAX_SPEC_BYTES), "4 MiB");
        assert_eq!(size(2048), "2 KiB");
        assert_eq!(size(300), "300 bytes");
    }
}
