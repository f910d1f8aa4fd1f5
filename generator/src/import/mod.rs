//! `graphgen import`: reference pages in the Graph docs' markdown drafted
//! into v2 specs, for a person to review.
//!
//! The pipeline: `docs` finds and reads pages (includes spliced in, type
//! index built from the resource pages) -> `markdown` reads a page into
//! blocks -> `operation` / `resource` read the facts of one version ->
//! `build` writes the versions of a page as one spec tree -> `yaml` writes
//! it with its `# import:` comments -> `report` counts what happened.
//! `drift` compares the specs with the pages they name as their source.

pub mod build;
pub mod docs;
pub mod drift;
pub mod markdown;
pub mod merge;
pub mod operation;
pub mod report;
pub mod resource;
pub mod typeref;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use heck::ToKebabCase;

use docs::Docs;
use operation::{PageFacts, Point};
use report::Report;
use resource::TypeFacts;

/// What to import and where to.
pub struct Options {
    /// Operation pages (`.../api-reference/<version>/api/<page>.md`).
    pub pages: Vec<PathBuf>,
    /// Every operation page of the docs.
    pub all: bool,
    /// The docs root (the folder holding `api-reference/`); found above the
    /// first page when absent.
    pub docs: Option<PathBuf>,
    /// The specs directory to write to.
    pub out: PathBuf,
    /// The area of new specs; else one per product the page names (ms.prod).
    pub area: Option<String>,
}

/// A spec file drafted in memory.
#[derive(Debug, Clone)]
pub struct Drafted {
    /// `operations/<page>.yaml`, `types/<type>.yaml`, `service.yaml`.
    pub relative: String,
    pub text: String,
}

/// The drafts of a run and its report.
pub struct Outcome {
    pub files: Vec<Drafted>,
    pub report: Report,
    /// Each operation spec drafted: its file, page and versions.
    pub operations: Vec<(String, String, Vec<String>)>,
}

/// Drafts the specs of the pages (nothing is written).
pub fn draft(options: &Options) -> Result<Outcome, String> {
    let root = match &options.docs {
        Some(root) => root.clone(),
        None => find_root(
            options
                .pages
                .first()
                .ok_or("name a page to import, or --all with --docs")?,
        )?,
    };
    let docs = Docs::open(&root, &existing_types(&options.out))?;
    draft_with(&docs, options)
}

