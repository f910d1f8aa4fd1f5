//! Checks `operations/*.yaml`: names, areas, versions, methods, paths and
//! their parameters, bodies, responses, permissions and clouds.

use std::collections::{BTreeSet, HashMap};

use super::paths::parse_template;
use super::service::ServiceInfo;
use super::types::{is_identifier, TypesInfo};
use super::{
    check_deprecation, lower_deprecation, lower_notes, resolve_type, unknown_type_hint, At,
};
use crate::diagnostics::{did_you_mean, Diagnostics};
use crate::ir::{
    Body, BodyParameter, Header, Method, Operation, OperationVersion, Parameter, ParameterLocation,
    PathTemplate, PermissionRow, PermissionType, Permissions, Primitive, Response, ResponseBody,
    TypeRef,
};
use crate::naming::{dedupe, Form, Name};
use crate::node_path;
use crate::spec::locate::{NodePath, PathSegment};
use crate::spec::model::{self, OperationSpec, OperationVersionSpec, PermissionRowSpec};
use crate::spec::Parsed;

/// OData system query options, without their `$`.
pub const QUERY_OPTIONS: &[&str] = &[
    "apply",
    "count",
    "deltatoken",
    "expand",
    "filter",
    "format",
    "levels",
    "orderby",
    "search",
    "select",
    "skip",
    "skipToken",
    "top",
];

/// Status codes a Graph page may document.
const KNOWN_STATUSES: &[u16] = &[
    200, 201, 202, 203, 204, 206, 207, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 406,
    409, 410, 411, 412, 413, 415, 416, 422, 423, 429, 500, 501, 502, 503, 504, 507, 509,
];

