//! The comparisons, one function per part of a spec. Each pushes changes with
//! the impact they have on callers of the generated crate: what changes a
//! signature or removes something is breaking; what adds is additive; text
//! and examples are documentation.

use std::collections::BTreeSet;

use super::{Change, Impact, Options, Scope};
use crate::ir::{
    Api, Body, Example, Header, Operation, OperationVersion, ParameterLocation, PermissionRow,
    PermissionType, TypeDef, TypeRef,
};
use crate::validate::path_shape;

struct Out<'a> {
    changes: &'a mut Vec<Change>,
    scope: Scope,
}

impl Out<'_> {
    fn push(&mut self, kind: &'static str, impact: Impact, message: String) {
        self.changes.push(Change {
            scope: self.scope.clone(),
            kind,
            impact,
            message,
        });
    }
}

pub(super) fn all(old: &Api, new: &Api, options: &Options) -> Vec<Change> {
    let mut changes = Vec::new();
    let wanted =
        |name: &str| options.operations.is_empty() || options.operations.iter().any(|o| o == name);
    let names: BTreeSet<&str> = old
        .operations
        .iter()
        .chain(&new.operations)
        .map(|o| o.name.documented.as_str())
        .filter(|n| wanted(n))
        .collect();
    for name in names {
        operation(
            old.operation(name),
            new.operation(name),
            old,
            new,
            options,
            &mut changes,
        );
    }
    if options.operations.is_empty() {
        let names: BTreeSet<&str> = old
            .types
            .iter()
            .chain(&new.types)
            .map(|t| t.name.documented.as_str())
            .collect();
        for name in names {
            type_def(
                old.type_def(name),
                new.type_def(name),
                old,
                new,
                options,
                &mut changes,
            );
        }
    }
    changes
}

/// The (old version, new version) pairs to compare.
fn version_pairs(
    old: &[String],
    new: &[String],
    options: &Options,
) -> Vec<(Option<String>, Option<String>, String)> {
    if let Some((from, to)) = &options.versions {
        let o = old.iter().find(|v| *v == from).cloned();
        let n = new.iter().find(|v| *v == to).cloned();
        return vec![(o, n, format!("{from} -> {to}"))];
    }
    let mut all: Vec<&String> = old.iter().chain(new).collect();
    all.sort();
    all.dedup();
    all.into_iter()
        .map(|v| {
            (
                old.contains(v).then(|| v.clone()),
                new.contains(v).then(|| v.clone()),
                v.clone(),
            )
        })
        .collect()
}

fn operation(
    old: Option<&Operation>,
    new: Option<&Operation>,
    old_api: &Api,
    new_api: &Api,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    let name = old
        .or(new)
        .map(|o| o.name.documented.clone())
        .unwrap_or_default();
    let versions = |o: Option<&Operation>| -> Vec<String> {
        o.map(|o| o.versions.iter().map(|v| v.version.clone()).collect())
            .unwrap_or_default()
    };
    for (ov, nv, label) in version_pairs(&versions(old), &versions(new), options) {
        let mut out = Out {
            changes,
            scope: Scope::Operation {
                operation: name.clone(),
                version: Some(label.clone()),
            },
        };
        let o = old.zip(ov.as_ref()).and_then(|(op, v)| op.version(v));
        let n = new.zip(nv.as_ref()).and_then(|(op, v)| op.version(v));
        match (o, n) {
            (None, None) => {}
            (None, Some(n)) => out.push(
                "operation.added",
                Impact::Additive,
                format!(
                    "operation added: `{} {}`",
                    n.method.as_str(),
                    n.paths[0].template
                ),
            ),
            (Some(o), None) => out.push(
                "operation.removed",
                Impact::Breaking,
                format!(
                    "operation removed: `{} {}` no longer exists",
                    o.method.as_str(),
                    o.paths[0].template
                ),
            ),
            (Some(o), Some(n)) => operation_version(o, n, old_api, new_api, &mut out),
        }
    }
    if let (Some(o), Some(n)) = (old, new) {
        let mut out = Out {
            changes,
            scope: Scope::Operation {
                operation: name,
                version: None,
            },
        };
        shared(o, n, &mut out);
    }
}

