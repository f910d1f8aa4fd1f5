//! Documented examples as Rust: the fluent call with the example's ids, and
//! the body built field by field from the example's JSON, so that a reader
//! sees the typed API and a test can check it produces the documented wire.

use serde_json::Value;

use super::fluent::Tree;
use super::{VersionContext, CRATE_IDENT};
use crate::ir::{Api, Body, Example, Operation, OperationVersion, Primitive, TypeKind, TypeRef};

/// Rust for one documented example: statements that end with `request`, a
/// `msgraph_runtime::Request` not yet sent, assuming a `client: GraphClient`.
pub(crate) struct ExampleCode {
    /// `let body = ...;` lines, when the example has a body.
    pub body: Option<String>,
    /// The fluent call, without `.await`.
    pub call: String,
}

impl ExampleCode {
    /// The code as a reader would write it: the call awaited, formatted.
    pub fn awaited(&self) -> String {
        let mut out = String::new();
        if let Some(body) = &self.body {
            out.push_str(body);
        }
        out.push_str(&format!("let output = {}\n    .await?;\n", self.call));
        // The call chain is written formatted already; a body built from
        // JSON needs the formatter.
        if self.body.is_some() {
            pretty_statements(&out)
        } else {
            out
        }
    }

    /// The code that binds the request without sending it.
    pub fn unsent(&self) -> String {
        let mut out = String::new();
        if let Some(body) = &self.body {
            out.push_str(body);
        }
        out.push_str(&format!("let request = {};\n", self.call));
        out
    }
}

pub(crate) fn example_code(
    ctx: &VersionContext,
    tree: &Tree,
    operation: &Operation,
    v: &OperationVersion,
    example: &Example,
) -> ExampleCode {
    let node = tree.terminals[&(
        operation.name.documented.clone(),
        example.request.path_index,
    )];
    let values = &example.request.path_values;
    let chain = tree.chain(node, &|name| {
        rust_string(values.get(name).map(String::as_str).unwrap_or(""))
    });
    let path = &v.paths[example.request.path_index];
    let method = super::operations::terminal_name(operation, v, path);
    // A fixed query's values are the terminal method's first arguments.
    let mut line_args: Vec<String> = path
        .query_parameters()
        .map(|name| rust_string(values.get(name).map(String::as_str).unwrap_or("")))
        .collect();
    let models = format!("{CRATE_IDENT}::{}::models", ctx.version.module);
    let builder = Builder {
        api: ctx.api,
        version: &ctx.version.name,
        models: &models,
    };
    let body_json = example.request.body.as_ref().and_then(|b| b.json.as_ref());
    let (body, arg) = match (&v.body, body_json) {
        (
            Some(Body::Typed {
                ty: TypeRef::Named(name),
                update: Some(_),
                ..
            }),
            Some(Value::Object(map)),
        ) => {
            // Each property the example sends, set (or cleared with null).
            let body_type = format!(
                "{CRATE_IDENT}::{}::operations::{}Body",
                ctx.version.module, operation.name.pascal
            );
            let def = ctx.api.type_def(name).expect("validated type");
            let properties = ctx.api.all_properties(def, &ctx.version.name);
            let mut code = format!("let mut body = {body_type}::new();\n");
            for (key, item) in map {
                match properties.iter().find(|p| &p.name.documented == key) {
                    Some(p) if item.is_null() => code.push_str(&format!(
                        "body.{} = {CRATE_IDENT}::runtime::Patch::Clear;\n",
                        p.name.snake
                    )),
                    Some(p) => code.push_str(&format!(
                        "body.{} = {CRATE_IDENT}::runtime::Patch::Set({});\n",
                        p.name.snake,
                        builder.value(item, &p.ty, p.collection, 0)
                    )),
                    None => code.push_str(&undeclared(key, item)),
                }
            }
            (Some(code), "body")
        }
        (Some(Body::Typed { ty, collection, .. }), Some(json)) => (
            Some(format!(
                "let body = {};\n",
                builder.value(json, ty, *collection, 0)
            )),
            "body",
        ),
        (Some(Body::Parameters { parameters, .. }), Some(Value::Object(map))) => {
            let body_type = format!(
                "{CRATE_IDENT}::{}::operations::{}Body",
                ctx.version.module, operation.name.pascal
            );
            let required: Vec<String> = parameters
                .iter()
                .filter(|p| p.required)
                .map(|p| {
                    builder.value(
                        map.get(&p.name.documented).unwrap_or(&Value::Null),
                        &p.ty,
                        p.collection,
                        1,
                    )
                })
                .collect();
            let mut code = format!(
                "let mut body = {body_type}::new({});\n",
                required.join(", ")
            );
            for (key, item) in map {
                match parameters.iter().find(|p| &p.name.documented == key) {
                    Some(p) if p.required => {}
                    Some(_) if item.is_null() => {}
                    Some(p) => code.push_str(&format!(
                        "body.{} = Some({});\n",
                        p.name.snake,
                        builder.value(item, &p.ty, p.collection, 0)
                    )),
                    None => code.push_str(&undeclared(key, item)),
                }
            }
            (Some(code), "body")
        }
        (Some(Body::Raw { .. }), _) => {
            let text = example
                .request
                .body
                .as_ref()
                .map(|b| b.text.as_str())
                .unwrap_or("");
            (
                Some(format!(
                    "let body = {}.as_bytes().to_vec();\n",
                    rust_string(text)
                )),
                "body",
            )
        }
        _ => (None, ""),
    };
    let mut call = format!("client\n    .{}()\n", ctx.version.module);
    for step in split_calls(&chain) {
        call.push_str(&format!("    {step}\n"));
    }
    if !arg.is_empty() {
        line_args.push(arg.to_owned());
    }
    call.push_str(&format!("    .{method}({})", line_args.join(", ")));
    for setter in query_setters(v, &example.request.query) {
        call.push_str(&format!("\n    {setter}"));
    }
    // An upload whose media type is the content's: the example's.
    if let Some(Body::Raw { content_type, .. }) = &v.body {
        let shown = example
            .request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value);
        if let (true, Some(shown)) = (content_type == super::operations::ANY_CONTENT_TYPE, shown) {
            call.push_str(&format!(
                "\n    .with(|operation| operation.content_type = Some({}.to_owned()))",
                rust_string(shown)
            ));
        }
    }
    ExampleCode { body, call }
}

