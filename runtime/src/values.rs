//! Graph's typed values: `Edm.DateTimeOffset`, `Edm.Date`, `Edm.TimeOfDay`,
//! `Edm.Duration` and `Edm.Guid`, as the fields of generated models hold them.
//!
//! Each keeps the text Graph sent and reads it on demand (`to_timestamp()`,
//! `to_date()`, `to_span()`, ...). So a response always parses, whatever a
//! service writes in one field (`0001-01-01T00:00:00Z` for "never", seven
//! fractional digits, an offset of `+05:30`, a date where a date and time is
//! declared), and a value is written back exactly as it came: nothing a
//! server sent changes on a round trip. A value made from a typed one
//! (`jiff::Timestamp`, `jiff::Span`, `uuid::Uuid`, ...) is written in the
//! ISO 8601 form Graph reads.
//!
//! ```
//! use msgraph_runtime::values::{DateTimeOffset, Duration};
//!
//! let start: DateTimeOffset = "2024-05-01T09:30:00.1234567+05:30".into();
//! assert_eq!(start.to_timestamp()?.to_string(), "2024-05-01T04:00:00.1234567Z");
//! assert_eq!(start.as_str(), "2024-05-01T09:30:00.1234567+05:30");
//!
//! let length = Duration::from(jiff::Span::new().hours(1).minutes(30));
//! assert_eq!(length.as_str(), "PT1H30M");
//! # Ok::<(), msgraph_runtime::values::InvalidValue>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A text that does not hold the value its type declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidValue {
    /// The Edm type expected: `Edm.DateTimeOffset`, ...
    pub expected: &'static str,
    /// The text as received.
    pub text: String,
    /// Why it does not parse.
    pub reason: String,
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an {}: {}",
            self.text, self.expected, self.reason
        )
    }
}

impl std::error::Error for InvalidValue {}

/// One text-keeping value type: its struct, conversions, text access and
/// serde. Parsing to the typed value is each type's own.
macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident, $edm:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The text as Graph writes it (or as it was received).
            #[inline]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Whether the text holds a valid value.
            pub fn is_valid(&self) -> bool {
                self.check().is_ok()
            }

            fn check(&self) -> Result<(), InvalidValue> {
                let check: fn(&str) -> Result<(), String> = $check;
                check(&self.0).map_err(|reason| self.invalid(reason))
            }

            fn invalid(&self, reason: impl fmt::Display) -> InvalidValue {
                InvalidValue {
                    expected: $edm,
                    text: self.0.clone(),
                    reason: reason.to_string(),
                }
            }
        }

        /// The text kept as it is, valid or not: a value read back later
        /// with the typed accessors says whether it is.
        impl From<&str> for $name {
            #[inline]
            fn from(text: &str) -> Self {
                Self(text.to_owned())
            }
        }

        /// The text kept as it is, valid or not.
        impl From<String> for $name {
            #[inline]
            fn from(text: String) -> Self {
                Self(text)
            }
        }

        /// Parses strictly: a text that does not hold a valid value is an error.
        impl FromStr for $name {
            type Err = InvalidValue;

            fn from_str(text: &str) -> Result<Self, InvalidValue> {
                let value = Self(text.to_owned());
                value.check()?;
                Ok(value)
            }
        }

        impl fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl Serialize for $name {
            #[inline]
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        /// Any string is accepted: one odd value must not fail a whole response.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self)
            }
        }
    };
}

text_value!(
    /// An `Edm.DateTimeOffset`: an RFC 3339 date and time with its offset
    /// (`2024-05-01T09:30:00Z`, `2024-05-01T09:30:00.1234567+05:30`).
    DateTimeOffset,
    "Edm.DateTimeOffset",
    |text| parse_pieces(text).map(|_| ())
);

text_value!(
    /// An `Edm.Date`: an ISO 8601 calendar date (`2024-05-01`).
    Date,
    "Edm.Date",
    |text| text.parse::<jiff::civil::Date>().map(|_| ()).map_err(|e| e.to_string())
);

