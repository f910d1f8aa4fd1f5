//! The rustdoc of operations: what a consumer reads on docs.rs on the type
//! and the method itself, the page's facts included (permissions first of
//! all, which no official Graph SDK documents).

use crate::ir::{
    Body, Operation, OperationVersion, ParameterLocation, PermissionRow, PermissionType, Primitive,
    TypeRef,
};

use super::fluent::Tree;
use super::types::prose;
use super::{VersionContext, CRATE_IDENT};

/// The permissions section: the version's table, or where the page gives a
/// table per request line, each line's.
pub(crate) fn permissions_section(ctx: &VersionContext, v: &OperationVersion) -> String {
    let mut out = String::from(
        "One of the following permissions is required. Choose the least privileged one your app can use.\n\n",
    );
    if v.paths.iter().all(|p| p.permissions.is_none()) {
        out.push_str(&permissions_table(&v.permissions));
        return out;
    }
    out.push_str("The page gives the permissions per request line.\n\n");
    for path in &v.paths {
        if let Some(table) = &path.permissions {
            out.push_str(&format!(
                "For `{} {}{}`:\n\n{}\n",
                v.method.as_str(),
                ctx.version.base_path,
                path.template,
                permissions_table(table)
            ));
        }
    }
    if v.paths.iter().any(|p| p.permissions.is_none()) {
        out.push_str(&format!(
            "For the other request lines:\n\n{}",
            permissions_table(&v.permissions)
        ));
    }
    out
}

/// A permissions table, as the reference pages have it.
pub(crate) fn permissions_table(permissions: &crate::ir::Permissions) -> String {
    let mut out =
        String::from("| Permission type | Least privileged | Higher privileged |\n|---|---|---|\n");
    for ty in PermissionType::ALL {
        let (least, higher) = match permissions.row(ty) {
            PermissionRow::Unsupported => {
                ("Not supported.".to_owned(), "Not supported.".to_owned())
            }
            PermissionRow::NotRequired => (
                "None (no permission needed).".to_owned(),
                "Not applicable.".to_owned(),
            ),
            PermissionRow::Supported {
                least,
                higher,
                higher_documented,
            } => {
                let list = |ps: &[String]| {
                    ps.iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let higher = if !higher.is_empty() {
                    list(higher)
                } else if *higher_documented {
                    "Not available.".to_owned()
                } else {
                    "Not documented.".to_owned()
                };
                (list(least), higher)
            }
        };
        out.push_str(&format!("| {} | {least} | {higher} |\n", ty.title()));
    }
    out
}

/// The HTTP request lines, with the version's base path.
pub(crate) fn http_lines(ctx: &VersionContext, v: &OperationVersion) -> String {
    let mut out = String::from("```text\n");
    for path in &v.paths {
        out.push_str(&format!(
            "{} {}{}",
            v.method.as_str(),
            ctx.version.base_path,
            path.template
        ));
        if path.deprecated.is_some() {
            out.push_str("   (deprecated)");
        }
        out.push('\n');
    }
    out.push_str("```\n");
    for path in &v.paths {
        if let Some(d) = &path.deprecated {
            out.push_str(&format!(
                "\n`{}` is deprecated: {}\n",
                path.template,
                prose(&d.text())
            ));
        }
        if let Some(e) = &path.erratum {
            out.push_str(&format!(
                "\nThe reference page shows `{}` for `{}`: {}\n",
                e.shown,
                path.template,
                prose(&e.note)
            ));
        }
    }
    out
}

/// A Rust expression that stands for a required value in examples.
pub(crate) fn placeholder(
    ctx: &VersionContext,
    ty: &TypeRef,
    collection: bool,
    name: &str,
) -> String {
    if collection {
        return "Vec::new()".to_owned();
    }
    match ty {
        TypeRef::Primitive(Primitive::Boolean) => "false".to_owned(),
        TypeRef::Primitive(
            Primitive::Byte | Primitive::Int16 | Primitive::Int32 | Primitive::Int64,
        ) => "0".to_owned(),
        TypeRef::Primitive(Primitive::Single | Primitive::Double | Primitive::Decimal) => {
            "0.0".to_owned()
        }
        TypeRef::Primitive(Primitive::Json) => "serde_json::Value::Null".to_owned(),
        TypeRef::Primitive(Primitive::Stream) => "Default::default()".to_owned(),
        TypeRef::Primitive(_) => format!("String::from(\"{{{name}}}\")"),
        TypeRef::Named(n) => match ctx.api.type_def(n).map(|d| d.kind) {
            Some(crate::ir::TypeKind::Enum) => {
                let def = ctx.api.type_def(n).expect("checked");
                let first = def
                    .members
                    .first()
                    .map(|m| m.name.documented.as_str())
                    .unwrap_or("");
                format!(
                    "{CRATE_IDENT}::{}::models::{}::from(\"{first}\")",
                    ctx.version.module, def.name.pascal
                )
            }
            _ => "Default::default()".to_owned(),
        },
    }
}

/// The arguments of the fluent terminal method, as example code.
pub(crate) fn terminal_args(
    ctx: &VersionContext,
    operation: &Operation,
    v: &OperationVersion,
) -> Vec<String> {
    let mut args = Vec::new();
    for p in v
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query && p.required)
    {
        args.push(placeholder(
            ctx,
            &TypeRef::Primitive(p.ty),
            p.collection,
            &p.name.documented,
        ));
    }
    match &v.body {
        Some(Body::Typed { ty, collection, .. }) => {
            args.push(placeholder(ctx, ty, *collection, "body"))
        }
        Some(Body::Parameters { parameters, .. }) => {
            let required: Vec<String> = parameters
                .iter()
                .filter(|p| p.required)
                .map(|p| placeholder(ctx, &p.ty, p.collection, &p.name.documented))
                .collect();
            args.push(format!(
                "{CRATE_IDENT}::{}::operations::{}Body::new({})",
                ctx.version.module,
                operation.name.pascal,
                required.join(", ")
            ));
        }
        Some(Body::Raw { .. }) => args.push("Vec::<u8>::new()".to_owned()),
        None => {}
    }
    args
}

