//! An OpenAPI 3.0 document of one API version of the specs, so that the
//! specs can feed the rest of the OpenAPI ecosystem (and other generators can
//! be measured on the very same API). What OpenAPI has no field for is kept
//! in extensions: `x-ms-permissions` (the permissions table), `x-ms-clouds`,
//! `x-ms-conditions`.

use serde_json::{json, Map, Value};

use crate::ir::{
    Api, Body, Operation, OperationVersion, ParameterLocation, PermissionRow, PermissionType,
    Primitive, ResponseBody, TypeDef, TypeKind, TypeRef,
};

/// Headers OpenAPI does not let a document describe as parameters.
const RESERVED_HEADERS: &[&str] = &["authorization", "content-type", "accept"];

fn primitive(p: Primitive) -> Value {
    match p {
        Primitive::String => json!({"type": "string"}),
        Primitive::Boolean => json!({"type": "boolean"}),
        Primitive::Byte => json!({"type": "integer", "format": "uint8"}),
        Primitive::Int16 => json!({"type": "integer", "format": "int16"}),
        Primitive::Int32 => json!({"type": "integer", "format": "int32"}),
        Primitive::Int64 => json!({"type": "integer", "format": "int64"}),
        Primitive::Single => json!({"type": "number", "format": "float"}),
        Primitive::Double => json!({"type": "number", "format": "double"}),
        Primitive::Decimal => json!({"type": "number", "format": "decimal"}),
        Primitive::Guid => json!({"type": "string", "format": "uuid"}),
        Primitive::DateTimeOffset => json!({"type": "string", "format": "date-time"}),
        Primitive::Date => json!({"type": "string", "format": "date"}),
        Primitive::TimeOfDay => json!({"type": "string", "format": "time"}),
        Primitive::Duration => json!({"type": "string", "format": "duration"}),
        Primitive::Binary => json!({"type": "string", "format": "byte"}),
        Primitive::Stream => json!({"type": "string", "format": "binary"}),
        Primitive::Json => json!({}),
    }
}

fn schema(ty: &TypeRef, collection: bool) -> Value {
    let item = match ty {
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Named(name) => json!({"$ref": format!("#/components/schemas/{name}")}),
    };
    if collection {
        json!({"type": "array", "items": item})
    } else {
        item
    }
}

fn with_description(mut value: Value, description: Option<&str>) -> Value {
    if let (Some(d), Value::Object(map)) = (description, &mut value) {
        // A `$ref` takes no siblings in OpenAPI 3.0: wrap it to describe it.
        if map.contains_key("$ref") {
            return json!({"allOf": [value], "description": d.trim()});
        }
        map.insert("description".into(), json!(d.trim()));
    }
    value
}

fn type_schema(api: &Api, def: &TypeDef, version: &str) -> Value {
    let mut out = match def.kind {
        TypeKind::Enum => {
            let members: Vec<&str> = def
                .members
                .iter()
                .filter(|m| m.versions.iter().any(|v| v == version))
                .map(|m| m.name.documented.as_str())
                .collect();
            json!({"type": "string", "enum": members})
        }
        TypeKind::Entity | TypeKind::Complex => {
            let mut properties = Map::new();
            for p in def
                .properties
                .iter()
                .filter(|p| p.versions.iter().any(|v| v == version))
            {
                let mut s = with_description(schema(&p.ty, p.collection), p.description.as_deref());
                if let Value::Object(map) = &mut s {
                    if p.read_only {
                        map.insert("readOnly".into(), json!(true));
                    }
                    if p.nullable && !map.contains_key("$ref") && !map.contains_key("allOf") {
                        map.insert("nullable".into(), json!(true));
                    }
                    if p.deprecated.is_some() {
                        map.insert("deprecated".into(), json!(true));
                    }
                }
                properties.insert(p.name.documented.clone(), s);
            }
            let mut own = json!({"type": "object", "properties": properties});
            // Unknown properties are allowed by default, and Graph sends
            // them; an open type says so explicitly.
            if def.open {
                own["additionalProperties"] = json!(true);
            }
            match def.base_type.as_deref().and_then(|b| api.type_def(b)) {
                Some(base) => {
                    json!({"allOf": [{"$ref": format!("#/components/schemas/{}", base.name.documented)}, own]})
                }
                None => own,
            }
        }
    };
    if let Value::Object(map) = &mut out {
        if let Some(d) = &def.description {
            map.insert("description".into(), json!(d.trim()));
        }
        map.insert("x-ms-odata-type".into(), json!(def.odata_type));
        if def.deprecated.is_some() {
            map.insert("deprecated".into(), json!(true));
        }
    }
    out
}

