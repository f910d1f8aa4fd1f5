//! The `graphgen` command line: validate specs, generate the client, check
//! that the checked-in client is fresh.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use graphgen::spec::SourceFile;

#[derive(Parser)]
#[command(
    name = "graphgen",
    version,
    about = "Generate a Rust client for Microsoft Graph from YAML specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the specs and print every problem, or a one-line summary.
    Validate {
        /// The specs directory.
        #[arg(long, default_value_os_t = default_specs())]
        specs: PathBuf,
        /// Extra spec files to check with the directory, each read as the
        /// kind its folder names (operations/, types/, service/).
        #[arg(long = "add", value_name = "FILE")]
        extra: Vec<PathBuf>,
    },
    /// Generate the client crate and its docs; write only the files that changed.
    Generate {
        /// The specs directory.
        #[arg(long, default_value_os_t = default_specs())]
        specs: PathBuf,
        /// The output directory: the generated crate.
        #[arg(long, default_value_os_t = default_out())]
        out: PathBuf,
    },
    /// Exit 1 and name the files that differ when the output directory is
    /// not what `generate` would write.
    Check {
        /// The specs directory.
        #[arg(long, default_value_os_t = default_specs())]
        specs: PathBuf,
        /// The output directory: the generated crate.
        #[arg(long, default_value_os_t = default_out())]
        out: PathBuf,
    },
}

fn default_out() -> PathBuf {
    repo_root().join("generated")
}

/// The repository's `specs/`, found from the current directory upwards so
/// the command works from any folder of the checkout.
fn default_specs() -> PathBuf {
    repo_root().join("specs")
}

fn repo_root() -> PathBuf {
    let start = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = start
        .ancestors()
        .find(|dir| dir.join("specs").join("service.yaml").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| start.clone());
    // Relative to where the command runs, so diagnostics show short paths.
    match root.strip_prefix(&start) {
        Ok(relative) if relative.as_os_str().is_empty() => PathBuf::new(),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => root,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { specs, extra } => validate(&specs, &extra),
        Command::Generate { specs, out } => generate(&specs, &out, false),
        Command::Check { specs, out } => generate(&specs, &out, true),
    }
}

/// Loads, validates and emits in memory; then writes, or only compares.
fn generate(specs: &Path, out: &Path, check_only: bool) -> ExitCode {
    let api = match graphgen::validate::load_and_validate(specs) {
        Ok(api) => api,
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            eprintln!("{} was left untouched.", out.display());
            return ExitCode::FAILURE;
        }
    };
    let files = match graphgen::emit::generate(&api) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("{error}");
            eprintln!("{} was left untouched.", out.display());
            return ExitCode::from(2);
        }
    };
    let result = if check_only {
        graphgen::output::compare(&files, out)
    } else {
        graphgen::output::write(&files, out)
    };
    let changes = match result {
        Ok(changes) => changes,
        Err(error) => {
            eprintln!(
                "error: cannot {} {}: {error}",
                if check_only { "read" } else { "write" },
                out.display()
            );
            return ExitCode::from(2);
        }
    };
    if check_only {
        if changes.is_fresh() {
            println!(
                "fresh: {} generated files in {} match the specs",
                changes.unchanged,
                out.display()
            );
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "error: {} is stale; run `cargo run -p graphgen -- generate`",
            out.display()
        );
        for path in &changes.changed {
            eprintln!("  differs: {path}");
        }
        for path in &changes.stale {
            eprintln!("  not generated any more: {path}");
        }
        return ExitCode::FAILURE;
    }
    println!(
        "generated {} files in {}: {} written, {} removed, {} unchanged",
        files.len(),
        out.display(),
        changes.changed.len(),
        changes.stale.len(),
        changes.unchanged
    );
    ExitCode::SUCCESS
}

fn validate(specs: &Path, extra: &[PathBuf]) -> ExitCode {
    let result = load_with_extra(specs, extra).and_then(graphgen::validate::validate);
    match result {
        Ok(api) => {
            println!(
                "ok: {} operations, {} types, {} versions ({}) in {}",
                api.operations.len(),
                api.types.len(),
                api.versions.len(),
                api.versions
                    .iter()
                    .map(|v| v.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                specs.display()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            ExitCode::FAILURE
        }
    }
}

fn load_with_extra(
    specs: &Path,
    extra: &[PathBuf],
) -> Result<graphgen::spec::SpecSet, graphgen::diagnostics::Diagnostics> {
    let mut files = graphgen::spec::load_dir(specs)?;
    for path in extra {
        let file = SourceFile::read(path, &path.display().to_string()).map_err(|diagnostic| {
            let mut diagnostics = graphgen::diagnostics::Diagnostics::default();
            diagnostics.push(diagnostic);
            diagnostics
        })?;
        graphgen::spec::add_file(&mut files, file);
    }
    graphgen::spec::parse_files(&files)
}
