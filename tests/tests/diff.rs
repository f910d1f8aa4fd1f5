//! The semantic changelog: the docs changes we have (the older and newer
//! Delete meeting registrant page; Delete participant beta vs v1.0), and a
//! hand-made pair for each kind of change, in both directions.

use graph_tests::{repo_root, spec_files, validate_files};
use graphgen::diff::{diff, render, Bump, Changelog, Impact, Options};
use graphgen::ir::Api;
use graphgen::spec::{add_file, FileKind, SourceFile};

fn changelog_from_fixture() -> Changelog {
    let new = validate_files(&spec_files()).unwrap();
    let mut old_files = spec_files();
    let path = repo_root().join("tests/fixtures/changes/meeting-registrant-delete-2021/operations/meeting-registrant-delete.yaml");
    add_file(
        &mut old_files,
        SourceFile::read(&path, "meeting-registrant-delete-2021").unwrap(),
    );
    old_files.retain(|f| {
        !(f.relative == "operations/meeting-registrant-delete.yaml" && f.name.starts_with("specs/"))
    });
    let old = validate_files(&old_files).unwrap_or_else(|d| panic!("{d}"));
    diff(
        &old,
        &new,
        "page of 2021-09-30 (000)",
        "current page (001)",
        &Options::default(),
    )
}

fn messages(changelog: &Changelog) -> Vec<String> {
    changelog
        .changes
        .iter()
        .map(|c| c.message.clone())
        .collect()
}

#[test]
fn the_registrant_page_update_is_named_and_classified() {
    let changelog = changelog_from_fixture();
    let text = messages(&changelog).join("\n");
    assert!(
        text.contains(
            "Application: added higher privileged permission `OnlineMeetings.ReadWrite.All`"
        ),
        "{text}"
    );
    assert!(
        text.contains("national clouds now documented: global, usGov, usGovDod, china"),
        "{text}"
    );
    assert!(
        text.contains("the page's request method was corrected from POST to DELETE"),
        "{text}"
    );
    assert_eq!(changelog.breaking(), 0);
    assert_eq!(changelog.bump, Bump::Minor);
    insta::assert_snapshot!(render::markdown(&changelog));
}

#[test]
fn delete_participant_from_beta_to_v1_loses_the_app_path() {
    let api = validate_files(&spec_files()).unwrap();
    let options = Options {
        versions: Some(("beta".into(), "v1.0".into())),
        operations: vec!["deleteParticipant".into()],
    };
    let changelog = diff(&api, &api, "beta", "v1.0", &options);
    let text = messages(&changelog).join("\n");
    assert!(
        text.contains("path removed: `/app/calls/{callId}/participants/{participantId}`"),
        "{text}"
    );
    // Both versions' pages now write the same permissions.
    assert!(!text.contains("ermission"), "{text}");
    assert_eq!(changelog.bump, Bump::Major);
    insta::assert_snapshot!(render::markdown(&changelog));
}

#[test]
fn the_json_form_carries_the_same_changes() {
    let changelog = changelog_from_fixture();
    let json: serde_json::Value = serde_json::from_str(&render::json(&changelog)).unwrap();
    assert_eq!(json["bump"], "minor");
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), changelog.changes.len());
    let permission = changes
        .iter()
        .find(|c| c["kind"] == "permission.added")
        .unwrap();
    assert_eq!(permission["in"], "operation");
    assert_eq!(permission["operation"], "deleteMeetingRegistrant");
    assert_eq!(permission["version"], "beta");
    assert_eq!(permission["impact"], "additive");
}

// Hand-made pairs.

const SERVICE: &str = include_str!("../../specs/service.yaml");

const WIDGET: &str = "type: widget
kind: complex
properties:
  name: { type: String }
  size: { type: Int32 }
  kind: { type: widgetKind }
";

const WIDGET_KIND: &str = "type: widgetKind
kind: enum
members: [round, square, unknownFutureValue]
";

