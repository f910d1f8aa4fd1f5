//! The `graphgen` command line: validate specs, generate the client, check
//! that the checked-in client is fresh.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use graphgen::spec::SourceFile;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Print what changed between two spec sets, each change classified
    /// (breaking, additive, documentation), and the semver bump it needs.
    ///
    /// OLD and NEW are each a specs directory or a git revision of this
    /// repository. A directory without service.yaml holds only changed files:
    /// they replace their namesakes in the other side. Without OLD, the
    /// base revision is compared with the working tree's specs/.
    Diff {
        /// The old side: a specs directory or a git revision.
        old: Option<String>,
        /// The new side: a specs directory or a git revision (default: specs/).
        new: Option<String>,
        /// The revision to compare the working tree with, when OLD is not given.
        #[arg(long, default_value = "HEAD", conflicts_with = "old")]
        base: String,
        /// markdown for reviewers, json for tools.
        #[arg(long, value_enum, default_value = "markdown")]
        format: Format,
        /// Exit 1 when a change breaks callers of the generated crate.
        #[arg(long)]
        fail_on_breaking: bool,
        /// Compare this version of OLD ...
        #[arg(long, requires = "to_version")]
        from_version: Option<String>,
        /// ... with this version of NEW (e.g. --from-version beta --to-version v1.0).
        #[arg(long, requires = "from_version")]
        to_version: Option<String>,
        /// Only these operations (documented names).
        #[arg(long = "operation", value_name = "NAME")]
        operations: Vec<String>,
    },
    /// Draft specs from reference pages in the Graph docs' markdown; a spec
    /// that exists for a page is updated in place, keeping what a person
    /// wrote. Prints what it did and every point a person should confirm.
    Import {
        /// Operation pages: <docs>/api-reference/<version>/api/<page>.md.
        /// Every version the docs have of each page is imported.
        pages: Vec<PathBuf>,
        /// Every operation page of the docs.
        #[arg(long, requires = "docs")]
        all: bool,
        /// The docs root (the folder holding api-reference/); found above
        /// the first page when absent.
        #[arg(long)]
        docs: Option<PathBuf>,
        /// The specs directory to write to.
        #[arg(long, default_value_os_t = default_specs())]
        out: PathBuf,
        /// The area of new specs (one service.yaml declares); else one per
        /// product the page names.
        #[arg(long)]
        area: Option<String>,
        /// Validate what was written and count the specs that validate as
        /// imported (the largest set that validates is kept in the count).
        #[arg(long)]
        validate: bool,
        /// Print only the summary table, not every point.
        #[arg(long)]
        quiet: bool,
        /// With --validate: remove the files that do not validate, so that
        /// what is left generates (the largest set that validates).
        #[arg(long, requires = "validate")]
        prune: bool,
        /// How many of the commonest reasons to list.
        #[arg(long, default_value_t = 10)]
        reasons: usize,
    },
    /// Compare each spec that names its source page with that page as the
    /// docs have it now, in the classes `diff` uses.
    Drift {
        /// The docs root (the folder holding api-reference/).
        #[arg(long)]
        docs: PathBuf,
        /// Only the specs of these operations (documented names).
        #[arg(long = "operation", value_name = "NAME")]
        operations: Vec<String>,
        /// The specs directory.
        #[arg(long, default_value_os_t = default_specs())]
        specs: PathBuf,
        /// Exit 1 when a spec differs from its page.
        #[arg(long)]
        fail_on_drift: bool,
        /// Write the pages' facts into the specs, for `diff`, `generate` and
        /// the snapshots to show.
        #[arg(long)]
        apply: bool,
        /// Record the pages at hand as read: write their digests into each
        /// spec's `source.read` and change nothing else (after a person has
        /// read the pages against the specs).
        #[arg(long, conflicts_with = "apply")]
        record: bool,
    },
    /// Print an OpenAPI 3.0 document of one API version of the specs.
    Openapi {
        /// The API version.
        #[arg(long, default_value = "v1.0")]
        version: String,
        /// yaml or json.
        #[arg(long, value_enum, default_value = "yaml")]
        format: DocumentFormat,
        /// The specs directory.
        #[arg(long, default_value_os_t = default_specs())]
        specs: PathBuf,
    },
    /// Write a synthetic spec set of N operations (for benchmarks).
    Synthetic {
        /// How many operations.
        #[arg(long)]
        operations: usize,
        /// The directory to write the specs to.
        #[arg(long)]
        out: PathBuf,
    },
    /// The least privileged permissions that cover operations, per
    /// permission type, and the operations a type cannot call.
    Permissions {
        /// Operation names, as the specs write them (deleteParticipant).
        operations: Vec<String>,
        /// Every operation of the client.
        #[arg(long, conflicts_with = "operations")]
        all: bool,
        /// Only this API version (v1.0, beta).
        #[arg(long)]
        version: Option<String>,
        /// The specs directory.
        #[arg(long, default_value_os_t = default_specs())]
        specs: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DocumentFormat {
    Yaml,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Markdown,
    Json,
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
        Command::Diff {
            old,
            new,
            base,
            format,
            fail_on_breaking,
            from_version,
            to_version,
            operations,
        } => {
            let options = graphgen::diff::Options {
                versions: from_version.zip(to_version),
                operations,
            };
            diff(old.unwrap_or(base), new, format, fail_on_breaking, &options)
        }
        Command::Permissions {
            operations,
            all,
            version,
            specs,
        } => permissions(&specs, &operations, all, version.as_deref()),
        Command::Openapi {
            version,
            format,
            specs,
        } => {
            let api = match graphgen::validate::load_and_validate(&specs) {
                Ok(api) => api,
                Err(diagnostics) => {
                    eprint!("{diagnostics}");
                    return ExitCode::FAILURE;
                }
            };
            let Some(document) = graphgen::openapi::document(&api, &version) else {
                eprintln!(
                    "error: no version `{version}` in the specs (they have {})",
                    api.versions
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                return ExitCode::FAILURE;
            };
            match format {
                DocumentFormat::Json => {
                    println!("{}", serde_json::to_string_pretty(&document).expect("JSON"))
                }
                DocumentFormat::Yaml => {
                    print!("{}", serde_yaml::to_string(&document).expect("YAML"))
                }
            }
            ExitCode::SUCCESS
        }
        Command::Import {
            pages,
            all,
            docs,
            out,
            area,
            validate,
            quiet,
            prune,
            reasons,
        } => import(ImportRun {
            pages,
            all,
            docs,
            out,
            area,
            validate,
            quiet,
            prune,
            reasons,
        }),
        Command::Drift {
            docs,
            operations,
            specs,
            fail_on_drift,
            apply,
            record,
        } => drift(docs, operations, specs, fail_on_drift, apply, record),
        Command::Synthetic { operations, out } => {
            for file in graphgen::synthetic::spec_set(operations) {
                let path = out.join(&file.relative);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &file.bytes));
                if let Err(error) = written {
                    eprintln!("error: cannot write {}: {error}", path.display());
                    return ExitCode::from(2);
                }
            }
            println!(
                "wrote a synthetic spec set of {operations} operations to {}",
                out.display()
            );
            ExitCode::SUCCESS
        }
    }
}

