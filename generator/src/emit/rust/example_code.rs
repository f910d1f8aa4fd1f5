//! Documented examples as Rust: the fluent call with the example's ids, and
//! the body built field by field from the example's JSON, so that a reader
//! sees the typed API and a test can check it produces the documented wire.

use serde_json::Value;

use super::example_layout::{chain_statement, Expr};
use super::fluent::Tree;
use super::{VersionContext, CRATE_IDENT};
use crate::ir::{Api, Body, Example, Operation, OperationVersion, Primitive, TypeKind, TypeRef};

/// Rust for one documented example, assuming a `client: GraphClient`.
pub(crate) struct ExampleCode {
    /// `use` lines for the types the body names.
    uses: String,
    /// The body, when the example has one.
    body: Option<BodyCode>,
    /// The fluent call after `client`, one call per step (`.v1_0()`, ...,
    /// `.post(body)`, then setters of the request).
    steps: Vec<String>,
    /// The last step that takes an id, where a long call is split in two.
    last_id_step: Option<usize>,
    /// JSON pointers of the `@odata.type` annotations of the example's body
    /// that the code leaves out, each naming the type declared where it
    /// stands: Graph reads the same value without it.
    pub omitted_tags: Vec<String>,
}

/// `let body = <value>;` and the statements that follow it.
struct BodyCode {
    /// `body`, or `mut body` when statements after it change it.
    binding: &'static str,
    value: Expr,
    after: String,
}

impl ExampleCode {
    /// The code as a reader would write it: the body laid out like the
    /// page's JSON, the call awaited, each as short as rustfmt allows.
    pub fn awaited(&self) -> String {
        let mut out = self.uses.clone();
        if let Some(body) = &self.body {
            let prefix = format!("let {} = ", body.binding);
            out.push_str(&format!(
                "{prefix}{};\n{}",
                body.value.layout(prefix.len(), 0, 1),
                body.after
            ));
        }
        let one_line = format!("let output = client{}.await?;", self.steps.concat());
        if one_line.len() <= 100 {
            out.push_str(&one_line);
            out.push('\n');
            return out;
        }
        // `let call = client....calls(id);` then the rest on the resource:
        // two lines where a chain of one call per line would take eight.
        if let Some((k, name)) = self
            .last_id_step
            .and_then(|k| Some((k, resource_name(&self.steps[k])?)))
        {
            let resource = format!("let {name} = client{};", self.steps[..=k].concat());
            // Only where the resource's line is one line: else the split
            // saves nothing.
            if resource.len() <= 100 {
                out.push_str(&resource);
                out.push('\n');
                out.push_str(&chain_statement(
                    "let output = ",
                    &name,
                    &self.steps[k + 1..],
                    ".await?;",
                ));
                return out;
            }
        }
        out.push_str(&chain_statement(
            "let output = ",
            "client",
            &self.steps,
            ".await?;",
        ));
        out
    }

    /// The code that binds the request without sending it.
    pub fn unsent(&self) -> String {
        let mut out = self.uses.clone();
        if let Some(body) = &self.body {
            out.push_str(&format!(
                "let {} = {};\n{}",
                body.binding,
                body.value.flat(),
                body.after
            ));
        }
        out.push_str(&format!("let request = client{};\n", self.steps.concat()));
        out
    }
}

