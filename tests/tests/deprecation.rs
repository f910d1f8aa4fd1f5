//! `#[deprecated]` where the page says it, and once: a field or setter only
//! for a deprecated property, a deprecated type on its constructor (rustc
//! would pass a struct's deprecation on to every field read), and a
//! deprecated path where the fluent chain enters it, so that one use of a
//! deprecated operation or path warns once.

use graph_tests::api;
use graphgen::emit::generate;
use graphgen::ir::TypeKind;

fn deprecated_attributes(code: &str) -> usize {
    code.matches("#[deprecated(").count()
}

#[test]
fn model_attributes_follow_the_properties_and_the_type_only_on_its_constructor() {
    let api = api();
    let files = generate(&api).unwrap();
    let mut deprecated_types = 0;
    for version in &api.versions {
        for def in api
            .types
            .iter()
            .filter(|t| t.kind != TypeKind::Enum && t.versions.contains(&version.name))
        {
            let path = format!("src/{}/models/{}.rs", version.module, def.name.file_stem());
            let code = &files.iter().find(|f| f.path == path).unwrap().contents;
            let properties = api
                .all_properties(def, &version.name)
                .into_iter()
                .filter(|p| p.deprecated.is_some())
                .count();
            // A field and its setter per deprecated property, and `new`.
            let expected = 2 * properties + usize::from(def.deprecated.is_some());
            assert_eq!(deprecated_attributes(code), expected, "{path}:\n{code}");
            let declaration = format!("pub struct {} {{", def.name.pascal);
            let at = code.find(&declaration).unwrap();
            let before = &code[..at];
            let item_start = before.rfind("\n\n").unwrap_or(0);
            assert!(
                !before[item_start..].contains("#[deprecated"),
                "{path}: the struct itself is marked"
            );
            if def.deprecated.is_some() {
                deprecated_types += 1;
                let new = code.find("pub fn new(").unwrap();
                let attributes = &code[code[..new].rfind("///").unwrap()..new];
                assert!(
                    attributes.contains("#[deprecated("),
                    "{path}: `new` is not marked"
                );
                assert!(
                    before.contains("**Deprecated:**"),
                    "{path}: the docs say it"
                );
            }
        }
    }
    assert!(deprecated_types >= 4, "the specs have deprecated types");
}

#[test]
fn a_deprecated_path_is_marked_where_the_chain_enters_it() {
    let files = generate(&api()).unwrap();
    let note = "The `/app` path is deprecated. Going forward, use the `/communications` path.";
    let attribute = format!("#[deprecated(\n        note = \"{note}\"\n    )]");
    let paths = &files
        .iter()
        .find(|f| f.path == "src/beta/paths.rs")
        .unwrap()
        .contents;
    assert_eq!(paths.matches(&attribute).count(), 1, "{paths}");
    let at = paths.find(&attribute).unwrap();
    assert!(paths[at..].contains("pub fn app(&self) -> App<'a>"));
    // No call on a navigation type under `/app` is marked again for the
    // path (an operation deprecated on its own, like muteAll, still is).
    let mut blocks = 0;
    for file in files
        .iter()
        .filter(|f| f.path.starts_with("src/beta/operations/"))
    {
        let mut rest = file.contents.as_str();
        while let Some(start) = rest.find("impl<'a> crate::beta::paths::App") {
            let block = &rest[start..];
            let block = &block[..block.find("\n}\n").unwrap()];
            assert!(
                !block.contains(&format!("note = \"{note}\"")),
                "{}: a call under /app is marked:\n{block}",
                file.path
            );
            blocks += 1;
            rest = &rest[start + block.len()..];
        }
    }
    assert!(blocks >= 3, "the operations under /app");
}

#[test]
fn a_deprecated_operation_is_marked_on_its_call() {
    let files = generate(&api()).unwrap();
    let enroll = &files
        .iter()
        .find(|f| f.path == "src/beta/operations/enroll_meeting_registrant.rs")
        .unwrap()
        .contents;
    let call = enroll
        .find("impl<'a> crate::beta::paths::")
        .expect("the fluent call");
    let lines = enroll.matches("impl<'a> crate::beta::paths::").count();
    assert_eq!(
        deprecated_attributes(&enroll[call..]),
        lines,
        "one per request line:\n{enroll}"
    );
}