/// One side of a diff.
enum Side {
    /// A full specs directory.
    Directory(PathBuf),
    /// Changed files only: they replace their namesakes on the other side.
    Partial(PathBuf),
    /// A git revision of the repository's specs/.
    Revision(String),
}

impl Side {
    fn parse(text: &str) -> Side {
        let path = PathBuf::from(text);
        if path.is_dir() {
            if path.join("service.yaml").is_file() {
                Side::Directory(path)
            } else {
                Side::Partial(path)
            }
        } else {
            Side::Revision(text.to_owned())
        }
    }

    fn label(&self) -> String {
        match self {
            Side::Directory(p) | Side::Partial(p) => p.display().to_string(),
            Side::Revision(r) => format!("{r} (git)"),
        }
    }

    fn files(&self) -> Result<Option<Vec<SourceFile>>, graphgen::diagnostics::Diagnostics> {
        match self {
            Side::Directory(dir) => graphgen::spec::load_dir(dir).map(Some),
            Side::Revision(revision) => {
                graphgen::spec::git::load_revision(&repo_root(), revision).map(Some)
            }
            Side::Partial(_) => Ok(None),
        }
    }

    /// The files of a partial side, laid over `base`.
    fn overlay(
        dir: &Path,
        base: &[SourceFile],
    ) -> Result<Vec<SourceFile>, graphgen::diagnostics::Diagnostics> {
        let mut files = base.to_vec();
        for folder in ["operations", "types"] {
            let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect();
            paths.sort();
            for path in paths {
                let file = SourceFile::read(&path, &path.display().to_string()).map_err(|d| {
                    let mut diagnostics = graphgen::diagnostics::Diagnostics::default();
                    diagnostics.push(d);
                    diagnostics
                })?;
                files.retain(|f| f.relative != file.relative);
                files.push(file);
            }
        }
        Ok(files)
    }
}