fn permissions(v: &OperationVersion) -> Value {
    let mut out = Map::new();
    for ty in PermissionType::ALL {
        let row = match v.permissions.row(ty) {
            PermissionRow::Unsupported => json!("unsupported"),
            PermissionRow::NotRequired => json!("none"),
            PermissionRow::Supported { least, higher, .. } => {
                json!({"least": least, "higher": higher})
            }
        };
        out.insert(ty.spec_key().into(), row);
    }
    Value::Object(out)
}

fn operation_object(operation: &Operation, v: &OperationVersion, path_index: usize) -> Value {
    let path = &v.paths[path_index];
    let in_this_line: std::collections::BTreeSet<&str> = path.parameters().collect();
    let mut parameters = Vec::new();
    // Each request line takes its own values: another line's are not its.
    for p in v
        .parameters
        .iter()
        .filter(|p| !p.in_request_line || in_this_line.contains(p.name.documented.as_str()))
    {
        let location = match p.location {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
        };
        let mut s = primitive(p.ty);
        if p.collection {
            s = json!({"type": "array", "items": s});
        }
        let mut parameter =
            json!({"name": p.name.documented, "in": location, "required": p.required, "schema": s});
        if let Some(d) = &p.description {
            parameter["description"] = json!(d.trim());
        }
        parameters.push(parameter);
    }
    for option in &v.query_options {
        let s = match option.as_str() {
            "top" | "skip" => json!({"type": "integer", "minimum": 0}),
            "count" => json!({"type": "boolean"}),
            "select" | "expand" | "orderby" => {
                json!({"type": "array", "items": {"type": "string"}})
            }
            _ => json!({"type": "string"}),
        };
        parameters.push(json!({"name": format!("${option}"), "in": "query", "required": false, "schema": s, "style": "form", "explode": false}));
    }
    for h in v
        .headers
        .iter()
        .filter(|h| !RESERVED_HEADERS.contains(&h.name.to_ascii_lowercase().as_str()))
    {
        let mut parameter = json!({"name": h.name, "in": "header", "required": h.required, "schema": {"type": "string"}});
        if let Some(d) = &h.description {
            parameter["description"] = json!(d.trim());
        }
        parameters.push(parameter);
    }
    let mut object = json!({
        "operationId": if path_index == 0 { operation.name.documented.clone() } else { format!("{}_{path_index}", operation.name.documented) },
        "summary": operation.title,
        "description": match &operation.description {
            Some(d) => format!("{}\n\n{}", operation.summary, d),
            None => operation.summary.clone(),
        },
        "tags": [operation.area],
        "parameters": parameters,
        "x-ms-permissions": permissions(v),
    });
    if operation.deprecated.is_some() || v.deprecated.is_some() || path.deprecated.is_some() {
        object["deprecated"] = json!(true);
    }
    if let Some(clouds) = &v.clouds {
        object["x-ms-clouds"] = json!(clouds);
    }
    if !operation.conditions.is_empty() {
        object["x-ms-conditions"] = json!(operation
            .conditions
            .iter()
            .map(|c| c.text.clone())
            .collect::<Vec<_>>());
    }
    if let Some(body) = &v.body {
        let (content_type, s, description) = match body {
            Body::Typed {
                ty,
                collection,
                description,
                ..
            } => (
                "application/json".to_owned(),
                schema(ty, *collection),
                description.clone(),
            ),
            Body::Parameters {
                parameters,
                description,
            } => {
                let mut properties = Map::new();
                let mut required = Vec::new();
                for p in parameters {
                    let mut s =
                        with_description(schema(&p.ty, p.collection), p.description.as_deref());
                    if let (Some(max), Value::Object(map)) = (p.max_length, &mut s) {
                        map.insert("maxLength".into(), json!(max));
                    }
                    properties.insert(p.name.documented.clone(), s);
                    if p.required {
                        required.push(p.name.documented.clone());
                    }
                }
                let mut s = json!({"type": "object", "properties": properties});
                if !required.is_empty() {
                    s["required"] = json!(required);
                }
                ("application/json".to_owned(), s, description.clone())
            }
            Body::Raw {
                content_type,
                description,
            } => (
                content_type.clone(),
                json!({"type": "string", "format": "binary"}),
                description.clone(),
            ),
        };
        let mut request_body = json!({"required": true, "content": {content_type: {"schema": s}}});
        if let Some(d) = description {
            request_body["description"] = json!(d.trim());
        }
        object["requestBody"] = request_body;
    }
    let mut responses = Map::new();
    for r in &v.responses {
        let mut response = json!({"description": r.description.clone().unwrap_or_else(|| format!("Status {}.", r.status))});
        match &r.body {
            Some(ResponseBody::Json {
                ty,
                collection,
                paged,
            }) => {
                let s = if *collection {
                    let mut page =
                        json!({"type": "object", "properties": {"value": schema(ty, true)}});
                    if *paged {
                        page["properties"]["@odata.nextLink"] = json!({"type": "string"});
                    }
                    page
                } else {
                    schema(ty, false)
                };
                response["content"] = json!({"application/json": {"schema": s}});
            }
            Some(ResponseBody::Raw { content_types }) => {
                let content: Map<String, Value> = content_types
                    .iter()
                    .map(|c| {
                        (
                            c.clone(),
                            json!({"schema": {"type": "string", "format": "binary"}}),
                        )
                    })
                    .collect();
                response["content"] = Value::Object(content);
            }
            None => {}
        }
        if !r.headers.is_empty() {
            let mut headers = Map::new();
            for h in &r.headers {
                let mut header = json!({"schema": {"type": "string"}});
                if let Some(d) = &h.description {
                    header["description"] = json!(d.trim());
                }
                headers.insert(h.name.clone(), header);
            }
            response["headers"] = Value::Object(headers);
        }
        responses.insert(r.status.to_string(), response);
    }
    object["responses"] = Value::Object(responses);
    object
}