/// What all versions of an operation share: text, deprecation, conditions, examples.
fn shared(o: &Operation, n: &Operation, out: &mut Out) {
    if o.title != n.title {
        out.push(
            "title.changed",
            Impact::Documentation,
            format!("title changed from \"{}\" to \"{}\"", o.title, n.title),
        );
    }
    if o.summary != n.summary || o.description != n.description {
        out.push(
            "description.changed",
            Impact::Documentation,
            "summary or description changed".to_owned(),
        );
    }
    match (&o.deprecated, &n.deprecated) {
        (None, Some(d)) => out.push(
            "operation.deprecated",
            Impact::Additive,
            format!("operation deprecated: {}", d.note),
        ),
        (Some(_), None) => out.push(
            "operation.undeprecated",
            Impact::Documentation,
            "operation no longer deprecated".to_owned(),
        ),
        _ => {}
    }
    for (kind, old_notes, new_notes, what) in [
        ("condition", &o.conditions, &n.conditions, "condition"),
        ("note", &o.notes, &n.notes, "note"),
    ] {
        for added in new_notes
            .iter()
            .filter(|x| !old_notes.iter().any(|y| y.text == x.text))
        {
            out.push(
                if kind == "condition" {
                    "condition.added"
                } else {
                    "note.added"
                },
                Impact::Documentation,
                format!("{what} added: \"{}\"", short(&added.text)),
            );
        }
        for removed in old_notes
            .iter()
            .filter(|x| !new_notes.iter().any(|y| y.text == x.text))
        {
            out.push(
                if kind == "condition" {
                    "condition.removed"
                } else {
                    "note.removed"
                },
                Impact::Documentation,
                format!("{what} removed: \"{}\"", short(&removed.text)),
            );
        }
    }
    examples(&o.examples, &n.examples, out);
}

fn short(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 14 {
        words.join(" ")
    } else {
        format!("{} ...", words[..14].join(" "))
    }
}

fn examples(old: &[Example], new: &[Example], out: &mut Out) {
    for n in new {
        let Some(o) = old.iter().find(|o| o.name == n.name) else {
            out.push(
                "example.added",
                Impact::Documentation,
                format!(
                    "example `{}` added ({} {})",
                    n.name,
                    n.request.method.as_str(),
                    n.version
                ),
            );
            continue;
        };
        // A page that showed a wrong value and now shows the right one.
        if let Some(erratum) = &o.request.erratum {
            if let Some(shown) = &erratum.method {
                let fixed =
                    n.request.erratum.as_ref().and_then(|e| e.method.as_ref()) != Some(shown);
                if fixed {
                    out.push(
                        "example.method_corrected",
                        Impact::Documentation,
                        format!("example `{}`: the page's request method was corrected from {shown} to {}", n.name, n.request.method.as_str()),
                    );
                }
            }
        }
        if let Some(erratum) = &n.request.erratum {
            if o.request.erratum.is_none() {
                out.push(
                    "example.erratum_added",
                    Impact::Documentation,
                    format!(
                        "example `{}`: the page shows {}, recorded as an erratum",
                        n.name,
                        erratum.shown()
                    ),
                );
            }
        }
        let response_erratum =
            |e: &crate::ir::Example| e.response.as_ref().and_then(|r| r.erratum.clone());
        if let (None, Some(erratum)) = (response_erratum(o), response_erratum(n)) {
            out.push(
                "example.response_erratum_added",
                Impact::Documentation,
                format!(
                    "example `{}`: the page's response is wrong ({}), recorded as an erratum",
                    n.name, erratum.note
                ),
            );
        }
        if o.request.method != n.request.method {
            out.push(
                "example.method_changed",
                Impact::Documentation,
                format!(
                    "example `{}`: method changed from {} to {}",
                    n.name,
                    o.request.method.as_str(),
                    n.request.method.as_str()
                ),
            );
        }
        if o.request.url != n.request.url {
            out.push(
                "example.url_changed",
                Impact::Documentation,
                format!("example `{}`: URL changed to `{}`", n.name, n.request.url),
            );
        }
        let body = |e: &Example| {
            e.request.body.as_ref().map(|b| {
                b.json
                    .clone()
                    .unwrap_or(serde_json::Value::String(b.text.clone()))
            })
        };
        if body(o) != body(n) {
            out.push(
                "example.body_changed",
                Impact::Documentation,
                format!("example `{}`: request body changed", n.name),
            );
        }
        let response = |e: &Example| {
            e.response
                .as_ref()
                .map(|r| (r.status, r.body.as_ref().and_then(|b| b.json.clone())))
        };
        if response(o) != response(n) {
            out.push(
                "example.response_changed",
                Impact::Documentation,
                format!("example `{}`: response changed", n.name),
            );
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| n.name == o.name)) {
        out.push(
            "example.removed",
            Impact::Documentation,
            format!("example `{}` removed", o.name),
        );
    }
}

