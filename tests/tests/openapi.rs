//! The OpenAPI export: a valid OpenAPI 3.0 document per API version, every
//! `$ref` resolving, and the facts OpenAPI lacks kept in extensions.

use std::collections::BTreeSet;

use graph_tests::api;
use serde_json::Value;

fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                out.push(target);
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn each_version_exports_a_valid_openapi_3_document() {
    let api = api();
    for version in &api.versions {
        let document = graphgen::openapi::document(&api, &version.name).unwrap();
        let parsed: openapiv3::OpenAPI = serde_json::from_value(document.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", version.name));
        assert!(parsed.openapi.starts_with("3.0"));
        assert!(parsed
            .components
            .as_ref()
            .unwrap()
            .security_schemes
            .contains_key("bearer"));

        let mut targets = Vec::new();
        refs(&document, &mut targets);
        assert!(!targets.is_empty());
        for target in targets {
            let name = target
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("{target} is not a schema reference"));
            assert!(
                document["components"]["schemas"].get(name).is_some(),
                "{}: `{target}` does not resolve",
                version.name
            );
        }

        let mut ids = BTreeSet::new();
        let mut count = 0;
        for (path, item) in parsed.paths.paths.iter() {
            let item = item.as_item().unwrap();
            for (method, operation) in item.iter() {
                count += 1;
                let id = operation.operation_id.clone().unwrap();
                assert!(ids.insert(id.clone()), "operationId {id} twice");
                let permissions = operation
                    .extensions
                    .get("x-ms-permissions")
                    .unwrap_or_else(|| panic!("{method} {path} has no permissions"));
                assert!(permissions.get("application").is_some());
            }
        }
        // OpenAPI keys operations by path and method: request lines that
        // differ only in their fixed query share one.
        let expected = api
            .operations
            .iter()
            .filter_map(|o| o.version(&version.name))
            .flat_map(|v| v.paths.iter().map(move |p| (p.path_only(), v.method)))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        assert_eq!(
            count, expected,
            "{}: one operation per documented path and method",
            version.name
        );
    }
}

#[test]
fn the_v1_document_says_who_may_call_delete_participant() {
    let document = graphgen::openapi::document(&api(), "v1.0").unwrap();
    let delete =
        &document["paths"]["/communications/calls/{callId}/participants/{participantId}"]["delete"];
    assert_eq!(delete["x-ms-permissions"]["delegatedWork"], "unsupported");
    assert_eq!(
        delete["x-ms-permissions"]["application"]["least"][0],
        "Calls.JoinGroupCallsasGuest.All"
    );
    assert_eq!(
        delete["responses"]["204"]["description"]
            .as_str()
            .map(|d| d.starts_with("If successful")),
        Some(true)
    );
    // The snapshot holds the operation and the list of paths: the whole
    // document grows with every page.
    let paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    let view = serde_json::json!({ "paths": paths, "delete": delete });
    insta::assert_snapshot!(serde_yaml::to_string(&view).unwrap());
}

#[test]
fn a_request_line_with_a_fixed_query_keeps_it() {
    let document = graphgen::openapi::document(&api(), "v1.0").unwrap();
    let get = &document["paths"]["/me/onlineMeetings"]["get"];
    // Two request lines differ only in their fixed query here; the first
    // (by operation name) stands for the path.
    assert_eq!(get["operationId"], "getOnlineMeetingByJoinMeetingId");
    assert_eq!(
        get["x-ms-fixed-query"]["$filter"],
        "joinMeetingIdSettings/joinMeetingId eq '{joinMeetingId}'"
    );
    let names: Vec<&str> = get["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["joinMeetingId", "Accept-Language"]);
}