text_value!(
    /// An `Edm.TimeOfDay`: an ISO 8601 time of day (`13:45:00`, `08:00:00.0000000`).
    TimeOfDay,
    "Edm.TimeOfDay",
    |text| text.parse::<jiff::civil::Time>().map(|_| ()).map_err(|e| e.to_string())
);

text_value!(
    /// An `Edm.Duration`: an ISO 8601 duration (`PT1H30M`, `P1D`, `-P1D`, `PT0S`).
    Duration,
    "Edm.Duration",
    |text| text.parse::<jiff::Span>().map(|_| ()).map_err(|e| e.to_string())
);

text_value!(
    /// An `Edm.Guid` (`278405a3-f568-4b3e-b684-009193463064`).
    Guid,
    "Edm.Guid",
    |text| uuid::Uuid::parse_str(text).map(|_| ()).map_err(|e| e.to_string())
);

/// A date and time with an offset: jiff's timestamp parser accepts any
/// offset but forgets it, so the pieces are read to keep it.
fn parse_pieces(text: &str) -> Result<(jiff::Timestamp, jiff::tz::Offset), String> {
    let pieces = jiff::fmt::temporal::Pieces::parse(text).map_err(|e| e.to_string())?;
    let offset = match pieces.offset() {
        Some(jiff::fmt::temporal::PiecesOffset::Numeric(numeric)) => numeric.offset(),
        Some(jiff::fmt::temporal::PiecesOffset::Zulu) => jiff::tz::Offset::UTC,
        // `-00:00` in RFC 3339: UTC, with the local offset unknown.
        Some(_) => jiff::tz::Offset::UTC,
        None => return Err("it has no offset (`Z` or `+hh:mm`)".to_owned()),
    };
    if pieces.time_zone_annotation().is_some() {
        return Err("a time zone annotation (`[...]`) is not part of RFC 3339".to_owned());
    }
    let Some(time) = pieces.time() else {
        return Err("it has no time of day".to_owned());
    };
    let timestamp = offset
        .to_timestamp(pieces.date().to_datetime(time))
        .map_err(|e| e.to_string())?;
    Ok((timestamp, offset))
}

impl DateTimeOffset {
    /// The instant.
    pub fn to_timestamp(&self) -> Result<jiff::Timestamp, InvalidValue> {
        parse_pieces(&self.0)
            .map(|(timestamp, _)| timestamp)
            .map_err(|reason| self.invalid(reason))
    }

    /// The offset from UTC the text is written in (`+05:30`; UTC for `Z`).
    pub fn offset(&self) -> Result<jiff::tz::Offset, InvalidValue> {
        parse_pieces(&self.0)
            .map(|(_, offset)| offset)
            .map_err(|reason| self.invalid(reason))
    }
}

/// Written in UTC: `2024-05-01T04:00:00Z`.
impl From<jiff::Timestamp> for DateTimeOffset {
    fn from(timestamp: jiff::Timestamp) -> Self {
        Self(timestamp.to_string())
    }
}

/// Written with the zoned value's offset: `2024-05-01T09:30:00+05:30`.
impl From<&jiff::ZonedDateTime> for DateTimeOffset {
    fn from(zoned: &jiff::ZonedDateTime) -> Self {
        Self(
            zoned
                .timestamp()
                .display_with_offset(zoned.offset())
                .to_string(),
        )
    }
}

impl Date {
    /// The calendar date.
    pub fn to_date(&self) -> Result<jiff::civil::Date, InvalidValue> {
        self.0.parse().map_err(|e| self.invalid(e))
    }
}

impl From<jiff::civil::Date> for Date {
    fn from(date: jiff::civil::Date) -> Self {
        Self(date.to_string())
    }
}

