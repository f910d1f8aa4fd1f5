//! `graphgen import` and `graphgen drift` on pages the project owns
//! (`tests/import/`): what import writes for each shape of page, that what
//! it writes validates, that hostile pages are read safely, and the drift
//! of the seed specs against the seed pages.

use std::path::{Path, PathBuf};
use std::process::Command;

use graphgen::import::{self, drift, Options};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("graphgen-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn import_shapes(out: &Path) -> import::Outcome {
    let outcome = import::draft(&Options {
        pages: Vec::new(),
        all: true,
        docs: Some(fixtures().join("shapes")),
        out: out.to_path_buf(),
        area: None,
    })
    .expect("the shapes import");
    import::write(&outcome.files, out).unwrap();
    outcome
}

#[test]
fn each_shape_of_page_imports_as_reviewed() {
    let out = temp_dir("shapes");
    let outcome = import_shapes(&out);
    let mut names: Vec<&str> = outcome.files.iter().map(|f| f.relative.as_str()).collect();
    names.sort();
    insta::assert_snapshot!("shapes_files", names.join("\n"));
    for file in &outcome.files {
        if file.relative == "service.yaml" {
            continue;
        }
        let name = file.relative.trim_end_matches(".yaml").replace('/', "__");
        insta::assert_snapshot!(format!("shapes__{name}"), &file.text);
    }
    insta::assert_snapshot!("shapes_points", outcome.report.points_text());
}

#[test]
fn what_import_writes_validates_except_what_the_pages_get_wrong() {
    let out = temp_dir("validate");
    let mut outcome = import_shapes(&out);
    let aside = import::validate_written(&out, &mut outcome).unwrap();
    // The hostile page's request line opens a `{` it never closes: set aside
    // with the validator's own message; everything else validates as written.
    assert_eq!(
        aside,
        vec!["operations/widget-hostile.yaml: path `/me/widgets/{widgetId}/{{{{{{{{{{` opens a `{` it does not close".to_owned()],
    );
    let v1 = &outcome.report.versions["v1.0"];
    // widget-overview is not an operation page; the other seven import and
    // six validate.
    assert_eq!(
        (v1.pages, v1.imported, v1.failed, v1.valid),
        (8, 7, 1, Some(6))
    );
    insta::assert_snapshot!("shapes_report", outcome.report.table(20));
}

#[test]
fn a_hostile_page_reads_nothing_outside_the_docs_and_ends() {
    let out = temp_dir("hostile");
    let started = std::time::Instant::now();
    let outcome = import_shapes(&out);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let secret = std::fs::read_to_string(fixtures().join("outside-secret.md")).unwrap();
    for file in &outcome.files {
        assert!(
            !file.text.contains(secret.trim()),
            "{} holds text from outside the docs root",
            file.relative
        );
        assert!(!file.text.contains("root:x:0:0"), "{}", file.relative);
    }
    let hostile = outcome
        .files
        .iter()
        .find(|f| f.relative == "operations/widget-hostile.yaml")
        .expect("the hostile page is imported as far as it reads");
    // Quoted page text is cut short; the file is valid YAML.
    assert!(
        hostile.text.lines().all(|l| l.len() < 400),
        "{}",
        hostile.text
    );
    let _: serde_yaml::Value = serde_yaml::from_str(&hostile.text).unwrap();
}

#[test]
fn a_page_that_documents_no_request_fails_with_its_reason() {
    let out = temp_dir("overview");
    let outcome = import_shapes(&out);
    assert!(outcome
        .report
        .notes
        .iter()
        .any(|n| n.starts_with("widget-overview (v1.0): no HTTP request section")));
    assert!(!outcome
        .files
        .iter()
        .any(|f| f.relative.contains("overview")));
}

#[test]
fn import_never_writes_through_a_link() {
    let out = temp_dir("link");
    let target = temp_dir("link-target");
    std::os::unix::fs::symlink(&target, out.join("operations")).unwrap();
    let outcome = import::draft(&Options {
        pages: Vec::new(),
        all: true,
        docs: Some(fixtures().join("shapes")),
        out: out.clone(),
        area: None,
    })
    .unwrap();
    let error = import::write(&outcome.files, &out).unwrap_err();
    assert!(error.contains("is a symbolic link"), "{error}");
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0);
}

