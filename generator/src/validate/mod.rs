//! Semantic checks on parsed specs, and their lowering into the IR.
//!
//! Each check reports into one [`Diagnostics`] so that a run shows every
//! problem of the phase; the IR is returned only when there is none.

mod examples;
mod operations;
mod paths;
mod programs;
mod service;
mod types;

use std::collections::BTreeSet;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::ir::{Api, Deprecation, Note, Primitive, TypeRef};
use crate::spec::locate::{Locator, PathSegment};
use crate::spec::model::{DeprecationSpec, NoteSpec};
use crate::spec::SpecSet;

pub use paths::{parse_template, path_shape, TemplateError};

/// The OData system query options the spec format knows, without `$`.
pub use operations::QUERY_OPTIONS;

/// Checks the specs and lowers them to the IR.
pub fn validate(set: SpecSet) -> Result<Api, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let Some(service_file) = &set.service else {
        // Its absence was reported when the directory was read.
        diagnostics.push(Diagnostic::new(
            "service.yaml",
            Position::START,
            "no service.yaml was loaded, so versions, clouds and areas are unknown",
        ));
        return Err(diagnostics);
    };
    let service = service::check(service_file, &mut diagnostics);
    let types = types::check(&set.types, &service, &mut diagnostics);
    let operations = operations::check(&set.operations, &service, &types, &mut diagnostics);
    if !diagnostics.is_empty() {
        return Err(with_sources(diagnostics, &set));
    }
    let area_index = service
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| (a.name.documented.clone(), i))
        .collect();
    let mut api = Api {
        service: service.service,
        versions: service.versions,
        clouds: service.clouds,
        areas: service.areas,
        types: types.defs,
        operations,
        area_index,
        polymorphic: Default::default(),
        programs: Vec::new(),
        derived_index: Default::default(),
    };
    api.types
        .sort_by(|a, b| a.name.documented.cmp(&b.name.documented));
    api.operations
        .sort_by(|a, b| a.name.documented.cmp(&b.name.documented));
    api.polymorphic = polymorphic_types(&api);
    examples::check(&set.operations, &mut api, &mut diagnostics);
    api.programs = programs::check(&set.programs, &api, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok(api)
    } else {
        Err(with_sources(diagnostics, &set))
    }
}

/// Attaches the text of the files diagnostics point into, so that rendering
/// can quote their lines (only then: a clean run copies no text).
fn with_sources(mut diagnostics: Diagnostics, set: &SpecSet) -> Diagnostics {
    let named: std::collections::BTreeSet<String> =
        diagnostics.items.iter().map(|d| d.file.clone()).collect();
    let files = set
        .operations
        .iter()
        .map(|p| (&p.file, &p.text))
        .chain(set.types.iter().map(|p| (&p.file, &p.text)))
        .chain(set.service.iter().map(|p| (&p.file, &p.text)))
        .chain(set.programs.iter().map(|p| (&p.file, &p.text)));
    for (file, text) in files {
        if named.contains(file) {
            diagnostics.add_source(file, text);
        }
    }
    diagnostics
}

/// Loads, parses and validates a specs directory in one call.
pub fn load_and_validate(dir: &std::path::Path) -> Result<Api, Diagnostics> {
    let files = crate::spec::load_dir(dir)?;
    let set = crate::spec::parse_files(&files)?;
    validate(set)
}

/// A file being checked: its name and positions.
pub(crate) struct At<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub locator: &'a Locator,
}

impl At<'_> {
    pub fn key(&self, path: &[PathSegment]) -> Position {
        self.locator.key(path)
    }

    pub fn value(&self, path: &[PathSegment]) -> Position {
        self.locator.value(path)
    }

    pub fn error_at_key(&self, path: &[PathSegment], message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.file, self.key(path), message)
    }

    pub fn error_at_value(&self, path: &[PathSegment], message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.file, self.value(path), message)
    }
}

