//! Checks the documented examples against the operations they call: the
//! method, a URL that matches one of the version's paths, JSON bodies that
//! parse, and a documented response status.

use std::collections::{BTreeMap, HashMap};

use super::paths::{match_path, match_query_value};
use super::At;
use crate::diagnostics::{did_you_mean, Diagnostics};
use crate::ir::{
    Api, Body, BodyParameter, Erratum, Example, ExampleBody, ExampleRequest, ExampleResponse,
    Method, ResponseBody, ResponseErratum, TypeRef,
};
use crate::node_path;
use crate::spec::locate::PathSegment;
use crate::spec::model::OperationSpec;
use crate::spec::Parsed;

pub(crate) fn check(files: &[Parsed<OperationSpec>], api: &mut Api, diagnostics: &mut Diagnostics) {
    let mut by_operation: BTreeMap<String, Vec<Example>> = BTreeMap::new();
    for parsed in files {
        let at = At {
            file: &parsed.file,
            text: &parsed.text,
            locator: &parsed.locator,
        };
        let mut names: HashMap<&str, usize> = HashMap::new();
        for (i, example) in parsed.spec.examples.iter().enumerate() {
            let base = node_path!["examples", i];
            if let Some(first) = names.insert(&example.name, i) {
                diagnostics.push(
                    at.error_at_value(
                        &child(&base, "name"),
                        format!("example `{}` is named twice in this file", example.name),
                    )
                    .with_hint(format!(
                        "it is already example {}; names are unique per spec",
                        first + 1
                    )),
                );
            }
            if let Some(lowered) =
                check_example(&parsed.spec, example, &base, &at, api, diagnostics)
            {
                // An example belongs to the operation it calls when that is
                // one of the page's, else to the page's first operation.
                let owner = parsed
                    .spec
                    .page_operations()
                    .iter()
                    .map(|o| o.name)
                    .find(|name| *name == lowered.operation)
                    .or(parsed.spec.first_operation())
                    .unwrap_or_default()
                    .to_owned();
                by_operation.entry(owner).or_default().push(lowered);
            }
        }
    }
    for operation in &mut api.operations {
        if let Some(examples) = by_operation.remove(&operation.name.documented) {
            operation.examples = examples;
        }
    }
}

/// Why an example URL's query pair is not one the operation documents, or
/// not of its type.
fn query_pair_problem(v: &crate::ir::OperationVersion, key: &str, value: &str) -> Option<String> {
    use crate::ir::{ParameterLocation, Primitive};
    if let Some(option) = key.strip_prefix('$') {
        let Some(documented) = v
            .query_options
            .iter()
            .find(|o| o.eq_ignore_ascii_case(option))
        else {
            return Some("is not a query option of the operation".to_owned());
        };
        let fits = match documented.as_str() {
            "top" | "skip" => value.parse::<u32>().is_ok(),
            "count" => value == "true" || value == "false",
            _ => true,
        };
        return (!fits).then(|| format!("is not a valid `${documented}` value"));
    }
    let Some(p) = v.parameters.iter().find(|p| {
        p.location == ParameterLocation::Query
            && !p.in_request_line
            && p.name.documented.eq_ignore_ascii_case(key)
    }) else {
        return Some("is not a query parameter of the operation".to_owned());
    };
    let fits = p.collection
        || match p.ty {
            Primitive::Boolean => value == "true" || value == "false",
            Primitive::Byte | Primitive::Int16 | Primitive::Int32 | Primitive::Int64 => {
                value.parse::<i64>().is_ok()
            }
            Primitive::Single | Primitive::Double | Primitive::Decimal => {
                value.parse::<f64>().is_ok_and(f64::is_finite)
            }
            _ => true,
        };
    (!fits).then(|| format!("is not a {} value", p.ty.spec_name()))
}