/// Drafts the specs of the pages from docs already opened (`drift` opens
/// them once for every spec it compares).
pub fn draft_with(docs: &Docs, options: &Options) -> Result<Outcome, String> {
    let spec_types = existing_types(&options.out);
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    let mut explicit: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
    if options.all {
        for version in docs::VERSIONS {
            wanted.extend(docs.operation_pages(version));
        }
    }
    for page in &options.pages {
        let name = docs::stem(page);
        let Some(version) = docs::version_of(page) else {
            return Err(format!(
                "{}: cannot tell the API version; pages are read from api-reference/<version>/api/<page>.md",
                page.display()
            ));
        };
        explicit.insert((name.clone(), version), page.clone());
        wanted.insert(name);
    }
    let existing = existing_specs(&options.out);
    // Each version's index, then what the other versions' pages declare,
    // then the types the specs already declare (for links to pages the
    // docs at hand do not have).
    let mut indexes: BTreeMap<String, typeref::TypeIndex> = BTreeMap::new();
    for version in docs::VERSIONS {
        let mut index = docs
            .versions
            .get(*version)
            .map(|v| v.index.clone())
            .unwrap_or_default();
        for (other, v) in &docs.versions {
            if other != version {
                index.fill_from(&v.index);
            }
        }
        for name in spec_types.keys() {
            index.insert_name(name);
        }
        indexes.insert((*version).to_owned(), index);
    }
    let mut report = Report::default();
    let mut files = Vec::new();
    let mut operations = Vec::new();
    let mut used_types: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut taken_names: HashMap<String, String> = HashMap::new();
    let mut taken_titles: HashMap<String, String> = HashMap::new();
    let mut areas: BTreeSet<String> = BTreeSet::new();
    let mut all_read: Vec<PageVersions> = Vec::new();
    for name in &wanted {
        let mut read: Vec<(String, String, PageFacts)> = Vec::new();
        for version in docs::VERSIONS {
            let path = explicit
                .get(&(name.clone(), (*version).to_owned()))
                .cloned()
                .or_else(|| docs.operation_page(version, name));
            let Some(path) = path else { continue };
            report.page(version);
            let shown = shown(&path, &docs.root);
            let page = match docs.read_page(&path) {
                Ok(page) => page,
                Err(error) => {
                    report.failed(version, name, "the page cannot be read", &error);
                    continue;
                }
            };
            let index = indexes.get(*version).cloned().unwrap_or_default();
            let mut facts = operation::read(&page, version, &index);
            facts.digest = docs.page_digest(&path).ok();
            if let Some(failure) = &facts.failure {
                report.failed(version, name, failure, &shown);
                continue;
            }
            read.push(((*version).to_owned(), shown, facts));
        }
        if !read.is_empty() {
            all_read.push((name.clone(), read));
        }
    }
    mark_shared_lines(&mut all_read);
    for (name, read) in &all_read {
        let first = &read[0].2;
        let mut operation_name = build::operation_name(&first.title, name);
        let mut title = first.title.clone();
        if taken_names.contains_key(&operation_name) {
            operation_name = operation::lower_camel(name);
        }
        if taken_titles.contains_key(&title) {
            title = format!("{title} ({name})");
        }
        taken_names.insert(operation_name.clone(), name.clone());
        taken_titles.insert(title.clone(), name.clone());
        let area = options
            .area
            .clone()
            .unwrap_or_else(|| build::area_name(first.product.as_deref()));
        areas.insert(area.clone());
        let pages: Vec<build::VersionPage> = read
            .iter()
            .map(|(v, shown, facts)| build::VersionPage {
                version: v,
                shown_as: shown.clone(),
                facts,
            })
            .collect();
        let (header, mut tree) =
            build::operation_spec(name, &operation_name, &title, &area, &pages);
        let relative = match existing.get(name) {
            Some((relative, text)) => {
                let merged = merge::onto_existing(text, &tree, &pages);
                match merged {
                    Ok(merged) => {
                        if merged.partial {
                            report.note(format!(
                                "{relative}: the spec splits the page into several operations; only the page's text was merged, its request lines, permissions and examples are left to a person"
                            ));
                        }
                        tree = merged.tree;
                        relative.clone()
                    }
                    Err(error) => {
                        report.failed("", name, "the existing spec cannot be merged", &error);
                        continue;
                    }
                }
            }
            None => format!("operations/{name}.yaml"),
        };
        for (v, _, facts) in read.iter() {
            for point in &facts.points {
                report.point(v, name, point, &relative);
            }
            report.imported(v);
            let types = used_types.entry(v.to_string()).or_default();
            if let Some(body) = &facts.body {
                types.extend(body.type_name.clone());
                types.extend(body.parameters.values().map(|p| p.type_name.clone()));
            }
            for r in facts.responses.values() {
                if let Some((t, _)) = &r.body {
                    types.insert(t.clone());
                }
            }
        }
        operations.push((
            relative.clone(),
            name.clone(),
            read.iter().map(|(v, _, _)| v.clone()).collect(),
        ));
        files.push(Drafted {
            relative,
            text: yaml::document(&header, &tree),
        });
    }
    let spec_shapes = existing_type_shapes(&options.out);
    let type_files = draft_types(docs, &used_types, &spec_shapes, options.all, &mut report);
    // A type the specs declare already is theirs: a person may have edited
    // it, so import never replaces it (drift compares operations).
    for file in type_files {
        let name = serde_yaml::from_str::<serde_yaml::Value>(&file.text)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned));
        match name {
            Some(name) if spec_types.contains_key(&name) => {
                report.note(format!(
                    "type `{name}` is declared in the specs already; kept as it is"
                ));
            }
            _ if options.out.join(&file.relative).exists() => {
                report.note(format!("{} exists; kept as it is", file.relative));
            }
            _ => files.push(file),
        }
    }
    if !options.out.join("service.yaml").exists() {
        files.push(Drafted {
            relative: "service.yaml".into(),
            text: service_yaml(&areas),
        });
    } else if let Ok(text) = std::fs::read_to_string(options.out.join("service.yaml")) {
        for area in &areas {
            if !text.contains(&format!("name: {area}\n")) {
                report.note(format!(
                    "area `{area}` is not declared in service.yaml: declare it, or set the imported specs' area to one it declares"
                ));
            }
        }
    }
    Ok(Outcome {
        files,
        report,
        operations,
    })
}

