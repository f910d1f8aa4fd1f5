//! Reading spec files: bytes -> UTF-8 text -> YAML -> serde structs.
//!
//! Each file is parsed on its own and every file's problems are reported
//! together. A file that fails here is left out of later phases, so one broken
//! file does not bury the report in follow-on errors.
//!
//! The specs directory arrives through pull requests, so nothing in it is
//! trusted: only regular files of at most [`MAX_SPEC_BYTES`] with plain names
//! are read, and no symbolic link is followed (see `fs_guard`).

use std::ffi::OsStr;
use std::fs;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::locate::{
    Bound, LocateProblem, Locator, MAX_DEPTH, MAX_EXPANDED_BYTES, MAX_EXPANDED_NODES,
};
use super::model::{OperationSpec, ServiceSpec, TypeSpec};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Position, SourceText};
use crate::fs_guard::{self, Refusal, MAX_SPEC_BYTES};

/// What a spec file describes, from where it sits in the specs directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Service,
    Operation,
    Type,
    /// `programs/<name>.rs`: an example program written against the
    /// generated crate, copied into its `examples/`.
    Program,
}

impl FileKind {
    /// The kind of a file from its folder: `operations/`, `types/`, or the
    /// `service.yaml` at the top (`service/` for fixtures that replace it).
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let parent = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str());
        match parent {
            Some("programs") if is_rust(path) => Some(FileKind::Program),
            Some("programs") => None,
            Some("operations") => Some(FileKind::Operation),
            Some("types") => Some(FileKind::Type),
            Some("service") => Some(FileKind::Service),
            _ if path.file_name().and_then(|n| n.to_str()) == Some("service.yaml") => {
                Some(FileKind::Service)
            }
            _ => None,
        }
    }
}

/// A spec file's bytes, before parsing.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown in diagnostics.
    pub name: String,
    /// The path inside the specs directory (`operations/x.yaml`): what
    /// generated files name as their source, whatever the working directory.
    pub relative: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// A parsed spec file with what is needed to point into it.
#[derive(Debug)]
pub struct Parsed<T> {
    pub file: String,
    pub relative: String,
    pub text: String,
    pub locator: Locator,
    pub spec: T,
}

/// Every spec file that parsed.
#[derive(Debug, Default)]
pub struct SpecSet {
    pub service: Option<Parsed<ServiceSpec>>,
    pub operations: Vec<Parsed<OperationSpec>>,
    pub types: Vec<Parsed<TypeSpec>>,
    pub programs: Vec<ProgramFile>,
}

/// An example program's text (`programs/<name>.rs`), checked in `validate`.
#[derive(Debug, Clone)]
pub struct ProgramFile {
    pub file: String,
    pub relative: String,
    pub text: String,
}

fn is_rust(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()) == Some("rs")
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

/// Reads `service.yaml`, `operations/*.yaml`, `types/*.yaml` and
/// `programs/*.rs` under `dir`,
/// sorted by path. Diagnostics name files as `<dir>/<relative path>`.
pub fn load_dir(dir: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    load_dir_as(dir, dir)
}

