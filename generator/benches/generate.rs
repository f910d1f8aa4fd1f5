//! The generator at Graph scale: synthetic spec sets of 10, 100, 1,000 and
//! 10,000 operations through the full run (load, validate, emit Rust and
//! Markdown with formatting, write), timed by stage, with the peak memory of
//! each run. Each size runs in a child process of its own, so that its peak
//! memory is its own.
//!
//! Run: `cargo bench -p graphgen --bench generate` (sizes can be chosen with
//! `GRAPHGEN_BENCH_SIZES=10,100`). `GRAPHGEN_BENCH_SPECS=DIR` times a real
//! specs directory instead (the imported reference, say), three runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const CHILD: &str = "GRAPHGEN_BENCH_CHILD";

// As the `graphgen` binary does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One full run of `n` synthetic operations, or of the specs directory
/// `dir:PATH`; prints `stage=seconds` pairs and the peak memory.
fn child(what: &str) {
    let dir = std::env::temp_dir().join(format!("graphgen-bench-{}", std::process::id()));
    let out = dir.join("generated");
    let _ = std::fs::remove_dir_all(&dir);
    let specs = match what.strip_prefix("dir:") {
        Some(path) => PathBuf::from(path),
        None => {
            let specs = dir.join("specs");
            for file in graphgen::synthetic::spec_set(what.parse().unwrap()) {
                let path = specs.join(&file.relative);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, &file.bytes).unwrap();
            }
            specs
        }
    };
    let mut stages: Vec<(&str, Duration)> = Vec::new();
    let mut time = |name, start: Instant| stages.push((name, start.elapsed()));

    let start = Instant::now();
    let files = graphgen::spec::load_dir(&specs).unwrap();
    let set = graphgen::spec::parse_files(&files).unwrap();
    time("load", start);
    let start = Instant::now();
    let api = graphgen::validate::validate(set).unwrap();
    time("validate", start);
    let start = Instant::now();
    let mut generated = graphgen::emit::rust_crate(&api).unwrap();
    time("rust", start);
    let start = Instant::now();
    generated.extend(graphgen::emit::markdown_reference(&api).unwrap());
    time("markdown", start);
    let start = Instant::now();
    graphgen::output::write(&generated, &out).unwrap();
    time("write", start);
    let rust_lines: usize = generated
        .iter()
        .filter(|f| f.path.starts_with("src/") && f.path.ends_with(".rs"))
        .map(|f| f.contents.lines().count())
        .sum();
    let mut line = String::new();
    for (name, duration) in &stages {
        line.push_str(&format!("{name}={} ", duration.as_secs_f64()));
    }
    line.push_str(&format!(
        "peak_kib={} files={} rust_lines={rust_lines} ops={}",
        peak_memory_kib().unwrap_or(0),
        generated.len(),
        api.operations.len()
    ));
    println!("{line}");
    let _ = std::fs::remove_dir_all(&dir);
}

struct Run {
    stages: Vec<(String, f64)>,
    peak_kib: u64,
    files: u64,
    rust_lines: u64,
    ops: u64,
}

fn print_header() {
    println!(
        "{:>7} {:>5} {:>8} {:>9} {:>8} {:>9} {:>7} {:>9} {:>10} {:>9} {:>7} {:>10}",
        "ops",
        "runs",
        "load",
        "validate",
        "rust",
        "markdown",
        "write",
        "total",
        "ms/op",
        "peak MiB",
        "files",
        "Rust l/op"
    );
}

/// Generates `what` in `repeats` child processes and prints the median
/// run (by total time) as one row; returns its total in ms.
fn median_row(exe: &Path, what: &str, repeats: usize) -> f64 {
    let mut runs: Vec<Run> = (0..repeats).map(|_| run(exe, what)).collect();
    runs.sort_by(|a, b| total(a).total_cmp(&total(b)));
    let median = &runs[runs.len() / 2];
    let stage = |name: &str| {
        median
            .stages
            .iter()
            .find(|(s, _)| s == name)
            .map_or(0.0, |(_, v)| v * 1000.0)
    };
    let total_ms = total(median) * 1000.0;
    let ops = median.ops.max(1) as f64;
    println!(
        "{:>7} {:>5} {:>8.1} {:>9.1} {:>8.1} {:>9.1} {:>7.1} {:>9.1} {:>10.3} {:>9.1} {:>7} {:>10.1}",
        median.ops,
        repeats,
        stage("load"),
        stage("validate"),
        stage("rust"),
        stage("markdown"),
        stage("write"),
        total_ms,
        total_ms / ops,
        median.peak_kib as f64 / 1024.0,
        median.files,
        median.rust_lines as f64 / ops,
    );
    total_ms
}

fn run(exe: &Path, what: &str) -> Run {
    let output = Command::new(exe)
        .env(CHILD, what)
        .arg("--bench")
        .output()
        .expect("the benchmark runs itself");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default();
    let mut run = Run {
        stages: Vec::new(),
        peak_kib: 0,
        files: 0,
        rust_lines: 0,
        ops: 0,
    };
    for pair in line.split_whitespace() {
        let (key, value) = pair.split_once('=').unwrap();
        match key {
            "peak_kib" => run.peak_kib = value.parse().unwrap(),
            "files" => run.files = value.parse().unwrap(),
            "rust_lines" => run.rust_lines = value.parse().unwrap(),
            "ops" => run.ops = value.parse().unwrap(),
            stage => run.stages.push((stage.to_owned(), value.parse().unwrap())),
        }
    }
    run
}

fn total(run: &Run) -> f64 {
    run.stages.iter().map(|(_, s)| s).sum()
}

fn main() {
    if let Ok(what) = std::env::var(CHILD) {
        child(&what);
        return;
    }
    let exe: PathBuf = std::env::current_exe().unwrap();
    if let Ok(dir) = std::env::var("GRAPHGEN_BENCH_SPECS") {
        let dir = std::fs::canonicalize(&dir).expect("GRAPHGEN_BENCH_SPECS names a directory");
        println!(
            "graphgen: full generation of {} (median of runs; times in ms)\n",
            dir.display()
        );
        print_header();
        median_row(&exe, &format!("dir:{}", dir.display()), 3);
        return;
    }
    let sizes: Vec<usize> = std::env::var("GRAPHGEN_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10, 100, 1_000, 10_000]);
    println!("graphgen: full generation of synthetic spec sets (median of runs; times in ms)\n");
    print_header();
    let mut totals = Vec::new();
    for &n in &sizes {
        let repeats = match n {
            0..=100 => 5,
            101..=1_000 => 3,
            _ => 1,
        };
        totals.push((n, median_row(&exe, &n.to_string(), repeats)));
    }
    let at = |n: usize| totals.iter().find(|(x, _)| *x == n).map(|(_, t)| *t);
    if let (Some(small), Some(large)) = (at(1_000), at(10_000)) {
        println!(
            "\ngrowth from 1,000 to 10,000 operations: {:.1}x (linear is 10x; target <= 12x)",
            large / small
        );
    }
    println!("targets: <= 1 ms/op at 1,000 and 10,000; peak memory < 1 GiB at 10,000");
}