/// The variable that holds the resource a step reaches: `.calls("...")` ->
/// `call`. None where the plural does not say it plainly, or where the name
/// is taken by the example's own variables.
fn resource_name(step: &str) -> Option<String> {
    // One id: a function's parameters (`get_pstn_calls(from, to)`) name no resource.
    if step.contains("\", ") {
        return None;
    }
    let method = step.strip_prefix('.')?.split('(').next()?;
    let singular = method.strip_suffix('s')?;
    let taken = [
        "body",
        "output",
        "client",
        "request",
        "operation",
        "sent",
        "response",
    ];
    if singular.is_empty()
        || taken.contains(&singular)
        || crate::naming::is_keyword(singular)
        || singular.ends_with('_')
    {
        return None;
    }
    Some(singular.to_owned())
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
    let path = &v.paths[example.request.path_index];
    let names = tree.names_for(node, path);
    let chain = tree.chain(node, &|name| {
        let name = names.get(name).map_or(name, String::as_str);
        rust_string(values.get(name).map(String::as_str).unwrap_or(""))
    });
    let method = super::operations::terminal_name(operation, v, path);
    // A fixed query's values are the terminal method's first arguments.
    let mut line_args: Vec<String> = path
        .query_parameters()
        .map(|name| rust_string(values.get(name).map(String::as_str).unwrap_or("")))
        .collect();
    // Then the required query parameters and headers, in the order the
    // terminal method takes them, with the example's values.
    for p in super::operations::required_query_parameters(v) {
        let shown = example
            .request
            .query
            .iter()
            .find(|(k, _)| *k == p.name.documented)
            .map_or("", |(_, value)| value.as_str());
        line_args.push(if p.collection {
            format!("vec![{}]", rust_string(shown))
        } else {
            rust_string(shown)
        });
    }
    for h in super::operations::caller_headers(v) {
        let shown = example
            .request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&h.name))
            .map_or("", |(_, value)| value.as_str());
        line_args.push(rust_string(shown));
    }
    let models = format!("{CRATE_IDENT}::{}::models", ctx.version.module);
    let builder = Builder {
        api: ctx.api,
        version: &ctx.version.name,
        imports: Default::default(),
        omitted_tags: Default::default(),
    };
    let body_json = example.request.body.as_ref().and_then(|b| b.json.as_ref());
    let body_type = format!("{}Body", operation.name.pascal);
    // Imported by its short name, unless a model has that name.
    let body_name = if ctx.api.types.iter().any(|t| t.name.pascal == body_type) {
        format!(
            "{CRATE_IDENT}::{}::operations::{body_type}",
            ctx.version.module
        )
    } else {
        body_type.clone()
    };
    let leaf = |text: String| Expr::Leaf(text);
    let body = match (&v.body, body_json) {
        (
            Some(Body::Typed {
                ty: TypeRef::Named(name),
                update: Some(update),
                ..
            }),
            Some(Value::Object(map)),
        ) => {
            // Each property the example sends, set; cleared ones after. The
            // setters are named among the updatable properties, as the body's.
            let def = ctx.api.type_def(name).expect("validated type");
            let properties: Vec<_> = update
                .iter()
                .filter_map(|name| {
                    ctx.api
                        .all_properties(def, &ctx.version.name)
                        .into_iter()
                        .find(|p| &p.name.documented == name)
                })
                .collect();
            let names = super::builders::setter_names(
                &properties.iter().map(|p| &p.name).collect::<Vec<_>>(),
            );
            let mut value = Expr::Call {
                head: format!("{body_name}::new"),
                args: Vec::new(),
            };
            let mut after = String::new();
            for (key, item) in map {
                match properties
                    .iter()
                    .zip(&names)
                    .find(|(p, _)| &p.name.documented == key)
                {
                    Some((p, _)) if item.is_null() => after.push_str(&format!(
                        "body.{} = {CRATE_IDENT}::runtime::Patch::Clear;\n",
                        p.name.snake
                    )),
                    Some((p, setter)) => {
                        let item = builder.value(item, &p.ty, p.collection, &pointer("", key));
                        value = value.then(&setter.to_string(), vec![item]);
                    }
                    None => value = undeclared(value, key, item),
                }
            }
            let binding = if after.is_empty() { "body" } else { "mut body" };
            Some(BodyCode {
                binding,
                value,
                after,
            })
        }
        (Some(Body::Typed { ty, collection, .. }), Some(json)) => {
            let value = builder.value(json, ty, *collection, "");
            // `[...]` serves a setter; the operation takes a `Vec`.
            let value = match value {
                Expr::Array(items) => Expr::Call {
                    head: "Vec::from".to_owned(),
                    args: vec![Expr::Array(items)],
                },
                other => other,
            };
            Some(BodyCode {
                binding: "body",
                value,
                after: String::new(),
            })
        }
        (Some(Body::Parameters { parameters, .. }), Some(Value::Object(map))) => {
            let required: Vec<Expr> = parameters
                .iter()
                .filter(|p| p.required)
                .map(|p| {
                    let key = &p.name.documented;
                    builder.value(
                        map.get(key).unwrap_or(&Value::Null),
                        &p.ty,
                        p.collection,
                        &pointer("", key),
                    )
                })
                .collect();
            let optional: Vec<&crate::naming::Name> = parameters
                .iter()
                .filter(|p| !p.required)
                .map(|p| &p.name)
                .collect();
            let names = super::builders::setter_names(&optional);
            let mut value = Expr::Call {
                head: format!("{body_name}::new"),
                args: required,
            };
            for (key, item) in map {
                let setter = optional
                    .iter()
                    .zip(&names)
                    .find(|(name, _)| &name.documented == key)
                    .map(|(_, setter)| setter.to_string());
                match (
                    parameters.iter().find(|p| &p.name.documented == key),
                    setter,
                ) {
                    (Some(p), _) if p.required => {}
                    (Some(_), _) if item.is_null() => {}
                    (Some(p), Some(setter)) => {
                        let item = builder.value(item, &p.ty, p.collection, &pointer("", key));
                        value = value.then(&setter, vec![item]);
                    }
                    _ => value = undeclared(value, key, item),
                }
            }
            Some(BodyCode {
                binding: "body",
                value,
                after: String::new(),
            })
        }
        (Some(Body::Raw { .. }), _) => {
            let text = example
                .request
                .body
                .as_ref()
                .map(|b| b.text.as_str())
                .unwrap_or("");
            Some(BodyCode {
                binding: "body",
                value: leaf(format!("{}.as_bytes().to_vec()", rust_string(text))),
                after: String::new(),
            })
        }
        _ => None,
    };
    // Short names, imported: the value then reads like the page's JSON.
    let imports = builder.imports.into_inner();
    let mut uses = String::new();
    match imports.len() {
        0 => {}
        1 => uses.push_str(&format!(
            "use {models}::{};\n",
            imports.iter().next().expect("one import")
        )),
        _ => uses.push_str(&format!(
            "use {models}::{{{}}};\n",
            imports.iter().cloned().collect::<Vec<_>>().join(", ")
        )),
    }
    let body_named = body
        .as_ref()
        .is_some_and(|b| b.value.flat().starts_with(&format!("{body_name}::")));
    if body_named && body_name == body_type {
        uses.push_str(&format!(
            "use {CRATE_IDENT}::{}::operations::{body_type};\n",
            ctx.version.module
        ));
    }
    let mut steps = vec![format!(".{}()", ctx.version.module)];
    steps.extend(split_calls(&chain));
    let last_id_step = steps.iter().rposition(|step| step.contains("(\""));
    if body.is_some() {
        line_args.push("body".to_owned());
    }
    steps.push(format!(".{method}({})", line_args.join(", ")));
    steps.extend(query_setters(v, &example.request.query));
    // An upload whose media type is the content's: the example's.
    if let Some(Body::Raw { content_type, .. }) = &v.body {
        let shown = example
            .request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value);
        if let (true, Some(shown)) = (content_type == super::operations::ANY_CONTENT_TYPE, shown) {
            steps.push(format!(
                ".with(|operation| operation.content_type = Some({}.to_owned()))",
                rust_string(shown)
            ));
        }
    }
    ExampleCode {
        uses,
        body,
        steps,
        last_id_step,
        omitted_tags: builder.omitted_tags.into_inner(),
    }
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
                    Primitive::String | Primitive::Binary | Primitive::Stream => {
                        format!("{}.to_owned()", rust_string(text))
                    }
                    // Typed values keep the example's text.
                    Primitive::Guid
                    | Primitive::DateTimeOffset
                    | Primitive::Date
                    | Primitive::TimeOfDay
                    | Primitive::Duration => format!("{}.into()", rust_string(text)),
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

