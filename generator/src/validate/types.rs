//! Checks `types/*.yaml`: unique names, resolvable property and base types,
//! versions that exist, enum members named once.

use std::collections::{BTreeSet, HashMap};

use super::service::ServiceInfo;
use super::{check_deprecation, lower_deprecation, resolve_type, unknown_type_hint, At};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Member, Property, TypeDef, TypeKind, TypeRef};
use crate::naming::{dedupe, Form, Name};
use crate::node_path;
use crate::spec::model::{self, TypeSpec};
use crate::spec::Parsed;

/// Names the generated structs use for their own fields.
pub(crate) const RESERVED_FIELDS: &[&str] = &["additional_properties"];
/// The enum variant that keeps a value the crate does not know.
pub(crate) const RESERVED_VARIANTS: &[&str] = &["Unrecognized"];

pub(crate) struct TypesInfo {
    pub defs: Vec<TypeDef>,
    pub names: BTreeSet<String>,
    /// Documented name -> index into `defs` (the first, when declared twice).
    index: HashMap<String, usize>,
}

impl TypesInfo {
    fn new(defs: Vec<TypeDef>, names: BTreeSet<String>) -> Self {
        let mut index = HashMap::with_capacity(defs.len());
        for (i, def) in defs.iter().enumerate() {
            index.entry(def.name.documented.clone()).or_insert(i);
        }
        TypesInfo { defs, names, index }
    }

    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.index.get(name).map(|&i| &self.defs[i])
    }
}