pub(crate) fn lower_deprecation(spec: &Option<DeprecationSpec>) -> Option<Deprecation> {
    spec.as_ref().map(|d| Deprecation {
        date: d.date.clone(),
        note: d.note.trim().to_owned(),
        source: d.source.as_ref().map(|s| s.trim().to_owned()),
    })
}

pub(crate) fn lower_notes(notes: &[NoteSpec]) -> Vec<Note> {
    notes
        .iter()
        .map(|n| Note {
            text: n.text.trim().to_owned(),
            command: n.command.clone(),
            link: n.link.clone(),
        })
        .collect()
}

/// Checks a deprecation's date is `YYYY-MM-DD`.
pub(crate) fn check_deprecation(
    spec: &Option<DeprecationSpec>,
    at: &At,
    path: &[PathSegment],
    diagnostics: &mut Diagnostics,
) {
    let Some(deprecation) = spec else { return };
    if let Some(date) = &deprecation.date {
        if !is_iso_date(date) {
            let mut date_path = path.to_vec();
            date_path.push("date".into());
            diagnostics.push(
                at.error_at_value(&date_path, format!("`{date}` is not a date"))
                    .with_hint("write the date as YYYY-MM-DD, e.g. 2024-12-12"),
            );
        }
    }
    if deprecation.note.trim().is_empty() {
        let mut note_path = path.to_vec();
        note_path.push("note".into());
        diagnostics.push(
            at.error_at_value(&note_path, "a deprecation needs a note")
                .with_hint("say what replaces the deprecated thing, as the page does"),
        );
    }
}

fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let numeric = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !(numeric(y, 4) && numeric(m, 2) && numeric(d, 2)) {
        return false;
    }
    let (m, d): (u32, u32) = (m.parse().unwrap_or(0), d.parse().unwrap_or(0));
    (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// Resolves a type name of a spec: a primitive or a declared type.
pub(crate) fn resolve_type(name: &str, declared: &BTreeSet<String>) -> Option<TypeRef> {
    if let Some(primitive) = Primitive::from_spec_name(name) {
        return Some(TypeRef::Primitive(primitive));
    }
    if let Some(inner) = name.strip_prefix("Edm.") {
        return Primitive::from_spec_name(inner).map(TypeRef::Primitive);
    }
    declared
        .contains(name)
        .then(|| TypeRef::Named(name.to_owned()))
}

/// The hint for a type name that resolves to nothing.
pub(crate) fn unknown_type_hint(name: &str, declared: &BTreeSet<String>) -> String {
    let candidates = declared
        .iter()
        .map(String::as_str)
        .chain(Primitive::ALL.iter().map(|p| p.spec_name()));
    match crate::diagnostics::did_you_mean(name, candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "declare it in specs/types/, or use a primitive such as String, Int32, Boolean or DateTimeOffset".to_owned(),
    }
}

/// The base types declared where a value goes (a property, a body, a body
/// parameter, a response) that have derived types: a derived value may stand
/// there.
fn polymorphic_types(api: &crate::ir::Api) -> std::collections::BTreeSet<String> {
    use crate::ir::{Body, ResponseBody, TypeRef};
    let mut declared: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut add = |ty: &TypeRef| {
        if let TypeRef::Named(name) = ty {
            declared.insert(name.clone());
        }
    };
    for t in &api.types {
        t.properties.iter().for_each(|p| add(&p.ty));
    }
    for v in api.operations.iter().flat_map(|o| &o.versions) {
        match &v.body {
            Some(Body::Typed { ty, .. }) => add(ty),
            Some(Body::Parameters { parameters, .. }) => parameters.iter().for_each(|p| add(&p.ty)),
            _ => {}
        }
        for r in &v.responses {
            if let Some(ResponseBody::Json { ty, .. }) = &r.body {
                add(ty);
            }
        }
    }
    declared
        .into_iter()
        .filter(|name| api.types.iter().any(|t| t.base_type.as_ref() == Some(name)))
        .collect()
}