pub(crate) fn check(
    files: &[Parsed<OperationSpec>],
    service: &ServiceInfo,
    types: &TypesInfo,
    diagnostics: &mut Diagnostics,
) -> Vec<Operation> {
    let mut first_file: HashMap<&str, &str> = HashMap::new();
    let area_names: std::collections::HashSet<&str> = service
        .areas
        .iter()
        .map(|a| a.name.documented.as_str())
        .collect();
    // (version, method, path shape) -> the operation and file that has it.
    let mut routes: HashMap<(String, String, String), (String, String, bool)> = HashMap::new();
    let mut operations = Vec::new();
    // Index titles name what each operation does: never two rows alike.
    let mut titles: HashMap<String, (String, String)> = HashMap::new();
    for parsed in files {
        let at = At {
            file: &parsed.file,
            text: &parsed.text,
            locator: &parsed.locator,
        };
        let spec = &parsed.spec;
        check_page_form(spec, &at, diagnostics);
        if !area_names.contains(spec.area.as_str()) {
            let hint = match did_you_mean(
                &spec.area,
                service.areas.iter().map(|a| a.name.documented.as_str()),
            ) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "declare the area under `areas:` in service.yaml".to_owned(),
            };
            diagnostics.push(
                at.error_at_value(
                    &node_path!["area"],
                    format!("area `{}` is not declared in service.yaml", spec.area),
                )
                .with_hint(hint),
            );
        }
        check_deprecation(
            &spec.deprecated,
            &at,
            &node_path!["deprecated"],
            diagnostics,
        );
        check_read_digests(spec, &at, service, diagnostics);
        for op in spec.page_operations() {
            let entry: NodePath = match op.index {
                None => Vec::new(),
                Some(i) => node_path!["operations", i],
            };
            let key = |more: &[PathSegment]| child(&entry, more);
            if let Some(first) = first_file.get(op.name) {
                diagnostics.push(
                    at.error_at_value(&key(&node_path!["operation"]), format!("operation `{}` is declared twice", op.name))
                        .with_hint(format!("it is already declared in {first}; operation names are unique across the specs")),
                );
            } else {
                first_file.insert(op.name, &parsed.file);
            }
            if !is_identifier(op.name) {
                diagnostics.push(
                    at.error_at_value(
                        &key(&node_path!["operation"]),
                        format!("`{}` is not an operation name", op.name),
                    )
                    .with_hint(
                        "name it in camelCase from the page's title, e.g. deleteParticipant",
                    ),
                );
            }
            let title = op.title.trim().to_owned();
            if let Some((other, other_file)) = titles.get(&title) {
                diagnostics.push(
                    at.error_at_value(
                        &key(&node_path!["title"]),
                        format!("operation `{}` has the title of `{other}` ({other_file})", op.name),
                    )
                    .with_hint("the docs index names each operation by what it does: give each its own title, e.g. \"Get onlineMeeting by join URL\""),
                );
            } else {
                titles.insert(title.clone(), (op.name.to_owned(), parsed.file.clone()));
            }
            if let Some(i) = op.index {
                if let Some(d) = &spec.operations.as_ref().and_then(|o| o.get(i)) {
                    check_deprecation(
                        &d.deprecated,
                        &at,
                        &key(&node_path!["deprecated"]),
                        diagnostics,
                    );
                }
            }
            if op.versions.is_empty() {
                diagnostics.push(
                    at.error_at_key(
                        &key(&node_path!["versions"]),
                        "the operation is documented in no version",
                    )
                    .with_hint("add the versions the page covers, e.g. `beta:` or `v1.0:`"),
                );
            }
            let mut versions = Vec::new();
            for (name, version_spec) in op.versions {
                if !service.has_version(name) {
                    diagnostics.push(
                        at.error_at_key(
                            &key(&node_path!["versions", name]),
                            format!("version `{name}` is not declared in service.yaml"),
                        )
                        .with_hint(service.version_hint(name)),
                    );
                    continue;
                }
                let base = key(&node_path!["versions", name]);
                for (i, p) in version_spec.paths.iter().enumerate() {
                    let route = (
                        name.clone(),
                        version_spec.method.clone(),
                        super::paths::path_shape(&p.template),
                    );
                    if let Some((other, other_file, other_shared)) = routes.get(&route) {
                        if other != op.name && !(p.shared && *other_shared) {
                            diagnostics.push(
                                at.error_at_value(
                                    &child(&base, &node_path!["paths", i, "template"]),
                                    format!(
                                        "`{} {}` in {name} is already operation `{other}`",
                                        route.1, p.template
                                    ),
                                )
                                .with_hint(format!(
                                    "see {other_file}; one method and path make one operation, unless each page that documents it marks the path `shared: true`"
                                )),
                            );
                        }
                    } else {
                        routes.insert(route, (op.name.to_owned(), parsed.file.clone(), p.shared));
                    }
                }
                versions.push(check_version(
                    name,
                    version_spec,
                    &base,
                    &at,
                    service,
                    types,
                    diagnostics,
                ));
            }
            // Service order, whatever order the spec lists them in.
            versions.sort_by_key(|v: &OperationVersion| {
                service.versions.iter().position(|sv| sv.name == v.version)
            });
            operations.push(Operation {
                name: Name::new(op.name),
                title,
                page_title: spec.title.trim().to_owned(),
                summary: op.summary.trim().to_owned(),
                description: op.description.map(|d| d.trim().to_owned()),
                area: spec.area.clone(),
                source_page: spec.source.as_ref().map(|s| s.page.clone()),
                source_url: spec.source.as_ref().and_then(|s| s.url.clone()),
                deprecated: lower_deprecation(&op.deprecated.cloned()),
                conditions: lower_notes(&spec.conditions),
                notes: lower_notes(&spec.notes),
                versions,
                // Examples are checked once every operation is known.
                examples: Vec::new(),
                notifications: if op.index.unwrap_or(0) == 0 {
                    check_notifications(spec, &at, service, diagnostics)
                } else {
                    Vec::new()
                },
                file: parsed.relative.clone(),
            });
        }
    }
    let mut names: Vec<Name> = operations.iter().map(|o| o.name.clone()).collect();
    dedupe(&mut names, Form::Pascal, &[]);
    for (operation, name) in operations.iter_mut().zip(names) {
        operation.name = name;
    }
    operations
}

/// The callback payloads of a page: a declared version, a method, and a
/// body that parses where it is JSON.
fn check_notifications(
    spec: &OperationSpec,
    at: &At,
    service: &ServiceInfo,
    diagnostics: &mut Diagnostics,
) -> Vec<crate::ir::Notification> {
    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, n) in spec.notifications.iter().enumerate() {
        let base = node_path!["notifications", i];
        if let Some(first) = names.insert(&n.name, i) {
            diagnostics.push(
                at.error_at_value(
                    &child(&base, &node_path!["name"]),
                    format!("notification `{}` is named twice", n.name),
                )
                .with_hint(format!(
                    "it is already notification {}; names are unique per page",
                    first + 1
                )),
            );
        }
        if !service.has_version(&n.version) {
            diagnostics.push(
                at.error_at_value(
                    &child(&base, &node_path!["version"]),
                    format!("version `{}` is not declared in service.yaml", n.version),
                )
                .with_hint(service.version_hint(&n.version)),
            );
        }
        let method = n.method.clone().unwrap_or_else(|| "POST".to_owned());
        if Method::parse(&method).is_none() {
            diagnostics.push(
                at.error_at_value(
                    &child(&base, &node_path!["method"]),
                    format!("`{method}` is not an HTTP method"),
                )
                .with_hint("write one of GET, POST, PUT, PATCH, DELETE"),
            );
        }
        let json = n
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map_or(n.body.trim_start().starts_with('{'), |(_, v)| is_json(v));
        if json {
            if let Err(error) = serde_json::from_str::<serde_json::Value>(&n.body) {
                diagnostics.push(
                    at.error_at_key(&child(&base, &node_path!["body"]), format!("the notification body is not valid JSON: {error}"))
                        .with_hint("copy the body as the page shows it; if the page's body is broken, say so in the description and keep it as text with a Content-Type that is not JSON"),
                );
            }
        }
        out.push(crate::ir::Notification {
            name: n.name.clone(),
            version: n.version.clone(),
            title: n.title.clone(),
            description: n.description.as_ref().map(|d| d.trim().to_owned()),
            method,
            url: n.url.clone(),
            headers: n
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            body: n.body.clone(),
        });
    }
    out
}