pub(crate) fn check(
    files: &[Parsed<TypeSpec>],
    service: &ServiceInfo,
    diagnostics: &mut Diagnostics,
) -> TypesInfo {
    let mut first_file: HashMap<&str, &str> = HashMap::new();
    for parsed in files {
        let name = parsed.spec.name.as_str();
        if let Some(first) = first_file.get(name) {
            let at = At {
                file: &parsed.file,
                text: &parsed.text,
                locator: &parsed.locator,
            };
            diagnostics.push(
                at.error_at_value(
                    &node_path!["type"],
                    format!("type `{name}` is declared twice"),
                )
                .with_hint(format!(
                    "it is already declared in {first}; remove or rename one"
                )),
            );
        } else {
            first_file.insert(name, &parsed.file);
        }
    }
    let names: BTreeSet<String> = files.iter().map(|p| p.spec.name.clone()).collect();
    let kinds: HashMap<&str, model::TypeKind> = files
        .iter()
        .map(|p| (p.spec.name.as_str(), p.spec.kind))
        .collect();
    let all_versions = service.version_names();

    let mut defs = Vec::new();
    for parsed in files {
        let at = At {
            file: &parsed.file,
            text: &parsed.text,
            locator: &parsed.locator,
        };
        let spec = &parsed.spec;
        if !is_identifier(&spec.name) {
            diagnostics.push(
                at.error_at_value(
                    &node_path!["type"],
                    format!("`{}` is not a type name", spec.name),
                )
                .with_hint(
                    "type names are camelCase words as the docs write them, e.g. meetingRegistrant",
                ),
            );
        }
        let versions = check_versions(
            &spec.versions,
            &node_path!["versions"],
            service,
            &at,
            diagnostics,
        )
        .unwrap_or_else(|| all_versions.clone());
        check_deprecation(
            &spec.deprecated,
            &at,
            &node_path!["deprecated"],
            diagnostics,
        );

        match spec.kind {
            model::TypeKind::Enum => {
                if !spec.properties.is_empty() || !spec.relationships.is_empty() {
                    let key = if spec.properties.is_empty() {
                        "relationships"
                    } else {
                        "properties"
                    };
                    diagnostics.push(
                        at.error_at_key(
                            &node_path![key],
                            "an enum type has members, not properties",
                        )
                        .with_hint("list the values under `members:`, or make the kind `complex`"),
                    );
                }
                if spec.members.is_empty() {
                    diagnostics.push(
                        at.error_at_key(&node_path!["kind"], "an enum type needs at least one member")
                            .with_hint("list the values under `members:`, e.g. members: [registered, canceled]"),
                    );
                }
                if spec.base_type.is_some() {
                    diagnostics.push(at.error_at_key(
                        &node_path!["baseType"],
                        "an enum type cannot have a base type",
                    ));
                }
            }
            model::TypeKind::Entity | model::TypeKind::Complex => {
                if !spec.members.is_empty() {
                    diagnostics.push(
                        at.error_at_key(&node_path!["members"], "only enum types have members")
                            .with_hint("make the kind `enum`, or declare `properties:`"),
                    );
                }
            }
        }
        if let Some(base) = &spec.base_type {
            match kinds.get(base.as_str()) {
                None => diagnostics.push(
                    at.error_at_value(&node_path!["baseType"], format!("base type `{base}` is not declared"))
                        .with_hint(unknown_type_hint(base, &names)),
                ),
                Some(model::TypeKind::Enum) => diagnostics.push(at.error_at_value(
                    &node_path!["baseType"],
                    format!("base type `{base}` is an enum; only entity and complex types can be derived from"),
                )),
                Some(_) => {}
            }
        }

        let mut properties = Vec::new();
        let declared = spec
            .properties
            .iter()
            .map(|(k, p)| (k, p, false))
            .chain(spec.relationships.iter().map(|(k, p)| (k, p, true)));
        for (key, property, relationship) in declared {
            if relationship && spec.properties.contains_key(key) {
                diagnostics.push(
                    at.error_at_key(&node_path!["relationships", key], format!("`{key}` is both a property and a relationship"))
                        .with_hint("declare it once: under `relationships:` when the page lists it as a relationship"),
                );
                continue;
            }
            let path = node_path![
                if relationship {
                    "relationships"
                } else {
                    "properties"
                },
                key
            ];
            let ty = match resolve_type(&property.type_name, &names) {
                Some(ty) => ty,
                None => {
                    let mut type_path = path.clone();
                    type_path.push("type".into());
                    diagnostics.push(
                        at.error_at_value(
                            &type_path,
                            format!(
                                "property `{key}` has type `{}`, which is not declared",
                                property.type_name
                            ),
                        )
                        .with_hint(unknown_type_hint(&property.type_name, &names)),
                    );
                    TypeRef::Named(property.type_name.clone())
                }
            };
            let mut versions_path = path.clone();
            versions_path.push("versions".into());
            let property_versions = check_versions(
                &property.versions,
                &versions_path,
                service,
                &at,
                diagnostics,
            )
            .unwrap_or_else(|| versions.clone());
            for v in &property_versions {
                if !versions.contains(v) {
                    diagnostics.push(
                        at.error_at_value(
                            &versions_path,
                            format!(
                                "property `{key}` is in version `{v}`, but type `{}` is not",
                                spec.name
                            ),
                        )
                        .with_hint("a property can only be in versions its type is in"),
                    );
                }
            }
            let mut deprecation_path = path.clone();
            deprecation_path.push("deprecated".into());
            check_deprecation(&property.deprecated, &at, &deprecation_path, diagnostics);
            if let Some(erratum) = &property.erratum {
                for (key, text) in [("type", &erratum.type_text), ("note", &erratum.note)] {
                    if text.trim().is_empty() {
                        let mut erratum_path = path.clone();
                        erratum_path.push("erratum".into());
                        erratum_path.push(key.into());
                        diagnostics.push(
                            at.error_at_value(&erratum_path, format!("the erratum's `{key}` is empty"))
                                .with_hint("an erratum gives the page's words (`type`) and why they are wrong (`note`)"),
                        );
                    }
                }
            }
            if property
                .undocumented
                .as_deref()
                .is_some_and(|u| u.trim().is_empty())
            {
                let mut undocumented_path = path.clone();
                undocumented_path.push("undocumented".into());
                diagnostics.push(
                    at.error_at_value(&undocumented_path, "`undocumented` gives no reason")
                        .with_hint(
                            "say where the property is seen: `the Get call examples show it`",
                        ),
                );
            }
            if property.required && property.read_only {
                let mut required_path = path.clone();
                required_path.push("required".into());
                diagnostics.push(
                    at.error_at_value(
                        &required_path,
                        format!("property `{key}` is both required and read-only"),
                    )
                    .with_hint(
                        "a caller never sends a read-only property: drop `required` or `readOnly`",
                    ),
                );
            }
            properties.push(Property {
                name: Name::new(key),
                ty,
                collection: property.collection,
                nullable: property.nullable.unwrap_or(true),
                read_only: property.read_only,
                required: property.required,
                description: with_property_erratum(
                    with_undocumented(&property.description, &property.undocumented),
                    &property.erratum,
                ),
                versions: property_versions,
                deprecated: lower_deprecation(&property.deprecated),
                relationship,
            });
        }

        let mut members = Vec::new();
        let mut seen_members: HashMap<&str, usize> = HashMap::new();
        for (i, member) in spec.members.iter().enumerate() {
            if let Some(first) = seen_members.insert(member.name.as_str(), i) {
                diagnostics.push(
                    at.error_at_value(
                        &node_path!["members", i],
                        format!("enum member `{}` is listed twice", member.name),
                    )
                    .with_hint(format!("it is already member {} of the list", first + 1)),
                );
            }
            if !is_identifier(&member.name) {
                diagnostics.push(
                    at.error_at_value(&node_path!["members", i], format!("`{}` is not an enum member name", member.name))
                        .with_hint("members are camelCase words as the docs write them, e.g. unknownFutureValue"),
                );
            }
            let member_versions = check_versions(
                &member.versions,
                &node_path!["members", i, "versions"],
                service,
                &at,
                diagnostics,
            )
            .unwrap_or_else(|| versions.clone());
            let after_sentinel = spec.members[..i]
                .iter()
                .any(|m| m.name == "unknownFutureValue");
            members.push(Member {
                name: Name::new(&member.name),
                evolvable: member.evolvable || after_sentinel,
                description: member.description.clone(),
                versions: member_versions,
                deprecated: lower_deprecation(&member.deprecated),
            });
        }
        let mut member_names: Vec<Name> = members.iter().map(|m| m.name.clone()).collect();
        dedupe(&mut member_names, Form::Pascal, RESERVED_VARIANTS);
        for (member, name) in members.iter_mut().zip(member_names) {
            member.name = name;
        }

        defs.push(TypeDef {
            name: Name::new(&spec.name),
            kind: match spec.kind {
                model::TypeKind::Entity => TypeKind::Entity,
                model::TypeKind::Complex => TypeKind::Complex,
                model::TypeKind::Enum => TypeKind::Enum,
            },
            description: spec.description.clone(),
            odata_type: spec
                .odata_type
                .clone()
                .unwrap_or_else(|| format!("#{}.{}", service.service.namespace, spec.name)),
            base_type: spec.base_type.clone(),
            is_abstract: spec.is_abstract,
            open: spec.open,
            versions,
            deprecated: lower_deprecation(&spec.deprecated),
            properties,
            members,
            file: parsed.relative.clone(),
        });
    }
    dedupe_type_names(&mut defs);
    dedupe_property_names(&mut defs);
    let info = TypesInfo::new(defs, names);
    check_inheritance(files, &info, diagnostics);
    check_property_versions(files, &info, diagnostics);
    info
}