/// A `no_run` example of the fluent call: the first documented example of
/// the operation in this version, else its default path with placeholders.
pub(crate) fn example(
    ctx: &VersionContext,
    tree: &Tree,
    operation: &Operation,
    v: &OperationVersion,
) -> String {
    if let Some((_, example)) = ctx.examples_of(&operation.name.documented).first() {
        let code = super::example_code::example_code(ctx, tree, operation, v, example).awaited();
        return format!(
            "```no_run\n# async fn example(client: &{CRATE_IDENT}::GraphClient) -> Result<(), {CRATE_IDENT}::Error> {{\n{code}# let _ = output;\n# Ok(())\n# }}\n```\n"
        );
    }
    let code = placeholder_call(ctx, tree, operation, v);
    format!(
        "```no_run\n# async fn example(client: &{CRATE_IDENT}::GraphClient) -> Result<(), {CRATE_IDENT}::Error> {{\n{code}# let _ = output;\n# Ok(())\n# }}\n```\n"
    )
}

/// The fluent call of the operation's default path, with placeholders.
pub(crate) fn placeholder_call(
    ctx: &VersionContext,
    tree: &Tree,
    operation: &Operation,
    v: &OperationVersion,
) -> String {
    let node = tree.terminals[&(operation.name.documented.clone(), 0)];
    let names = tree.names_for(node, &v.paths[0]);
    let chain = tree.chain(node, &|name| {
        format!("\"{{{}}}\"", names.get(name).map_or(name, String::as_str))
    });
    let args = terminal_args(ctx, operation, v).join(", ");
    let method = v.method.as_str().to_ascii_lowercase();
    let mut code = format!("let output = client\n    .{}()\n", ctx.version.module);
    for call in chain.split_inclusive(')').filter(|c| !c.is_empty()) {
        code.push_str(&format!("    {call}\n"));
    }
    code.push_str(&format!("    .{method}({args})\n    .await?;\n"));
    code
}

/// The rustdoc of an operation's type.
pub(crate) fn operation_doc(
    ctx: &VersionContext,
    tree: &Tree,
    operation: &Operation,
    v: &OperationVersion,
) -> String {
    let mut out = format!("{}\n", prose(&operation.summary));
    if let Some(d) = &operation.description {
        out.push_str(&format!("\n{}\n", prose(d)));
    }
    for d in [&operation.deprecated, &v.deprecated].into_iter().flatten() {
        out.push_str(&format!("\n**Deprecated:** {}\n", prose(&d.text())));
    }
    out.push_str(&format!(
        "\nReference page: {} ({}).\n",
        operation.page_title,
        operation.source_page.as_deref().unwrap_or("not named")
    ));
    out.push_str("\n# HTTP request\n\n");
    out.push_str(&http_lines(ctx, v));
    out.push_str("\n# Permissions\n\n");
    out.push_str(&permissions_section(ctx, v));
    if !operation.conditions.is_empty() {
        out.push_str("\n# Conditions\n\n");
        for c in &operation.conditions {
            out.push_str(&note(c));
        }
    }
    let notes: Vec<_> = operation.notes.iter().chain(&v.notes).collect();
    if !notes.is_empty() {
        out.push_str("\n# Notes\n\n");
        for n in notes {
            out.push_str(&note(n));
        }
    }
    out.push_str("\n# National clouds\n\n");
    match &v.clouds {
        Some(clouds) => {
            let titles: Vec<&str> = clouds
                .iter()
                .filter_map(|c| ctx.api.clouds.iter().find(|x| &x.name.documented == c))
                .map(|c| c.title.as_str())
                .collect();
            out.push_str(&format!("Available in: {}.\n", titles.join(", ")));
        }
        None => out.push_str(
            "The reference page does not say which national clouds have this operation.\n",
        ),
    }
    out.push_str("\n# Example\n\n");
    out.push_str(&example(ctx, tree, operation, v));
    out
}

fn note(n: &crate::ir::Note) -> String {
    // A note's own lines (a list it holds) stay inside its list item.
    let mut out = format!(
        "- {}\n",
        prose(&n.text).lines().collect::<Vec<_>>().join("\n  ")
    );
    if let Some(command) = &n.command {
        // Every line of the command inside the list item, so the fence
        // stays in it.
        let command = command.lines().collect::<Vec<_>>().join("\n  ");
        out.push_str(&format!("\n  ```text\n  {command}\n  ```\n"));
    }
    if let Some(link) = &n.link {
        out.push_str(&format!("\n  See <{link}>.\n"));
    }
    out
}