const UPDATE: &str = "operation: updateWidget
title: Update widget
summary: Update a widget.
area: calls
versions:
  v1.0:
    method: PATCH
    paths:
      - template: /widgets/{widgetId}
    parameters:
      widgetId: { in: path }
      mode: { in: query }
    headers:
      Authorization: { required: true }
      If-Match: { }
    body: { type: widget }
    responses:
      200: { body: { type: widget } }
    permissions:
      delegatedWork: unsupported
      delegatedPersonal: unsupported
      application: { least: [Widgets.ReadWrite.All], higher: [Widgets.Manage.All] }
    clouds: [global, usGov]
examples:
  - name: update
    request:
      method: PATCH
      url: https://graph.microsoft.com/v1.0/widgets/w1
      erratum: { method: POST, note: The page shows POST. }
";

fn file(kind: FileKind, relative: &str, text: &str) -> SourceFile {
    SourceFile {
        name: relative.to_owned(),
        relative: relative.to_owned(),
        kind,
        bytes: text.as_bytes().to_vec(),
    }
}

/// The base set with `edit` applied to one file (`extra` adds a file).
fn api(edit: Option<(&str, &str, &str)>, extra: Option<(FileKind, &str, &str)>) -> Api {
    let mut texts = [
        (FileKind::Service, "service.yaml", SERVICE.to_owned()),
        (FileKind::Type, "types/widget.yaml", WIDGET.to_owned()),
        (
            FileKind::Type,
            "types/widget-kind.yaml",
            WIDGET_KIND.to_owned(),
        ),
        (
            FileKind::Operation,
            "operations/update-widget.yaml",
            UPDATE.to_owned(),
        ),
    ];
    if let Some((target, from, to)) = edit {
        let entry = texts
            .iter_mut()
            .find(|(_, r, _)| *r == target)
            .expect("edited file");
        assert!(entry.2.contains(from), "`{from}` is not in {target}");
        entry.2 = entry.2.replace(from, to);
    }
    let mut files: Vec<SourceFile> = texts.iter().map(|(k, r, t)| file(*k, r, t)).collect();
    if let Some((kind, relative, text)) = extra {
        files.push(file(kind, relative, text));
    }
    validate_files(&files).unwrap_or_else(|d| panic!("{d}"))
}

fn has(changelog: &Changelog, kind: &str, impact: Impact) -> bool {
    changelog
        .changes
        .iter()
        .any(|c| c.kind == kind && c.impact == impact)
}