/// Validates the specs in `out` and keeps the largest set that validates:
/// files with problems are set aside, and validation runs again on the rest
/// until it passes (a type set aside may take operations with it). Fills in
/// the report's "valid as imported" counts and the reasons specs did not
/// validate; returns the files set aside.
pub fn validate_written(out: &Path, outcome: &mut Outcome) -> Result<Vec<String>, String> {
    let mut files = crate::spec::load_dir(out).map_err(|d| d.to_string())?;
    let mut set_aside: Vec<String> = Vec::new();
    for _round in 0..64 {
        let result = crate::spec::parse_files(&files).and_then(crate::validate::validate);
        let diagnostics = match result {
            Ok(_) => break,
            Err(d) => d,
        };
        let mut failing: BTreeMap<String, String> = BTreeMap::new();
        for d in &diagnostics.items {
            failing
                .entry(d.file.clone())
                .or_insert_with(|| d.message.clone());
        }
        if failing.is_empty() {
            break;
        }
        let before = files.len();
        files.retain(|f| {
            if let Some(message) = failing.get(&f.name) {
                set_aside.push(format!("{}: {message}", f.relative));
                let page = f
                    .relative
                    .trim_start_matches("operations/")
                    .trim_end_matches(".yaml");
                outcome.report.count(
                    &format!("does not validate: {}", report::pattern(message)),
                    page,
                );
                false
            } else {
                true
            }
        });
        if files.len() == before {
            break;
        }
    }
    let valid: BTreeSet<&str> = files.iter().map(|f| f.relative.as_str()).collect();
    for (relative, _, versions) in &outcome.operations {
        if valid.contains(relative.as_str()) {
            for v in versions {
                let counts = outcome.report.versions.entry(v.clone()).or_default();
                *counts.valid.get_or_insert(0) += 1;
            }
        }
    }
    for counts in outcome.report.versions.values_mut() {
        counts.valid.get_or_insert(0);
    }
    Ok(set_aside)
}