fn documented_query(v: &crate::ir::OperationVersion) -> String {
    let mut names: Vec<String> = v.query_options.iter().map(|o| format!("${o}")).collect();
    names.extend(
        v.parameters
            .iter()
            .filter(|p| p.location == crate::ir::ParameterLocation::Query && !p.in_request_line)
            .map(|p| p.name.documented.clone()),
    );
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// On a page of several operations, the operation an example calls when it
/// does not say: the one whose method and request line its URL matches.
fn infer_operation(
    page: &OperationSpec,
    example: &crate::spec::model::ExampleSpec,
    api: &Api,
) -> Option<String> {
    let operations = page.page_operations();
    if example.operation.is_some() || operations.len() < 2 {
        return None;
    }
    let (_, rest) = split_url(&example.request.url)?;
    let (path_part, query_part) = rest.split_once('?').unwrap_or((rest.as_str(), ""));
    let version = api
        .versions
        .iter()
        .find(|v| path_part.starts_with(&format!("{}/", v.base_path)))?;
    let query: Vec<(String, String)> = query_part
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    let url_rest = &path_part[version.base_path.len()..];
    let method = Method::parse(&example.request.method);
    let fits = |name: &str, same_method: bool| {
        api.operation(name)
            .and_then(|o| o.version(&version.name))
            .is_some_and(|v| {
                (!same_method || Some(v.method) == method)
                    && match_request_line(v, url_rest, &query).is_some()
            })
    };
    // The method decides between two operations on one path; a page whose
    // example shows the wrong method still names the operation by its URL.
    operations
        .iter()
        .find(|o| fits(o.name, true))
        .or_else(|| operations.iter().find(|o| fits(o.name, false)))
        .map(|o| o.name.to_owned())
}

/// The request line an example URL calls.
struct LineMatch {
    /// Its index in the version's paths.
    index: usize,
    /// The values of its parameters, decoded.
    values: Vec<(String, String)>,
    /// The indices of the query pairs its fixed query took, ascending.
    fixed: Vec<usize>,
}

/// The path of `v` an example URL calls. A path with a fixed query is
/// preferred over the same path without.
fn match_request_line(
    v: &crate::ir::OperationVersion,
    url_rest: &str,
    query: &[(String, String)],
) -> Option<LineMatch> {
    let allows_slash = |name: &str| {
        v.parameters
            .iter()
            .any(|p| p.name.documented == name && p.allow_slash)
    };
    let mut best: Option<LineMatch> = None;
    for (i, p) in v.paths.iter().enumerate() {
        let Some(mut values) = match_path(&p.segments, url_rest, &allows_slash) else {
            continue;
        };
        let mut taken = Vec::new();
        let mut all = true;
        for fixed in &p.query {
            let found = query.iter().enumerate().find_map(|(qi, (k, value))| {
                (k.eq_ignore_ascii_case(&fixed.key) && !taken.contains(&qi))
                    .then(|| match_query_value(fixed, value).map(|m| (qi, m)))
                    .flatten()
            });
            match found {
                Some((qi, m)) => {
                    taken.push(qi);
                    values.extend(m);
                }
                None => all = false,
            }
        }
        if !all {
            continue;
        }
        if best.as_ref().is_none_or(|b| taken.len() > b.fixed.len()) {
            taken.sort_unstable();
            best = Some(LineMatch {
                index: i,
                values,
                fixed: taken,
            });
        }
    }
    best
}

fn child(base: &[PathSegment], key: &str) -> Vec<PathSegment> {
    let mut path = base.to_vec();
    path.push(key.into());
    path
}

fn check_example(
    page: &OperationSpec,
    example: &crate::spec::model::ExampleSpec,
    base: &[PathSegment],
    at: &At,
    api: &Api,
    diagnostics: &mut Diagnostics,
) -> Option<Example> {
    let request_path = child(base, "request");
    let inferred = infer_operation(page, example, api);
    let target_name = example
        .operation
        .as_deref()
        .or(inferred.as_deref())
        .or(page.first_operation())
        .unwrap_or_default();
    let Some(target) = api.operation(target_name) else {
        let hint = match did_you_mean(
            target_name,
            api.operations.iter().map(|o| o.name.documented.as_str()),
        ) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "name an operation declared in specs/operations/".to_owned(),
        };
        diagnostics.push(
            at.error_at_value(
                &child(base, "operation"),
                format!(
                    "example `{}` calls operation `{target_name}`, which is not declared",
                    example.name
                ),
            )
            .with_hint(hint),
        );
        return None;
    };
    let request = &example.request;
    let url_path = child(&request_path, "url");

    // Host, version, path and query.
    let Some((host, rest)) = split_url(&request.url) else {
        diagnostics.push(
            at.error_at_value(
                &url_path,
                format!("`{}` is not an absolute https URL", request.url),
            )
            .with_hint("copy the URL from the page, e.g. https://graph.microsoft.com/v1.0/..."),
        );
        return None;
    };
    if !api
        .clouds
        .iter()
        .any(|c| c.host.eq_ignore_ascii_case(&host))
    {
        diagnostics.push(
            at.error_at_value(
                &url_path,
                format!("`{host}` is not the host of a cloud in service.yaml"),
            )
            .with_hint(format!(
                "hosts are {}",
                api.clouds
                    .iter()
                    .map(|c| c.host.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
        return None;
    }
    let (path_part, query_part) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest.as_str(), None),
    };
    let Some(version) = api
        .versions
        .iter()
        .find(|v| path_part == v.base_path || path_part.starts_with(&format!("{}/", v.base_path)))
    else {
        diagnostics.push(
            at.error_at_value(
                &url_path,
                format!("the URL `{}` names no declared API version", request.url),
            )
            .with_hint(format!(
                "the path after the host starts with {}",
                api.versions
                    .iter()
                    .map(|v| v.base_path.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
        );
        return None;
    };
    let Some(target_version) = target.version(&version.name) else {
        diagnostics.push(
            at.error_at_value(
                &url_path,
                format!(
                    "operation `{target_name}` is not documented in version `{}`",
                    version.name
                ),
            )
            .with_hint(format!(
                "it is documented in {}",
                target
                    .versions
                    .iter()
                    .map(|v| v.version.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
        return None;
    };

    // Method.
    let mut ok = true;
    let method = Method::parse(&request.method);
    match method {
        None => {
            diagnostics.push(
                at.error_at_value(
                    &child(&request_path, "method"),
                    format!("`{}` is not an HTTP method", request.method),
                )
                .with_hint("write one of GET, POST, PUT, PATCH, DELETE"),
            );
            ok = false;
        }
        Some(m) if m != target_version.method => {
            diagnostics.push(
                at.error_at_value(
                    &child(&request_path, "method"),
                    format!(
                        "example `{}` sends {} but `{target_name}` is {} in {}",
                        example.name,
                        m.as_str(),
                        target_version.method.as_str(),
                        version.name
                    ),
                )
                .with_hint(format!(
                    "if the page shows {} by mistake, write `method: {}` and record the page's value under `erratum: {{ method: {}, note: ... }}`",
                    m.as_str(),
                    target_version.method.as_str(),
                    m.as_str()
                )),
            );
            ok = false;
        }
        Some(_) => {}
    }

    let url_rest = &path_part[version.base_path.len()..];
    let mut query: Vec<(String, String)> = query_part
        .map(|q| {
            q.split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(k), decode(v))
                })
                .collect()
        })
        .unwrap_or_default();
    let matched = match_request_line(target_version, url_rest, &query);
    let Some(LineMatch {
        index: path_index,
        values,
        fixed,
    }) = matched
    else {
        diagnostics.push(
            at.error_at_value(
                &url_path,
                match query_part {
                    Some(q) => format!(
                        "the URL `{url_rest}?{q}` matches no request line of `{target_name}` in {}",
                        version.name
                    ),
                    None => format!(
                        "the URL path `{url_rest}` matches no path of `{target_name}` in {}",
                        version.name
                    ),
                },
            )
            .with_hint(format!(
                "the request lines are {}",
                target_version
                    .paths
                    .iter()
                    .map(|p| format!("`{}`", p.template))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
        return None;
    };
    // The pairs of the request line's fixed query are its values, not options.
    for index in fixed.into_iter().rev() {
        query.remove(index);
    }
    // The rest must be what the page documents, with values of their types:
    // the generated example call sets each of them.
    for (key, value) in &query {
        if let Some(problem) = query_pair_problem(target_version, key, value) {
            diagnostics.push(
                at.error_at_value(
                    &url_path,
                    format!("the URL's query `{key}={value}` {problem}"),
                )
                .with_hint(format!(
                    "declare the option under `queryOptions:` or the parameter under `parameters:` with `in: query` (documented: {}); if the page shows it by mistake, record the page's URL in `erratum: {{ url: ..., note: ... }}`",
                    documented_query(target_version)
                )),
            );
            ok = false;
        }
    }

    // Request body.
    let body_path = child(&request_path, "body");
    let request_body = match (&request.body, &target_version.body) {
        (None, _) => None,
        (Some(_), None) => {
            diagnostics.push(
                at.error_at_key(
                    &body_path,
                    format!(
                        "example `{}` has a body, but `{target_name}` takes none",
                        example.name
                    ),
                )
                .with_hint("remove the body, or declare it on the operation"),
            );
            ok = false;
            None
        }
        (Some(text), Some(body)) => {
            let json = matches!(body, Body::Typed { .. } | Body::Parameters { .. });
            let parsed = parse_body(text, json, &body_path, at, diagnostics, &mut ok);
            if let Some(value) = parsed.as_ref().and_then(|b| b.json.as_ref()) {
                let shape = match body {
                    Body::Typed { ty, collection, .. } => Shape::Type(ty, *collection),
                    Body::Parameters { parameters, .. } => Shape::Parameters(parameters),
                    Body::Raw { .. } => Shape::Any,
                };
                let checker = ShapeCheck {
                    api,
                    version: &version.name,
                    text,
                    path: &body_path,
                    at,
                    // An update sends only what changes.
                    sent_whole: !matches!(
                        body,
                        Body::Typed {
                            update: Some(_),
                            ..
                        }
                    ),
                };
                ok &= checker.check(value, &shape, 0, diagnostics);
                // An update sends only properties the page lists as updatable.
                if let (
                    Body::Typed {
                        update: Some(update),
                        ..
                    },
                    serde_json::Value::Object(map),
                ) = (body, value)
                {
                    for key in map.keys().filter(|k| !k.starts_with("@odata.")) {
                        if !update.contains(key) {
                            let offset = text.find(&format!("\"{key}\"")).unwrap_or(0);
                            diagnostics.push(
                                checker
                                    .diagnostic_at(offset, format!("the update sends `{key}`, which the page does not list as updatable"))
                                    .with_hint(format!(
                                        "add it to `updatable` if the page's table has it, or record the page's body in an erratum; updatable: {}",
                                        update.join(", ")
                                    )),
                            );
                            ok = false;
                        }
                    }
                }
            }
            parsed
        }
    };

    // Erratum.
    let erratum = request.erratum.as_ref().map(|e| Erratum {
        method: e.method.clone(),
        url: e.url.clone(),
        body: e.body.clone(),
        headers: e
            .headers
            .as_ref()
            .map(|h| h.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        note: e.note.trim().to_owned(),
    });
    if let Some(e) = &request.erratum {
        let e_path = child(&request_path, "erratum");
        if let Some(m) = &e.method {
            if Method::parse(m) == method {
                diagnostics.push(
                    at.error_at_value(&child(&e_path, "method"), format!("the erratum's method `{m}` is the same as the request's"))
                        .with_hint("an erratum records what the page shows where it differs; remove it if they agree"),
                );
                ok = false;
            }
        }
        if e.method.is_none() && e.url.is_none() && e.body.is_none() && e.headers.is_none() {
            diagnostics.push(
                at.error_at_key(&e_path, "the erratum records no documented value")
                    .with_hint(
                        "write the page's `method`, `url`, `headers` or `body` beside the note",
                    ),
            );
            ok = false;
        }
        if e.body.is_some() && e.body == request.body {
            diagnostics.push(
                at.error_at_key(&child(&e_path, "body"), "the erratum's body is the same as the request's")
                    .with_hint("an erratum records what the page shows where it differs; remove it if they agree"),
            );
            ok = false;
        }
    }

    // Response.
    let response = example.response.as_ref().and_then(|r| {
        let r_path = child(base, "response");
        // A page that shows no status line stands for the documented success
        // whose body (or lack of one) the example's matches.
        let status = r.status.or_else(|| {
            target_version
                .successes()
                .find(|d| d.body.is_some() == r.body.is_some())
                .or_else(|| target_version.successes().next())
                .map(|d| d.status)
        })?;
        let Some(declared) = target_version
            .responses
            .iter()
            .find(|d| d.status == status)
        else {
            diagnostics.push(
                at.error_at_value(
                    &child(&r_path, "status"),
                    format!(
                        "status {status} is not a documented response of `{target_name}`"
                    ),
                )
                .with_hint(format!(
                    "the operation documents {}",
                    target_version
                        .responses
                        .iter()
                        .map(|d| d.status.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            ok = false;
            return None;
        };
        let body = match (&r.body, &declared.body) {
            (None, _) => None,
            (Some(_), None) => {
                diagnostics.push(
                    at.error_at_key(
                        &child(&r_path, "body"),
                        format!("the response has a body, but status {status} declares none"),
                    )
                    .with_hint("declare the body under the operation's `responses`"),
                );
                ok = false;
                None
            }
            (Some(text), Some(declared_body)) => {
                let json = matches!(declared_body, ResponseBody::Json { .. });
                let body_path = child(&r_path, "body");
                let parsed = parse_body(text, json, &body_path, at, diagnostics, &mut ok);
                if let (Some(value), ResponseBody::Json { ty, collection, .. }) =
                    (parsed.as_ref().and_then(|b| b.json.as_ref()), declared_body)
                {
                    // A collection comes as `{"value": [...]}`.
                    let shape = if *collection {
                        Shape::Page(ty)
                    } else {
                        Shape::Type(ty, false)
                    };
                    let checker = ShapeCheck {
                        api,
                        version: &version.name,
                        text,
                        path: &body_path,
                        at,
                        sent_whole: false,
                    };
                    ok &= checker.check(value, &shape, 0, diagnostics);
                }
                parsed
            }
        };
        let erratum = r.erratum.as_ref().map(|e| ResponseErratum {
            status: e.status,
            headers: e
                .headers
                .as_ref()
                .map(|h| h.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
            body: e.body.clone(),
            note: e.note.trim().to_owned(),
        });
        if let Some(e) = &r.erratum {
            let e_path = child(&r_path, "erratum");
            let same_status = e.status.is_some() && e.status == r.status;
            let same_body = e.body.is_some() && e.body == r.body;
            let same_headers = e.headers.as_ref().is_some_and(|h| *h == r.headers);
            if e.status.is_none() && e.body.is_none() && e.headers.is_none() {
                diagnostics.push(
                    at.error_at_key(&e_path, "the erratum records no documented value")
                        .with_hint("write the page's `status`, `headers` or `body` beside the note"),
                );
                ok = false;
            } else if same_status || same_body || same_headers {
                let key = if same_status { "status" } else if same_body { "body" } else { "headers" };
                diagnostics.push(
                    at.error_at_key(&child(&e_path, key), format!("the erratum's {key} is the same as the response's"))
                        .with_hint("an erratum records what the page shows where it differs; remove it if they agree"),
                );
                ok = false;
            }
        }
        Some(ExampleResponse {
            status,
            status_shown: r.status.is_some(),
            headers: r
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            body,
            truncated: r.truncated,
            erratum,
        })
    });

    if !ok {
        return None;
    }
    Some(Example {
        name: example.name.clone(),
        title: example.title.clone(),
        description: example.description.as_ref().map(|d| d.trim().to_owned()),
        operation: target_name.to_owned(),
        version: version.name.clone(),
        request: ExampleRequest {
            method: method?,
            url: request.url.clone(),
            path_index,
            path_values: values.into_iter().collect(),
            query,
            headers: request
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            body: request_body,
            erratum,
        },
        response,
    })
}

/// What an example body should look like.
enum Shape<'a> {
    Type(&'a TypeRef, bool),
    Parameters(&'a [BodyParameter]),
    Page(&'a TypeRef),
    Any,
}

/// Checks that an example body's properties are declared by its type, so
/// that renaming a property without updating the examples is an error.
struct ShapeCheck<'a> {
    api: &'a Api,
    version: &'a str,
    text: &'a str,
    path: &'a [PathSegment],
    at: &'a At<'a>,
    /// A request body of whole values: each has the properties its type
    /// requires (the constructor the example code calls takes them).
    sent_whole: bool,
}

impl ShapeCheck<'_> {
    fn check(
        &self,
        value: &serde_json::Value,
        shape: &Shape,
        from: usize,
        diagnostics: &mut Diagnostics,
    ) -> bool {
        match (shape, value) {
            (Shape::Any, _) | (_, serde_json::Value::Null) => true,
            (Shape::Type(ty, true), serde_json::Value::Array(items)) => items
                .iter()
                .all(|item| self.check(item, &Shape::Type(ty, false), from, diagnostics)),
            // A JSON value may be anything, a list included.
            (Shape::Type(TypeRef::Primitive(crate::ir::Primitive::Json), _), _) => true,
            // One value where the spec declares a collection, or a list where
            // it declares one value: the type page and the example disagree,
            // and the generated model could not read the example.
            (Shape::Type(ty, true), _) => {
                diagnostics.push(
                    self.diagnostic_at(
                        from,
                        format!("the example gives one value where the spec declares a collection of `{}`", ty.spec_name()),
                    )
                    .with_hint("if the type page is wrong (its JSON and examples show one value), declare one value and record the page's words in the property's `erratum`; if the example is wrong, record it in the example's erratum"),
                );
                false
            }
            (Shape::Type(ty, false), serde_json::Value::Array(_)) => {
                diagnostics.push(
                    self.diagnostic_at(
                        from,
                        format!("the example gives a list where the spec declares one `{}`", ty.spec_name()),
                    )
                    .with_hint("if the type page is wrong, declare `collection: true` and record the page's words in the property's `erratum`; if the example is wrong, record it in the example's erratum"),
                );
                false
            }
            (Shape::Page(ty), serde_json::Value::Object(map)) => match map.get("value") {
                Some(items) => self.check(
                    items,
                    &Shape::Type(ty, true),
                    self.find("value", from),
                    diagnostics,
                ),
                None => true,
            },
            (Shape::Parameters(parameters), serde_json::Value::Object(map)) => {
                let mut ok = true;
                for (key, item) in map {
                    match parameters.iter().find(|p| &p.name.documented == key) {
                        Some(p) => {
                            ok &= self.check(
                                item,
                                &Shape::Type(&p.ty, p.collection),
                                self.find(key, from),
                                diagnostics,
                            )
                        }
                        None if key.starts_with("@odata.") || item.is_null() => {}
                        None => {
                            let names = parameters.iter().map(|p| p.name.documented.as_str());
                            self.unknown(key, "the action", names, from, diagnostics);
                            ok = false;
                        }
                    }
                }
                ok
            }
            (Shape::Type(TypeRef::Named(name), false), serde_json::Value::Object(map)) => {
                let Some(declared) = self.api.type_def(name) else {
                    return true;
                };
                // A value names its type with `@odata.type`: the declared
                // type or one derived from it, whose properties it has.
                let def = match map.get("@odata.type").and_then(|t| t.as_str()) {
                    None => declared,
                    Some(tag) => match self.api.type_by_odata(tag) {
                        Some(named)
                            if named.name.documented == declared.name.documented
                                || self.api.derives_from(named, name) =>
                        {
                            named
                        }
                        named => {
                            let at = self.find("@odata.type", from);
                            let message = match named {
                                Some(other) => format!(
                                    "`@odata.type` `{tag}` names `{}`, which is not `{name}` nor derived from it",
                                    other.name.documented
                                ),
                                None => format!(
                                    "`@odata.type` `{tag}` names a type the specs do not declare, where `{name}` is declared"
                                ),
                            };
                            diagnostics.push(
                                self.diagnostic_at(at, message)
                                    .with_hint(format!(
                                        "declare the type (with `baseType: {name}`) if the service sends it; if the page names the wrong type, record its body in an erratum"
                                    )),
                            );
                            return false;
                        }
                    },
                };
                let name = &def.name.documented;
                let properties = self.api.all_properties(def, self.version);
                let mut ok = true;
                let missing = properties
                    .iter()
                    .filter(|p| self.sent_whole && p.required)
                    .filter(|p| map.get(&p.name.documented).is_none_or(|v| v.is_null()));
                for p in missing {
                    diagnostics.push(
                        self.diagnostic_at(
                            from,
                            format!(
                                "the example body leaves out `{}`, which `{name}` requires",
                                p.name.documented
                            ),
                        )
                        .with_hint(format!(
                            "give `{}` as the page does, or drop `required` from the property if the page does not require it",
                            p.name.documented
                        )),
                    );
                    ok = false;
                }
                for (key, item) in map {
                    match properties.iter().find(|p| &p.name.documented == key) {
                        Some(p) => {
                            ok &= self.check(
                                item,
                                &Shape::Type(&p.ty, p.collection),
                                self.find(key, from),
                                diagnostics,
                            )
                        }
                        // Open types keep what they do not declare; so do OData
                        // annotations. A null carries no value: it is kept as
                        // an additional property and loses nothing.
                        None if def.open
                            || key.starts_with("@odata.")
                            || item.is_null()
                            || annotates(
                                key,
                                properties.iter().map(|p| p.name.documented.as_str()),
                            ) => {}
                        None => {
                            let names = properties.iter().map(|p| p.name.documented.as_str());
                            self.unknown(
                                key,
                                &format!("`{name}` in {}", self.version),
                                names,
                                from,
                                diagnostics,
                            );
                            ok = false;
                        }
                    }
                }
                ok
            }
            _ => true,
        }
    }

    /// The byte offset of `"key"` in the body text at or after `from`.
    fn find(&self, key: &str, from: usize) -> usize {
        let needle = format!("\"{key}\"");
        self.text[from.min(self.text.len())..]
            .find(&needle)
            .map_or(from, |i| from + i)
    }

    fn unknown<'n>(
        &self,
        key: &str,
        owner: &str,
        names: impl Iterator<Item = &'n str>,
        from: usize,
        diagnostics: &mut Diagnostics,
    ) {
        let names: Vec<&str> = names.collect();
        let hint = match did_you_mean(key, names.iter().copied()) {
            Some(best) => {
                format!("did you mean `{best}`? If the type gained `{key}`, declare it in its spec")
            }
            None => {
                format!("declare `{key}` in the type's spec, or correct the example to the page")
            }
        };
        let offset = self.find(key, from);
        diagnostics.push(
            self.diagnostic_at(
                offset,
                format!("the example body has `{key}`, which {owner} does not declare"),
            )
            .with_hint(hint),
        );
    }

    /// A diagnostic at a byte offset of the body, placed in the spec file.
    fn diagnostic_at(&self, offset: usize, message: String) -> crate::diagnostics::Diagnostic {
        // The key's line inside the `|` block that holds the body.
        let key_line = self.at.key(self.path).line;
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count();
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
        let indent = self
            .at
            .text
            .lines()
            .nth(key_line)
            .map_or(0, |l| l.len() - l.trim_start().len());
        crate::diagnostics::Diagnostic::new(
            self.at.file,
            crate::diagnostics::Position::new(key_line + line + 1, indent + column + 1),
            message,
        )
    }
}

fn parse_body(
    text: &str,
    json: bool,
    path: &[PathSegment],
    at: &At,
    diagnostics: &mut Diagnostics,
    ok: &mut bool,
) -> Option<ExampleBody> {
    if !json {
        return Some(ExampleBody {
            text: text.to_owned(),
            json: None,
        });
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => Some(ExampleBody {
            text: text.to_owned(),
            json: Some(value),
        }),
        Err(error) => {
            // The body is a block scalar: JSON line 1 is the line below the key,
            // indented as that line is.
            let key_line = at.key(path).line;
            let indent = at
                .text
                .lines()
                .nth(key_line)
                .map_or(0, |l| l.len() - l.trim_start().len());
            let position =
                crate::diagnostics::Position::new(key_line + error.line(), indent + error.column());
            diagnostics.push(
                crate::diagnostics::Diagnostic::new(
                    at.file,
                    position,
                    format!("the JSON body does not parse: {error}"),
                )
                .with_hint("copy the body from the page as it is, inside a `|` block"),
            );
            *ok = false;
            None
        }
    }
}

/// `https://host/rest` -> (`https://host`, `/rest`).
fn split_url(url: &str) -> Option<(String, String)> {
    let after_scheme = url.strip_prefix("https://")?;
    let (host, rest) = match after_scheme.find('/') {
        Some(i) => (&after_scheme[..i], &after_scheme[i..]),
        None => (after_scheme, ""),
    };
    if host.is_empty() {
        return None;
    }
    Some((format!("https://{host}"), rest.to_owned()))
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// `sessions@odata.nextLink`: an OData annotation of a declared property
/// (its context, count or next page), which JSON may carry beside it.
fn annotates<'n>(key: &str, mut names: impl Iterator<Item = &'n str>) -> bool {
    key.split_once("@odata.")
        .is_some_and(|(property, annotation)| {
            !annotation.is_empty() && names.any(|n| n == property)
        })
}
