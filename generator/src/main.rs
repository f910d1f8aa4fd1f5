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
    }
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