/// Like [`load_dir`], but names files as `<shown_as>/<relative path>`: tests
/// run from another folder and still show `specs/...`.
///
/// `dir` itself is the caller's choice and may be reached through a link;
/// nothing inside it is.
pub fn load_dir_as(dir: &Path, shown_as: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let shown = |path: &Path| match path.strip_prefix(dir) {
        Ok(relative) if !relative.as_os_str().is_empty() => {
            shown_as.join(relative).display().to_string()
        }
        _ => shown_as.display().to_string(),
    };
    let mut files = Vec::new();
    let service = dir.join("service.yaml");
    if !dir.is_dir() {
        diagnostics.push(
            Diagnostic::new(
                shown(dir),
                Position::START,
                "the specs directory does not exist",
            )
            .with_hint("pass the folder that holds service.yaml with --specs"),
        );
        return Err(diagnostics);
    }
    let mut paths = Vec::new();
    // Looked at without following a link: a link named service.yaml is
    // refused when it is read, not reported as missing.
    if fs::symlink_metadata(&service).is_ok() {
        paths.push(service);
    } else {
        diagnostics.push(
            Diagnostic::new(shown(&service), Position::START, "service.yaml is missing").with_hint(
                "every specs directory declares its versions, clouds and areas in service.yaml",
            ),
        );
    }
    // A missing service.yaml is reported above; the other files still load.
    for folder in ["operations", "types", "programs"] {
        let folder = dir.join(folder);
        match fs::symlink_metadata(&folder) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                diagnostics.push(
                    Diagnostic::new(
                        shown(&folder),
                        Position::START,
                        "the folder is a symbolic link, which graphgen does not follow",
                    )
                    .with_hint(
                        "links are refused so that specs cannot come from outside the specs \
                         directory: replace the link with the folder itself",
                    ),
                );
                continue;
            }
            Ok(metadata) if !metadata.is_dir() => {
                diagnostics.push(
                    Diagnostic::new(
                        shown(&folder),
                        Position::START,
                        format!("this is {}, not a folder", fs_guard::kind_of(&metadata)),
                    )
                    .with_hint("operations/, types/ and programs/ are folders of spec files"),
                );
                continue;
            }
            _ => {}
        }
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if is_yaml(&path) || FileKind::from_path(&path) == Some(FileKind::Program) {
                paths.push(path);
            }
        }
    }
    paths.sort();
    for path in paths {
        let Some(kind) = FileKind::from_path(&path) else {
            continue;
        };
        match read_spec(&path, &shown(&path)) {
            Ok(bytes) => files.push(SourceFile {
                name: shown(&path),
                relative: path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
                kind,
                bytes,
            }),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    if diagnostics.is_empty() {
        Ok(files)
    } else {
        Err(diagnostics)
    }
}

/// Whether a spec file's name is plain: ASCII letters, digits, `-`, `_` and
/// `.`. Names end up in diagnostics, in generated comments and in paths; a
/// line break or a bidirectional override there would forge or hide text.
fn plain_name(name: &OsStr) -> bool {
    name.to_str().is_some_and(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    })
}

/// Reads one spec file's bytes: a regular file with a plain name, of at
/// most [`MAX_SPEC_BYTES`], never through a link.
fn read_spec(path: &Path, shown_as: &str) -> Result<Vec<u8>, Diagnostic> {
    if !path.file_name().is_some_and(plain_name) {
        return Err(Diagnostic::new(
            shown_as,
            Position::START,
            "the file name has characters other than letters, digits, `-`, `_` and `.`",
        )
        .with_hint("rename the file: spec file names are plain, e.g. participant-delete.yaml"));
    }
    fs_guard::read_regular(path, MAX_SPEC_BYTES)
        .map_err(|refusal| refusal_diagnostic(shown_as, refusal))
}

/// What a spec author reads when a file was not read.
fn refusal_diagnostic(shown_as: &str, refusal: Refusal) -> Diagnostic {
    let diagnostic = Diagnostic::new(shown_as, Position::START, format!("the file {refusal}"));
    match refusal {
        Refusal::Symlink => diagnostic.with_hint(
            "graphgen does not follow links, so that a spec cannot read a file from outside \
             the specs directory: replace the link with a copy of the file",
        ),
        Refusal::NotRegular(_) => diagnostic.with_hint(
            "a spec is a regular file; remove this one or rename it so that it does not end in .yaml",
        ),
        Refusal::TooLarge { .. } => diagnostic.with_hint(format!(
            "{} is the limit for a spec file; a spec describes one operation or type, so split the file",
            fs_guard::size(MAX_SPEC_BYTES)
        )),
        Refusal::Io(_) => diagnostic,
    }
}

impl SourceFile {
    /// Reads one spec file; its kind comes from its folder (see
    /// [`FileKind::from_path`]). `shown_as` is the name diagnostics use.
    /// Like the files of a directory, it must be a regular file (not a link)
    /// of at most [`MAX_SPEC_BYTES`] with a plain name.
    pub fn read(path: &Path, shown_as: &str) -> Result<SourceFile, Diagnostic> {
        let kind = FileKind::from_path(path).ok_or_else(|| {
            Diagnostic::new(
                shown_as,
                Position::START,
                "cannot tell what kind of spec this file is",
            )
            .with_hint("put it in a folder named operations/, types/, programs/ or service/")
        })?;
        let bytes = read_spec(path, shown_as)?;
        let folder = match kind {
            FileKind::Operation => "operations/",
            FileKind::Type => "types/",
            FileKind::Program => "programs/",
            FileKind::Service => "",
        };
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let relative = if kind == FileKind::Service {
            "service.yaml".to_owned()
        } else {
            format!("{folder}{file_name}")
        };
        Ok(SourceFile {
            name: shown_as.to_owned(),
            relative,
            kind,
            bytes,
        })
    }
}