fn diff(
    old: String,
    new: Option<String>,
    format: Format,
    fail_on_breaking: bool,
    options: &graphgen::diff::Options,
) -> ExitCode {
    let old = Side::parse(&old);
    let new = match new {
        Some(new) => Side::parse(&new),
        None => Side::Directory(default_specs()),
    };
    let loaded = (|| {
        let (old_files, new_files) = match (old.files()?, new.files()?) {
            (Some(o), Some(n)) => (o, n),
            (None, Some(n)) => (
                Side::overlay(
                    match &old {
                        Side::Partial(p) => p,
                        _ => unreachable!(),
                    },
                    &n,
                )?,
                n,
            ),
            (Some(o), None) => {
                let n = Side::overlay(
                    match &new {
                        Side::Partial(p) => p,
                        _ => unreachable!(),
                    },
                    &o,
                )?;
                (o, n)
            }
            (None, None) => {
                let mut diagnostics = graphgen::diagnostics::Diagnostics::default();
                diagnostics.push(graphgen::diagnostics::Diagnostic::new(
                    old.label(),
                    graphgen::diagnostics::Position::START,
                    "both sides hold only changed files; one must be a whole spec set",
                ));
                return Err(diagnostics);
            }
        };
        let old_api = graphgen::validate::validate(graphgen::spec::parse_files(&old_files)?)?;
        let new_api = graphgen::validate::validate(graphgen::spec::parse_files(&new_files)?)?;
        Ok((old_api, new_api))
    })();
    let (old_api, new_api) = match loaded {
        Ok(apis) => apis,
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            return ExitCode::FAILURE;
        }
    };
    let (mut old_label, mut new_label) = (old.label(), new.label());
    if let Some((from, to)) = &options.versions {
        old_label = format!("{old_label} ({from})");
        new_label = format!("{new_label} ({to})");
    }
    let changelog = graphgen::diff::diff(&old_api, &new_api, &old_label, &new_label, options);
    match format {
        Format::Markdown => print!("{}", graphgen::diff::render::markdown(&changelog)),
        Format::Json => println!("{}", graphgen::diff::render::json(&changelog)),
    }
    if fail_on_breaking && changelog.breaking() > 0 {
        eprintln!("error: {} breaking change(s)", changelog.breaking());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn permissions(specs: &Path, operations: &[String], all: bool, version: Option<&str>) -> ExitCode {
    let api = match graphgen::validate::load_and_validate(specs) {
        Ok(api) => api,
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            return ExitCode::FAILURE;
        }
    };
    if !all && operations.is_empty() {
        eprintln!("error: name the operations, or pass --all");
        return ExitCode::FAILURE;
    }
    let mut unknown = false;
    for name in operations {
        if api.operation(name).is_none() {
            let hint = graphgen::diagnostics::did_you_mean(
                name,
                api.operations.iter().map(|o| o.name.documented.as_str()),
            )
            .map(|best| format!(" (did you mean `{best}`?)"))
            .unwrap_or_default();
            eprintln!("error: no operation `{name}` in the specs{hint}");
            unknown = true;
        }
    }
    if let Some(v) = version {
        if api.version(v).is_none() {
            eprintln!("error: no version `{v}` in the specs");
            unknown = true;
        }
    }
    if unknown {
        return ExitCode::FAILURE;
    }
    print!(
        "{}",
        graphgen::permissions::render(&graphgen::permissions::plan(&api, operations, version))
    );
    ExitCode::SUCCESS
}