/// The OpenAPI document of `version`, or `None` when the specs lack it.
pub fn document(api: &Api, version: &str) -> Option<Value> {
    let v = api.version(version)?;
    let mut paths = Map::new();
    for operation in &api.operations {
        let Some(ov) = operation.version(version) else {
            continue;
        };
        for (index, path) in ov.paths.iter().enumerate() {
            // OpenAPI keys paths without their query: a request line with a
            // fixed query goes under its path, its query in
            // `x-ms-fixed-query`; where that method is taken already (two
            // lines that differ only in their fixed query), the first stays.
            let item = paths
                .entry(path.path_only().to_owned())
                .or_insert_with(|| json!({}));
            let method = ov.method.as_str().to_ascii_lowercase();
            if item.get(&method).is_some() {
                continue;
            }
            let mut object = operation_object(operation, ov, index);
            if !path.query.is_empty() {
                let fixed: Map<String, Value> = path
                    .template
                    .split_once('?')
                    .map(|(_, q)| q)
                    .unwrap_or_default()
                    .split('&')
                    .filter_map(|pair| pair.split_once('='))
                    .map(|(k, v)| (k.to_owned(), json!(v)))
                    .collect();
                object["x-ms-fixed-query"] = Value::Object(fixed);
            }
            item[method] = object;
        }
    }
    let mut schemas = Map::new();
    for def in api
        .types
        .iter()
        .filter(|t| t.versions.iter().any(|x| x == version))
    {
        schemas.insert(def.name.documented.clone(), type_schema(api, def, version));
    }
    let servers: Vec<Value> = api
        .clouds
        .iter()
        .map(|c| json!({"url": format!("{}{}", c.host, v.base_path), "description": c.title}))
        .collect();
    let tags: Vec<Value> = api
        .areas
        .iter()
        .map(|a| {
            let mut tag = json!({"name": a.name.documented});
            if let Some(d) = &a.description {
                tag["description"] = json!(d);
            }
            tag
        })
        .collect();
    Some(json!({
        "openapi": "3.0.3",
        "info": {
            "title": format!("{} {}", api.service.title, v.name),
            "version": v.name,
            "description": v.description.clone().unwrap_or_default(),
        },
        "servers": servers,
        "tags": tags,
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "An OAuth 2.0 access token for Microsoft Graph."}
            }
        }
    }))
}
