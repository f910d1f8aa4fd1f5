//! Hostile input, as it can arrive through a pull request: spec files and
//! output directories made to hang, exhaust, overflow or escape the
//! generator. Each test runs the `graphgen` binary as a child process on a
//! copy of `specs/` (and of `generated/`) with one thing changed, bounds its
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

    /// Also a copy of `generated/` as `out/`: fresh for these specs.
    fn with_output(name: &str) -> Scratch {
        let scratch = Scratch::new(name);
        copy_dir(&repo().join("generated"), &scratch.path("out"));
        scratch
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn symlink(&self, target: impl AsRef<Path>, relative: &str) {
        std::os::unix::fs::symlink(target, self.path(relative)).unwrap();
    }

    fn graphgen(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_graphgen"));
        command.args(args).current_dir(&self.root);
        run_bounded(command)
    }

    fn validate(&self) -> Run {
        self.graphgen(&["validate", "--specs", "specs"])
    }

    fn generate(&self) -> Run {
        self.graphgen(&["generate", "--specs", "specs", "--out", "out"])
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

/// The hint every refused spec file carries, by reason.
const LINK_HINT: &str = "  = hint: graphgen does not follow links, so that a spec cannot read a file from outside the specs directory: replace the link with a copy of the file\n";
const NOT_REGULAR_HINT: &str = "  = hint: a spec is a regular file; remove this one or rename it so that it does not end in .yaml\n";

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

// 9. Depth.

#[test]
fn deep_block_nesting_is_refused_at_the_limit_not_by_overflowing_the_stack() {
    let scratch = Scratch::new("deep-block");
    scratch.write("specs/operations/deep.yaml", "- ".repeat(10_000) + "a\n");
    let stderr = scratch.validate().expect(1).to_owned();
    assert_eq!(
        stderr,
        one_problem(&format!(
            "specs/operations/deep.yaml:1:129: error: the document nests mappings and lists more than 64 levels deep\n  |\n1 | ...{}...\n  |                                                                                    ^\n  = hint: specs need fewer than ten levels; check the indentation, or unclosed brackets\n",
            "- ".repeat(80)
        ))
    );
}

#[test]
fn deep_nesting_is_refused_when_files_parse_on_worker_threads() {
    // 32 files or more parse on worker threads, whose stacks were 2 MiB:
    // 1,200 levels overflowed one.
    let scratch = Scratch::new("deep-threads");
    let entity = std::fs::read_to_string(scratch.path("specs/types/entity.yaml")).unwrap();
    for n in 0..30 {
        scratch.write(&format!("specs/types/extra-{n:02}.yaml"), &entity);
    }
    scratch.write("specs/operations/deep.yaml", "- ".repeat(1_200) + "a\n");
    let stderr = scratch.validate().expect(1).to_owned();
    assert!(
        stderr.starts_with("specs/operations/deep.yaml:1:129: error: the document nests mappings and lists more than 64 levels deep\n"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: 1 problem found in the specs\n"),
        "{stderr}"
    );
}

#[test]
fn the_position_pass_stays_linear_on_deep_documents() {
    // 10 KB of `- ` took 1 GB when each node copied its whole path.
    let scratch = Scratch::new("deep-memory");
    scratch.write("specs/operations/deep.yaml", "- ".repeat(5_000));
    let run = scratch.validate();
    assert!(run.expect(1).starts_with(
        "specs/operations/deep.yaml:1:129: error: the document nests mappings and lists more than 64 levels deep\n"
    ));
    assert!(run.peak_rss_mib < 64, "{} MiB", run.peak_rss_mib);
}

#[test]
fn deep_flow_sequences_and_mappings_are_refused() {
    let scratch = Scratch::new("deep-flow");
    scratch.write(
        "specs/operations/deep.yaml",
        "[".repeat(10_000) + &"]".repeat(10_000) + "\n",
    );
    let stderr = scratch.validate().expect(1).to_owned();
    assert!(
        stderr.starts_with("specs/operations/deep.yaml:1:256: error: the document nests mappings and lists more than 64 levels deep\n"),
        "{stderr}"
    );
    scratch.write(
        "specs/operations/deep.yaml",
        "{a: ".repeat(100) + &"}".repeat(100) + "\n",
    );
    let stderr = scratch.validate().expect(1).to_owned();
    assert!(
        stderr.starts_with("specs/operations/deep.yaml:1:257: error: the document nests mappings and lists more than 64 levels deep\n"),
        "{stderr}"
    );
}

// 10. Aliases.

/// An operation whose query options repeat an anchor `count` times.
fn amplifying_spec(anchor: &str, count: usize) -> String {
    format!(
        "operation: amp\ntitle: &a \"{anchor}\"\nsummary: s\narea: calls\nversions:\n  v1.0:\n    method: GET\n    paths:\n      - template: /amp\n    queryOptions: [{}]\n",
        vec!["*a"; count].join(", ")
    )
}

#[test]
fn an_alias_that_expands_past_the_text_bound_is_refused_where_it_is() {
    // One 50 KB anchor, 12,500 aliases: a 100 KB file took 1.4 GB.
    let scratch = Scratch::new("alias-bytes");
    scratch.write(
        "specs/operations/amp.yaml",
        amplifying_spec(&"A".repeat(50_000), 12_500),
    );
    let stderr = scratch.validate().expect(1).to_owned();
    let first = stderr.lines().next().unwrap();
    assert_eq!(
        first,
        "specs/operations/amp.yaml:10:1356: error: with its aliases expanded, the document would hold more than 16 MiB of text; this alias passes the limit"
    );
    assert!(stderr.ends_with("  = hint: each alias repeats everything its anchor holds: repeat less, or write the repeated part out\n\nerror: 1 problem found in the specs\n"), "{stderr}");
}

#[test]
fn an_alias_that_expands_past_the_node_bound_is_refused() {
    // Nested anchors: ten of ten of ... of ten values.
    let scratch = Scratch::new("alias-nodes");
    let mut text = String::from("operation: amp\nnotes:\n  - &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..8 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        text.push_str(&format!("  - &a{level} [{refs}]\n"));
    }
    scratch.write("specs/operations/amp.yaml", text);
    let stderr = scratch.validate().expect(1).to_owned();
    assert!(
        stderr.starts_with("specs/operations/amp.yaml:8:45: error: with its aliases expanded, the document would hold more than 1000000 values; this alias passes the limit\n"),
        "{stderr}"
    );
}

#[test]
fn an_alias_inside_its_own_anchor_is_refused() {
    let scratch = Scratch::new("alias-recursive");
    scratch.write("specs/operations/loop.yaml", "operation: &x [a, *x]\n");
    assert_eq!(
        scratch.validate().expect(1),
        one_problem("specs/operations/loop.yaml:1:19: error: the alias repeats a node that contains it, so it never ends\n  |\n1 | operation: &x [a, *x]\n  |                   ^\n  = hint: an alias may only name an anchor whose node is complete before the alias\n")
    );
}

// 11. Files that are not regular files, or too large.

#[test]
fn a_spec_that_is_a_named_pipe_is_refused_without_waiting_for_a_writer() {
    let scratch = Scratch::new("fifo");
    let fifo = std::ffi::CString::new(scratch.path("specs/operations/fifo.yaml").to_str().unwrap())
        .unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    assert_eq!(
        scratch.validate().expect(1),
        one_problem(&format!("specs/operations/fifo.yaml:1:1: error: the file is a named pipe, not a regular file\n{NOT_REGULAR_HINT}"))
    );
}

#[test]
fn a_spec_linked_to_dev_zero_is_refused_without_reading_it() {
    let scratch = Scratch::new("dev-zero");
    scratch.symlink("/dev/zero", "specs/types/zero.yaml");
    assert_eq!(
        scratch.validate().expect(1),
        one_problem(&format!("specs/types/zero.yaml:1:1: error: the file is a symbolic link, which graphgen does not follow\n{LINK_HINT}"))
    );
}

#[test]
fn a_spec_larger_than_the_cap_is_refused_and_the_cap_is_named() {
    let scratch = Scratch::new("too-large");
    scratch.write("specs/operations/big.yaml", vec![b'#'; 5 << 20]);
    assert_eq!(
        scratch.validate().expect(1),
        one_problem("specs/operations/big.yaml:1:1: error: the file is larger than 4 MiB\n  = hint: 4 MiB is the limit for a spec file; a spec describes one operation or type, so split the file\n")
    );
}

#[test]
fn a_directory_named_like_a_spec_is_refused() {
    let scratch = Scratch::new("directory");
    std::fs::create_dir(scratch.path("specs/operations/x.yaml")).unwrap();
    assert_eq!(
        scratch.validate().expect(1),
        one_problem(&format!("specs/operations/x.yaml:1:1: error: the file is a directory, not a regular file\n{NOT_REGULAR_HINT}"))
    );
}

// 12. Links out of the specs directory.

#[test]
fn a_spec_linked_to_a_secret_is_refused_and_the_secret_never_printed() {
    let scratch = Scratch::new("environ");
    scratch.symlink("/proc/self/environ", "specs/operations/env.yaml");
    let mut command = Command::new(env!("CARGO_BIN_EXE_graphgen"));
    command
        .args(["validate", "--specs", "specs"])
        .current_dir(&scratch.root)
        .env("GRAPHGEN_TEST_SECRET", "hunter2-do-not-print");
    let run = run_bounded(command);
    let stderr = run.expect(1);
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert_eq!(
        stderr,
        one_problem(&format!("specs/operations/env.yaml:1:1: error: the file is a symbolic link, which graphgen does not follow\n{LINK_HINT}"))
    );
}

#[test]
fn links_are_refused_even_when_they_stay_inside_the_specs_directory() {
    let scratch = Scratch::new("inner-link");
    scratch.symlink("../types/entity.yaml", "specs/types/alias.yaml");
    assert_eq!(
        scratch.validate().expect(1),
        one_problem(&format!("specs/types/alias.yaml:1:1: error: the file is a symbolic link, which graphgen does not follow\n{LINK_HINT}"))
    );
}

#[test]
fn a_linked_service_yaml_and_a_linked_folder_are_refused() {
    let scratch = Scratch::new("linked-service");
    std::fs::rename(
        scratch.path("specs/service.yaml"),
        scratch.path("service.yaml"),
    )
    .unwrap();
    scratch.symlink(scratch.path("service.yaml"), "specs/service.yaml");
    assert_eq!(
        scratch.validate().expect(1),
        one_problem(&format!("specs/service.yaml:1:1: error: the file is a symbolic link, which graphgen does not follow\n{LINK_HINT}"))
    );
    std::fs::remove_file(scratch.path("specs/service.yaml")).unwrap();
    std::fs::rename(
        scratch.path("service.yaml"),
        scratch.path("specs/service.yaml"),
    )
    .unwrap();
    std::fs::rename(scratch.path("specs/types"), scratch.path("types")).unwrap();
    scratch.symlink(scratch.path("types"), "specs/types");
    let stderr = scratch.validate().expect(1).to_owned();
    assert!(
        stderr.starts_with("specs/types:1:1: error: the folder is a symbolic link, which graphgen does not follow\n  = hint: links are refused so that specs cannot come from outside the specs directory: replace the link with the folder itself\n"),
        "{stderr}"
    );
}

#[test]
fn a_linked_file_given_with_add_is_refused() {
    let scratch = Scratch::new("add-link");
    std::fs::create_dir_all(scratch.path("extra/operations")).unwrap();
    scratch.symlink("/etc/passwd", "extra/operations/passwd.yaml");
    let run = scratch.graphgen(&[
        "validate",
        "--specs",
        "specs",
        "--add",
        "extra/operations/passwd.yaml",
    ]);
    let stderr = run.expect(1);
    assert!(!stderr.contains("root:"), "{stderr}");
    assert_eq!(
        stderr,
        one_problem(&format!("extra/operations/passwd.yaml:1:1: error: the file is a symbolic link, which graphgen does not follow\n{LINK_HINT}"))
    );
}

// 14. Many diagnostics in one file.

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

// Other hostile specs.

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
fn yaml_tags_are_refused_rather_than_dropped() {
    // serde_yaml kept `aGVsbG8=` as the summary and dropped the tag.
    let scratch = Scratch::new("tag");
    let path = "specs/operations/participant-delete.yaml";
    let text = std::fs::read_to_string(scratch.path(path)).unwrap();
    let tagged = text.replace(
        "summary: Delete a specific participant in a call.",
        "summary: !!binary aGVsbG8=",
    );
    assert_ne!(tagged, text);
    scratch.write(path, tagged);
    assert_eq!(
        scratch.validate().expect(1),
        one_problem("specs/operations/participant-delete.yaml:6:19: error: YAML tags such as `!!binary` are not used in specs\n  |\n6 | summary: !!binary aGVsbG8=\n  |                   ^\n  = hint: remove the tag; to write a value that starts with `!`, quote it\n")
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

#[test]
fn a_file_name_with_a_line_break_is_refused_and_shown_escaped() {
    // The name would reach diagnostics and the `// @generated from` comment
    // of generated Rust, where a line break ends the comment.
    let scratch = Scratch::new("newline-name");
    std::fs::copy(
        scratch.path("specs/operations/participant-delete.yaml"),
        scratch.path("specs/operations/x\npanic!();.yaml"),
    )
    .unwrap();
    assert_eq!(
        scratch.validate().expect(1),
        one_problem("specs/operations/x\\npanic!();.yaml:1:1: error: the file name has characters other than letters, digits, `-`, `_` and `.`\n  = hint: rename the file: spec file names are plain, e.g. participant-delete.yaml\n")
    );
}

#[test]
fn a_file_named_dot_dot_yaml_is_an_ordinary_spec() {
    let scratch = Scratch::new("dot-dot");
    scratch.write("specs/types/..yaml", "type: x\n");
    let stderr = scratch.validate().expect(1).to_owned();
    assert!(stderr.starts_with("specs/types/..yaml:"), "{stderr}");
}

// 13. Links in the output directory.

fn victim(scratch: &Scratch) -> (PathBuf, PathBuf) {
    let folder = scratch.path("victim");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("keep.md"), "keep").unwrap();
    std::fs::write(scratch.path("victim.txt"), "precious").unwrap();
    (folder, scratch.path("victim.txt"))
}

fn assert_victims_intact(scratch: &Scratch) {
    assert_eq!(
        std::fs::read_to_string(scratch.path("victim/keep.md")).unwrap(),
        "keep"
    );
    assert_eq!(
        std::fs::read_to_string(scratch.path("victim.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn the_stale_sweep_does_not_follow_a_linked_folder() {
    let scratch = Scratch::with_output("out-linked-folder");
    let (folder, _) = victim(&scratch);
    scratch.symlink(&folder, "out/docs/evil");
    assert_eq!(
        scratch.generate().expect(2),
        "error: cannot write out: out/docs/evil is a symbolic link; graphgen never follows links in the output directory: remove it and run generate again\n"
    );
    assert_victims_intact(&scratch);
}

#[test]
fn a_planted_temporary_link_is_not_written_through() {
    let scratch = Scratch::with_output("out-temporary-link");
    let (_, file) = victim(&scratch);
    scratch.symlink(&file, "out/src/lib.graphgen-tmp");
    // src/lib.rs differs, so generate rewrites it.
    std::fs::write(scratch.path("out/src/lib.rs"), "// changed\n").unwrap();
    assert_eq!(
        scratch.generate().expect(2),
        "error: cannot write out: out/src/lib.graphgen-tmp is a symbolic link; graphgen never follows links in the output directory: remove it and run generate again\n"
    );
    assert_victims_intact(&scratch);
}

#[test]
fn a_linked_folder_on_the_way_to_a_generated_file_is_refused() {
    let scratch = Scratch::with_output("out-linked-ancestor");
    let (folder, _) = victim(&scratch);
    copy_dir(&scratch.path("out/src/v1_0"), &folder);
    std::fs::write(folder.join("mod.rs"), "// changed\n").unwrap();
    std::fs::remove_dir_all(scratch.path("out/src/v1_0")).unwrap();
    scratch.symlink(&folder, "out/src/v1_0");
    assert_eq!(
        scratch.generate().expect(2),
        "error: cannot write out: out/src/v1_0 is a symbolic link; graphgen never follows links in the output directory: remove it and run generate again\n"
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("mod.rs")).unwrap(),
        "// changed\n"
    );
    assert_victims_intact(&scratch);
}

#[test]
fn a_linked_output_directory_is_refused() {
    let scratch = Scratch::with_output("out-linked-root");
    std::fs::rename(scratch.path("out"), scratch.path("elsewhere")).unwrap();
    scratch.symlink(scratch.path("elsewhere"), "out");
    assert_eq!(
        scratch.generate().expect(2),
        "error: cannot write out: out is a symbolic link; graphgen never follows links in the output directory: remove it and run generate again\n"
    );
}

#[test]
fn check_does_not_wait_on_a_pipe_in_place_of_a_generated_file() {
    let scratch = Scratch::with_output("out-fifo");
    let path = scratch.path("out/src/lib.rs");
    std::fs::remove_file(&path).unwrap();
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let run = scratch.graphgen(&["check", "--specs", "specs", "--out", "out"]);
    assert_eq!(
        run.expect(2),
        "error: cannot read out: out/src/lib.rs is a named pipe where graphgen writes a file: remove it and run generate again\n"
    );
}

// 15. Interrupted runs.

#[test]
fn temporary_files_an_interrupted_run_left_are_removed_by_the_next() {
    // What a run of the earlier writer killed mid-write left: a temporary
    // file beside each target, at the top as in owned folders.
    let scratch = Scratch::with_output("out-stray-temporaries");
    scratch.write("out/Cargo.graphgen-tmp", "[package]\n");
    scratch.write("out/src/lib.graphgen-tmp", "// half");
    let run = scratch.generate();
    run.expect(0);
    assert!(
        run.stdout.contains(" files in out: 0 written, 2 removed, "),
        "{}",
        run.stdout
    );
    assert!(!scratch.path("out/Cargo.graphgen-tmp").exists());
    assert!(!scratch.path("out/src/lib.graphgen-tmp").exists());
    let check = scratch.graphgen(&["check", "--specs", "specs", "--out", "out"]);
    check.expect(0);
}