/// A property the specs do not declare, set as the example sends it.
fn undeclared(value: Expr, key: &str, item: &Value) -> Expr {
    value.then(
        "additional_property",
        vec![Expr::Leaf(rust_string(key)), Expr::Leaf(json_value(item))],
    )
}

/// A JSON value as an argument of `impl Into<serde_json::Value>`: a literal
/// where one converts, else `serde_json::json!`.
fn json_value(item: &Value) -> String {
    match item {
        Value::String(s) => rust_string(s),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_f64() => {
            let text = n.to_string();
            if text.contains('.') || text.contains('e') {
                text
            } else {
                format!("{text}.0")
            }
        }
        Value::Number(n) if n.is_u64() && !n.is_i64() => format!("{n}u64"),
        Value::Number(n) => format!("{n}i64"),
        Value::Null => "serde_json::Value::Null".to_owned(),
        other => format!("serde_json::json!({other})"),
    }
}

/// A JSON pointer one key below `parent` (RFC 6901 escapes).
fn pointer(parent: &str, key: &str) -> String {
    format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
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
    /// The model types the code names, imported by their short names.
    imports: std::cell::RefCell<std::collections::BTreeSet<String>>,
    /// See [`ExampleCode::omitted_tags`].
    omitted_tags: std::cell::RefCell<Vec<String>>,
}

