//! Typed date and time fields in a real response: the odd values Graph is
//! known to send parse, read as the instants they are, and are written back
//! exactly as received; a value that does not parse fails neither the
//! response nor the round trip.

use msgraph_client::runtime::{bytes::Bytes, http, Operation};
use msgraph_client::v1_0::models::OnlineMeeting;
use msgraph_client::v1_0::operations::GetOnlineMeeting;

fn parse(body: &serde_json::Value) -> OnlineMeeting {
    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(Bytes::from(serde_json::to_vec(body).unwrap()))
        .unwrap();
    match GetOnlineMeeting::parse_response(response) {
        Ok(meeting) => meeting,
        Err(error) => panic!("the response does not parse: {error}"),
    }
}

#[test]
fn odd_date_times_parse_read_and_round_trip() {
    let body = serde_json::json!({
        "id": "m1",
        "creationDateTime": "0001-01-01T00:00:00Z",
        "startDateTime": "2019-07-11T15:00:00.8958498+05:30",
        "endDateTime": "2019-07-11T09:30:00.8958498Z"
    });
    let meeting = parse(&body);
    let start = meeting.start_date_time.as_ref().unwrap();
    let end = meeting.end_date_time.as_ref().unwrap();
    // The same instant, written in two offsets, seven fractional digits.
    assert_eq!(start.to_timestamp().unwrap(), end.to_timestamp().unwrap());
    assert_eq!(start.offset().unwrap().seconds(), 5 * 3600 + 30 * 60);
    assert_eq!(end.to_timestamp().unwrap().subsec_nanosecond(), 895_849_800);
    let never = meeting.creation_date_time.as_ref().unwrap();
    assert_eq!(
        never.to_timestamp().unwrap().to_string(),
        "0001-01-01T00:00:00Z"
    );
    assert_eq!(serde_json::to_value(&meeting).unwrap(), body);
}

#[test]
fn a_value_that_does_not_parse_is_kept_and_does_not_fail_the_response() {
    let body = serde_json::json!({
        "id": "m1",
        "startDateTime": "2019-07-11",
        "endDateTime": "not a date"
    });
    let meeting = parse(&body);
    let start = meeting.start_date_time.as_ref().unwrap();
    assert!(!start.is_valid());
    let error = start.to_timestamp().unwrap_err();
    assert_eq!(error.text, "2019-07-11");
    assert!(meeting
        .end_date_time
        .as_ref()
        .unwrap()
        .to_timestamp()
        .is_err());
    assert_eq!(serde_json::to_value(&meeting).unwrap(), body);
}

#[test]
fn a_typed_value_is_set_from_jiff_and_written_in_rfc_3339() {
    let start: msgraph_client::runtime::jiff::Timestamp = "2024-05-01T04:00:00Z".parse().unwrap();
    let meeting = OnlineMeeting::new()
        .subject("Planning")
        .start_date_time(start)
        .end_date_time("2024-05-01T05:00:00+01:00");
    assert_eq!(
        serde_json::to_value(&meeting).unwrap(),
        serde_json::json!({
            "subject": "Planning",
            "startDateTime": "2024-05-01T04:00:00Z",
            "endDateTime": "2024-05-01T05:00:00+01:00"
        })
    );
}