/// (name, file, from, to, forward kind and impact, backward kind and impact)
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    (&'static str, Impact),
    (&'static str, Impact),
);

const OP: &str = "operations/update-widget.yaml";
const TY: &str = "types/widget.yaml";

const CASES: &[Case] = &[
    (
        "a path",
        OP,
        "      - template: /widgets/{widgetId}\n",
        "      - template: /widgets/{widgetId}\n      - template: /gadgets/{widgetId}\n",
        // A second path moves the operation's values into a path enum.
        ("path.added", Impact::Breaking),
        ("path.removed", Impact::Breaking),
    ),
    (
        "a deprecation of a path",
        OP,
        "      - template: /widgets/{widgetId}\n",
        "      - template: /widgets/{widgetId}\n        deprecated: { note: Use gadgets. }\n",
        ("path.deprecated", Impact::Additive),
        ("path.undeprecated", Impact::Documentation),
    ),
    (
        "the method",
        OP,
        "    method: PATCH",
        "    method: PUT",
        ("method.changed", Impact::Breaking),
        ("method.changed", Impact::Breaking),
    ),
    (
        "an optional query parameter",
        OP,
        "      mode: { in: query }\n",
        "      mode: { in: query }\n      dryRun: { in: query, type: Boolean }\n",
        ("parameter.added", Impact::Additive),
        ("parameter.removed", Impact::Breaking),
    ),
    (
        "a required query parameter",
        OP,
        "      mode: { in: query }\n",
        "      mode: { in: query }\n      force: { in: query, required: true }\n",
        ("parameter.added", Impact::Breaking),
        ("parameter.removed", Impact::Breaking),
    ),
    (
        "a query parameter made required",
        OP,
        "      mode: { in: query }",
        "      mode: { in: query, required: true }",
        ("parameter.made_required", Impact::Breaking),
        ("parameter.made_optional", Impact::Breaking),
    ),
    (
        "a parameter type",
        OP,
        "      mode: { in: query }",
        "      mode: { in: query, type: Int32 }",
        ("parameter.type_changed", Impact::Breaking),
        ("parameter.type_changed", Impact::Breaking),
    ),
    (
        "an optional header",
        OP,
        "      If-Match: { }\n",
        "      If-Match: { }\n      Prefer: { }\n",
        ("header.added", Impact::Additive),
        ("header.removed", Impact::Breaking),
    ),
    (
        "a header made required",
        OP,
        "      If-Match: { }",
        "      If-Match: { required: true }",
        ("header.made_required", Impact::Breaking),
        ("header.made_optional", Impact::Breaking),
    ),
    (
        "the request body type",
        OP,
        "    body: { type: widget }",
        "    body: { type: widgetKind }",
        ("body.type_changed", Impact::Breaking),
        ("body.type_changed", Impact::Breaking),
    ),
    (
        "the response body",
        OP,
        "      200: { body: { type: widget } }",
        "      204: { description: No Content }",
        ("output.changed", Impact::Breaking),
        ("output.changed", Impact::Breaking),
    ),
    (
        "a response without a body beside one with",
        OP,
        "      200: { body: { type: widget } }",
        "      200: { body: { type: widget } }\n      202: { description: Accepted }",
        ("output.changed", Impact::Breaking),
        ("output.changed", Impact::Breaking),
    ),
    (
        "a higher privileged permission",
        OP,
        "higher: [Widgets.Manage.All]",
        "higher: [Widgets.Manage.All, Widgets.Admin.All]",
        ("permission.added", Impact::Additive),
        ("permission.removed", Impact::Breaking),
    ),
    (
        "a permission moved between columns",
        OP,
        "{ least: [Widgets.ReadWrite.All], higher: [Widgets.Manage.All] }",
        "{ least: [Widgets.ReadWrite.All, Widgets.Manage.All], higher: [] }",
        ("permission.moved", Impact::Documentation),
        ("permission.moved", Impact::Documentation),
    ),
    (
        "a permission type",
        OP,
        "      delegatedWork: unsupported",
        "      delegatedWork: { least: [Widgets.ReadWrite] }",
        ("permission_type.supported", Impact::Additive),
        ("permission_type.unsupported", Impact::Breaking),
    ),
    (
        "a permission type that needs no permission (the page says None)",
        OP,
        "      delegatedPersonal: unsupported",
        "      delegatedPersonal: none",
        ("permission_type.not_required", Impact::Additive),
        ("permission_type.unsupported", Impact::Breaking),
    ),
    (
        "a permission type that needed none and now needs one",
        OP,
        "      application: { least: [Widgets.ReadWrite.All], higher: [Widgets.Manage.All] }",
        "      application: none",
        ("permission_type.not_required", Impact::Additive),
        ("permission_type.required", Impact::Breaking),
    ),
    (
        "a national cloud",
        OP,
        "    clouds: [global, usGov]",
        "    clouds: [global, usGov, china]",
        ("cloud.added", Impact::Additive),
        ("cloud.removed", Impact::Breaking),
    ),
    (
        "documented clouds",
        OP,
        "    clouds: [global, usGov]\n",
        "",
        ("clouds.undocumented", Impact::Documentation),
        ("clouds.documented", Impact::Additive),
    ),
    (
        "a deprecation of the operation",
        OP,
        "area: calls\n",
        "area: calls\ndeprecated: { note: Use gadgets. }\n",
        ("operation.deprecated", Impact::Additive),
        ("operation.undeprecated", Impact::Documentation),
    ),
    (
        "an erratum fixed by the page",
        OP,
        "      erratum: { method: POST, note: The page shows POST. }\n",
        "",
        ("example.method_corrected", Impact::Documentation),
        ("example.erratum_added", Impact::Documentation),
    ),
    (
        "a property",
        TY,
        "  size: { type: Int32 }\n",
        "  size: { type: Int32 }\n  color: { type: String }\n",
        ("property.added", Impact::Additive),
        ("property.removed", Impact::Breaking),
    ),
    (
        "a property type",
        TY,
        "  size: { type: Int32 }",
        "  size: { type: Int64 }",
        ("property.type_changed", Impact::Breaking),
        ("property.type_changed", Impact::Breaking),
    ),
    (
        "a property made required",
        TY,
        "  name: { type: String }",
        "  name: { type: String, required: true }",
        ("property.required_changed", Impact::Breaking),
        ("property.required_changed", Impact::Breaking),
    ),
    (
        "a required property",
        TY,
        "  size: { type: Int32 }\n",
        "  size: { type: Int32 }\n  color: { type: String, required: true }\n",
        ("property.added", Impact::Breaking),
        ("property.removed", Impact::Breaking),
    ),
    (
        "a property made a collection",
        TY,
        "  name: { type: String }",
        "  name: { type: String, collection: true }",
        ("property.type_changed", Impact::Breaking),
        ("property.type_changed", Impact::Breaking),
    ),
    (
        "an enum member",
        "types/widget-kind.yaml",
        "members: [round, square, unknownFutureValue]",
        "members: [round, square, triangle, unknownFutureValue]",
        ("member.added", Impact::Additive),
        ("member.removed", Impact::Breaking),
    ),
];

#[test]
fn each_change_kind_is_found_and_classified_in_both_directions() {
    let base = api(None, None);
    for (name, target, from, to, forward, backward) in CASES {
        let changed = api(Some((target, from, to)), None);
        let there = diff(&base, &changed, "old", "new", &Options::default());
        let back = diff(&changed, &base, "old", "new", &Options::default());
        assert!(
            has(&there, forward.0, forward.1),
            "{name}: expected {forward:?} in\n{}",
            render::markdown(&there)
        );
        assert!(
            has(&back, backward.0, backward.1),
            "{name} (reversed): expected {backward:?} in\n{}",
            render::markdown(&back)
        );
    }
}

#[test]
fn added_and_removed_operations_and_types() {
    let base = api(None, None);
    let operation = UPDATE
        .replace("operation: updateWidget", "operation: resizeWidget")
        .replace("title: Update widget", "title: Resize widget")
        .replace("/widgets/{widgetId}", "/widgets/{widgetId}/resize")
        .replace("/widgets/w1", "/widgets/w1/resize");
    let with_operation = api(
        None,
        Some((
            FileKind::Operation,
            "operations/resize-widget.yaml",
            &operation,
        )),
    );
    assert!(has(
        &diff(&base, &with_operation, "o", "n", &Options::default()),
        "operation.added",
        Impact::Additive
    ));
    assert!(has(
        &diff(&with_operation, &base, "o", "n", &Options::default()),
        "operation.removed",
        Impact::Breaking
    ));
    let with_type = api(
        None,
        Some((
            FileKind::Type,
            "types/gadget.yaml",
            "type: gadget\nkind: complex\n",
        )),
    );
    assert!(has(
        &diff(&base, &with_type, "o", "n", &Options::default()),
        "type.added",
        Impact::Additive
    ));
    assert!(has(
        &diff(&with_type, &base, "o", "n", &Options::default()),
        "type.removed",
        Impact::Breaking
    ));
}

#[test]
fn the_bump_is_the_largest_impact_and_nothing_is_none() {
    let base = api(None, None);
    assert_eq!(
        diff(&base, &base, "o", "n", &Options::default()).bump,
        Bump::None
    );
    let docs = api(
        Some((
            OP,
            "summary: Update a widget.",
            "summary: Update one widget.",
        )),
        None,
    );
    assert_eq!(
        diff(&base, &docs, "o", "n", &Options::default()).bump,
        Bump::Patch
    );
}

#[test]
fn a_third_path_is_a_new_variant_and_additive() {
    let two = "      - template: /widgets/{widgetId}\n      - template: /gadgets/{widgetId}\n";
    let three = "      - template: /widgets/{widgetId}\n      - template: /gadgets/{widgetId}\n      - template: /doodads/{widgetId}\n";
    let before = api(
        Some((OP, "      - template: /widgets/{widgetId}\n", two)),
        None,
    );
    let after = api(
        Some((OP, "      - template: /widgets/{widgetId}\n", three)),
        None,
    );
    let changelog = diff(&before, &after, "old", "new", &Options::default());
    assert!(
        has(&changelog, "path.added", Impact::Additive),
        "{}",
        render::markdown(&changelog)
    );
    assert_eq!(changelog.breaking(), 0);
}
