//! Polymorphic values: a property, body or response declared as a base type
//! may hold any type derived from it, told apart by `@odata.type`. The
//! generated `Any<Base>` enums call these to read and write that tag, so the
//! logic is written once here and not in every enum.

use serde::de::DeserializeOwned;
use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// The `@odata.type` of a JSON object, without its leading `#`:
/// `microsoft.graph.appHostedMediaConfig`.
pub fn type_of(object: &Map<String, Value>) -> Option<&str> {
    object
        .get("@odata.type")
        .and_then(Value::as_str)
        .map(|t| t.strip_prefix('#').unwrap_or(t))
}

/// Whether `tag` (as [`type_of`] gives it) names `odata_type` (as the specs
/// write it, `#microsoft.graph.x`). Graph compares type names without
/// regard to case.
pub fn is(tag: &str, odata_type: &str) -> bool {
    tag.eq_ignore_ascii_case(odata_type.strip_prefix('#').unwrap_or(odata_type))
}

/// Reads an object as the type its tag chose.
pub fn from_object<T: DeserializeOwned, E: serde::de::Error>(
    object: Map<String, Value>,
) -> Result<T, E> {
    serde_json::from_value(Value::Object(object)).map_err(E::custom)
}

/// Writes `value` with its `@odata.type`, which a derived value must carry
/// for the service to know what it is; a tag the value has already (as
/// received) is kept as it is.
pub fn serialize_tagged<T: Serialize, S: Serializer>(
    value: &T,
    odata_type: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(S::Error::custom)?;
    if let Value::Object(object) = &mut json {
        object
            .entry("@odata.type")
            .or_insert_with(|| Value::from(odata_type));
    }
    json.serialize(serializer)
}

/// The error for a JSON value that is not an object where one is declared.
pub fn not_an_object<E: serde::de::Error>(type_name: &str) -> E {
    E::custom(format!("expected a {type_name} object"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_compare_without_hash_and_case() {
        let object: Map<String, Value> =
            serde_json::from_str(r##"{"@odata.type": "#microsoft.graph.AppHostedMediaConfig"}"##)
                .unwrap();
        let tag = type_of(&object).unwrap();
        assert!(is(tag, "#microsoft.graph.appHostedMediaConfig"));
        assert!(!is(tag, "#microsoft.graph.serviceHostedMediaConfig"));
    }

    #[test]
    fn a_derived_value_is_written_with_its_tag_unless_it_has_one() {
        #[derive(Serialize)]
        struct Config {
            blob: &'static str,
        }
        let written = serialize_tagged(
            &Config { blob: "x" },
            "#microsoft.graph.appHostedMediaConfig",
            serde_json::value::Serializer,
        )
        .unwrap();
        assert_eq!(
            written,
            serde_json::json!({"@odata.type": "#microsoft.graph.appHostedMediaConfig", "blob": "x"})
        );
        let mut kept = Map::new();
        kept.insert(
            "@odata.type".into(),
            "microsoft.graph.appHostedMediaConfig".into(),
        );
        let written = serialize_tagged(
            &kept,
            "#microsoft.graph.appHostedMediaConfig",
            serde_json::value::Serializer,
        )
        .unwrap();
        assert_eq!(
            written["@odata.type"],
            "microsoft.graph.appHostedMediaConfig"
        );
    }
}