/// The example URL's query (beyond a fixed query) as calls on the fluent
/// request: `.select(["id", "subject"])`, `.filter("...")`, or a documented
/// query parameter set on the operation.
fn query_setters(v: &OperationVersion, query: &[(String, String)]) -> Vec<String> {
    let list = |value: &str| {
        let items: Vec<String> = value.split(',').map(|s| rust_string(s.trim())).collect();
        format!("[{}]", items.join(", "))
    };
    query
        .iter()
        .filter_map(|(key, value)| {
            let Some(option) = key.strip_prefix('$') else {
                let p = v
                    .parameters
                    .iter()
                    .find(|p| p.name.documented.eq_ignore_ascii_case(key))?;
                let scalar = |text: &str| match p.ty {
                    Primitive::String
                    | Primitive::Guid
                    | Primitive::DateTimeOffset
                    | Primitive::Date
                    | Primitive::TimeOfDay
                    | Primitive::Duration
                    | Primitive::Binary
                    | Primitive::Stream => format!("{}.to_owned()", rust_string(text)),
                    Primitive::Json => format!("serde_json::Value::from({})", rust_string(text)),
                    _ => text.to_owned(),
                };
                let typed = if p.collection {
                    let items: Vec<String> = value.split(',').map(|i| scalar(i.trim())).collect();
                    format!("vec![{}]", items.join(", "))
                } else {
                    scalar(value)
                };
                let typed = if p.required {
                    typed
                } else {
                    format!("Some({typed})")
                };
                return Some(format!(
                    ".with(|operation| operation.{} = {typed})",
                    p.name.snake
                ));
            };
            let documented = v
                .query_options
                .iter()
                .find(|o| o.eq_ignore_ascii_case(option))?;
            Some(match documented.as_str() {
                "select" | "expand" | "orderby" => format!(".{documented}({})", list(value)),
                "top" | "skip" | "count" => format!(".{documented}({value})"),
                "skipToken" => format!(".skip_token({})", rust_string(value)),
                "deltatoken" => format!(".delta_token({})", rust_string(value)),
                other => format!(".{other}({})", rust_string(value)),
            })
        })
        .collect()
}

/// A body property the specs do not declare, kept as the example sends it.
fn undeclared(key: &str, item: &Value) -> String {
    format!(
        "body.additional_properties.insert({}.to_owned(), serde_json::json!({item}));\n",
        rust_string(key)
    )
}

/// Formats statements with prettyplease, as the generated code is: they are
/// wrapped in a function to parse, and unwrapped after. Code that does not
/// parse (a generator bug) is returned as it is.
fn pretty_statements(code: &str) -> String {
    // The rustdoc and the Markdown page show the same examples: format each once.
    static FORMATTED: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<String, String>>,
    > = std::sync::OnceLock::new();
    let cache = FORMATTED.get_or_init(Default::default);
    if let Some(done) = cache.lock().ok().and_then(|c| c.get(code).cloned()) {
        return done;
    }
    let formatted = format_statements(code);
    if let Ok(mut c) = cache.lock() {
        c.insert(code.to_owned(), formatted.clone());
    }
    formatted
}

fn format_statements(code: &str) -> String {
    let wrapped = format!("async fn example() {{\n{code}\n}}");
    let Ok(file) = syn::parse_file(&wrapped) else {
        return code.to_owned();
    };
    let printed = prettyplease::unparse(&file);
    let lines: Vec<&str> = printed.lines().collect();
    let inner = &lines[1..lines.len().saturating_sub(1)];
    let mut out = String::new();
    for line in inner {
        out.push_str(line.strip_prefix("    ").unwrap_or(line));
        out.push('\n');
    }
    out
}