/// The seed specs against the seed pages they were transcribed from: equal,
/// but for what each spec records on purpose (errata, parameter names the
/// page leaves open, the v1.0 version another page documents), which the
/// merge keeps.
#[test]
fn the_seed_specs_do_not_drift_from_their_pages() {
    let result = drift::drift(&drift::DriftOptions {
        specs: repo().join("specs"),
        docs: fixtures().join("seed"),
        operations: vec!["deleteParticipant".into(), "enrollMeetingRegistrant".into()],
        digests_only: false,
    })
    .unwrap();
    assert_eq!(result.specs.len(), 2);
    for spec in &result.specs {
        assert!(
            spec.changelog.changes.is_empty(),
            "{} drifted: {:#?}",
            spec.spec,
            spec.changelog.changes
        );
    }
}

/// A spec whose page the docs at hand do not have is named, not skipped in
/// silence and not counted as drift.
#[test]
fn drift_names_the_specs_whose_pages_it_cannot_find() {
    let result = drift::drift(&drift::DriftOptions {
        specs: repo().join("specs"),
        docs: fixtures().join("seed"),
        operations: Vec::new(),
        digests_only: false,
    })
    .unwrap();
    assert!(result
        .problems
        .iter()
        .any(|p| p
            .starts_with("operations/call-answer.yaml: its source page `call-answer` is not in")));
    assert!(!result
        .specs
        .iter()
        .any(|s| s.spec == "operations/call-answer.yaml"));
    // The seed's beta page of Delete participant is an older copy than the
    // one the spec was read from: a page that changed, though nothing the
    // spec says differs.
    let delete = result
        .specs
        .iter()
        .find(|s| s.spec == "operations/participant-delete.yaml")
        .unwrap();
    assert_eq!(delete.changed.len(), 1);
    assert_eq!(delete.changed[0].0, "beta");
    assert!(delete.changelog.changes.is_empty());
    assert_eq!(result.changes(), 1);
}

