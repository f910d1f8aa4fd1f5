//! Least privileged permissions for a set of operations: computed by the
//! generator from the specs, and by an app at run time from the generated
//! operations' constants; both must agree.

use graph_tests::api;
use graphgen::permissions::{plan, render};
use msgraph_client::runtime::permissions::least_privileged;
use msgraph_client::{Operation, PermissionType};

#[test]
fn the_seed_operations_need_these_permissions() {
    let plans = plan(&api(), &seed_operations(), None);
    let text = render(&plans);
    // Delete participant has no delegated permission in either version.
    assert!(text.contains("Delegated (work or school account): none can be requested; cannot call deleteParticipant, inviteParticipants"), "{text}");
    // As the pages spell them.
    assert!(text.contains("Application: Calls.InitiateGroupCalls.All, Calls.JoinGroupCallsasGuest.All  (covers deleteParticipant, inviteParticipants)"), "{text}");
    insta::assert_snapshot!(text);
}

/// The operations of the seed pages.
fn seed_operations() -> Vec<String> {
    [
        "deleteParticipant",
        "inviteParticipants",
        "deleteMeetingRegistrant",
        "enrollMeetingRegistrant",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn one_operation_in_one_version() {
    let plans = plan(&api(), &["enrollMeetingRegistrant".into()], Some("beta"));
    let work = plans
        .iter()
        .find(|p| p.permission_type == graphgen::ir::PermissionType::DelegatedWork)
        .unwrap();
    assert_eq!(work.permissions, ["OnlineMeetings.ReadWrite"]);
    let personal = plans
        .iter()
        .find(|p| p.permission_type == graphgen::ir::PermissionType::DelegatedPersonal)
        .unwrap();
    assert!(personal.permissions.is_empty());
    assert_eq!(personal.unsupported, ["enrollMeetingRegistrant"]);
    assert_eq!(plans.len(), 3);
}

#[test]
#[allow(deprecated)] // The registrant operations are deprecated; the test names them on purpose.
fn an_app_computes_the_same_scopes_from_the_operation_constants() {
    use msgraph_client::beta::operations as beta;
    let operations = [
        beta::DeleteParticipant::METADATA,
        beta::InviteParticipants::METADATA,
        beta::DeleteMeetingRegistrant::METADATA,
        beta::EnrollMeetingRegistrant::METADATA,
    ];
    let at_run_time = least_privileged(&operations, PermissionType::Application);
    let from_specs = plan(&api(), &seed_operations(), Some("beta"));
    let application = from_specs
        .iter()
        .find(|p| p.permission_type == graphgen::ir::PermissionType::Application)
        .unwrap();
    assert_eq!(at_run_time.permissions, application.permissions);
    let delegated = least_privileged(&operations, PermissionType::DelegatedWork);
    assert_eq!(delegated.permissions, ["OnlineMeetings.ReadWrite"]);
    assert_eq!(
        delegated.unsupported,
        [
            ("deleteParticipant", "beta"),
            ("inviteParticipants", "beta")
        ]
    );
}

#[test]
fn a_page_with_a_table_per_request_line_answers_for_the_line_called() {
    use msgraph_client::v1_0::operations::{
        UpdateOnlineMeeting, UpdateOnlineMeetingBody, UpdateOnlineMeetingPath,
    };
    let me = UpdateOnlineMeeting::new(
        UpdateOnlineMeetingPath::MeOnlineMeetings {
            meeting_id: "m".into(),
        },
        UpdateOnlineMeetingBody::new(),
    );
    let users = UpdateOnlineMeeting::new(
        UpdateOnlineMeetingPath::UsersOnlineMeetings {
            user_id: "u".into(),
            meeting_id: "m".into(),
        },
        UpdateOnlineMeetingBody::new(),
    );
    // `/me` cannot be called with application permissions; `/users/{id}` can.
    assert!(!me
        .permissions()
        .get(PermissionType::Application)
        .allows("OnlineMeetings.ReadWrite.All"));
    assert!(users
        .permissions()
        .get(PermissionType::Application)
        .allows("OnlineMeetings.ReadWrite.All"));
    // The operation's table covers both lines.
    assert!(UpdateOnlineMeeting::METADATA
        .permissions
        .get(PermissionType::Application)
        .allows("OnlineMeetings.ReadWrite.All"));
}
