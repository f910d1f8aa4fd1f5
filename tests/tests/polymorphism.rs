//! Polymorphic values through the generated crate: where a base type is
//! declared, a derived value stands, is told apart by `@odata.type`, writes
//! its own `@odata.type`, and a type the crate does not know is kept whole.

use msgraph_client::v1_0::models::{AnyMediaConfig, AppHostedMediaConfig};
use serde_json::json;

#[test]
fn a_tagged_value_parses_into_its_derived_type() {
    let value: AnyMediaConfig = serde_json::from_value(json!({
        "@odata.type": "#microsoft.graph.appHostedMediaConfig",
        "blob": "<media config blob>"
    }))
    .unwrap();
    let AnyMediaConfig::AppHostedMediaConfig(config) = &value else {
        panic!("parsed as {value:?}");
    };
    assert_eq!(config.blob.as_deref(), Some("<media config blob>"));
}

#[test]
fn a_type_the_crate_does_not_know_is_kept_whole_and_written_back() {
    let sent = json!({
        "@odata.type": "#microsoft.graph.someFutureMediaConfig",
        "knob": 3,
        "nested": {"a": [1, 2]}
    });
    let value: AnyMediaConfig = serde_json::from_value(sent.clone()).unwrap();
    assert!(matches!(value, AnyMediaConfig::Other(_)), "{value:?}");
    assert_eq!(serde_json::to_value(&value).unwrap(), sent);
}

#[test]
fn a_derived_value_built_in_rust_writes_its_odata_type() {
    let mut config = AppHostedMediaConfig::default();
    config.blob = Some("b".to_owned());
    let value = AnyMediaConfig::from(config);
    assert_eq!(
        serde_json::to_value(&value).unwrap(),
        json!({"@odata.type": "#microsoft.graph.appHostedMediaConfig", "blob": "b"})
    );
}

#[test]
fn a_value_that_is_not_an_object_is_a_clear_error() {
    let error = serde_json::from_value::<AnyMediaConfig>(json!("x")).unwrap_err();
    assert_eq!(error.to_string(), "expected a mediaConfig object");
}

#[test]
#[allow(deprecated)] // The registration APIs are deprecated; the test reads them on purpose.
fn a_collection_of_a_base_type_parses_each_item_into_its_derived_type() {
    use msgraph_client::beta::models::AnyMeetingRegistrantBase;
    let page: msgraph_client::Page<AnyMeetingRegistrantBase> = serde_json::from_value(json!({
        "value": [
            {"@odata.type": "#microsoft.graph.meetingRegistrant", "id": "a", "firstName": "Lisa"},
            {"@odata.type": "#microsoft.graph.externalMeetingRegistrant", "id": "b", "tenantId": "t"},
            {"@odata.type": "#microsoft.graph.someFutureRegistrant", "id": "c"}
        ]
    }))
    .unwrap();
    assert!(matches!(
        &page.value[0],
        AnyMeetingRegistrantBase::MeetingRegistrant(r) if r.first_name.as_deref() == Some("Lisa")
    ));
    assert!(matches!(
        &page.value[1],
        AnyMeetingRegistrantBase::ExternalMeetingRegistrant(r) if r.tenant_id.as_deref() == Some("t")
    ));
    assert!(matches!(&page.value[2], AnyMeetingRegistrantBase::Other(_)));
}