/// The seed spec of Delete meeting registrant follows the newer page; its
/// drift against the older one names what changed between the two.
#[test]
fn the_registrant_spec_drifts_from_the_older_page_by_every_change() {
    let result = drift::drift(&drift::DriftOptions {
        specs: repo().join("specs"),
        docs: fixtures().join("seed-2021"),
        operations: vec!["deleteMeetingRegistrant".into()],
        digests_only: false,
    })
    .unwrap();
    assert_eq!(result.specs.len(), 1);
    let changelog = &result.specs[0].changelog;
    // The fixtures' path differs from machine to machine.
    let text = graphgen::diff::render::markdown(changelog)
        .replace(&fixtures().display().to_string(), "tests/import");
    // The higher privileged application permission, the national clouds,
    // the example's method, the page's text.
    for expected in [
        "permission `OnlineMeetings.ReadWrite.All` removed",
        "national clouds no longer documented",
        "the page shows `POST`, recorded as an erratum",
        "summary or description changed",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    insta::assert_snapshot!("drift_registrant_delete_2021", text);
}

#[test]
fn drift_exits_1_on_drift_when_asked_and_apply_writes_the_page_into_the_spec() {
    let specs = temp_dir("apply");
    copy_dir(&repo().join("specs"), &specs);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_graphgen"))
            .args(args)
            .output()
            .unwrap()
    };
    let docs = fixtures().join("seed-2021");
    let specs_arg = specs.to_str().unwrap();
    let docs_arg = docs.to_str().unwrap();
    let base = [
        "drift",
        "--docs",
        docs_arg,
        "--specs",
        specs_arg,
        "--operation",
        "deleteMeetingRegistrant",
    ];
    let output = run(&[&base[..], &["--fail-on-drift"]].concat());
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = run(&[&base[..], &["--apply"]].concat());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let spec =
        std::fs::read_to_string(specs.join("operations/meeting-registrant-delete.yaml")).unwrap();
    assert!(spec.contains("erratum"), "{spec}");
    assert!(spec.contains("method: POST"), "{spec}");
    // Applied, the spec no longer drifts, and it still validates.
    let output = run(&[&base[..], &["--fail-on-drift"]].concat());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// The shapes' Get widget spec against an older version of its page (one
/// request line, the one-column permissions table, no national clouds, no
/// Accept-Language): drift names each difference, as a reviewer reads it.
#[test]
fn a_spec_drifts_from_an_older_page_by_each_difference() {
    let specs = temp_dir("older");
    let mut outcome = import_shapes(&specs);
    // The hostile page's spec does not validate; drift needs specs that do.
    for aside in import::validate_written(&specs, &mut outcome).unwrap() {
        let relative = aside.split(": ").next().unwrap();
        std::fs::remove_file(specs.join(relative)).unwrap();
    }
    let result = drift::drift(&drift::DriftOptions {
        specs: specs.clone(),
        docs: fixtures().join("shapes-older"),
        operations: vec!["getWidget".into()],
        digests_only: false,
    })
    .unwrap();
    assert_eq!(result.specs.len(), 1, "{:?}", result.problems);
    let text = graphgen::diff::render::markdown(&result.specs[0].changelog)
        .replace(&fixtures().display().to_string(), "tests/import");
    for expected in [
        "/users/{userId}/widgets/{widgetId}",
        "national clouds no longer documented",
        "Accept-Language",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    insta::assert_snapshot!("drift_widget_get_older", text);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any text read as a page, operation or resource, neither panics nor
    /// writes YAML that does not parse.
    #[test]
    fn any_text_reads_as_a_page_without_panicking(text in "(?s).{0,2000}") {
        let page = import::markdown::parse(&text);
        let facts = import::operation::read(&page, "v1.0", &import::typeref::TypeIndex::default());
        if facts.failure.is_none() {
            let pages = [import::build::VersionPage { version: "v1.0", shown_as: "page".into(), facts: &facts }];
            let (header, tree) = import::build::operation_spec("page", "op", "Title", "area", &pages);
            let yaml = import::yaml::document(&header, &tree);
            let parsed: Result<serde_yaml::Value, _> = serde_yaml::from_str(&yaml);
            proptest::prop_assert!(parsed.is_ok(), "{yaml}");
        }
        let _ = import::resource::declared_type(&page);
        let _ = import::resource::read_enums(&page);
    }

    /// Pages built from the pieces of real pages, shuffled.
    #[test]
    fn shuffled_page_pieces_read_without_panicking(pieces in proptest::collection::vec(proptest::sample::select(vec![
        "## HTTP request\n", "```http\nGET /me/widgets/{id}\n```\n", "```\n", "<!-- { \"blockType\": \"request\", \"name\": \"x\" } -->\n",
        "<!-- {\n", "| Permission type | Least privileged permissions | Higher privileged permissions |\n", "|:--|:--|:--|\n",
        "| Application | A.B | Not available. |\n", "## Response\n", "returns a `200 OK` response code and a [widget](../resources/widget.md) object.\n",
        "HTTP/1.1 204 No Content\n", "{ \"value\": { \"a\": 1 } }\n", "## Examples\n", "### Example 1\n", "> **Note:** `/app` is deprecated.\n",
        "[!INCLUDE [x](../../../../etc/passwd)]\n", "\n", "| a \\| b | `c|d` |\n", "{ \"a\": 1, }\n", "PATCH /x/{id}\n", "## Request body\n",
    ]), 0..60)) {
        let text: String = pieces.concat();
        let page = import::markdown::parse(&text);
        let facts = import::operation::read(&page, "beta", &import::typeref::TypeIndex::default());
        if facts.failure.is_none() {
            let pages = [import::build::VersionPage { version: "beta", shown_as: "page".into(), facts: &facts }];
            let (header, tree) = import::build::operation_spec("page", "op", "Title", "area", &pages);
            let yaml = import::yaml::document(&header, &tree);
            let parsed: Result<serde_yaml::Value, _> = serde_yaml::from_str(&yaml);
            proptest::prop_assert!(parsed.is_ok(), "{yaml}");
        }
    }
}

/// Two pages documenting one request line (Graph's page per derived type):
/// valid only when both mark it `shared`, and then each operation has its
/// own fluent method there.
#[test]
fn a_request_line_two_pages_document_is_shared_with_a_method_each() {
    let specs = temp_dir("shared");
    copy_dir(&repo().join("specs"), &specs);
    let original =
        std::fs::read_to_string(specs.join("operations/participant-delete.yaml")).unwrap();
    let twin = original
        .replace(
            "operation: deleteParticipant",
            "operation: removeParticipant",
        )
        .replace("title: Delete participant", "title: Remove participant")
        .replace("page: participant-delete", "page: participant-remove")
        .replace("- name: ", "- name: twin-");
    std::fs::write(specs.join("operations/participant-remove.yaml"), &twin).unwrap();
    let error = graphgen::validate::load_and_validate(&specs)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("is already operation `deleteParticipant`"),
        "{error}"
    );
    assert!(error.contains("marks the path `shared: true`"), "{error}");
    let share = |text: &str| {
        let mut out = text.to_owned();
        for prefix in ["/communications", "/app"] {
            let line = format!(
                "      - template: {prefix}/calls/{{callId}}/participants/{{participantId}}\n"
            );
            out = out.replace(&line, &format!("{line}        shared: true\n"));
        }
        out
    };
    // One side marked is not enough.
    std::fs::write(
        specs.join("operations/participant-remove.yaml"),
        share(&twin),
    )
    .unwrap();
    assert!(graphgen::validate::load_and_validate(&specs).is_err());
    std::fs::write(
        specs.join("operations/participant-delete.yaml"),
        share(&original),
    )
    .unwrap();
    let api = graphgen::validate::load_and_validate(&specs).unwrap_or_else(|d| panic!("{d}"));
    let files = graphgen::emit::generate(&api).unwrap();
    let rust: String = files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .map(|f| f.contents.clone())
        .collect();
    assert!(
        rust.contains("pub fn delete_participant("),
        "no delete_participant method"
    );
    // The HTTP method leads, as on every fluent method that sends.
    assert!(
        rust.contains("pub fn delete_remove_participant("),
        "no delete_remove_participant method"
    );
}

/// A second import keeps what a person changed: a type spec is never
/// replaced, and an operation spec keeps the names it gave.
#[test]
fn importing_again_keeps_what_a_person_wrote() {
    let out = temp_dir("again");
    import_shapes(&out);
    let widget = out.join("types/widget.yaml");
    let edited = std::fs::read_to_string(&widget).unwrap().replace(
        "description: The widget's name.",
        "description: The widget's name, as its owner wrote it.",
    );
    std::fs::write(&widget, &edited).unwrap();
    let get = out.join("operations/widget-get.yaml");
    let renamed = std::fs::read_to_string(&get)
        .unwrap()
        .replace("widgetId", "widgetKey");
    std::fs::write(&get, &renamed).unwrap();
    let outcome = import_shapes(&out);
    assert_eq!(std::fs::read_to_string(&widget).unwrap(), edited);
    assert!(outcome
        .report
        .notes
        .iter()
        .any(|n| n == "type `widget` is declared in the specs already; kept as it is"));
    let again = std::fs::read_to_string(&get).unwrap();
    assert!(
        again.contains("/users/{userId}/widgets/{widgetKey}"),
        "{again}"
    );
    assert!(!again.contains("widgetId"), "{again}");
}

/// A page's type whose name the specs give a type of another namespace is
/// named with its namespace, and what links to it follows.
#[test]
fn a_type_name_the_specs_use_for_another_namespace_is_kept_apart() {
    let out = temp_dir("namespace");
    std::fs::create_dir_all(out.join("types")).unwrap();
    std::fs::write(
        out.join("types/widget-part.yaml"),
        "type: widgetPart\nkind: complex\nodataType: \"#microsoft.graph.callRecords.widgetPart\"\nproperties:\n  size: { type: Int32 }\n",
    )
    .unwrap();
    let outcome = import_shapes(&out);
    let widget = outcome
        .files
        .iter()
        .find(|f| f.relative == "types/widget.yaml")
        .unwrap();
    assert!(
        widget.text.contains("    type: graphWidgetPart\n"),
        "{}",
        widget.text
    );
    let part = outcome
        .files
        .iter()
        .find(|f| f.text.contains("type: graphWidgetPart\n") && f.relative.starts_with("types/"))
        .expect("the page's widgetPart, named apart");
    assert!(
        part.text.contains("name:\n    type: String"),
        "{}",
        part.text
    );
    // The specs' own widgetPart is left as it was.
    assert!(std::fs::read_to_string(out.join("types/widget-part.yaml"))
        .unwrap()
        .contains("callRecords"));
}

/// A spec that splits its page into several operations keeps its split:
/// import merges the page's text and says the rest is for a person.
#[test]
fn a_spec_of_several_operations_gets_only_the_page_text() {
    let out = temp_dir("several");
    std::fs::create_dir_all(out.join("operations")).unwrap();
    let existing = "title: Get widget\nsummary: An old summary.\narea: widgets\nsource: { page: widget-get }\noperations:\n  - operation: getWidgetById\n    title: Get a widget by id\n    versions: {}\n";
    std::fs::write(out.join("operations/widget-get.yaml"), existing).unwrap();
    let outcome = import_shapes(&out);
    let text = std::fs::read_to_string(out.join("operations/widget-get.yaml")).unwrap();
    assert!(text.contains("operation: getWidgetById"), "{text}");
    assert!(
        text.contains("summary: Read the properties and relationships of a widget object."),
        "{text}"
    );
    assert!(!text.contains("\nversions:\n"), "{text}");
    assert!(outcome.report.notes.iter().any(|n| n.starts_with(
        "operations/widget-get.yaml: the spec splits the page into several operations"
    )));
}

/// Pages name one place of a path differently (`{usersId}` beside
/// `{userId}`): the fluent node both share holds the value once, and each
/// operation reads it from there instead of asking for it again.
#[test]
fn operations_that_name_a_shared_place_differently_read_the_same_value() {
    let specs = temp_dir("places");
    copy_dir(&repo().join("specs"), &specs);
    std::fs::write(
        specs.join("operations/participant-peek.yaml"),
        "operation: peekParticipant\ntitle: Peek at a participant\nsummary: Peek.\narea: calls\nversions:\n  v1.0:\n    method: GET\n    paths:\n      - template: /communications/calls/{theCall}/participants/{theParticipant}/peek\n    parameters:\n      theCall: { in: path }\n      theParticipant: { in: path }\n    responses:\n      204: { description: No Content. }\n    permissions:\n      delegatedWork: unsupported\n      delegatedPersonal: unsupported\n      application: { least: [Calls.JoinGroupCall.All] }\n",
    )
    .unwrap();
    let api = graphgen::validate::load_and_validate(&specs).unwrap_or_else(|d| panic!("{d}"));
    let files = graphgen::emit::generate(&api).unwrap();
    let peek = files
        .iter()
        .find(|f| f.path == "src/v1_0/operations/peek_participant.rs")
        .expect("the operation's file");
    assert!(
        peek.contents.contains("pub fn get(&self) -> rt::Request"),
        "{}",
        peek.contents
    );
    assert!(
        peek.contents
            .contains("PeekParticipant::new(self.call_id.clone(), self.participant_id.clone())"),
        "{}",
        peek.contents
    );
    // The docs' example call fills the places with the operation's names.
    assert!(
        peek.contents.contains(".calls(\"{theCall}\")"),
        "{}",
        peek.contents
    );
}

#[test]
fn import_refuses_a_page_outside_a_docs_tree_with_a_clear_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_graphgen"))
        .args(["import", "README.md", "--out"])
        .arg(temp_dir("refuse"))
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no api-reference/ folder above it; pass --docs ROOT"),
        "{stderr}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

/// Writes a docs root of a few pages the test makes: an operation page
/// answering with `thing`, whose properties use a `participant` of
/// `microsoft.graph` and one of another namespace, and a type derived from
/// `thing` that no page links to.
fn namespaced_and_derived_docs(root: &Path) {
    let page = |relative: &str, text: &str| {
        let path = root.join("api-reference/v1.0").join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    page(
        "api/thing-get.md",
        "---\ntitle: \"Get thing\"\ndoc_type: apiPageType\n---\n\n# Get thing\n\nRead a thing.\n\n\
         ## Permissions\n\n| Permission type | Permissions (from least to most privileged) |\n|:---|:---|\n\
         | Delegated (work or school account) | Things.Read |\n| Delegated (personal Microsoft account) | Not supported. |\n\
         | Application | None. |\n\n## HTTP request\n\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nGET /things/{id}\n```\n\n\
         ## Request headers\n\n| Name | Description |\n|:---|:---|\n| Authorization | Bearer {token}. Required. |\n\n\
         ## Request body\n\nDo not supply a request body for this method.\n\n## Response\n\n\
         If successful, this method returns a `200 OK` response code and a [thing](../resources/thing.md) object in the response body.\n",
    );
    let resource = |file: &str, name: &str, full: &str, base: Option<&str>, rows: &str| {
        let base_annotation = base
            .map(|b| format!("\"baseType\": \"microsoft.graph.{b}\", "))
            .unwrap_or_default();
        page(
            &format!("resources/{file}"),
            &format!(
                "---\ntitle: \"{name} resource type\"\ndoc_type: resourcePageType\n---\n\n# {name} resource type\n\nA {name}.\n\n\
                 ## Properties\n\n| Property | Type | Description |\n|:---|:---|:---|\n{rows}\n\
                 <!-- {{ \"blockType\": \"resource\", {base_annotation}\"@odata.type\": \"{full}\" }} -->\n```json\n{{ }}\n```\n"
            ),
        );
    };
    resource(
        "thing.md",
        "thing",
        "microsoft.graph.thing",
        None,
        "| owner | [participant](participant.md) | Who owns it. |\n| record | [participant](areports-participant.md) | A record of the owner. |\n",
    );
    // Sorted before `participant.md`: the name still goes to microsoft.graph.
    resource(
        "areports-participant.md",
        "participant",
        "microsoft.graph.reports.participant",
        None,
        "| seconds | Int32 | Time on the call. |\n",
    );
    resource(
        "participant.md",
        "participant",
        "microsoft.graph.participant",
        None,
        "| displayName | String | The name shown. |\n",
    );
    resource(
        "specialthing.md",
        "specialThing",
        "microsoft.graph.specialThing",
        Some("thing"),
        "| special | Boolean | Whether it is special. |\n",
    );
}

/// Two namespaces declare `participant`: `microsoft.graph` keeps the name
/// and the other is named with its namespace, whatever the order of the
/// files; a type derived from a type the operation uses comes along with
/// it; "None" in a permissions cell is `none`.
#[test]
fn microsoft_graph_keeps_a_shared_name_and_derived_types_come_along() {
    let docs = temp_dir("derived-docs");
    namespaced_and_derived_docs(&docs);
    let out = temp_dir("derived-out");
    let outcome = import::draft(&Options {
        pages: vec![docs.join("api-reference/v1.0/api/thing-get.md")],
        all: false,
        docs: Some(docs.clone()),
        out: out.clone(),
        area: Some("things".into()),
    })
    .expect("the import");
    let file = |relative: &str| {
        outcome
            .files
            .iter()
            .find(|f| f.relative == relative)
            .unwrap_or_else(|| {
                let names: Vec<&str> = outcome.files.iter().map(|f| f.relative.as_str()).collect();
                panic!("no {relative} in {names:?}")
            })
            .text
            .clone()
    };
    let participant = file("types/participant.yaml");
    assert!(participant.contains("displayName"), "{participant}");
    assert!(!participant.contains("reports"), "{participant}");
    let reports = file("types/reports-participant.yaml");
    assert!(reports.contains("type: reportsParticipant\n"), "{reports}");
    assert!(
        reports.contains("odataType: \"#microsoft.graph.reports.participant\""),
        "{reports}"
    );
    let thing = file("types/thing.yaml");
    assert!(thing.contains("type: reportsParticipant"), "{thing}");
    let special = file("types/special-thing.yaml");
    assert!(special.contains("baseType: thing"), "{special}");
    let get = file("operations/thing-get.yaml");
    assert!(get.contains("application: none"), "{get}");
}

/// A spec records the digest of each page it was read from; drift tells a
/// page that did not change since (no drift, nothing imported) from one that
/// did (its changes, of that version only), and `record_read` notes a page
/// as read without touching the rest of the spec.
#[test]
fn drift_tells_a_changed_page_from_an_unchanged_one_by_its_digest() {
    let docs = temp_dir("digest-docs");
    copy_dir(&fixtures().join("shapes"), &docs);
    let specs = temp_dir("digest-specs");
    let outcome = import::draft(&Options {
        pages: vec![docs.join("api-reference/v1.0/api/widget-delete.md")],
        all: false,
        docs: Some(docs.clone()),
        out: specs.clone(),
        area: None,
    })
    .unwrap();
    import::write(&outcome.files, &specs).unwrap();
    let delete = std::fs::read_to_string(specs.join("operations/widget-delete.yaml")).unwrap();
    let recorded = drift::read_digests(&delete);
    assert_eq!(recorded.keys().collect::<Vec<_>>(), ["v1.0"], "{delete}");
    assert!(recorded["v1.0"].starts_with("sha256:"), "{delete}");

    let options = drift::DriftOptions {
        specs: specs.clone(),
        docs: docs.clone(),
        operations: vec!["deleteWidget".into()],
        digests_only: false,
    };
    let unchanged = drift::drift(&options).unwrap();
    assert_eq!(unchanged.unchanged, ["operations/widget-delete.yaml"]);
    assert!(unchanged.specs.is_empty());
    assert_eq!(unchanged.changes(), 0);

    // A code sample tab coming or going is not a change of the page.
    let page = docs.join("api-reference/v1.0/api/widget-delete.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace(
            "## Example",
            "## Example\n\n[!INCLUDE [sample-code](../includes/snippets/go/delete-widget-go-snippets.md)]",
        ),
    )
    .unwrap();
    assert_eq!(drift::drift(&options).unwrap().unchanged.len(), 1);

    // The page now lets personal accounts delete widgets.
    std::fs::write(
        &page,
        text.replace(
            "| Delegated (personal Microsoft account) | Not supported. |",
            "| Delegated (personal Microsoft account) | Widgets.ReadWrite |",
        ),
    )
    .unwrap();
    let changed = drift::drift(&options).unwrap();
    assert!(changed.unchanged.is_empty());
    let spec = &changed.specs[0];
    assert_eq!(spec.changed.len(), 1);
    assert_eq!(spec.changed[0].0, "v1.0");
    assert_eq!(
        spec.changed[0].1.as_deref(),
        Some(recorded["v1.0"].as_str())
    );
    assert!(
        spec.changelog
            .changes
            .iter()
            .any(|c| c.kind == "permission_type.supported"),
        "{:#?}",
        spec.changelog.changes
    );

    // Recorded as read: the digest changes, every other line stays.
    let commented = delete.replace(
        "title: Delete widget\n",
        "# A person's comment.\ntitle: Delete widget\n",
    );
    let now = [("v1.0".to_owned(), spec.changed[0].2.clone())]
        .into_iter()
        .collect();
    let rewritten = drift::record_read(&commented, &now).unwrap();
    assert_eq!(drift::read_digests(&rewritten)["v1.0"], spec.changed[0].2);
    assert!(
        rewritten.contains("# A person's comment.\ntitle: Delete widget\n"),
        "{rewritten}"
    );
    let others = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.contains("sha256:"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(others(&rewritten), others(&commented));
}