impl TimeOfDay {
    /// The time of day.
    pub fn to_time(&self) -> Result<jiff::civil::Time, InvalidValue> {
        self.0.parse().map_err(|e| self.invalid(e))
    }
}

impl From<jiff::civil::Time> for TimeOfDay {
    fn from(time: jiff::civil::Time) -> Self {
        Self(time.to_string())
    }
}

impl Duration {
    /// The duration as a span of calendar and clock units, as written
    /// (`P1D` is one day, which is not always 24 hours).
    pub fn to_span(&self) -> Result<jiff::Span, InvalidValue> {
        self.0.parse().map_err(|e| self.invalid(e))
    }

    /// The duration in exact time, for one of hours, minutes and seconds
    /// only (`PT1H30M`); a text with days or larger units is an error,
    /// since their length depends on the date.
    pub fn to_signed_duration(&self) -> Result<jiff::SignedDuration, InvalidValue> {
        self.0.parse().map_err(|e| self.invalid(e))
    }
}

/// Written in ISO 8601: `PT1H30M`.
impl From<jiff::Span> for Duration {
    fn from(span: jiff::Span) -> Self {
        Self(span.to_string())
    }
}

/// Written in ISO 8601: `PT1H30M`.
impl From<jiff::SignedDuration> for Duration {
    fn from(duration: jiff::SignedDuration) -> Self {
        Self(duration.to_string())
    }
}

/// Written in ISO 8601: `PT1.5S`.
impl From<std::time::Duration> for Duration {
    fn from(duration: std::time::Duration) -> Self {
        // Beyond jiff's range (some 292 billion years) it is saturated.
        let signed = jiff::SignedDuration::try_from(duration).unwrap_or(jiff::SignedDuration::MAX);
        Self::from(signed)
    }
}

impl Guid {
    /// The GUID.
    pub fn to_uuid(&self) -> Result<uuid::Uuid, InvalidValue> {
        uuid::Uuid::parse_str(&self.0).map_err(|e| self.invalid(e))
    }
}

