//! The value of one property in an update (PATCH): left as it is, cleared
//! with an explicit `null`, or set. A PATCH body sends only what the caller
//! changed, so a property the caller did not touch is never overwritten.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One property of an update.
#[derive(Clone, Debug, PartialEq)]
pub enum Patch<T> {
    /// Not sent: the property keeps its value.
    Unchanged,
    /// Sent as `null`: the property is cleared.
    Clear,
    /// Sent with this value.
    Set(T),
}

// By hand: a derive would ask `T: Default`, and the value's type (a Graph
// enum, say) need not have a default of its own.
#[allow(clippy::derivable_impls)]
impl<T> Default for Patch<T> {
    fn default() -> Self {
        Patch::Unchanged
    }
}

impl<T> Patch<T> {
    /// Whether the property is left out of the body.
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }
}

impl<T> From<T> for Patch<T> {
    fn from(value: T) -> Self {
        Patch::Set(value)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Fields are skipped when unchanged; a bare `Unchanged` reads as null.
            Patch::Unchanged | Patch::Clear => serializer.serialize_none(),
            Patch::Set(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Patch::Set(value),
            None => Patch::Clear,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
    struct Update {
        #[serde(default, skip_serializing_if = "Patch::is_unchanged")]
        subject: Patch<String>,
        #[serde(default, skip_serializing_if = "Patch::is_unchanged")]
        start: Patch<String>,
    }

    #[test]
    fn only_what_was_changed_is_sent_and_null_clears() {
        let update = Update {
            subject: "Planning".to_owned().into(),
            start: Patch::Clear,
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"subject": "Planning", "start": null})
        );
        assert_eq!(serde_json::to_string(&Update::default()).unwrap(), "{}");
    }

    #[test]
    fn null_reads_as_clear_and_absent_as_unchanged() {
        let update: Update = serde_json::from_str(r#"{"start": null}"#).unwrap();
        assert_eq!(update.start, Patch::Clear);
        assert_eq!(update.subject, Patch::Unchanged);
    }
}
