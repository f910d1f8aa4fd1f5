//! Hostile input, as it can arrive through a pull request: spec files and
//! output directories made to hang, exhaust, overflow or escape the
//! generator. Each test runs the `graphgen` binary as a child process on a
//! copy of `specs/` with one thing changed, bounds its
//! time and peak memory, and checks the exact message a user sees.
#![cfg(unix)]

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run still going after this is a hang: it is killed.
const KILL_AFTER: Duration = Duration::from_secs(60);
/// Each of these runs takes well under a second alone; the bound leaves
/// room for a loaded two-core machine running tests side by side.
const TIME_BOUND: Duration = Duration::from_secs(20);
/// A normal run peaks near 15 MiB; a 4 MiB spec near 60 MiB.
const MEMORY_BOUND_MIB: u64 = 256;
/// No child may map more than this: a runaway allocation fails fast instead
/// of taking the machine's memory.
const ADDRESS_SPACE_LIMIT: u64 = 4 << 30;
/// Enough of stdout or stderr to check; the rest is counted, not kept.
const OUTPUT_KEPT: usize = 16 << 20;

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
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary folder holding a copy of the repository's `specs/`, removed
/// when dropped (links in it are removed, not followed).
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let root =
            std::env::temp_dir().join(format!("graphgen-hostile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        copy_dir(&repo().join("specs"), &root.join("specs"));
        Scratch { root }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn graphgen(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_graphgen"));
        command.args(args).current_dir(&self.root);
        run_bounded(command)
    }

    fn validate(&self) -> Run {
        self.graphgen(&["validate", "--specs", "specs"])
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// What a child run did, and what it cost.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    stderr_bytes: usize,
    elapsed: Duration,
    peak_rss_mib: u64,
    killed: bool,
}

impl Run {
    /// Checks that the run ended on its own, in bounded time and memory, with
    /// `code`; returns its stderr.
    fn expect(&self, code: i32) -> &str {
        assert!(!self.killed, "still running after {KILL_AFTER:?}: a hang");
        assert_eq!(
            self.code,
            Some(code),
            "exit status (None: killed by a signal, e.g. a stack overflow)\nstderr: {}",
            self.stderr
        );
        assert!(
            self.elapsed < TIME_BOUND,
            "took {:?} (bound {TIME_BOUND:?})",
            self.elapsed
        );
        assert!(
            self.peak_rss_mib < MEMORY_BOUND_MIB,
            "peak memory {} MiB (bound {MEMORY_BOUND_MIB} MiB)",
            self.peak_rss_mib
        );
        &self.stderr
    }
}

fn read_capped(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<(Vec<u8>, usize)> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut total = 0;
        let mut buffer = [0u8; 65536];
        while let Ok(n) = pipe.read(&mut buffer) {
            if n == 0 {
                break;
            }
            total += n;
            let room = OUTPUT_KEPT.saturating_sub(kept.len());
            kept.extend_from_slice(&buffer[..n.min(room)]);
        }
        (kept, total)
    })
}

/// Runs `command` with its address space capped, killing it after
/// [`KILL_AFTER`]; its peak memory comes from `wait4`.
// The child is reaped by `wait4` (which reports its rusage), not by `wait`.
#[allow(clippy::zombie_processes)]
fn run_bounded(mut command: Command) -> Run {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs in the child
    // before exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: ADDRESS_SPACE_LIMIT,
                rlim_max: ADDRESS_SPACE_LIMIT,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    let start = Instant::now();
    let mut child = command.spawn().expect("graphgen starts");
    let pid = child.id() as libc::pid_t;
    let stdout = read_capped(child.stdout.take().unwrap());
    let stderr = read_capped(child.stderr.take().unwrap());
    let mut status = 0;
    // SAFETY: rusage is plain data; zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut killed = false;
    loop {
        // SAFETY: waits for our own child, writing into locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        assert!(reaped == 0, "wait4: {}", std::io::Error::last_os_error());
        if start.elapsed() > KILL_AFTER {
            killed = true;
            // SAFETY: our own child, not yet reaped.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::wait4(pid, &mut status, 0, &mut usage);
            }
            break;
        }
        // Polling a child process: there is no clock to inject here.
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = start.elapsed();
    let (stdout, _) = stdout.join().unwrap();
    let (stderr, stderr_bytes) = stderr.join().unwrap();
    Run {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        stderr_bytes,
        elapsed,
        // ru_maxrss is in KiB on Linux.
        peak_rss_mib: usage.ru_maxrss as u64 / 1024,
        killed,
    }
}