/// Written hyphenated, in lower case, as Graph writes GUIDs.
impl From<uuid::Uuid> for Guid {
    fn from(guid: uuid::Uuid) -> Self {
        Self(guid.hyphenated().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each text reads back through serde unchanged, and holds a valid value.
    fn round_trips<T>(texts: &[&str])
    where
        T: Serialize + for<'de> Deserialize<'de> + fmt::Debug + FromStr<Err = InvalidValue>,
    {
        for text in texts {
            let json = serde_json::Value::String((*text).to_owned());
            let value: T = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(serde_json::to_value(&value).unwrap(), json, "{text}");
            if let Err(error) = text.parse::<T>() {
                panic!("{text} does not parse: {error}");
            }
        }
    }

    #[test]
    fn odd_date_times_graph_sends_parse_and_round_trip() {
        round_trips::<DateTimeOffset>(&[
            "0001-01-01T00:00:00Z",
            "2019-07-09T16:06:36.8958498Z",
            "2024-05-01T09:30:00+05:30",
            "2024-05-01T09:30:00.000Z",
            "2020-02-25T19:00:24.582757-08:00",
        ]);
        let never: DateTimeOffset = "0001-01-01T00:00:00Z".into();
        assert_eq!(
            never.to_timestamp().unwrap().to_string(),
            "0001-01-01T00:00:00Z"
        );
        let seven: DateTimeOffset = "2019-07-09T16:06:36.8958498Z".into();
        assert_eq!(
            seven.to_timestamp().unwrap().subsec_nanosecond(),
            895_849_800
        );
        let india: DateTimeOffset = "2024-05-01T09:30:00+05:30".into();
        assert_eq!(
            india.offset().unwrap(),
            jiff::tz::offset(5) + jiff::SignedDuration::from_mins(30)
        );
        assert_eq!(
            india.to_timestamp().unwrap().to_string(),
            "2024-05-01T04:00:00Z"
        );
    }

    #[test]
    fn odd_durations_parse_and_round_trip() {
        round_trips::<Duration>(&[
            "PT1H30M",
            "-P1D",
            "PT0S",
            "P1Y2M3DT4H5M6.5S",
            "PT0.0000001S",
        ]);
        let back: Duration = "-P1D".into();
        assert_eq!(back.to_span().unwrap().get_days(), -1);
        assert!(
            back.to_signed_duration().is_err(),
            "a day's length depends on the date"
        );
        let zero: Duration = "PT0S".into();
        assert!(zero.to_span().unwrap().is_zero());
        let ninety: Duration = "PT1H30M".into();
        assert_eq!(ninety.to_signed_duration().unwrap().as_secs(), 5400);
    }

    #[test]
    fn dates_times_and_guids_parse_and_round_trip() {
        round_trips::<Date>(&["2024-05-01", "0001-01-01"]);
        round_trips::<TimeOfDay>(&["13:45:00", "08:00:00.0000000", "23:59:59.9999999"]);
        round_trips::<Guid>(&[
            "278405a3-f568-4b3e-b684-009193463064",
            "278405A3-F568-4B3E-B684-009193463064",
        ]);
        let guid: Guid = "278405a3-f568-4b3e-b684-009193463064".into();
        assert_eq!(Guid::from(guid.to_uuid().unwrap()), guid);
    }

    #[test]
    fn a_value_that_does_not_parse_is_kept_and_says_why() {
        for text in [
            "",
            "2024-13-01T00:00:00Z",
            "2024-05-01",
            "2024-05-01T09:30:00",
            "yesterday",
        ] {
            let json = serde_json::Value::String(text.to_owned());
            let value: DateTimeOffset = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(serde_json::to_value(&value).unwrap(), json);
            assert!(!value.is_valid(), "{text}");
            let error = value.to_timestamp().unwrap_err();
            assert_eq!(error.text, text);
            assert!(
                error.to_string().contains("is not an Edm.DateTimeOffset"),
                "{error}"
            );
            assert!(text.parse::<DateTimeOffset>().is_err(), "{text}");
        }
        for text in ["P", "1H", "PT1H30", "--P1D"] {
            assert!(text.parse::<Duration>().is_err(), "{text}");
        }
        assert!("12:60:00".parse::<TimeOfDay>().is_err());
        assert!("2024-02-30".parse::<Date>().is_err());
        assert!("not-a-guid".parse::<Guid>().is_err());
    }

    #[test]
    fn typed_values_are_written_as_graph_reads_them() {
        let instant: jiff::Timestamp = "2024-05-01T04:00:00Z".parse().unwrap();
        assert_eq!(
            DateTimeOffset::from(instant).as_str(),
            "2024-05-01T04:00:00Z"
        );
        let zoned = instant.to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(-7)));
        let local = DateTimeOffset::from(&zoned);
        assert_eq!(local.as_str(), "2024-04-30T21:00:00-07:00");
        assert_eq!(local.to_timestamp().unwrap(), instant);
        assert_eq!(Duration::from(jiff::Span::new().days(-1)).as_str(), "-P1D");
        assert_eq!(
            Duration::from(std::time::Duration::from_millis(1500)).as_str(),
            "PT1.5S"
        );
        assert_eq!(Duration::from(jiff::SignedDuration::ZERO).as_str(), "PT0S");
        assert_eq!(
            Date::from(jiff::civil::date(2024, 5, 1)).as_str(),
            "2024-05-01"
        );
        assert_eq!(
            TimeOfDay::from(jiff::civil::time(13, 45, 0, 0)).as_str(),
            "13:45:00"
        );
        assert_eq!(
            Guid::from(uuid::Uuid::from_u128(
                0x278405a3_f568_4b3e_b684_009193463064
            ))
            .as_str(),
            "278405a3-f568-4b3e-b684-009193463064"
        );
    }
}