/// `.a().b("x")` -> [".a()", ".b(\"x\")"], minding parentheses in strings.
fn split_calls(chain: &str) -> Vec<String> {
    let mut calls = Vec::new();
    let mut current = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in chain.chars() {
        if c == '.' && !in_string && !current.is_empty() {
            calls.push(std::mem::take(&mut current));
        }
        current.push(c);
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        }
    }
    if !current.is_empty() {
        calls.push(current);
    }
    calls
}

/// A Rust string literal.
pub(crate) fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

struct Builder<'a> {
    api: &'a Api,
    version: &'a str,
    models: &'a str,
}

impl Builder<'_> {
    /// A Rust expression of the type for a JSON value, indented `depth` levels.
    fn value(&self, json: &Value, ty: &TypeRef, collection: bool, depth: usize) -> String {
        let pad = "    ".repeat(depth + 1);
        let close = "    ".repeat(depth);
        if collection {
            let Value::Array(items) = json else {
                return "Vec::new()".to_owned();
            };
            if items.is_empty() {
                return "Vec::new()".to_owned();
            }
            let items: Vec<String> = items
                .iter()
                .map(|i| format!("{pad}{},\n", self.value(i, ty, false, depth + 1)))
                .collect();
            // Not `vec![]`: code inside a macro is not formatted in the tests.
            return format!("Vec::from([\n{}{close}])", items.concat());
        }
        match (ty, json) {
            (TypeRef::Primitive(Primitive::Json), _) => format!("serde_json::json!({json})"),
            (TypeRef::Primitive(Primitive::Boolean), Value::Bool(b)) => b.to_string(),
            (
                TypeRef::Primitive(Primitive::Single | Primitive::Double | Primitive::Decimal),
                Value::Number(n),
            ) => {
                let text = n.to_string();
                if text.contains('.') || text.contains('e') {
                    text
                } else {
                    format!("{text}.0")
                }
            }
            (TypeRef::Primitive(_), Value::Number(n)) => n.to_string(),
            (TypeRef::Primitive(_), Value::String(s)) => format!("{}.to_owned()", rust_string(s)),
            (TypeRef::Named(name), value) => {
                let def = self.api.type_def(name).expect("validated type");
                match (def.kind, value) {
                    (TypeKind::Enum, Value::String(s)) => {
                        format!(
                            "{}::{}::from({})",
                            self.models,
                            def.name.pascal,
                            rust_string(s)
                        )
                    }
                    (TypeKind::Entity | TypeKind::Complex, Value::Object(map)) => {
                        // Where a derived type may stand, `@odata.type` says
                        // which one this is, and the value goes in the `Any` enum.
                        let any = self
                            .api
                            .polymorphic
                            .contains(name)
                            .then(|| super::types::any_name(def));
                        let tag = map.get("@odata.type").and_then(Value::as_str);
                        let named = tag.and_then(|t| self.api.type_by_odata(t)).filter(|t| {
                            t.name.documented == def.name.documented
                                || self.api.derives_from(t, name)
                        });
                        let def = match (&any, named) {
                            (_, Some(named)) => named,
                            // An abstract base without a tag this crate knows
                            // is kept whole, as the enum reads it.
                            (Some(any), None) if def.is_abstract || tag.is_some() => {
                                return format!(
                                    "{}::{any}::Other(serde_json::json!({json}).as_object().cloned().unwrap_or_default())",
                                    self.models
                                );
                            }
                            _ => def,
                        };
                        let name = &def.name.documented;
                        let properties = self.api.all_properties(def, self.version);
                        let mut out = format!(
                            "{{\n{pad}let mut value = {}::{}::default();\n",
                            self.models, def.name.pascal
                        );
                        for (key, item) in map {
                            match properties.iter().find(|p| &p.name.documented == key) {
                                Some(_) if item.is_null() => {}
                                Some(p) => {
                                    let mut inner = self.value(item, &p.ty, p.collection, depth + 1);
                                    if super::types::needs_box(self.api, self.version, name, &p.ty, p.collection) {
                                        inner = format!("Box::new({inner})");
                                    }
                                    out.push_str(&format!("{pad}value.{} = Some({inner});\n", p.name.snake));
                                }
                                None => out.push_str(&format!(
                                    "{pad}value.additional_properties.insert({}.to_owned(), serde_json::json!({item}));\n",
                                    rust_string(key)
                                )),
                            }
                        }
                        out.push_str(&format!("{pad}value\n{close}}}"));
                        match any {
                            Some(any) => format!("{}::{any}::from({out})", self.models),
                            None => out,
                        }
                    }
                    _ => "Default::default()".to_owned(),
                }
            }
            _ => "Default::default()".to_owned(),
        }
    }
}