/// The one diagnostic of `stderr` without its hint, where the hint lists
/// the keys of the spec format (which changes with it).
fn without_hint(stderr: &str) -> &str {
    let (diagnostic, hint) = stderr
        .split_once("  = hint: the keys allowed here are `operation`, ")
        .expect("a hint naming the allowed keys");
    assert!(
        hint.ends_with("`\n\nerror: 1 problem found in the specs\n"),
        "{hint}"
    );
    diagnostic
}

fn one_problem(diagnostic: &str) -> String {
    format!("{diagnostic}\nerror: 1 problem found in the specs\n")
}

// Diagnostics of hostile text.
#[test]
fn many_diagnostics_in_one_file_take_linear_time() {
    // Each diagnostic scanned the file from its start: 20,000 took 21 s.
    let scratch = Scratch::new("many-diagnostics");
    scratch.write("specs/operations/dup.yaml", "a: 1\n".repeat(40_000));
    let run = scratch.validate();
    let stderr = run.expect(1);
    assert!(
        run.elapsed < Duration::from_secs(10),
        "took {:?}",
        run.elapsed
    );
    assert!(stderr.starts_with("specs/operations/dup.yaml:2:1: error: key `a` is written twice in the same mapping\n  |\n2 | a: 1\n  | ^\n  = hint: the first `a` is at line 1; YAML keeps only one, so merge the two or remove one\n"));
    assert!(stderr.ends_with("error: 39999 problems found in the specs\n"));
}

#[test]
fn a_file_that_is_not_utf8_is_named_with_the_place_of_the_bad_byte() {
    let scratch = Scratch::new("not-utf8");
    scratch.write("specs/operations/bin.yaml", b"operation: x\xff\n");
    assert_eq!(
        scratch.validate().expect(1),
        one_problem("specs/operations/bin.yaml:1:13: error: the file is not UTF-8 text (invalid byte 0xff)\n  = hint: spec files are UTF-8 YAML; was a binary file saved with a .yaml name?\n")
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let scratch = Scratch::new("bom");
    let path = "specs/operations/participant-delete.yaml";
    let text = std::fs::read(scratch.path(path)).unwrap();
    scratch.write(path, [b"\xef\xbb\xbf".as_slice(), &text].concat());
    let run = scratch.validate();
    run.expect(0);
    assert!(run.stdout.starts_with("ok: "), "{}", run.stdout);
}

#[test]
fn nul_bytes_are_reported_and_not_printed() {
    let scratch = Scratch::new("nul");
    scratch.write("specs/operations/nul.yaml", b"operation: x\0y\n");
    assert_eq!(
        scratch.validate().expect(1),
        one_problem("specs/operations/nul.yaml:1:1: error: control characters are not allowed at position 12\n  |\n1 | operation: x\u{fffd}y\n  | ^\n")
    );
}

#[test]
fn a_four_mib_line_is_quoted_only_around_the_error() {
    let scratch = Scratch::new("long-line");
    let filler = "a".repeat((4 << 20) - 100);
    scratch.write(
        "specs/operations/line.yaml",
        format!("{{operation: a, bogus: {filler}}}\n"),
    );
    let run = scratch.validate();
    let stderr = run.expect(1);
    assert!(
        run.stderr_bytes < 4096,
        "{} bytes of errors",
        run.stderr_bytes
    );
    assert_eq!(
        without_hint(stderr),
        format!("specs/operations/line.yaml:1:16: error: unknown key `bogus`\n  |\n1 | {{operation: a, bogus: {}...\n  |                ^\n", &filler[..138])
    );
}

#[test]
fn a_one_megabyte_key_is_cut_short_in_the_message() {
    let scratch = Scratch::new("long-key");
    let key = "k".repeat(1 << 20);
    scratch.write("specs/operations/key.yaml", format!("? {key}\n: 1\n"));
    let run = scratch.validate();
    let stderr = run.expect(1);
    assert!(
        run.stderr_bytes < 4096,
        "{} bytes of errors",
        run.stderr_bytes
    );
    assert_eq!(
        without_hint(stderr),
        format!("specs/operations/key.yaml:1:3: error: unknown key `{}... (1048590 bytes in all)\n  |\n1 | ? {}...\n  |   ^\n", &key[..987], &key[..158])
    );
}

#[test]
fn terminal_escapes_in_a_key_are_printed_escaped() {
    let scratch = Scratch::new("escape");
    scratch.write("specs/operations/ansi.yaml", "\"\\e[2J\\u202e\": 1\n");
    let stderr = scratch.validate().expect(1).to_owned();
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'));
    assert!(
        stderr.starts_with(
            "specs/operations/ansi.yaml:1:1: error: unknown key `\\u{1b}[2J\\u{202e}`\n"
        ),
        "{stderr}"
    );
}