/// Adds a file to a set read from a directory; a service file replaces the
/// directory's own.
pub fn add_file(files: &mut Vec<SourceFile>, file: SourceFile) {
    if file.kind == FileKind::Service {
        files.retain(|f| f.kind != FileKind::Service);
    }
    files.push(file);
}

/// Parses every file, collecting every file's problems.
pub fn parse_files(files: &[SourceFile]) -> Result<SpecSet, Diagnostics> {
    enum Any {
        Service(Parsed<ServiceSpec>),
        Operation(Parsed<OperationSpec>),
        Type(Parsed<TypeSpec>),
        Program(ProgramFile),
    }
    // Files parse independently; the results come back in input order.
    let results = crate::parallel::map(files, |file| {
        let mut diagnostics = Diagnostics::default();
        let parsed = match file.kind {
            FileKind::Service => parse_one::<ServiceSpec>(file, &mut diagnostics).map(Any::Service),
            FileKind::Operation => {
                parse_one::<OperationSpec>(file, &mut diagnostics).map(Any::Operation)
            }
            FileKind::Type => parse_one::<TypeSpec>(file, &mut diagnostics).map(Any::Type),
            FileKind::Program => match std::str::from_utf8(&file.bytes) {
                Ok(text) => Some(Any::Program(ProgramFile {
                    file: file.name.clone(),
                    relative: file.relative.clone(),
                    text: text.to_owned(),
                })),
                Err(error) => {
                    diagnostics.push(
                        Diagnostic::new(
                            &file.name,
                            Position::START,
                            format!("the program is not UTF-8 text ({error})"),
                        )
                        .with_hint("save the file as UTF-8"),
                    );
                    None
                }
            },
        };
        // The text is kept only to quote lines of a file that has problems.
        if !diagnostics.is_empty() && file.bytes.len() as u64 <= MAX_SPEC_BYTES {
            if let Ok(text) = std::str::from_utf8(&file.bytes) {
                diagnostics.add_source_text(&file.name, SourceText::new(text));
            }
        }
        (parsed, diagnostics)
    });
    let mut set = SpecSet::default();
    let mut diagnostics = Diagnostics::default();
    for (parsed, file_diagnostics) in results {
        diagnostics.extend(file_diagnostics);
        match parsed {
            Some(Any::Service(p)) => set.service = Some(p),
            Some(Any::Operation(p)) => set.operations.push(p),
            Some(Any::Type(p)) => set.types.push(p),
            Some(Any::Program(p)) => set.programs.push(p),
            None => {}
        }
    }
    if diagnostics.is_empty() {
        Ok(set)
    } else {
        Err(diagnostics)
    }
}