impl Builder<'_> {
    /// A model type's name, imported.
    fn model(&self, name: &str) -> String {
        self.imports.borrow_mut().insert(name.to_owned());
        name.to_owned()
    }

    /// The Rust type of one item of `ty`, for an empty collection.
    fn item_type(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Primitive(p) => super::types::primitive(*p)
                .to_string()
                .replace(' ', "")
                .replace("msgraph_runtime::", &format!("{CRATE_IDENT}::runtime::")),
            TypeRef::Named(name) => {
                let def = self.api.type_def(name).expect("validated type");
                self.model(&super::types::any_or_plain(self.api, def))
            }
        }
    }

    /// A Rust expression for a JSON value of a property or parameter, as a
    /// setter takes it (`impl Into<T>`, or an array for a collection).
    /// `at` is the value's JSON pointer in the body.
    fn value(&self, json: &Value, ty: &TypeRef, collection: bool, at: &str) -> Expr {
        if collection {
            let items = match json {
                Value::Array(items) if !items.is_empty() => items,
                _ => return Expr::Leaf(format!("Vec::<{}>::new()", self.item_type(ty))),
            };
            let values: Vec<(Expr, Option<String>)> = items
                .iter()
                .enumerate()
                .map(|(i, item)| self.element(item, ty, &format!("{at}/{i}")))
                .collect();
            // An array holds one type: derived values of several types go
            // into their `Any` enum each.
            let mixed = values.iter().any(|(_, t)| t != &values[0].1);
            let items: Vec<Expr> = values
                .into_iter()
                .map(|(code, made)| match (mixed, ty) {
                    (true, TypeRef::Named(name)) => {
                        let def = self.api.type_def(name).expect("validated type");
                        let any = self.model(&super::types::any_or_plain(self.api, def));
                        if made.as_deref() == Some(any.as_str()) {
                            code
                        } else {
                            Expr::Call {
                                head: format!("{any}::from"),
                                args: vec![code],
                            }
                        }
                    }
                    _ => code,
                })
                .collect();
            return Expr::Array(items);
        }
        self.element(json, ty, at).0
    }

    /// One value, and the model type it makes (to tell derived types apart).
    fn element(&self, json: &Value, ty: &TypeRef, at: &str) -> (Expr, Option<String>) {
        let code = match (ty, json) {
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
            // Text, and typed values (dates, durations, GUIDs) made from it.
            (TypeRef::Primitive(_), Value::String(s)) => rust_string(s),
            (TypeRef::Named(name), value) => return self.named(name, value, at),
            _ => "Default::default()".to_owned(),
        };
        (Expr::Leaf(code), None)
    }

    fn named(&self, name: &str, value: &Value, at: &str) -> (Expr, Option<String>) {
        let def = self.api.type_def(name).expect("validated type");
        match (def.kind, value) {
            (TypeKind::Enum, Value::String(s)) => {
                let enum_name = self.model(&def.name.pascal);
                let member = def.members.iter().find(|m| {
                    &m.name.documented == s && m.versions.iter().any(|v| v == self.version)
                });
                let code = match member {
                    Some(m) => format!("{enum_name}::{}", m.name.pascal),
                    None => format!("{enum_name}::from({})", rust_string(s)),
                };
                (Expr::Leaf(code), None)
            }
            (TypeKind::Entity | TypeKind::Complex, Value::Object(map)) => {
                // Where a derived type may stand, `@odata.type` says which
                // one this is; the setter puts it in the `Any` enum.
                let polymorphic = self.api.polymorphic.contains(name);
                let tag = map.get("@odata.type").and_then(Value::as_str);
                let named = tag.and_then(|t| self.api.type_by_odata(t)).filter(|t| {
                    t.name.documented == def.name.documented || self.api.derives_from(t, name)
                });
                let chosen = match named {
                    Some(named) => named,
                    // An abstract base without a tag this crate knows is
                    // kept whole, as the enum reads it.
                    None if polymorphic && (def.is_abstract || tag.is_some()) => {
                        let any = self.model(&super::types::any_name(def));
                        return (
                            Expr::Leaf(format!(
                                "{any}::Other(serde_json::json!({value}).as_object().cloned().unwrap_or_default())"
                            )),
                            Some(any),
                        );
                    }
                    None => def,
                };
                let properties = self.api.all_properties(chosen, self.version);
                let setters = super::builders::setter_names(
                    &properties.iter().map(|p| &p.name).collect::<Vec<_>>(),
                );
                let type_name = self.model(&chosen.name.pascal);
                let required: Vec<Expr> = properties
                    .iter()
                    .filter(|p| p.required)
                    .map(|p| {
                        let key = &p.name.documented;
                        self.value(
                            map.get(key).unwrap_or(&Value::Null),
                            &p.ty,
                            p.collection,
                            &pointer(at, key),
                        )
                    })
                    .collect();
                let mut code = Expr::Call {
                    head: format!("{type_name}::new"),
                    args: required,
                };
                for (key, item) in map {
                    if key == "@odata.type" && item.as_str() == Some(chosen.odata_type.as_str()) {
                        // A derived value in its `Any` enum writes this tag
                        // itself; on the declared type it says what Graph
                        // reads anyway (OData JSON gives the type where it is
                        // not the declared one).
                        if chosen.name.documented == def.name.documented {
                            self.omitted_tags.borrow_mut().push(pointer(at, key));
                        }
                        continue;
                    }
                    match properties
                        .iter()
                        .zip(&setters)
                        .find(|(p, _)| &p.name.documented == key)
                    {
                        Some((p, _)) if p.required => {}
                        Some(_) if item.is_null() => {}
                        Some((p, setter)) => {
                            let item = self.value(item, &p.ty, p.collection, &pointer(at, key));
                            code = code.then(&setter.to_string(), vec![item]);
                        }
                        None => code = undeclared(code, key, item),
                    }
                }
                (code, Some(type_name))
            }
            _ => (Expr::Leaf("Default::default()".to_owned()), None),
        }
    }
}