/// Loads, validates and emits in memory; then writes, or only compares.
fn generate(specs: &Path, out: &Path, check_only: bool) -> ExitCode {
    // An interrupted run is finished before anything else, even when the
    // specs no longer validate (see `output`).
    if !check_only {
        if let Err(error) = graphgen::output::recover(out) {
            eprintln!("error: cannot write {}: {error}", out.display());
            return ExitCode::from(2);
        }
    }
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

/// The arguments of `graphgen import`.
struct ImportRun {
    pages: Vec<PathBuf>,
    all: bool,
    docs: Option<PathBuf>,
    out: PathBuf,
    area: Option<String>,
    validate: bool,
    quiet: bool,
    prune: bool,
    reasons: usize,
}

fn import(run: ImportRun) -> ExitCode {
    let ImportRun {
        pages,
        all,
        docs,
        out,
        area,
        validate,
        quiet,
        prune,
        reasons,
    } = run;
    if pages.is_empty() && !all {
        eprintln!("error: name the pages to import, or pass --all with --docs ROOT");
        return ExitCode::from(2);
    }
    let started = std::time::Instant::now();
    let options = graphgen::import::Options {
        pages,
        all,
        docs,
        out: out.clone(),
        area,
    };
    let mut outcome = match graphgen::import::draft(&options) {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let drafted = started.elapsed();
    // Specs updated in place: say what the update changes, before writing.
    let updated: Vec<String> = outcome
        .files
        .iter()
        .filter(|f| f.relative.starts_with("operations/") && out.join(&f.relative).exists())
        .flat_map(|f| graphgen::import::drift::operation_names(&f.text))
        .collect();
    if !updated.is_empty() && out.join("service.yaml").exists() {
        match graphgen::import::drift::changes_of(&out, &outcome.files, updated) {
            Ok(changelog) if changelog.changes.is_empty() => {
                println!("the specs updated in place are unchanged by their pages")
            }
            Ok(changelog) => print!("{}", graphgen::diff::render::markdown(&changelog)),
            Err(error) => eprintln!("warning: {error}"),
        }
    }
    if let Err(error) = graphgen::import::write(&outcome.files, &out) {
        eprintln!("error: {error}");
        return ExitCode::from(2);
    }
    let written = started.elapsed();
    println!(
        "wrote {} spec files to {} (read and drafted in {:.2} s, written in {:.2} s)",
        outcome.files.len(),
        out.display(),
        drafted.as_secs_f64(),
        (written - drafted).as_secs_f64()
    );
    if validate {
        match graphgen::import::validate_written(&out, &mut outcome) {
            Ok(aside) => {
                if !quiet {
                    for line in &aside {
                        println!("set aside: {line}");
                    }
                }
                if prune {
                    for line in &aside {
                        let relative = line.split(": ").next().unwrap_or("");
                        if !relative.is_empty() {
                            let _ = std::fs::remove_file(out.join(relative));
                        }
                    }
                }
                println!(
                    "validated in {:.2} s; {} files do not validate as imported",
                    (started.elapsed() - written).as_secs_f64(),
                    aside.len()
                )
            }
            Err(error) => eprintln!("error: {error}"),
        }
    }
    if !quiet {
        print!("{}", outcome.report.points_text());
        for note in &outcome.report.notes {
            println!("note: {note}");
        }
    }
    print!("{}", outcome.report.table(reasons));
    ExitCode::SUCCESS
}

fn drift(
    docs: PathBuf,
    operations: Vec<String>,
    specs: PathBuf,
    fail_on_drift: bool,
    apply: bool,
    record: bool,
) -> ExitCode {
    let options = graphgen::import::drift::DriftOptions {
        specs: specs.clone(),
        docs,
        operations,
        digests_only: record,
    };
    let drift = match graphgen::import::drift::drift(&options) {
        Ok(drift) => drift,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    for spec in &drift.specs {
        let legacy =
            !spec.changed.is_empty() && spec.changed.iter().all(|(_, before, _)| before.is_none());
        if legacy {
            println!(
                "{}: the spec records no digest of its pages; `--record` records them once a person has read them",
                spec.spec
            );
        } else if !spec.changed.is_empty() {
            let versions: Vec<String> = spec
                .changed
                .iter()
                .map(|(version, before, now)| {
                    format!(
                        "{version}: {} -> {now}",
                        before.as_deref().unwrap_or("not read")
                    )
                })
                .collect();
            println!(
                "{}: the page `{}` changed since it was read ({})",
                spec.spec,
                spec.page,
                versions.join(", ")
            );
        }
        if !spec.changelog.changes.is_empty() {
            print!("{}", graphgen::diff::render::markdown(&spec.changelog));
        } else if spec.changed.is_empty() || legacy {
            println!("{}: no drift from {}", spec.spec, spec.page);
        } else {
            println!(
                "{}: nothing the spec says differs; `--apply` records the page as read",
                spec.spec
            );
        }
    }
    println!(
        "{} specs unchanged: their pages are as they were read",
        drift.unchanged.len()
    );
    for problem in &drift.problems {
        eprintln!("warning: {problem}");
    }
    if record {
        let mut files = Vec::new();
        for spec in &drift.specs {
            let path = specs.join(&spec.spec);
            let digests = spec
                .changed
                .iter()
                .map(|(version, _, now)| (version.clone(), now.clone()))
                .collect();
            let recorded = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| graphgen::import::drift::record_read(&text, &digests));
            match recorded {
                Ok(text) => files.push(graphgen::import::Drafted {
                    relative: spec.spec.clone(),
                    text,
                }),
                Err(error) => eprintln!("warning: {}: not recorded: {error}", spec.spec),
            }
        }
        if let Err(error) = graphgen::import::write(&files, &specs) {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
        println!("recorded: the pages of {} specs as read", files.len());
        return ExitCode::SUCCESS;
    }
    if apply {
        let files: Vec<graphgen::import::Drafted> = drift
            .specs
            .iter()
            .filter(|s| !s.changelog.changes.is_empty() || !s.changed.is_empty())
            .flat_map(|s| s.files.iter().cloned())
            .collect();
        if let Err(error) = graphgen::import::write(&files, &specs) {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
        println!(
            "applied: wrote {} files to {}",
            files.len(),
            specs.display()
        );
    }
    if fail_on_drift && drift.changes() > 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