/// Type names are one scope across the crate.
fn dedupe_type_names(defs: &mut [TypeDef]) {
    defs.sort_by(|a, b| a.name.documented.cmp(&b.name.documented));
    let mut names: Vec<Name> = defs.iter().map(|d| d.name.clone()).collect();
    dedupe(&mut names, Form::Pascal, &[]);
    dedupe(&mut names, Form::Snake, &["mod"]);
    for (def, name) in defs.iter_mut().zip(names) {
        def.name = name;
    }
}

/// Property names are one scope per type, inherited ones included: base
/// types are named first, so a derived type never renames what it inherits.
fn dedupe_property_names(defs: &mut [TypeDef]) {
    let index: HashMap<String, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.documented.clone(), i))
        .collect();
    let find = |name: &str| index.get(name).copied();
    let depth = |start: usize, defs: &[TypeDef]| {
        let mut depth = 0;
        let mut current = &defs[start];
        while let Some(base) = current.base_type.as_deref() {
            match find(base).map(|i| &defs[i]) {
                Some(next) if depth < defs.len() => {
                    depth += 1;
                    current = next;
                }
                _ => break,
            }
        }
        depth
    };
    let mut order: Vec<usize> = (0..defs.len()).collect();
    order.sort_by_key(|&i| depth(i, defs));
    for i in order {
        let mut inherited: Vec<String> = Vec::new();
        let mut current = defs[i].base_type.clone();
        let mut guard = 0;
        while let Some(base) = current {
            let Some(base_def) = find(&base).map(|i| &defs[i]) else {
                break;
            };
            inherited.extend(base_def.properties.iter().map(|p| p.name.snake.clone()));
            current = base_def.base_type.clone();
            guard += 1;
            if guard > defs.len() {
                break;
            }
        }
        let mut reserved: Vec<&str> = RESERVED_FIELDS.to_vec();
        reserved.extend(inherited.iter().map(String::as_str));
        let mut names: Vec<Name> = defs[i].properties.iter().map(|p| p.name.clone()).collect();
        dedupe(&mut names, Form::Snake, &reserved);
        for (property, name) in defs[i].properties.iter_mut().zip(names) {
            property.name = name;
        }
    }
}