fn parse_one<T: DeserializeOwned>(
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<Parsed<T>> {
    // Files read from a directory are capped when read; this also covers
    // files from elsewhere (a git revision, a fuzzer).
    if file.bytes.len() as u64 > MAX_SPEC_BYTES {
        diagnostics.push(refusal_diagnostic(
            &file.name,
            Refusal::TooLarge {
                limit: MAX_SPEC_BYTES,
            },
        ));
        return None;
    }
    let text = match std::str::from_utf8(&file.bytes) {
        Ok(text) => text.to_owned(),
        Err(error) => {
            let valid = &file.bytes[..error.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            diagnostics.push(
                Diagnostic::new(
                    &file.name,
                    Position::new(line, column),
                    format!(
                        "the file is not UTF-8 text (invalid byte 0x{:02x})",
                        file.bytes[error.valid_up_to()]
                    ),
                )
                .with_hint("spec files are UTF-8 YAML; was a binary file saved with a .yaml name?"),
            );
            return None;
        }
    };
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        let expected = match file.kind {
            FileKind::Service => "`service:`",
            FileKind::Operation => "`operation:`",
            FileKind::Type => "`type:`",
            // Programs are not YAML and are not parsed here.
            FileKind::Program => "`//!`",
        };
        diagnostics.push(
            Diagnostic::new(&file.name, Position::START, "the file is empty").with_hint(format!(
                "a spec of this kind starts with {expected}; see specs/README.md"
            )),
        );
        return None;
    }
    let (locator, problems) = Locator::read(&text);
    if !problems.is_empty() {
        // Indexed once for all of the file's problems.
        let source = SourceText::new(&text);
        let first_tabbed_line = source.first_tabbed_line();
        for problem in problems {
            // libyaml (through serde_yaml) words syntax errors better and
            // places them where the construct went wrong; prefer it.
            let problem = match problem {
                LocateProblem::Syntax { .. } => libyaml_syntax_problem(&text).unwrap_or(problem),
                other => other,
            };
            diagnostics.push(locate_diagnostic(
                &file.name,
                &source,
                first_tabbed_line,
                problem,
            ));
        }
        return None;
    }
    match serde_yaml::from_str::<T>(&text) {
        Ok(spec) => Some(Parsed {
            file: file.name.clone(),
            relative: file.relative.clone(),
            text,
            locator,
            spec,
        }),
        Err(error) => {
            diagnostics.push(serde_diagnostic(&file.name, &error));
            None
        }
    }
}

/// The syntax error libyaml reports for the text, if it reports one.
///
/// libyaml writes `<what> at line A column B, while parsing <construct> at
/// line C column D`: the error is at A:B, and naming where the construct
/// began (an unclosed bracket, say) tells the author where to look.
fn libyaml_syntax_problem(text: &str) -> Option<LocateProblem> {
    // Read into nothing: no value is built, no alias expanded, nothing
    // recursed into, whatever the text holds past the point the locator
    // stopped at.
    let error = serde_yaml::from_str::<serde::de::IgnoredAny>(text).err()?;
    let location = error.location()?;
    let full = error.to_string();
    let strip_location = |part: &str| -> (String, Option<(usize, usize)>) {
        match part.rfind(" at line ") {
            Some(at) => {
                let numbers: Vec<usize> = part[at..]
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse().ok())
                    .collect();
                let place = match numbers.as_slice() {
                    [line, column, ..] => Some((*line, *column)),
                    _ => None,
                };
                (part[..at].to_owned(), place)
            }
            None => (part.to_owned(), None),
        }
    };
    let message = match full.split_once(", while parsing ") {
        Some((what, construct)) => {
            let (what, _) = strip_location(what);
            let (construct, started) = strip_location(construct);
            match started {
                Some((line, column)) => {
                    format!("{what}, while parsing {construct} that starts at line {line}, column {column}")
                }
                None => format!("{what}, while parsing a {construct}"),
            }
        }
        None => strip_location(&full).0,
    };
    Some(LocateProblem::Syntax {
        position: Position::new(location.line(), location.column()),
        message,
    })
}

fn locate_diagnostic(
    file: &str,
    source: &SourceText,
    first_tabbed_line: Option<usize>,
    problem: LocateProblem,
) -> Diagnostic {
    match problem {
        LocateProblem::DuplicateKey {
            key,
            position,
            first,
        } => Diagnostic::new(
            file,
            position,
            format!("key `{key}` is written twice in the same mapping"),
        )
        .with_hint(format!(
            "the first `{key}` is at line {}; YAML keeps only one, so merge the two or remove one",
            first.line
        )),
        LocateProblem::Syntax { position, message } => {
            let line = source.line(position.line).unwrap_or("");
            let tabbed = first_tabbed_line.is_some_and(|tab| tab <= position.line);
            let hint = if tabbed {
                Some("YAML does not allow tabs for indentation: indent with spaces".to_owned())
            } else if line.contains(": ") && line.matches(": ").count() > 1 {
                Some("a value that contains `: ` must be quoted".to_owned())
            } else if message.contains("did not find expected") || message.contains("while parsing")
            {
                Some(
                    "check the indentation and the brackets or quotes opened before this point"
                        .to_owned(),
                )
            } else {
                None
            };
            Diagnostic::new(file, position, format!("invalid YAML: {message}"))
                .with_optional_hint(hint)
        }
        LocateProblem::TooDeep { position } => Diagnostic::new(
            file,
            position,
            format!("the document nests mappings and lists more than {MAX_DEPTH} levels deep"),
        )
        .with_hint("specs need fewer than ten levels; check the indentation, or unclosed brackets"),
        LocateProblem::AliasExpandsTooMuch { position, what } => {
            let bound = match what {
                Bound::Nodes => format!("{MAX_EXPANDED_NODES} values"),
                Bound::Bytes => format!("{} of text", fs_guard::size(MAX_EXPANDED_BYTES)),
            };
            Diagnostic::new(
                file,
                position,
                format!("with its aliases expanded, the document would hold more than {bound}; this alias passes the limit"),
            )
            .with_hint("each alias repeats everything its anchor holds: repeat less, or write the repeated part out")
        }
        LocateProblem::RecursiveAlias { position } => Diagnostic::new(
            file,
            position,
            "the alias repeats a node that contains it, so it never ends",
        )
        .with_hint("an alias may only name an anchor whose node is complete before the alias"),
        LocateProblem::Tagged { position, tag } => Diagnostic::new(
            file,
            position,
            format!("YAML tags such as `{tag}` are not used in specs"),
        )
        .with_hint("remove the tag; to write a value that starts with `!`, quote it"),
    }
}