fn operation_version(
    o: &OperationVersion,
    n: &OperationVersion,
    old_api: &Api,
    new_api: &Api,
    out: &mut Out,
) {
    if o.method != n.method {
        out.push(
            "method.changed",
            Impact::Breaking,
            format!(
                "method changed from {} to {}",
                o.method.as_str(),
                n.method.as_str()
            ),
        );
    }
    // Paths, matched by shape so that a renamed parameter is one change.
    for np in &n.paths {
        match o
            .paths
            .iter()
            .find(|op| path_shape(&op.template) == path_shape(&np.template))
        {
            // One path is a flat operation; several are a path enum: going
            // from one to two changes how callers build the operation.
            None if o.paths.len() == 1 => out.push(
                "path.added",
                Impact::Breaking,
                format!(
                    "path added: `{}` (the operation's values move into its path enum)",
                    np.template
                ),
            ),
            None => out.push(
                "path.added",
                Impact::Additive,
                format!("path added: `{}`", np.template),
            ),
            Some(op) => {
                match (&op.deprecated, &np.deprecated) {
                    (None, Some(d)) => out.push(
                        "path.deprecated",
                        Impact::Additive,
                        format!("path deprecated: `{}`: {}", np.template, d.note),
                    ),
                    (Some(_), None) => out.push(
                        "path.undeprecated",
                        Impact::Documentation,
                        format!("path no longer deprecated: `{}`", np.template),
                    ),
                    _ => {}
                }
                match (&op.erratum, &np.erratum) {
                    (None, Some(e)) => out.push(
                        "path.erratum",
                        Impact::Documentation,
                        format!(
                            "path `{}`: the page shows `{}`, recorded as an erratum",
                            np.template, e.shown
                        ),
                    ),
                    (Some(_), None) => out.push(
                        "path.erratum",
                        Impact::Documentation,
                        format!("path `{}`: erratum removed", np.template),
                    ),
                    (Some(a), Some(b)) if a != b => out.push(
                        "path.erratum",
                        Impact::Documentation,
                        format!(
                            "path `{}`: erratum changed: the page shows `{}`",
                            np.template, b.shown
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }
    for op in o.paths.iter().filter(|op| {
        !n.paths
            .iter()
            .any(|np| path_shape(&np.template) == path_shape(&op.template))
    }) {
        let note = if op.deprecated.is_some() {
            " (it was deprecated)"
        } else {
            ""
        };
        out.push(
            "path.removed",
            Impact::Breaking,
            format!("path removed: `{}`{note}", op.template),
        );
    }
    // Parameters.
    for np in &n.parameters {
        match o
            .parameters
            .iter()
            .find(|p| p.name.documented == np.name.documented)
        {
            None => {
                let (impact, what) = match (np.location, np.required) {
                    (ParameterLocation::Path, _) => (Impact::Breaking, "path parameter"),
                    (ParameterLocation::Query, true) => {
                        (Impact::Breaking, "required query parameter")
                    }
                    (ParameterLocation::Query, false) => {
                        (Impact::Additive, "optional query parameter")
                    }
                };
                out.push(
                    "parameter.added",
                    impact,
                    format!("{what} added: `{}`", np.name.documented),
                );
            }
            Some(op) => {
                if op.ty != np.ty || op.collection != np.collection {
                    out.push(
                        "parameter.type_changed",
                        Impact::Breaking,
                        format!(
                            "parameter `{}` changed type from {} to {}",
                            np.name.documented,
                            op.ty.spec_name(),
                            np.ty.spec_name()
                        ),
                    );
                }
                if op.location == ParameterLocation::Query && !op.required && np.required {
                    out.push(
                        "parameter.made_required",
                        Impact::Breaking,
                        format!("query parameter `{}` is now required", np.name.documented),
                    );
                }
                if op.location == ParameterLocation::Query && op.required && !np.required {
                    out.push(
                        "parameter.made_optional",
                        Impact::Breaking,
                        format!(
                            "query parameter `{}` is now optional (its field becomes an Option)",
                            np.name.documented
                        ),
                    );
                }
            }
        }
    }
    for op in o.parameters.iter().filter(|p| {
        !n.parameters
            .iter()
            .any(|np| np.name.documented == p.name.documented)
    }) {
        out.push(
            "parameter.removed",
            Impact::Breaking,
            format!("parameter removed: `{}`", op.name.documented),
        );
    }
    for option in n
        .query_options
        .iter()
        .filter(|x| !o.query_options.contains(x))
    {
        out.push(
            "query_option.added",
            Impact::Additive,
            format!("OData option `${option}` supported"),
        );
    }
    for option in o
        .query_options
        .iter()
        .filter(|x| !n.query_options.contains(x))
    {
        out.push(
            "query_option.removed",
            Impact::Breaking,
            format!("OData option `${option}` no longer supported"),
        );
    }
    headers(&o.headers, &n.headers, out);
    body(&o.body, &n.body, old_api, new_api, out);
    responses(o, n, out);
    permissions(o, n, out);
    match (&o.clouds, &n.clouds) {
        (None, Some(clouds)) => out.push(
            "clouds.documented",
            Impact::Additive,
            format!("national clouds now documented: {}", clouds.join(", ")),
        ),
        (Some(_), None) => out.push(
            "clouds.undocumented",
            Impact::Documentation,
            "national clouds no longer documented".to_owned(),
        ),
        (Some(oc), Some(nc)) => {
            for c in nc.iter().filter(|c| !oc.contains(c)) {
                out.push(
                    "cloud.added",
                    Impact::Additive,
                    format!("available in the national cloud `{c}`"),
                );
            }
            for c in oc.iter().filter(|c| !nc.contains(c)) {
                out.push(
                    "cloud.removed",
                    Impact::Breaking,
                    format!("no longer available in the national cloud `{c}`"),
                );
            }
        }
        (None, None) => {}
    }
    match (&o.deprecated, &n.deprecated) {
        (None, Some(d)) => out.push(
            "version.deprecated",
            Impact::Additive,
            format!("deprecated in this version: {}", d.note),
        ),
        (Some(_), None) => out.push(
            "version.undeprecated",
            Impact::Documentation,
            "no longer deprecated in this version".to_owned(),
        ),
        _ => {}
    }
}

fn is_field(h: &Header) -> bool {
    // Managed headers and fixed required values are set by the code itself.
    let managed = h.is_managed();
    let fixed = h.required && h.value.is_some();
    !(managed || fixed)
}

fn headers(old: &[Header], new: &[Header], out: &mut Out) {
    let find = |list: &'_ [Header], name: &str| {
        list.iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .cloned()
    };
    for nh in new {
        match find(old, &nh.name) {
            None => {
                let impact = if is_field(nh) && nh.required {
                    Impact::Breaking
                } else if is_field(nh) {
                    Impact::Additive
                } else {
                    Impact::Documentation
                };
                out.push(
                    "header.added",
                    impact,
                    format!(
                        "{} header added: `{}`",
                        if nh.required { "required" } else { "optional" },
                        nh.name
                    ),
                );
            }
            Some(oh) if !oh.required && nh.required => {
                let impact = if is_field(nh) {
                    Impact::Breaking
                } else {
                    Impact::Documentation
                };
                out.push(
                    "header.made_required",
                    impact,
                    format!("header `{}` is now required", nh.name),
                );
            }
            Some(oh) if oh.required && !nh.required => {
                let impact = if is_field(nh) {
                    Impact::Breaking
                } else {
                    Impact::Documentation
                };
                out.push(
                    "header.made_optional",
                    impact,
                    format!("header `{}` is now optional", nh.name),
                );
            }
            Some(_) => {}
        }
    }
    for oh in old.iter().filter(|h| find(new, &h.name).is_none()) {
        let impact = if is_field(oh) {
            Impact::Breaking
        } else {
            Impact::Documentation
        };
        out.push(
            "header.removed",
            impact,
            format!("header removed: `{}`", oh.name),
        );
    }
}

fn type_text(ty: &TypeRef, collection: bool) -> String {
    if collection {
        format!("{} collection", ty.spec_name())
    } else {
        ty.spec_name().to_owned()
    }
}

fn body(old: &Option<Body>, new: &Option<Body>, _old_api: &Api, _new_api: &Api, out: &mut Out) {
    match (old, new) {
        (None, None) => {}
        (None, Some(_)) => out.push(
            "body.added",
            Impact::Breaking,
            "the request now takes a body".to_owned(),
        ),
        (Some(_), None) => out.push(
            "body.removed",
            Impact::Breaking,
            "the request no longer takes a body".to_owned(),
        ),
        (
            Some(Body::Typed {
                ty: ot,
                collection: oc,
                ..
            }),
            Some(Body::Typed {
                ty: nt,
                collection: nc,
                ..
            }),
        ) => {
            if ot != nt || oc != nc {
                out.push(
                    "body.type_changed",
                    Impact::Breaking,
                    format!(
                        "request body changed from {} to {}",
                        type_text(ot, *oc),
                        type_text(nt, *nc)
                    ),
                );
            }
        }
        (
            Some(Body::Parameters { parameters: op, .. }),
            Some(Body::Parameters { parameters: np, .. }),
        ) => {
            for p in np {
                match op.iter().find(|x| x.name.documented == p.name.documented) {
                    None => out.push(
                        "body_parameter.added",
                        if p.required {
                            Impact::Breaking
                        } else {
                            Impact::Additive
                        },
                        format!(
                            "{} body parameter added: `{}`",
                            if p.required { "required" } else { "optional" },
                            p.name.documented
                        ),
                    ),
                    Some(x) => {
                        if x.ty != p.ty || x.collection != p.collection {
                            out.push(
                                "body_parameter.type_changed",
                                Impact::Breaking,
                                format!(
                                    "body parameter `{}` changed from {} to {}",
                                    p.name.documented,
                                    type_text(&x.ty, x.collection),
                                    type_text(&p.ty, p.collection)
                                ),
                            );
                        }
                        if x.required != p.required {
                            out.push(
                                "body_parameter.required_changed",
                                Impact::Breaking,
                                format!(
                                    "body parameter `{}` is now {}",
                                    p.name.documented,
                                    if p.required { "required" } else { "optional" }
                                ),
                            );
                        }
                    }
                }
            }
            for x in op
                .iter()
                .filter(|x| !np.iter().any(|p| p.name.documented == x.name.documented))
            {
                out.push(
                    "body_parameter.removed",
                    Impact::Breaking,
                    format!("body parameter removed: `{}`", x.name.documented),
                );
            }
        }
        (
            Some(Body::Raw {
                content_type: oc, ..
            }),
            Some(Body::Raw {
                content_type: nc, ..
            }),
        ) => {
            if oc != nc {
                out.push(
                    "body.content_type_changed",
                    Impact::Breaking,
                    format!("the request body's media type changed from `{oc}` to `{nc}`"),
                );
            }
        }
        _ => out.push(
            "body.kind_changed",
            Impact::Breaking,
            "the request body changed form".to_owned(),
        ),
    }
    update_list(old, new, out);
}

/// What an update may change: a property that can no longer be sent breaks
/// callers that set it; a new one is additive.
fn update_list(old: &Option<Body>, new: &Option<Body>, out: &mut Out) {
    let list = |b: &Option<Body>| match b {
        Some(Body::Typed {
            update: Some(update),
            ..
        }) => Some(update.clone()),
        _ => None,
    };
    let (Some(old), Some(new)) = (list(old), list(new)) else {
        return;
    };
    for p in new.iter().filter(|p| !old.contains(p)) {
        out.push(
            "update.property_added",
            Impact::Additive,
            format!("the update can now change `{p}`"),
        );
    }
    for p in old.iter().filter(|p| !new.contains(p)) {
        out.push(
            "update.property_removed",
            Impact::Breaking,
            format!("the update can no longer change `{p}`"),
        );
    }
}

/// The output type's shape: what `Operation::Output` is made from.
fn responses(o: &OperationVersion, n: &OperationVersion, out: &mut Out) {
    let (old_output, new_output) = (o.output(), n.output());
    if old_output != new_output {
        let text = |x: &crate::ir::Output| x.describe();
        out.push(
            "output.changed",
            Impact::Breaking,
            format!(
                "the output changed from {} to {}",
                text(&old_output),
                text(&new_output)
            ),
        );
    }
    for r in n
        .responses
        .iter()
        .filter(|r| !o.responses.iter().any(|x| x.status == r.status))
    {
        out.push(
            "response.added",
            Impact::Additive,
            format!("response {} documented", r.status),
        );
    }
    for r in o
        .responses
        .iter()
        .filter(|r| !n.responses.iter().any(|x| x.status == r.status))
    {
        out.push(
            "response.removed",
            Impact::Documentation,
            format!("response {} no longer documented", r.status),
        );
    }
    for r in &n.responses {
        if let Some(x) = o.responses.iter().find(|x| x.status == r.status) {
            for h in r.headers.iter().filter(|h| {
                !x.headers
                    .iter()
                    .any(|y| y.name.eq_ignore_ascii_case(&h.name))
            }) {
                out.push(
                    "response_header.added",
                    Impact::Documentation,
                    format!("response {} documents header `{}`", r.status, h.name),
                );
            }
        }
    }
}

fn permissions(o: &OperationVersion, n: &OperationVersion, out: &mut Out) {
    for ty in PermissionType::ALL {
        let label = ty.title();
        match (o.permissions.row(ty), n.permissions.row(ty)) {
            (PermissionRow::Unsupported, PermissionRow::Unsupported)
            | (PermissionRow::NotRequired, PermissionRow::NotRequired) => {}
            (_, PermissionRow::NotRequired) => out.push(
                "permission_type.not_required",
                Impact::Additive,
                format!("{label}: now callable without a permission"),
            ),
            (PermissionRow::NotRequired, PermissionRow::Unsupported) => out.push(
                "permission_type.unsupported",
                Impact::Breaking,
                format!("{label}: no longer supported (it needed no permission)"),
            ),
            (PermissionRow::NotRequired, PermissionRow::Supported { least, .. }) => out.push(
                "permission_type.required",
                Impact::Breaking,
                format!(
                    "{label}: now needs a permission, least privileged {}",
                    list(least)
                ),
            ),
            (PermissionRow::Unsupported, PermissionRow::Supported { least, .. }) => out.push(
                "permission_type.supported",
                Impact::Additive,
                format!("{label}: now supported, least privileged {}", list(least)),
            ),
            (PermissionRow::Supported { .. }, PermissionRow::Unsupported) => out.push(
                "permission_type.unsupported",
                Impact::Breaking,
                format!("{label}: no longer supported"),
            ),
            (
                PermissionRow::Supported {
                    least: ol,
                    higher: oh,
                    higher_documented: od,
                },
                PermissionRow::Supported {
                    least: nl,
                    higher: nh,
                    higher_documented: nd,
                },
            ) => {
                if od != nd && nh.is_empty() && oh.is_empty() {
                    out.push(
                        "permission.higher_documented",
                        Impact::Documentation,
                        format!(
                            "{label}: higher privileged {}",
                            if *nd {
                                "now documented as Not available"
                            } else {
                                "no longer documented"
                            }
                        ),
                    );
                }
                let all_old: Vec<&String> = ol.iter().chain(oh).collect();
                let all_new: Vec<&String> = nl.iter().chain(nh).collect();
                for p in nl.iter().chain(nh) {
                    let column = if nl.contains(p) { "least" } else { "higher" };
                    if !all_old.contains(&p) {
                        out.push(
                            "permission.added",
                            Impact::Additive,
                            format!("{label}: added {column} privileged permission `{p}`"),
                        );
                    } else if (ol.contains(p)) != (nl.contains(p)) {
                        out.push(
                            "permission.moved",
                            Impact::Documentation,
                            format!("{label}: `{p}` moved to {column} privileged"),
                        );
                    }
                }
                for p in ol.iter().chain(oh).filter(|p| !all_new.contains(p)) {
                    let similarity = |x: &str| {
                        strsim::jaro_winkler(&x.to_ascii_lowercase(), &p.to_ascii_lowercase())
                    };
                    // The closest newly listed name, if close enough to be a respelling.
                    let renamed = all_new
                        .iter()
                        .filter(|x| !all_old.contains(x))
                        .map(|x| (similarity(x), x))
                        .filter(|(score, _)| *score > 0.93)
                        .max_by(|a, b| a.0.total_cmp(&b.0))
                        .map(|(_, x)| format!(" (respelled `{x}`?)"))
                        .unwrap_or_default();
                    out.push(
                        "permission.removed",
                        Impact::Breaking,
                        format!("{label}: permission `{p}` removed{renamed}; apps that request only it lose access"),
                    );
                }
            }
        }
    }
}

fn list(permissions: &[String]) -> String {
    permissions
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn type_def(
    old: Option<&TypeDef>,
    new: Option<&TypeDef>,
    old_api: &Api,
    new_api: &Api,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    let name = old
        .or(new)
        .map(|t| t.name.documented.clone())
        .unwrap_or_default();
    let versions =
        |t: Option<&TypeDef>| -> Vec<String> { t.map(|t| t.versions.clone()).unwrap_or_default() };
    for (ov, nv, label) in version_pairs(&versions(old), &versions(new), options) {
        let mut out = Out {
            changes,
            scope: Scope::Type {
                name: name.clone(),
                version: Some(label),
            },
        };
        match (old.filter(|_| ov.is_some()), new.filter(|_| nv.is_some())) {
            (None, None) => {}
            (None, Some(_)) => out.push("type.added", Impact::Additive, "type added".to_owned()),
            (Some(_), None) => {
                out.push("type.removed", Impact::Breaking, "type removed".to_owned())
            }
            (Some(o), Some(n)) => {
                let (ov, nv) = (ov.as_deref().unwrap_or(""), nv.as_deref().unwrap_or(""));
                // A type that other types now derive from where it is
                // declared becomes its Any enum there.
                let (was, is) = (
                    old_api.polymorphic.contains(&name),
                    new_api.polymorphic.contains(&name),
                );
                if was != is {
                    out.push(
                        "type.polymorphic_changed",
                        Impact::Breaking,
                        if is {
                            format!("derived types may now stand where `{name}` is declared: those fields become `Any{}`", n.name.pascal)
                        } else {
                            format!("no derived type stands for `{name}` any more: its `Any{}` fields become `{}`", o.name.pascal, n.name.pascal)
                        },
                    );
                }
                if o.kind != n.kind {
                    out.push(
                        "type.kind_changed",
                        Impact::Breaking,
                        format!("kind changed from {:?} to {:?}", o.kind, n.kind).to_lowercase(),
                    );
                }
                if o.base_type != n.base_type {
                    out.push(
                        "type.base_changed",
                        Impact::Breaking,
                        format!(
                            "base type changed from {:?} to {:?}",
                            o.base_type, n.base_type
                        ),
                    );
                }
                let op = old_api.all_properties(o, ov);
                let np = new_api.all_properties(n, nv);
                for p in &np {
                    match op.iter().find(|x| x.name.documented == p.name.documented) {
                        // A required property is an argument of the model's `new`.
                        None if p.required => out.push(
                            "property.added",
                            Impact::Breaking,
                            format!(
                                "required property added: `{}` ({}); the model's `new` takes it",
                                p.name.documented,
                                type_text(&p.ty, p.collection)
                            ),
                        ),
                        None => out.push(
                            "property.added",
                            Impact::Additive,
                            format!(
                                "property added: `{}` ({})",
                                p.name.documented,
                                type_text(&p.ty, p.collection)
                            ),
                        ),
                        Some(x) => {
                            if x.ty != p.ty || x.collection != p.collection {
                                out.push(
                                    "property.type_changed",
                                    Impact::Breaking,
                                    format!(
                                        "property `{}` changed type from {} to {}",
                                        p.name.documented,
                                        type_text(&x.ty, x.collection),
                                        type_text(&p.ty, p.collection)
                                    ),
                                );
                            }
                            if x.deprecated.is_none() && p.deprecated.is_some() {
                                out.push(
                                    "property.deprecated",
                                    Impact::Additive,
                                    format!("property `{}` deprecated", p.name.documented),
                                );
                            }
                            if x.required != p.required {
                                out.push(
                                    "property.required_changed",
                                    Impact::Breaking,
                                    format!(
                                        "property `{}` is {} required: the model's `new` {} it",
                                        p.name.documented,
                                        if p.required { "now" } else { "no longer" },
                                        if p.required {
                                            "takes"
                                        } else {
                                            "no longer takes"
                                        }
                                    ),
                                );
                            }
                            if x.read_only != p.read_only {
                                out.push(
                                    "property.read_only_changed",
                                    Impact::Documentation,
                                    format!(
                                        "property `{}` is {} read-only",
                                        p.name.documented,
                                        if p.read_only { "now" } else { "no longer" }
                                    ),
                                );
                            }
                        }
                    }
                }
                for x in op
                    .iter()
                    .filter(|x| !np.iter().any(|p| p.name.documented == x.name.documented))
                {
                    out.push(
                        "property.removed",
                        Impact::Breaking,
                        format!("property removed: `{}`", x.name.documented),
                    );
                }
                let members = |t: &TypeDef, v: &str| {
                    t.members
                        .iter()
                        .filter(|m| m.versions.iter().any(|x| x == v))
                        .map(|m| m.name.documented.clone())
                        .collect::<Vec<_>>()
                };
                let (om, nm) = (members(o, ov), members(n, nv));
                for m in nm.iter().filter(|m| !om.contains(m)) {
                    out.push(
                        "member.added",
                        Impact::Additive,
                        format!("enum member added: `{m}`"),
                    );
                }
                for m in om.iter().filter(|m| !nm.contains(m)) {
                    out.push(
                        "member.removed",
                        Impact::Breaking,
                        format!("enum member removed: `{m}`"),
                    );
                }
                if o.deprecated.is_none() && n.deprecated.is_some() {
                    out.push(
                        "type.deprecated",
                        Impact::Additive,
                        "type deprecated".to_owned(),
                    );
                }
            }
        }
    }
}
