//! Synthetic spec sets of any size, for benchmarks at Graph scale: N
//! operations of realistic shapes (2-3 path parameters, OData query options,
//! a body type of 8 properties with a nested type, a collection and an enum,
//! 2-3 responses, an example each), ten per resource area.
//!
//! Each area has two resources with five operations each: list (paged),
//! get, create, update, delete. An area is one cargo feature of the
//! generated crate, so a consumer of one area compiles ten operations
//! whatever N is.

use std::fmt::Write;

use crate::spec::{FileKind, SourceFile};

/// Operations per area.
pub const OPERATIONS_PER_AREA: usize = 10;

fn file(kind: FileKind, relative: String, text: String) -> SourceFile {
    SourceFile {
        name: format!("synthetic/{relative}"),
        relative,
        kind,
        bytes: text.into_bytes(),
    }
}

/// A spec set of `operations` operations (rounded up to whole areas).
pub fn spec_set(operations: usize) -> Vec<SourceFile> {
    let areas = operations.div_ceil(OPERATIONS_PER_AREA).max(1);
    let mut files = vec![file(
        FileKind::Service,
        "service.yaml".into(),
        service(areas),
    )];
    for area in 0..areas {
        for resource in 0..2 {
            let name = format!("widget{area}x{resource}");
            files.extend(types(&name));
            files.extend(resource_operations(
                area,
                &name,
                operations,
                area * OPERATIONS_PER_AREA + resource * 5,
            ));
        }
    }
    files
}

fn service(areas: usize) -> String {
    let mut out = String::from(
        "service: microsoftGraph\ntitle: Microsoft Graph (synthetic)\nnamespace: microsoft.graph\nversions:\n  - { name: v1.0, basePath: /v1.0 }\nclouds:\n  - { name: global, title: Global service, host: https://graph.microsoft.com }\n  - { name: usGov, title: US Government L4, host: https://graph.microsoft.us }\nareas:\n",
    );
    for area in 0..areas {
        let _ = writeln!(out, "  - {{ name: area{area}, title: Area {area} }}");
    }
    out
}

fn types(name: &str) -> Vec<SourceFile> {
    let resource = format!(
        "type: {name}
kind: entity
description: A synthetic resource.
properties:
  id: {{ type: String, readOnly: true, description: The identifier. }}
  displayName: {{ type: String, description: The display name. }}
  description: {{ type: String, description: A description. }}
  size: {{ type: Int32, description: The size. }}
  enabled: {{ type: Boolean, description: Whether it is enabled. }}
  createdDateTime: {{ type: DateTimeOffset, readOnly: true, description: When it was created. }}
  kind: {{ type: {name}Kind, description: Its kind. }}
  details: {{ type: {name}Details, description: Nested details. }}
  tags: {{ type: String, collection: true, description: Free tags. }}
"
    );
    let details = format!(
        "type: {name}Details
kind: complex
description: Details of a synthetic resource.
properties:
  owner: {{ type: String, description: The owner. }}
  priority: {{ type: Int64, description: The priority. }}
  notes: {{ type: String, description: Notes. }}
"
    );
    let kind = format!("type: {name}Kind\nkind: enum\ndescription: The kind of a synthetic resource.\nmembers: [small, medium, large, unknownFutureValue]\n");
    vec![
        file(FileKind::Type, format!("types/{name}.yaml"), resource),
        file(
            FileKind::Type,
            format!("types/{name}-details.yaml"),
            details,
        ),
        file(FileKind::Type, format!("types/{name}-kind.yaml"), kind),
    ]
}

const PERMISSIONS: &str = "    permissions:
      delegatedWork: { least: [Widgets.Read], higher: [Widgets.ReadWrite] }
      delegatedPersonal: unsupported
      application: { least: [Widgets.Read.All], higher: [Widgets.ReadWrite.All] }
    clouds: [global, usGov]
";