/// Turns a serde_yaml error into a diagnostic in the spec author's terms.
fn serde_diagnostic(file: &str, error: &serde_yaml::Error) -> Diagnostic {
    let position = error
        .location()
        .map(|l| Position::new(l.line(), l.column()))
        .unwrap_or(Position::START);
    let full = error.to_string();
    let without_location = match full.rfind(" at line ") {
        Some(at) => &full[..at],
        None => full.as_str(),
    };
    // serde_yaml prefixes the path of the failing node: `versions.beta: ...`.
    let (context, detail) = match without_location.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (Some(path), rest),
        _ => (None, without_location),
    };
    let place = context.map(|c| format!(" in `{c}`")).unwrap_or_default();

    if let Some(rest) = detail.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = backticked(expected);
        let hint = match did_you_mean(key, allowed.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if allowed.is_empty() => "this mapping takes no keys".to_owned(),
            None => format!("the keys allowed here are {}", join_ticked(&allowed)),
        };
        return Diagnostic::new(file, position, format!("unknown key `{key}`{place}"))
            .with_hint(hint);
    }
    if let Some(rest) = detail.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = backticked(expected);
        let hint = match did_you_mean(value, allowed.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("write one of {}", join_ticked(&allowed)),
        };
        return Diagnostic::new(file, position, format!("unknown value `{value}`{place}"))
            .with_hint(hint);
    }
    if let Some(rest) = detail.strip_prefix("missing field `") {
        let key = rest.trim_end_matches('`');
        return Diagnostic::new(
            file,
            position,
            format!("missing required key `{key}`{place}"),
        )
        .with_hint(format!("add `{key}:`; specs/README.md says what it holds"));
    }
    if let Some(rest) = detail.strip_prefix("duplicate field `") {
        let key = rest.trim_end_matches('`');
        return Diagnostic::new(
            file,
            position,
            format!("key `{key}` is written twice{place}"),
        )
        .with_hint("keep one of the two");
    }
    if let Some(rest) = detail.strip_prefix("invalid type: ") {
        let hint = if rest.ends_with("expected a string") {
            Some("quote the value to make it a string".to_owned())
        } else if rest.contains("expected a sequence") {
            Some("write a list: `[a, b]` or one `- item` per line".to_owned())
        } else if rest.contains("expected struct") || rest.contains("expected a map") {
            Some("write a mapping of `key: value` lines here".to_owned())
        } else if rest.contains("expected a boolean") {
            Some("write `true` or `false`".to_owned())
        } else {
            None
        };
        return Diagnostic::new(
            file,
            position,
            format!("wrong kind of value{place}: {rest}"),
        )
        .with_optional_hint(hint);
    }
    if let Some(rest) = detail.strip_prefix("invalid value: ") {
        let hint = rest
            .contains("expected `unsupported`")
            .then(|| "write `unsupported` where the page says \"Not supported\", `none` where it says \"None\"; otherwise `{ least: [...], higher: [...] }`".to_owned());
        return Diagnostic::new(file, position, format!("invalid value{place}: {rest}"))
            .with_optional_hint(hint);
    }
    Diagnostic::new(file, position, format!("{detail}{place}"))
}

/// The names between backticks in a serde "expected ..." list.
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn join_ticked(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