/// A page is written in one of two forms: `operation` with `versions`, or
/// `operations`. Mixing them, or neither, is an error.
fn check_page_form(spec: &OperationSpec, at: &At, diagnostics: &mut Diagnostics) {
    let one = spec.operation.is_some() || spec.versions.is_some();
    match (&spec.operation, &spec.versions, &spec.operations) {
        (_, _, Some(_)) if one => {
            let key = if spec.operation.is_some() { "operation" } else { "versions" };
            diagnostics.push(
                at.error_at_key(&node_path![key], "the page has both `operations` and a single operation's `operation`/`versions`")
                    .with_hint("a page that documents several operations lists each under `operations:` with its own `operation`, `title` and `versions`"),
            );
        }
        (_, _, Some(list)) if list.is_empty() => {
            diagnostics.push(
                at.error_at_key(&node_path!["operations"], "the page lists no operation")
                    .with_hint("list each operation of the page with `operation`, `title` and `versions`"),
            );
        }
        (Some(_), None, None) => diagnostics.push(
            at.error_at_key(&node_path!["operation"], "the operation has no `versions`")
                .with_hint("add the versions the page covers, e.g. `v1.0:` with method, paths, responses and permissions"),
        ),
        (None, Some(_), None) => diagnostics.push(
            at.error_at_key(&node_path!["versions"], "the page names no `operation`")
                .with_hint("name the operation in camelCase from the page's title, e.g. `operation: deleteParticipant`"),
        ),
        (None, None, None) => diagnostics.push(
            at.error_at_key(&node_path!["title"], "the page documents no operation")
                .with_hint("add `operation:` and `versions:`, or `operations:` for a page that documents several"),
        ),
        _ => {}
    }
}

fn child(base: &[PathSegment], more: &[PathSegment]) -> NodePath {
    let mut path = base.to_vec();
    path.extend_from_slice(more);
    path
}