/// Writes drafts into `out`, each file replaced whole (written beside it,
/// then renamed), never through a link.
pub fn write(files: &[Drafted], out: &Path) -> Result<(), String> {
    for file in files {
        let path = out.join(&file.relative);
        let dir = path.parent().unwrap_or(out);
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for ancestor in [out, dir, path.as_path()] {
            if let Ok(meta) = std::fs::symlink_metadata(ancestor) {
                if meta.file_type().is_symlink() {
                    return Err(format!(
                        "{} is a symbolic link; import writes only into real directories and files",
                        ancestor.display()
                    ));
                }
            }
        }
        let temporary = dir.join(format!(
            ".{}.import-tmp",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("spec")
        ));
        std::fs::write(&temporary, &file.text)
            .map_err(|e| format!("{}: {e}", temporary.display()))?;
        std::fs::rename(&temporary, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// The docs root above a page: the folder holding `api-reference/`.
fn find_root(page: &Path) -> Result<PathBuf, String> {
    let mut dir = page.parent();
    while let Some(d) = dir {
        if d.file_name().and_then(|n| n.to_str()) == Some("api-reference") {
            return Ok(d.parent().unwrap_or(Path::new(".")).to_path_buf());
        }
        dir = d.parent();
    }
    Err(format!(
        "{}: no api-reference/ folder above it; pass --docs ROOT",
        page.display()
    ))
}

fn shown(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The operation specs already in `out`, by the page they name as source:
/// `page -> (relative path, text)`.
pub fn existing_specs(out: &Path) -> HashMap<String, (String, String)> {
    let mut found = HashMap::new();
    let Ok(entries) = std::fs::read_dir(out.join("operations")) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let Ok(text) = docs::read_text(&path) else {
            continue;
        };
        if let Some(page) = source_page(&text) {
            let relative = format!(
                "operations/{}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("")
            );
            found.insert(page, (relative, text));
        }
    }
    found
}

/// The types the type specs in `out` declare: name to full OData name
/// (`microsoft.graph.callRecords.pstnCallLogRow`).
pub fn existing_types(out: &Path) -> BTreeMap<String, String> {
    let mut types = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(out.join("types")) else {
        return types;
    };
    for entry in entries.flatten() {
        let Ok(text) = docs::read_text(&entry.path()) else {
            continue;
        };
        if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) {
            if let Some(name) = value.get("type").and_then(|t| t.as_str()) {
                let full = value
                    .get("odataType")
                    .and_then(|t| t.as_str())
                    .map(|t| t.trim_start_matches('#').to_owned())
                    .unwrap_or_else(|| format!("microsoft.graph.{name}"));
                types.insert(name.to_owned(), full);
            }
        }
    }
    types
}

/// What a type spec says about inheritance: its base and its own properties.
#[derive(Debug, Default)]
pub struct TypeShape {
    pub base: Option<String>,
    pub properties: BTreeSet<String>,
}

/// The base type and property names of each type spec in `out`.
pub fn existing_type_shapes(out: &Path) -> BTreeMap<String, TypeShape> {
    let mut shapes = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(out.join("types")) else {
        return shapes;
    };
    for entry in entries.flatten() {
        let Ok(text) = docs::read_text(&entry.path()) else {
            continue;
        };
        let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
            continue;
        };
        let Some(name) = value.get("type").and_then(|t| t.as_str()) else {
            continue;
        };
        let mut shape = TypeShape {
            base: value
                .get("baseType")
                .and_then(|b| b.as_str())
                .map(str::to_owned),
            properties: BTreeSet::new(),
        };
        for key in ["properties", "relationships"] {
            if let Some(serde_yaml::Value::Mapping(m)) = value.get(key) {
                shape
                    .properties
                    .extend(m.keys().filter_map(|k| k.as_str()).map(str::to_owned));
            }
        }
        shapes.insert(name.to_owned(), shape);
    }
    shapes
}

/// The `source.page` a spec text names.
pub fn source_page(text: &str) -> Option<String> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    value
        .get("source")?
        .get("page")?
        .as_str()
        .map(str::to_owned)
}

