//! Rust names for documented names that are keywords, that collide once
//! cased, or that the generated code reserves: generated from the fixture
//! specs in `tests/fixtures/naming/`, and checked in the emitted code.

use std::path::Path;

use graph_tests::{repo_root, validate_files};

fn generated() -> Vec<graphgen::emit::GeneratedFile> {
    let dir = repo_root().join("tests/fixtures/naming");
    let files = graphgen::spec::load_dir_as(&dir, Path::new("naming")).unwrap();
    let api = validate_files(&files).unwrap_or_else(|d| panic!("{d}"));
    graphgen::emit::generate(&api).expect("the fixture generates (and its Rust parses)")
}

/// The attributes and declaration of the field `field`: the text between
/// the previous field (or the struct's brace) and the end of its line.
fn field_block<'a>(code: &'a str, field: &str) -> &'a str {
    let declaration = format!("pub {field}: ");
    let end = code
        .find(&declaration)
        .unwrap_or_else(|| panic!("no field {field}:\n{code}"));
    // The previous field's declaration line, or the struct's opening brace.
    let previous = code[..end]
        .rfind("\n    pub ")
        .map(|i| i + 1)
        .or_else(|| code[..end].rfind("{\n"))
        .unwrap_or(0);
    let start = previous + code[previous..].find('\n').unwrap_or(0);
    let line_end = end + code[end..].find('\n').unwrap_or(code.len() - end);
    &code[start..line_end]
}

fn assert_field(code: &str, wire: &str, field: &str, ty: &str) {
    let block = field_block(code, field);
    assert!(
        block.contains(&format!("rename = \"{wire}\"")),
        "{field} is not renamed to {wire}: {block}"
    );
    assert!(
        block.ends_with(&format!("pub {field}: {ty},")),
        "{field}: {block}"
    );
}

fn file<'a>(files: &'a [graphgen::emit::GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn keyword_properties_become_raw_identifiers_and_keep_their_wire_names() {
    let files = generated();
    let holder = file(&files, "src/v1_0/models/keyword_holder.rs");
    assert_field(holder, "type", "r#type", "Option<String>");
    assert_field(holder, "ref", "r#ref", "Option<String>");
    assert_field(holder, "self", "self_", "Option<String>");
    assert_field(holder, "@odata.etag", "odata_etag", "Option<String>");
    assert_field(holder, "2ndValue", "n2nd_value", "Option<i32>");
}

#[test]
fn names_that_collide_once_cased_are_numbered_in_documented_order() {
    let files = generated();
    let holder = file(&files, "src/v1_0/models/keyword_holder.rs");
    for (wire, field) in [
        ("displayName", "display_name"),
        ("display_name", "display_name_2"),
        ("DisplayName", "display_name_3"),
        ("additionalProperties", "additional_properties_2"),
    ] {
        assert_field(holder, wire, field, "Option<String>");
    }
    // The field that keeps unknown properties keeps its own name.
    assert!(
        holder.contains("pub additional_properties: serde_json::Map<String, serde_json::Value>,")
    );
}

#[test]
fn enum_members_avoid_keywords_and_the_unrecognized_variant() {
    let files = generated();
    let kind = file(&files, "src/v1_0/models/keyword_kind.rs");
    for (wire, variant) in [
        ("self", "SelfType"),
        ("type", "Type"),
        ("unrecognized", "Unrecognized2"),
        ("Unrecognized", "Unrecognized3"),
        ("default", "DefaultType"),
    ] {
        assert!(
            kind.contains(&format!("Self::{variant} => \"{wire}\"")),
            "{wire} -> {variant}:\n{kind}"
        );
    }
    assert!(kind.contains("Unrecognized(String),"));
}

#[test]
fn type_and_operation_names_do_not_shadow_what_the_code_uses() {
    let files = generated();
    let option = file(&files, "src/v1_0/models/option.rs");
    assert!(option.contains("pub struct OptionType {"), "{option}");
    assert!(option.contains("pub value: Option<super::KeywordKind>,"));
    let operation = file(&files, "src/v1_0/operations/match.rs");
    assert!(operation.contains("pub struct Match {"));
    assert!(operation.contains("pub r#type: String,"));
    assert!(operation.contains("pub r#ref: String,"));
    // `client` is reserved: the navigation types hold the client in that field.
    assert!(
        operation.contains("pub client_2: Option<String>,"),
        "{operation}"
    );
    assert!(
        operation.contains("&[&self.r#type, &self.r#ref]"),
        "{operation}"
    );
    let paths = file(&files, "src/v1_0/paths.rs");
    assert!(
        paths.contains("pub fn r#type(&self, r#type: impl Into<String>) -> TypeItem<'a>"),
        "{paths}"
    );
}

#[test]
fn setters_take_the_field_names_unless_a_method_has_that_name() {
    let files = generated();
    let holder = file(&files, "src/v1_0/models/keyword_holder.rs");
    // A required keyword property is the constructor's raw argument.
    assert!(
        holder.contains("pub fn new(r#type: impl Into<String>) -> Self {"),
        "{holder}"
    );
    assert!(holder.contains("r#type: Some(r#type.into()),"), "{holder}");
    for (setter, field) in [
        ("r#type", "r#type"),
        ("display_name_2", "display_name_2"),
        ("self_", "self_"),
        // `new`, `clone` and `additional_property` are methods already: a
        // setter of that name would hide them (`value.clone()`).
        ("set_new", "new"),
        ("set_clone", "clone"),
        ("set_additional_property", "additional_property"),
    ] {
        let declaration = format!("pub fn {setter}(mut self, value: impl Into<String>) -> Self {{");
        let position = holder
            .find(&declaration)
            .unwrap_or_else(|| panic!("no setter {setter}:\n{holder}"));
        let body = &holder[position..];
        assert!(
            body.contains(&format!("self.{field} = Some(value.into());")),
            "{setter} sets {field}"
        );
    }
    assert_eq!(holder.matches("pub fn clone(").count(), 0, "{holder}");
    assert_eq!(holder.matches("pub fn additional_property(").count(), 1);
}