fn check_version(
    version: &str,
    spec: &OperationVersionSpec,
    base: &[PathSegment],
    at: &At,
    service: &ServiceInfo,
    types: &TypesInfo,
    diagnostics: &mut Diagnostics,
) -> OperationVersion {
    let method = match Method::parse(&spec.method) {
        Some(method) => method,
        None => {
            let upper = spec.method.to_ascii_uppercase();
            let hint = if Method::parse(&upper).is_some() {
                format!("write it in capitals: `{upper}`")
            } else {
                "write one of GET, POST, PUT, PATCH, DELETE".to_owned()
            };
            diagnostics.push(
                at.error_at_value(
                    &child(base, &node_path!["method"]),
                    format!("`{}` is not an HTTP method", spec.method),
                )
                .with_hint(hint),
            );
            Method::Get
        }
    };

    // Parameters.
    let mut parameters = Vec::new();
    for (name, p) in &spec.parameters {
        let path = child(base, &node_path!["parameters", name]);
        if !is_identifier(name) {
            diagnostics.push(
                at.error_at_key(&path, format!("`{name}` is not a parameter name"))
                    .with_hint("use letters and digits, e.g. callId"),
            );
        }
        let ty = match &p.type_name {
            None => Primitive::String,
            Some(t) => match resolve_type(t, &BTreeSet::new()) {
                Some(TypeRef::Primitive(primitive)) => primitive,
                _ => {
                    diagnostics.push(
                        at.error_at_value(&child(&path, &node_path!["type"]), format!("parameter type `{t}` is not a primitive type"))
                            .with_hint("parameters are primitives: String, Int32, Int64, Boolean, Guid, DateTimeOffset, ..."),
                    );
                    Primitive::String
                }
            },
        };
        let required = match p.location {
            model::ParameterLocation::Path => {
                if p.required == Some(false) {
                    diagnostics.push(
                        at.error_at_value(
                            &child(&path, &node_path!["required"]),
                            format!("path parameter `{name}` cannot be optional"),
                        )
                        .with_hint("a path parameter is part of the URL; remove `required: false`"),
                    );
                }
                true
            }
            model::ParameterLocation::Query => p.required.unwrap_or(false),
        };
        check_deprecation(
            &p.deprecated,
            at,
            &child(&path, &node_path!["deprecated"]),
            diagnostics,
        );
        if p.allow_slash && p.location != model::ParameterLocation::Path {
            diagnostics.push(
                at.error_at_value(
                    &child(&path, &node_path!["allowSlash"]),
                    format!("query parameter `{name}` cannot allow slashes"),
                )
                .with_hint("`allowSlash` is for path parameters of colon addressing, e.g. root:/{itemPath}:"),
            );
        }
        parameters.push(Parameter {
            name: Name::new(name),
            location: match p.location {
                model::ParameterLocation::Path => ParameterLocation::Path,
                model::ParameterLocation::Query => ParameterLocation::Query,
            },
            ty,
            collection: p.collection,
            required,
            description: p.description.clone(),
            documented_as: p.documented_as.clone(),
            allow_slash: p.allow_slash,
            // Set below, once the paths are read.
            in_request_line: false,
            deprecated: lower_deprecation(&p.deprecated),
        });
    }
    let path_parameters: BTreeSet<&str> = spec
        .parameters
        .iter()
        .filter(|(_, p)| p.location == model::ParameterLocation::Path)
        .map(|(n, _)| n.as_str())
        .collect();

    // Paths.
    let mut paths = Vec::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut seen_templates: HashMap<&str, usize> = HashMap::new();
    if spec.paths.is_empty() {
        diagnostics.push(
            at.error_at_key(
                &child(base, &node_path!["paths"]),
                "the operation has no path",
            )
            .with_hint("list the page's HTTP request lines under `paths:`"),
        );
    }
    let mut all_paths_parsed = true;
    for (i, p) in spec.paths.iter().enumerate() {
        let path = child(base, &node_path!["paths", i, "template"]);
        if let Some(first) = seen_templates.insert(&p.template, i) {
            diagnostics.push(
                at.error_at_value(&path, format!("path `{}` is listed twice", p.template))
                    .with_hint(format!("it is already path {} of this version", first + 1)),
            );
        }
        check_deprecation(
            &p.deprecated,
            at,
            &child(base, &node_path!["paths", i, "deprecated"]),
            diagnostics,
        );
        let parsed = match parse_template(&p.template) {
            Ok(parsed) => parsed,
            Err(error) => {
                let (message, hint) = error.message(&p.template);
                diagnostics.push(at.error_at_value(&path, message).with_hint(hint));
                all_paths_parsed = false;
                continue;
            }
        };
        let mut in_this_path = BTreeSet::new();
        let segment_names = parsed.segments.iter().flat_map(|s| s.parameters());
        let query_names = parsed
            .query
            .iter()
            .flat_map(|q| q.parameters().map(|(name, _)| name));
        for (name, in_query) in segment_names
            .map(|n| (n, false))
            .chain(query_names.map(|n| (n, true)))
        {
            if !in_this_path.insert(name.to_owned()) {
                diagnostics.push(
                    at.error_at_value(&path, format!("parameter `{{{name}}}` appears twice in `{}`", p.template))
                        .with_hint("give each its own name, e.g. {callId} and {participantId}; record the page's name with `documentedAs: id`"),
                );
            }
            let declared = spec.parameters.get(name).map(|d| d.location);
            let fits = match declared {
                Some(model::ParameterLocation::Path) => true,
                // A query parameter may stand in the fixed query only.
                Some(model::ParameterLocation::Query) => in_query,
                None => false,
            };
            if !fits {
                let hint = match declared {
                    Some(model::ParameterLocation::Query) => format!("`{name}` is declared `in: query`; a parameter in the path needs `in: path`"),
                    _ => match did_you_mean(name, spec.parameters.keys().map(String::as_str)) {
                        Some(best) => format!("did you mean `{{{best}}}`?"),
                        None => format!("declare it under `parameters:` as `{name}: {{ in: {}, description: ... }}`", if in_query { "query" } else { "path" }),
                    },
                };
                diagnostics.push(
                    at.error_at_value(
                        &path,
                        format!(
                            "{} parameter `{{{name}}}` is not declared",
                            if in_query { "query" } else { "path" }
                        ),
                    )
                    .with_hint(hint),
                );
            }
            if !in_query
                && spec.parameters.get(name).is_some_and(|d| d.allow_slash)
                && parsed
                    .segments
                    .iter()
                    .any(|s| s.parameters().any(|n| n == name) && s.parts.len() > 2)
            {
                diagnostics.push(
                    at.error_at_value(&path, format!("`{{{name}}}` allows slashes but shares its segment with other parameters or text on both sides"))
                        .with_hint("a parameter that may hold `/` stands alone in its segment or beside one literal, e.g. `{itemPath}:`"),
                );
            }
            used.insert(name.to_owned());
        }
        let permissions = p.permissions.as_ref().map(|table| {
            check_permissions(
                table,
                &child(base, &node_path!["paths", i]),
                at,
                diagnostics,
            )
        });
        let erratum = p.erratum.as_ref().and_then(|e| {
            let at_erratum = child(base, &node_path!["paths", i, "erratum"]);
            if e.template == p.template {
                diagnostics.push(
                    at.error_at_key(&at_erratum, "the erratum's template is the same as the path's")
                        .with_hint("an erratum records what the page shows where it differs; remove it if they agree"),
                );
                return None;
            }
            if e.note.trim().is_empty() {
                diagnostics.push(
                    at.error_at_key(&at_erratum, "the erratum has no note")
                        .with_hint("say why the page's line is wrong, e.g. what its examples call"),
                );
                return None;
            }
            Some(crate::ir::PathErratum {
                shown: e.template.clone(),
                note: e.note.clone(),
            })
        });
        paths.push(PathTemplate {
            template: p.template.clone(),
            segments: parsed.segments,
            query: parsed.query,
            deprecated: lower_deprecation(&p.deprecated),
            permissions,
            shared: p.shared,
            erratum,
        });
    }
    // Paths of one operation may take different parameters (`/me/...` beside
    // `/users/{userId}/...`): each path takes its own.
    for name in path_parameters.iter().filter(|_| all_paths_parsed) {
        if !used.contains(*name) {
            diagnostics.push(
                at.error_at_key(
                    &child(base, &node_path!["parameters", *name]),
                    format!("path parameter `{name}` is not used by any path"),
                )
                .with_hint(format!(
                    "write `{{{name}}}` in a path, or remove the parameter"
                )),
            );
        }
    }
    for parameter in &mut parameters {
        parameter.in_request_line = used.contains(&parameter.name.documented);
        if parameter.in_request_line {
            parameter.required = true;
        }
    }
    // A deprecated path never comes first: the first path is the one callers get by default.
    if let Some(primary) = paths.iter().position(|p| p.deprecated.is_none()) {
        let p = paths.remove(primary);
        paths.insert(0, p);
    }

    // Query options.
    let mut query_options = Vec::new();
    for (i, option) in spec.query_options.iter().enumerate() {
        let bare = option.trim_start_matches('$');
        if !QUERY_OPTIONS.contains(&bare) {
            let hint = match did_you_mean(bare, QUERY_OPTIONS.iter().copied()) {
                Some(best) => format!("did you mean `${best}`?"),
                None => format!(
                    "the OData options are {}",
                    QUERY_OPTIONS
                        .iter()
                        .map(|o| format!("${o}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            diagnostics.push(
                at.error_at_value(
                    &child(base, &node_path!["queryOptions", i]),
                    format!("`{option}` is not an OData query option"),
                )
                .with_hint(hint),
            );
        } else {
            query_options.push(bare.to_owned());
        }
    }

    // Headers.
    let headers = check_headers(
        &spec.headers,
        &child(base, &node_path!["headers"]),
        at,
        diagnostics,
    );

    // Body.
    let body = spec.body.as_ref().and_then(|b| {
        check_body(
            b,
            method,
            version,
            &child(base, &node_path!["body"]),
            at,
            types,
            diagnostics,
        )
    });

    // Responses.
    let mut responses = Vec::new();
    let mut all_statuses_parsed = true;
    for (status, response) in &spec.responses {
        let path = child(base, &node_path!["responses", &status.0]);
        let code = match status.0.parse::<u16>() {
            Ok(code) if KNOWN_STATUSES.contains(&code) => code,
            _ => {
                diagnostics.push(
                    at.error_at_key(&path, format!("`{}` is not an HTTP status code a Graph page documents", status.0))
                        .with_hint("write the number from the page's Response section, e.g. 200, 201, 202, 204 or 302"),
                );
                all_statuses_parsed = false;
                continue;
            }
        };
        let response_body = response.body.as_ref().and_then(|b| {
            let body_path = child(&path, &node_path!["body"]);
            let content_types = b
                .content_type
                .as_ref()
                .map(|c| c.values())
                .unwrap_or_else(|| vec!["application/json"]);
            let content_type = content_types.first().copied().unwrap_or("application/json");
            if content_types.is_empty()
                || (content_types.len() > 1 && content_types.iter().any(|c| is_json(c)))
            {
                diagnostics.push(
                    at.error_at_value(
                        &child(&path, &node_path!["body", "contentType"]),
                        "a list of content types names JSON beside others, or none",
                    )
                    .with_hint("list the media types of a download (`[text/vtt, application/octet-stream]`); a JSON body has `type` and no list"),
                );
            }
            let ty = resolve_in_version(
                &b.type_name,
                version,
                &child(&body_path, &node_path!["type"]),
                at,
                types,
                diagnostics,
            )?;
            if b.paged && !b.collection {
                diagnostics.push(
                    at.error_at_key(
                        &child(&body_path, &node_path!["paged"]),
                        "only a collection can be paged",
                    )
                    .with_hint("add `collection: true`, or remove `paged`"),
                );
            }
            if is_json(content_type) {
                Some(ResponseBody::Json {
                    ty,
                    collection: b.collection,
                    paged: b.paged,
                })
            } else {
                Some(ResponseBody::Raw {
                    content_types: content_types.iter().map(|c| (*c).to_owned()).collect(),
                })
            }
        });
        if code == 204 && response_body.is_some() {
            diagnostics.push(
                at.error_at_key(
                    &child(&path, &node_path!["body"]),
                    "a 204 No Content response has no body",
                )
                .with_hint("remove `body`, or use 200 if the page shows a body"),
            );
        }
        responses.push(Response {
            status: code,
            description: response.description.as_ref().map(|d| d.trim().to_owned()),
            body: response_body,
            headers: check_headers(
                &response.headers,
                &child(&path, &node_path!["headers"]),
                at,
                diagnostics,
            ),
        });
    }
    responses.sort_by_key(|r| r.status);
    if all_statuses_parsed && !responses.iter().any(|r| (200..400).contains(&r.status)) {
        diagnostics.push(
            at.error_at_key(
                &child(base, &node_path!["responses"]),
                "the operation documents no successful response",
            )
            .with_hint("add the page's success response, e.g. `204: { description: No Content }`"),
        );
    }

    // Permissions.
    let permissions = check_permissions(&spec.permissions, base, at, diagnostics);

    // Clouds.
    let clouds = spec.clouds.as_ref().map(|clouds| {
        let mut seen = BTreeSet::new();
        for (i, cloud) in clouds.iter().enumerate() {
            let path = child(base, &node_path!["clouds", i]);
            if !service.clouds.iter().any(|c| &c.name.documented == cloud) {
                diagnostics.push(
                    at.error_at_value(
                        &path,
                        format!("cloud `{cloud}` is not declared in service.yaml"),
                    )
                    .with_hint(service.cloud_hint(cloud)),
                );
            } else if !seen.insert(cloud.as_str()) {
                diagnostics
                    .push(at.error_at_value(&path, format!("cloud `{cloud}` is listed twice")));
            }
        }
        // Service order.
        service
            .clouds
            .iter()
            .filter(|c| seen.contains(c.name.documented.as_str()))
            .map(|c| c.name.documented.clone())
            .collect()
    });
    check_deprecation(
        &spec.deprecated,
        at,
        &child(base, &node_path!["deprecated"]),
        diagnostics,
    );

    let mut names: Vec<Name> = parameters.iter().map(|p| p.name.clone()).collect();
    dedupe(&mut names, Form::Snake, &["body", "client"]);
    for (parameter, name) in parameters.iter_mut().zip(names) {
        parameter.name = name;
    }

    OperationVersion {
        version: version.to_owned(),
        method,
        paths,
        parameters,
        query_options,
        headers,
        body,
        responses,
        permissions,
        clouds,
        deprecated: lower_deprecation(&spec.deprecated),
        notes: lower_notes(&spec.notes),
    }
}

pub(crate) fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn check_headers(
    headers: &indexmap::IndexMap<String, model::HeaderSpec>,
    base: &[PathSegment],
    at: &At,
    diagnostics: &mut Diagnostics,
) -> Vec<Header> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut out = Vec::new();
    for (name, header) in headers {
        let path = child(base, &node_path![name]);
        let is_token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !is_token {
            diagnostics.push(
                at.error_at_key(&path, format!("`{name}` is not an HTTP header name"))
                    .with_hint("header names are letters, digits and dashes, e.g. Content-Type"),
            );
        }
        if let Some(first) = seen.insert(name.to_ascii_lowercase(), name) {
            diagnostics.push(
                at.error_at_key(
                    &path,
                    format!("header `{name}` is listed twice (as `{first}` too)"),
                )
                .with_hint("HTTP header names ignore case; keep one"),
            );
        }
        out.push(Header {
            name: name.clone(),
            required: header.required,
            description: header.description.clone(),
            value: header.value.clone(),
        });
    }
    out
}

/// Resolves a type used by an operation version, which must exist in it.
fn resolve_in_version(
    name: &str,
    version: &str,
    path: &[PathSegment],
    at: &At,
    types: &TypesInfo,
    diagnostics: &mut Diagnostics,
) -> Option<TypeRef> {
    match resolve_type(name, &types.names) {
        None => {
            diagnostics.push(
                at.error_at_value(path, format!("type `{name}` is not declared"))
                    .with_hint(unknown_type_hint(name, &types.names)),
            );
            None
        }
        Some(TypeRef::Named(n)) => {
            if let Some(def) = types.get(&n) {
                if !def.versions.iter().any(|v| v == version) {
                    diagnostics.push(
                        at.error_at_value(
                            path,
                            format!("type `{n}` does not exist in version `{version}`"),
                        )
                        .with_hint(format!(
                            "`{n}` is in {}; add `{version}` to its `versions`",
                            def.versions.join(", ")
                        )),
                    );
                }
            }
            Some(TypeRef::Named(n))
        }
        other => other,
    }
}

/// The properties an update may send: those the page lists (each a
/// writable property of the type in this version), or every writable one.
fn updatable(
    ty: &TypeRef,
    spec: &model::BodySpec,
    version: &str,
    path: &[PathSegment],
    at: &At,
    types: &TypesInfo,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<String>> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    // The type's properties in this version, inherited ones included.
    let mut properties: Vec<&crate::ir::Property> = Vec::new();
    let mut current = types.get(name);
    let mut steps = 0;
    while let Some(def) = current {
        properties.extend(
            def.properties
                .iter()
                .filter(|p| p.versions.iter().any(|v| v == version)),
        );
        steps += 1;
        if steps > types.defs.len() {
            break;
        }
        current = def.base_type.as_deref().and_then(|b| types.get(b));
    }
    let Some(listed) = &spec.updatable else {
        return Some(
            properties
                .iter()
                .filter(|p| !p.read_only)
                .map(|p| p.name.documented.clone())
                .collect(),
        );
    };
    let mut out = Vec::new();
    for (i, property) in listed.iter().enumerate() {
        let at_item = child(path, &node_path!["updatable", i]);
        match properties.iter().find(|p| &p.name.documented == property) {
            None => {
                let hint = match did_you_mean(property, properties.iter().map(|p| p.name.documented.as_str())) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("declare it in `{name}`'s spec for {version}, or check the page's table"),
                };
                diagnostics.push(
                    at.error_at_value(&at_item, format!("`{property}` is not a property of `{name}` in {version}"))
                        .with_hint(hint),
                );
            }
            Some(p) if p.read_only => diagnostics.push(
                at.error_at_value(&at_item, format!("`{property}` is read-only in `{name}`, but the page lists it as updatable"))
                    .with_hint("if the type's page marks it read-only by mistake, say so in a comment on the type and drop `readOnly`; else remove it here"),
            ),
            Some(_) if out.contains(property) => diagnostics.push(
                at.error_at_value(&at_item, format!("`{property}` is listed twice"))
                    .with_hint("list each updatable property once"),
            ),
            Some(_) => out.push(property.clone()),
        }
    }
    Some(out)
}

fn check_body(
    spec: &model::BodySpec,
    method: Method,
    version: &str,
    path: &[PathSegment],
    at: &At,
    types: &TypesInfo,
    diagnostics: &mut Diagnostics,
) -> Option<Body> {
    if method == Method::Get {
        diagnostics.push(
            at.error_at_key(path, "a GET request has no body")
                .with_hint("remove `body`, or check the method on the page"),
        );
    }
    let content_type = spec.content_type.as_deref().unwrap_or("application/json");
    let description = spec.description.as_ref().map(|d| d.trim().to_owned());
    match (&spec.type_name, &spec.parameters) {
        (Some(_), Some(_)) => {
            diagnostics.push(
                at.error_at_key(
                    &child(path, &node_path!["parameters"]),
                    "a body is either a `type` or inline `parameters`, not both",
                )
                .with_hint(
                    "use `type` for a resource body, `parameters` for an action's parameters",
                ),
            );
            None
        }
        (None, None) if is_json(content_type) => {
            diagnostics.push(
                at.error_at_key(path, "the body says neither its `type` nor its `parameters`")
                    .with_hint("write `type: <name>` for a resource body, `parameters:` for an action, or `contentType:` for raw content"),
            );
            None
        }
        (None, None) => Some(Body::Raw {
            content_type: content_type.to_owned(),
            description,
        }),
        (Some(type_name), None) => {
            let ty = resolve_in_version(
                type_name,
                version,
                &child(path, &node_path!["type"]),
                at,
                types,
                diagnostics,
            )?;
            if !is_json(content_type) {
                return Some(Body::Raw {
                    content_type: content_type.to_owned(),
                    description,
                });
            }
            let update = (method == Method::Patch && !spec.collection)
                .then(|| updatable(&ty, spec, version, path, at, types, diagnostics))
                .flatten();
            if spec.updatable.is_some() && method != Method::Patch {
                diagnostics.push(
                    at.error_at_key(
                        &child(path, &node_path!["updatable"]),
                        "`updatable` is for a PATCH of a resource",
                    )
                    .with_hint("remove it, or check the method on the page"),
                );
            }
            Some(Body::Typed {
                ty,
                collection: spec.collection,
                description,
                update,
            })
        }
        (None, Some(parameters)) => {
            if parameters.is_empty() {
                diagnostics.push(
                    at.error_at_key(
                        &child(path, &node_path!["parameters"]),
                        "`parameters` is empty",
                    )
                    .with_hint("list the action's parameters, or remove the body"),
                );
            }
            let mut out = Vec::new();
            for (name, p) in parameters {
                let p_path = child(path, &node_path!["parameters", name]);
                let Some(ty) = resolve_in_version(
                    &p.type_name,
                    version,
                    &child(&p_path, &node_path!["type"]),
                    at,
                    types,
                    diagnostics,
                ) else {
                    continue;
                };
                out.push(BodyParameter {
                    name: Name::new(name),
                    ty,
                    collection: p.collection,
                    required: p.required,
                    nullable: p.nullable.unwrap_or(!p.required),
                    max_length: p.max_length,
                    description: super::types::with_undocumented(&p.description, &p.undocumented),
                });
            }
            let mut names: Vec<Name> = out.iter().map(|p| p.name.clone()).collect();
            dedupe(&mut names, Form::Snake, &["additional_properties"]);
            for (p, name) in out.iter_mut().zip(names) {
                p.name = name;
            }
            Some(Body::Parameters {
                parameters: out,
                description,
            })
        }
    }
}

/// A permissions table: a row per permission type.
fn check_permissions(
    spec: &model::PermissionsSpec,
    base: &[PathSegment],
    at: &At,
    diagnostics: &mut Diagnostics,
) -> Permissions {
    Permissions {
        delegated_work: check_permission_row(
            &spec.delegated_work,
            PermissionType::DelegatedWork,
            base,
            at,
            diagnostics,
        ),
        delegated_personal: check_permission_row(
            &spec.delegated_personal,
            PermissionType::DelegatedPersonal,
            base,
            at,
            diagnostics,
        ),
        application: check_permission_row(
            &spec.application,
            PermissionType::Application,
            base,
            at,
            diagnostics,
        ),
    }
}

fn check_permission_row(
    spec: &PermissionRowSpec,
    ty: PermissionType,
    base: &[PathSegment],
    at: &At,
    diagnostics: &mut Diagnostics,
) -> PermissionRow {
    let path = child(base, &node_path!["permissions", ty.spec_key()]);
    match spec {
        PermissionRowSpec::Unsupported => PermissionRow::Unsupported,
        PermissionRowSpec::NotRequired => PermissionRow::NotRequired,
        PermissionRowSpec::Supported { least, higher } => {
            if least.is_empty() {
                diagnostics.push(
                    at.error_at_key(&child(&path, &node_path!["least"]), "`least` lists no permission")
                        .with_hint("write `unsupported` for a permission type the page marks \"Not supported\""),
                );
            }
            let mut seen = BTreeSet::new();
            let all = least
                .iter()
                .map(|p| ("least", p))
                .chain(higher.iter().flatten().map(|p| ("higher", p)));
            for (i, (column, permission)) in all.enumerate() {
                let index = if column == "least" {
                    i
                } else {
                    i - least.len()
                };
                let item = child(&path, &node_path![column, index]);
                if !is_permission_name(permission) {
                    diagnostics.push(
                        at.error_at_value(&item, format!("`{permission}` is not a permission name"))
                            .with_hint("permissions are dotted words as the page writes them, e.g. OnlineMeetings.ReadWrite.All"),
                    );
                }
                if !seen.insert(permission.as_str()) {
                    diagnostics.push(
                        at.error_at_value(
                            &item,
                            format!("permission `{permission}` is listed twice in this row"),
                        )
                        .with_hint(
                            "a permission is either least privileged or higher privileged, once",
                        ),
                    );
                }
            }
            PermissionRow::Supported {
                least: least.clone(),
                higher: higher.clone().unwrap_or_default(),
                higher_documented: higher.is_some(),
            }
        }
    }
}

fn is_permission_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        && parts[0].starts_with(|c: char| c.is_ascii_alphabetic())
}

/// `source.read`: a declared version to `sha256:` and 16 hex digits, the
/// digest `import` records of the page it read.
fn check_read_digests(
    spec: &OperationSpec,
    at: &At,
    service: &ServiceInfo,
    diagnostics: &mut Diagnostics,
) {
    let Some(read) = spec.source.as_ref().and_then(|s| s.read.as_ref()) else {
        return;
    };
    for (version, digest) in read {
        let place = node_path!["source", "read", version];
        if !service.has_version(version) {
            diagnostics.push(
                at.error_at_key(
                    &place,
                    format!("version `{version}` is not declared in service.yaml"),
                )
                .with_hint(service.version_hint(version)),
            );
        }
        let well_formed = digest.strip_prefix("sha256:").is_some_and(|hex| {
            hex.len() == 16
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        if !well_formed {
            diagnostics.push(
                at.error_at_value(&place, format!("`{digest}` is not a page digest"))
                    .with_hint("`graphgen import` and `graphgen drift --apply` write it: `sha256:` and 16 hex digits"),
            );
        }
    }
}
