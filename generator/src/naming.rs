//! Every Rust name the generator emits is made here: case conversion, Rust
//! keywords, names the generated code reserves, and collisions within a scope.
//! Each name keeps the documented (wire) name beside its Rust forms.

use std::collections::HashSet;

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// A documented name with its Rust spellings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name {
    /// As the reference pages and the wire spell it.
    pub documented: String,
    /// For fields, functions and modules: `snake_case`, keywords as raw
    /// identifiers (`r#type`).
    pub snake: String,
    /// For types and enum variants: `UpperCamelCase`.
    pub pascal: String,
}

impl Name {
    pub fn new(documented: &str) -> Name {
        Name {
            documented: documented.to_owned(),
            snake: snake_ident(documented),
            pascal: pascal_ident(documented),
        }
    }

    /// `SCREAMING_SNAKE_CASE`, for constants.
    pub fn shouty(&self) -> String {
        let shouty = words(&self.documented).to_shouty_snake_case();
        if shouty.is_empty() || shouty.starts_with(|c: char| c.is_ascii_digit()) {
            format!("N{shouty}")
        } else {
            shouty
        }
    }

    /// `kebab-case`, for cargo features and file names.
    pub fn kebab(&self) -> String {
        words(&self.documented).to_kebab_case()
    }

    /// `snake_case` without raw-identifier prefix, for file names.
    pub fn file_stem(&self) -> String {
        self.snake.trim_start_matches("r#").to_owned()
    }
}

/// Rust's keywords, strict and reserved, of every edition up to 2024.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names that would shadow what generated code uses unqualified.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "PartialEq",
    "Eq",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Serialize",
    "Deserialize",
    "Value",
    "Map",
];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Splits on anything that is not alphanumeric, so `@odata.type` and
/// `$select` become words heck can case.
fn words(documented: &str) -> String {
    documented
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A `snake_case` identifier for a documented name.
pub fn snake_ident(documented: &str) -> String {
    let mut snake = words(documented).to_snake_case();
    if snake.is_empty() {
        snake = "value".to_owned();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake = format!("n{snake}");
    }
    if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if is_keyword(&snake) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// An `UpperCamelCase` identifier for a documented name.
pub fn pascal_ident(documented: &str) -> String {
    let mut pascal = words(documented).to_upper_camel_case();
    if pascal.is_empty() {
        pascal = "Value".to_owned();
    }
    if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        pascal = format!("N{pascal}");
    }
    if is_keyword(&pascal) || RESERVED_TYPE_NAMES.contains(&pascal.as_str()) {
        pascal.push_str("Type");
    }
    pascal
}

/// Which spelling a scope must keep unique.
#[derive(Debug, Clone, Copy)]
pub enum Form {
    Snake,
    Pascal,
}

/// Makes the names of one scope unique in `form`, in order: the first keeps
/// its name, later ones that collide get `_2`, `_3`... (`2`, `3`... for
/// pascal). `reserved` holds names the generated code itself uses there.
pub fn dedupe(names: &mut [Name], form: Form, reserved: &[&str]) {
    let mut taken: HashSet<String> = reserved.iter().map(|r| r.to_string()).collect();
    for name in names.iter_mut() {
        let slot = match form {
            Form::Snake => &mut name.snake,
            Form::Pascal => &mut name.pascal,
        };
        if taken.insert(slot.clone()) {
            continue;
        }
        let base = slot.trim_start_matches("r#").to_owned();
        let mut n = 2;
        let unique = loop {
            let candidate = match form {
                Form::Snake => format!("{base}_{n}"),
                Form::Pascal => format!("{base}{n}"),
            };
            if !taken.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        taken.insert(unique.clone());
        *slot = unique;
    }
}

/// The Rust module and feature name of an API version: `v1.0` -> `v1_0`.
pub fn version_module(version: &str) -> String {
    let module = snake_ident(version);
    module.trim_start_matches("r#").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case_and_keeps_the_documented_name() {
        let name = Name::new("customQuestionAnswers");
        assert_eq!(name.documented, "customQuestionAnswers");
        assert_eq!(name.snake, "custom_question_answers");
        assert_eq!(name.pascal, "CustomQuestionAnswers");
        assert_eq!(name.shouty(), "CUSTOM_QUESTION_ANSWERS");
        assert_eq!(name.kebab(), "custom-question-answers");
    }

    #[test]
    fn keywords_become_raw_identifiers_or_get_a_suffix() {
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("ref"), "r#ref");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("crate"), "crate_");
        assert_eq!(pascal_ident("self"), "SelfType");
        assert_eq!(pascal_ident("option"), "OptionType");
        assert_eq!(Name::new("type").file_stem(), "type");
    }

    #[test]
    fn punctuation_and_leading_digits_make_valid_identifiers() {
        assert_eq!(snake_ident("@odata.type"), "odata_type");
        assert_eq!(snake_ident("$select"), "select");
        assert_eq!(snake_ident("2fa"), "n2fa");
        assert_eq!(pascal_ident("2fa"), "N2fa");
        assert_eq!(version_module("v1.0"), "v1_0");
        assert_eq!(version_module("beta"), "beta");
    }

    #[test]
    fn collisions_in_a_scope_get_numbered_in_order() {
        let mut names = vec![
            Name::new("displayName"),
            Name::new("display_name"),
            Name::new("DisplayName"),
            Name::new("additionalProperties"),
        ];
        dedupe(&mut names, Form::Snake, &["additional_properties"]);
        let snakes: Vec<&str> = names.iter().map(|n| n.snake.as_str()).collect();
        assert_eq!(
            snakes,
            [
                "display_name",
                "display_name_2",
                "display_name_3",
                "additional_properties_2"
            ]
        );
        // The documented names are untouched.
        assert_eq!(names[1].documented, "display_name");
    }
}