/// Base types form no cycle, and a derived type does not redeclare an
/// inherited property. Property names are made unique across the chain.
fn check_inheritance(files: &[Parsed<TypeSpec>], info: &TypesInfo, diagnostics: &mut Diagnostics) {
    for parsed in files {
        let at = At {
            file: &parsed.file,
            text: &parsed.text,
            locator: &parsed.locator,
        };
        let mut chain = vec![parsed.spec.name.as_str()];
        let mut current = info.get(&parsed.spec.name);
        while let Some(base) = current.and_then(|t| t.base_type.as_deref()) {
            if chain.contains(&base) {
                diagnostics.push(
                    at.error_at_value(
                        &node_path!["baseType"],
                        format!(
                            "base types go round in a circle: {} -> {base}",
                            chain.join(" -> ")
                        ),
                    )
                    .with_hint("one of these types must not derive from the others"),
                );
                break;
            }
            chain.push(base);
            current = info.get(base);
            if let Some(base_def) = current {
                for property in &base_def.properties {
                    let name = &property.name.documented;
                    let key = if parsed.spec.properties.contains_key(name) {
                        "properties"
                    } else {
                        "relationships"
                    };
                    if parsed.spec.properties.contains_key(name)
                        || parsed.spec.relationships.contains_key(name)
                    {
                        diagnostics.push(
                            at.error_at_key(
                                &node_path![key, name],
                                format!(
                                    "property `{}` is already inherited from `{}`",
                                    property.name.documented, base_def.name.documented
                                ),
                            )
                            .with_hint("remove it here; the derived type has it already"),
                        );
                    }
                }
            }
        }
    }
}

/// A property's type must exist in every version the property is in.
fn check_property_versions(
    files: &[Parsed<TypeSpec>],
    info: &TypesInfo,
    diagnostics: &mut Diagnostics,
) {
    for (parsed, def) in files
        .iter()
        .filter_map(|p| info.get(&p.spec.name).map(|d| (p, d)))
    {
        if def.file != parsed.relative {
            continue;
        }
        let at = At {
            file: &parsed.file,
            text: &parsed.text,
            locator: &parsed.locator,
        };
        for property in &def.properties {
            let TypeRef::Named(target) = &property.ty else {
                continue;
            };
            let Some(target_def) = info.get(target) else {
                continue;
            };
            for v in &property.versions {
                if !target_def.versions.contains(v) {
                    diagnostics.push(
                        at.error_at_value(
                            &node_path![property.spec_key(), &property.name.documented, "type"],
                            format!(
                                "property `{}` is in version `{v}`, but its type `{target}` is not",
                                property.name.documented
                            ),
                        )
                        .with_hint(format!(
                            "limit the property with `versions: [{}]`, or add `{v}` to `{target}`",
                            target_def.versions.join(", ")
                        )),
                    );
                }
            }
        }
    }
}

/// Checks a `versions:` list; `None` when absent (meaning every version).
pub(crate) fn check_versions(
    versions: &Option<Vec<String>>,
    path: &[crate::spec::locate::PathSegment],
    service: &ServiceInfo,
    at: &At,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<String>> {
    let versions = versions.as_ref()?;
    if versions.is_empty() {
        diagnostics.push(
            at.error_at_value(path, "`versions` is empty")
                .with_hint("list at least one version, or remove the key to mean every version"),
        );
    }
    for (i, v) in versions.iter().enumerate() {
        if !service.has_version(v) {
            let mut item = path.to_vec();
            item.push(i.into());
            diagnostics.push(
                Diagnostic::new(
                    at.file,
                    at.value(&item),
                    format!("version `{v}` is not declared in service.yaml"),
                )
                .with_hint(service.version_hint(v)),
            );
        }
    }
    // Service order, so that output does not depend on how a spec lists them.
    Some(
        service
            .versions
            .iter()
            .filter(|sv| versions.contains(&sv.name))
            .map(|sv| sv.name.clone())
            .collect(),
    )
}

/// camelCase-ish names: letters, digits and underscores, starting with a letter.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A description with the reason a property the page leaves out is declared
/// (`undocumented`), so that the Rust docs and the reference say so.
pub(super) fn with_undocumented(
    description: &Option<String>,
    undocumented: &Option<String>,
) -> Option<String> {
    match (description, undocumented) {
        (_, None) => description.clone(),
        (None, Some(why)) => Some(format!("Not on the reference page: {why}")),
        (Some(d), Some(why)) => Some(format!("{d}\n\nNot on the reference page: {why}")),
    }
}

/// A description with the page's wrong words for the property, so that the
/// Rust docs and the reference show them beside the correction.
fn with_property_erratum(
    description: Option<String>,
    erratum: &Option<crate::spec::model::PropertyErratumSpec>,
) -> Option<String> {
    let Some(erratum) = erratum else {
        return description;
    };
    let said = format!(
        "The reference page gives its type as {}: {}",
        erratum.type_text.trim(),
        erratum.note.trim()
    );
    Some(match description {
        Some(d) => format!("{d}\n\n{said}"),
        None => said,
    })
}