fn resource_operations(
    area: usize,
    name: &str,
    limit: usize,
    first_index: usize,
) -> Vec<SourceFile> {
    let collection = format!("/tenants/{{tenantId}}/area{area}/{name}s");
    let item = format!("{collection}/{{{name}Id}}");
    let url = format!("https://graph.microsoft.com/v1.0/tenants/t1/area{area}/{name}s");
    let body = r#"{
          "displayName": "Widget",
          "size": 3,
          "enabled": true,
          "kind": "medium",
          "details": { "owner": "admin", "priority": 2 },
          "tags": ["a", "b"]
        }"#;
    let params = |item: bool| {
        let mut out = String::from(
            "    parameters:\n      tenantId: { in: path, description: The tenant. }\n",
        );
        if item {
            let _ = writeln!(
                out,
                "      {name}Id: {{ in: path, description: The resource. }}"
            );
        }
        out
    };
    let shapes = [
        ("list", "GET", collection.clone(), false, "    queryOptions: [$select, $filter, $top, $skip, $orderby, $count]\n".to_owned(), String::new(), format!("      200: {{ body: {{ type: {name}, collection: true, paged: true }} }}\n      400: {{ description: Bad request. }}\n"), format!("      method: GET\n      url: {url}?$top=2\n    response:\n      status: 200\n      body: |\n        {{ \"value\": [{{ \"id\": \"1\", \"displayName\": \"One\" }}] }}\n")),
        ("get", "GET", item.clone(), true, "    queryOptions: [$select, $expand]\n".to_owned(), String::new(), format!("      200: {{ body: {{ type: {name} }} }}\n      404: {{ description: Not found. }}\n"), format!("      method: GET\n      url: {url}/w1\n    response:\n      status: 200\n      body: |\n        {{ \"id\": \"w1\", \"displayName\": \"Widget\", \"kind\": \"large\" }}\n")),
        ("create", "POST", collection.clone(), false, String::new(), format!("    body: {{ type: {name} }}\n"), format!("      201: {{ body: {{ type: {name} }}, headers: {{ Location: {{ }} }} }}\n      400: {{ description: Bad request. }}\n"), format!("      method: POST\n      url: {url}\n      body: |\n        {body}\n    response:\n      status: 201\n      body: |\n        {{ \"id\": \"w2\", \"displayName\": \"Widget\" }}\n")),
        ("update", "PATCH", item.clone(), true, String::new(), format!("    body: {{ type: {name} }}\n"), "      204: { description: No Content }\n      409: { description: Conflict. }\n".to_owned(), format!("      method: PATCH\n      url: {url}/w1\n      body: |\n        {body}\n    response:\n      status: 204\n")),
        ("delete", "DELETE", item, true, String::new(), String::new(), "      204: { description: No Content }\n      404: { description: Not found. }\n".to_owned(), format!("      method: DELETE\n      url: {url}/w1\n    response:\n      status: 204\n")),
    ];
    let mut files = Vec::new();
    for (offset, (verb, method, path, is_item, options, body, responses, example)) in
        shapes.into_iter().enumerate()
    {
        if first_index + offset >= limit {
            break;
        }
        let operation = format!("{verb}{}", capitalize(name));
        let text = format!(
            "operation: {operation}
title: {verb} {name}
summary: The {verb} operation of {name}.
area: area{area}
versions:
  v1.0:
    method: {method}
    paths:
      - template: {path}
{params}{options}    headers:
      Authorization: {{ required: true, description: Bearer token. }}
{body}    responses:
{responses}{PERMISSIONS}examples:
  - name: {verb}-{name}
    request:
{example}",
            params = params(is_item),
        );
        files.push(file(
            FileKind::Operation,
            format!("operations/{operation}.yaml"),
            text,
        ));
    }
    files
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_specs_validate_and_have_the_asked_size() {
        for n in [1, 10, 25] {
            let files = spec_set(n);
            let api = crate::validate::validate(crate::spec::parse_files(&files).unwrap())
                .unwrap_or_else(|d| panic!("{d}"));
            assert_eq!(api.operations.len(), n);
            assert_eq!(api.areas.len(), n.div_ceil(OPERATIONS_PER_AREA));
            assert!(api.operations.iter().all(|o| o.examples.len() == 1));
        }
    }
}