fn draft_types(
    docs: &Docs,
    used: &BTreeMap<String, BTreeSet<String>>,
    spec_shapes: &BTreeMap<String, TypeShape>,
    all: bool,
    report: &mut Report,
) -> Vec<Drafted> {
    // Per version: the type facts of every type reached.
    let mut reached: BTreeMap<String, BTreeMap<String, TypeFacts>> = BTreeMap::new();
    let mut inline_enums: BTreeMap<String, (Vec<String>, BTreeSet<String>)> = BTreeMap::new();
    let mut enum_pages: BTreeMap<String, (Vec<String>, BTreeSet<String>)> = BTreeMap::new();
    for (version, v) in &docs.versions {
        let mut queue: Vec<String> = if all {
            v.types
                .keys()
                .cloned()
                .chain(v.enums.keys().cloned())
                .collect()
        } else {
            used.get(version)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default()
        };
        queue.sort();
        // Derived types come along with their base (`--all` reaches every
        // type anyway).
        let no_derived = BTreeMap::new();
        let derived = if all { &no_derived } else { v.derived() };
        let facts = reached.entry(version.clone()).or_default();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        while let Some(name) = queue.pop() {
            if !seen.insert(name.clone())
                || (typeref::primitive(&name).is_some() && !v.types.contains_key(&name))
            {
                continue;
            }
            queue.extend(derived.get(&name).into_iter().flatten().cloned());
            if let Some((_, page, full)) = v.types.get(&name) {
                let f = resource::read(page, &name, full, &v.index);
                queue.extend(f.base_type.clone());
                for p in f.properties.values().chain(f.relationships.values()) {
                    if !p.inline_members.is_empty()
                        && !v.types.contains_key(&p.type_name)
                        && !v.enums.contains_key(&p.type_name)
                    {
                        let e = inline_enums.entry(p.type_name.clone()).or_default();
                        for m in &p.inline_members {
                            if !e.0.contains(m) {
                                e.0.push(m.clone());
                            }
                        }
                        e.1.insert(version.clone());
                    } else {
                        queue.push(p.type_name.clone());
                    }
                }
                facts.insert(name, f);
            } else if let Some(members) = v.enums.get(&name) {
                let e = enum_pages.entry(name.clone()).or_default();
                for m in members {
                    if !e.0.contains(m) {
                        e.0.push(m.clone());
                    }
                }
                e.1.insert(version.clone());
            } else {
                report.note(format!("type `{name}` ({version}) has no resource page"));
            }
        }
    }
    // A base type said on one version's page holds for the type: the
    // spec declares one base.
    let mut bases: BTreeMap<String, String> = BTreeMap::new();
    for version in docs::VERSIONS {
        for (name, f) in reached.get(*version).into_iter().flatten() {
            if let Some(b) = &f.base_type {
                bases.entry(name.clone()).or_insert_with(|| b.clone());
            }
        }
    }
    for facts in reached.values_mut() {
        for (name, f) in facts.iter_mut() {
            if f.base_type.is_none() {
                f.base_type = bases.get(name).cloned();
            }
        }
    }
    // A type the specs declare keeps its spec (import never replaces it), so
    // its base and properties are the ones inherited from it, also where the
    // docs at hand lack its page or its page omits its base.
    for (name, shape) in spec_shapes {
        if let Some(base) = &shape.base {
            bases.insert(name.clone(), base.clone());
        }
    }
    // What each type declares in any version: a property one version's
    // page gives the base type is inherited in every version.
    let mut declared: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, shape) in spec_shapes {
        declared.insert(name.clone(), shape.properties.clone());
    }
    for facts in reached.values() {
        for (name, f) in facts {
            declared
                .entry(name.clone())
                .or_default()
                .extend(f.properties.keys().chain(f.relationships.keys()).cloned());
        }
    }
    for facts in reached.values_mut() {
        drop_inherited(facts, &bases, &declared);
    }
    // Versions in which each type is used: by an operation, or by a
    // property of a type of that version.
    let mut used_in: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (version, names) in used {
        for n in names {
            used_in
                .entry(n.clone())
                .or_default()
                .insert(version.clone());
        }
    }
    // A property the versions' pages type differently is declared with the
    // first version's type (see `build::type_spec`): that type is used in
    // every version the property is in.
    let mut property_types: BTreeMap<(String, String), (String, BTreeSet<String>)> =
        BTreeMap::new();
    let mut base_edges: Vec<(String, String)> = Vec::new();
    for version in docs::VERSIONS {
        for (name, f) in reached.get(*version).into_iter().flatten() {
            for (p, prop) in f.properties.iter().chain(f.relationships.iter()) {
                property_types
                    .entry((name.clone(), p.clone()))
                    .or_insert_with(|| (prop.type_name.clone(), BTreeSet::new()))
                    .1
                    .insert((*version).to_owned());
            }
            if let Some(b) = &f.base_type {
                used_in
                    .entry(b.clone())
                    .or_default()
                    .insert((*version).to_owned());
                base_edges.push((name.clone(), b.clone()));
            }
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (owner, base) in base_edges {
        edges.entry(owner).or_default().insert(base);
    }
    for ((owner, _), (type_name, versions)) in property_types {
        edges.entry(owner).or_default().insert(type_name.clone());
        used_in.entry(type_name).or_default().extend(versions);
    }
    // A type declared in a version its own pages lack brings the types of
    // its properties along, and so on down.
    let page_versions = |name: &str| -> BTreeSet<String> {
        reached
            .iter()
            .filter(|(_, f)| f.contains_key(name))
            .map(|(v, _)| v.clone())
            .collect()
    };
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds < 64 {
        changed = false;
        rounds += 1;
        for (owner, targets) in &edges {
            let mut owner_versions = page_versions(owner);
            owner_versions.extend(used_in.get(owner).cloned().unwrap_or_default());
            for t in targets {
                let entry = used_in.entry(t.clone()).or_default();
                for v in &owner_versions {
                    changed |= entry.insert(v.clone());
                }
            }
        }
    }
    let all_versions: Vec<&str> = docs::VERSIONS.to_vec();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for f in reached.values() {
        names.extend(f.keys().cloned());
    }
    let mut files = Vec::new();
    let mut file_names: HashMap<String, String> = HashMap::new();
    let mut file_for = |name: &str| {
        let mut file = name.to_kebab_case();
        if file.is_empty() {
            file = "type".into();
        }
        let mut candidate = file.clone();
        let mut n = 2;
        while file_names
            .get(&candidate)
            .is_some_and(|owner| owner != name)
        {
            candidate = format!("{file}-{n}");
            n += 1;
        }
        file_names.insert(candidate.clone(), name.to_owned());
        format!("types/{candidate}.yaml")
    };
    for name in &names {
        let mut pages: Vec<(&str, String, &TypeFacts)> = Vec::new();
        for version in docs::VERSIONS {
            if let (Some(f), Some(v)) = (
                reached.get(*version).and_then(|m| m.get(name)),
                docs.versions.get(*version),
            ) {
                let shown = v
                    .types
                    .get(name)
                    .map(|(p, _, _)| shown(p, &docs.root))
                    .unwrap_or_default();
                pages.push((version, shown, f));
            }
        }
        if pages.is_empty() {
            continue;
        }
        let extra: Vec<&str> = docs::VERSIONS
            .iter()
            .copied()
            .filter(|v| {
                used_in.get(name).is_some_and(|u| u.contains(*v))
                    && !pages.iter().any(|(pv, _, _)| pv == v)
            })
            .collect();
        let (header, tree) = build::type_spec(name, &pages, &extra, &all_versions);
        files.push(Drafted {
            relative: file_for(name),
            text: yaml::document(&header, &tree),
        });
    }
    for (origin, enums) in [
        ("an enum page", &enum_pages),
        (
            "the possible values a property's description lists",
            &inline_enums,
        ),
    ] {
        for (name, (members, versions)) in enums {
            if names.contains(name) {
                continue;
            }
            names.insert(name.clone());
            // Enum pages are not kept per version as resource pages are: an
            // enum a version's types use is declared in that version too.
            let versions: Vec<&str> = docs::VERSIONS
                .iter()
                .copied()
                .filter(|v| {
                    versions.contains(*v) || used_in.get(name).is_some_and(|u| u.contains(*v))
                })
                .collect();
            let (header, tree) = build::enum_spec(name, members, &versions, &all_versions, origin);
            files.push(Drafted {
                relative: file_for(name),
                text: yaml::document(&header, &tree),
            });
        }
    }
    files
}

/// Resource pages list the properties a type inherits beside its own; the
/// spec declares each property once, on the type that declares it. What
/// was dropped is said in a comment.
fn drop_inherited(
    types: &mut BTreeMap<String, TypeFacts>,
    bases: &BTreeMap<String, String>,
    declared: &BTreeMap<String, BTreeSet<String>>,
) {
    let names: Vec<String> = types.keys().cloned().collect();
    for name in names {
        let mut inherited: BTreeMap<String, String> = BTreeMap::new();
        let mut base = bases.get(&name).cloned();
        let mut guard = 0;
        while let Some(b) = base {
            guard += 1;
            if guard > 32 || b == name {
                break;
            }
            for p in declared.get(&b).into_iter().flatten() {
                inherited.entry(p.clone()).or_insert_with(|| b.clone());
            }
            base = bases.get(&b).cloned();
        }
        if inherited.is_empty() {
            continue;
        }
        let Some(t) = types.get_mut(&name) else {
            continue;
        };
        let mut dropped = Vec::new();
        let mut line = 0;
        for table in [&mut t.properties, &mut t.relationships] {
            table.retain(|p, prop| {
                if let Some(from) = inherited.get(p) {
                    dropped.push(format!("{p} ({from})"));
                    line = prop.line;
                    false
                } else {
                    true
                }
            });
        }
        if !dropped.is_empty() {
            t.points.push(Point {
                line,
                reason: "inherited properties listed",
                text: format!(
                    "the page also lists inherited properties, declared by the base types: {}",
                    dropped.join(", ")
                ),
            });
        }
    }
}

/// Request lines that several pages document (one page per derived type
/// of the response): each page's line is marked shared, naming the others.
fn mark_shared_lines(pages: &mut [PageVersions]) {
    let mut routes: HashMap<(String, String, String), Vec<String>> = HashMap::new();
    for (name, read) in pages.iter() {
        for (version, _, facts) in read {
            for line in &facts.lines {
                let route = (
                    version.clone(),
                    line.method.clone(),
                    crate::validate::path_shape(&line.template),
                );
                let names = routes.entry(route).or_default();
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
    }
    for (name, read) in pages.iter_mut() {
        for (version, _, facts) in read.iter_mut() {
            for line in &mut facts.lines {
                let route = (
                    version.clone(),
                    line.method.clone(),
                    crate::validate::path_shape(&line.template),
                );
                if let Some(names) = routes.get(&route) {
                    if names.len() > 1 {
                        line.shared_with = names.iter().filter(|n| *n != name).cloned().collect();
                    }
                }
            }
        }
    }
}

fn service_yaml(areas: &BTreeSet<String>) -> String {
    let mut out = String::from(
        "# The service, as imported: versions, national clouds, and one area per\n# product the imported pages name (ms.prod).\nservice: microsoftGraph\ntitle: Microsoft Graph\nnamespace: microsoft.graph\nversions:\n  - name: v1.0\n    basePath: /v1.0\n  - name: beta\n    basePath: /beta\nclouds:\n  - name: global\n    title: Global service\n    host: https://graph.microsoft.com\n  - name: usGov\n    title: US Government L4\n    host: https://graph.microsoft.us\n  - name: usGovDod\n    title: US Government L5 (DOD)\n    host: https://dod-graph.microsoft.us\n  - name: china\n    title: China operated by 21Vianet\n    host: https://microsoftgraph.chinacloudapi.cn\nareas:\n",
    );
    for area in areas {
        out.push_str(&format!("  - name: {area}\n    title: {area}\n"));
    }
    out
}

/// A page's name and each version of it read: `(version, shown path, facts)`.
type PageVersions = (String, Vec<(String, String, PageFacts)>);
