//! Every seed operation sent through the generated client and the real
//! reqwest transport to a local server answering as the docs show: the
//! server sees the documented method and path, and the client returns the
//! typed output.

use msgraph_client::{Client, GraphClient, StaticToken};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> GraphClient {
    GraphClient::new(
        Client::builder()
            .base_url(&server.uri())
            .token_provider(StaticToken::new("t0ken"))
            .build()
            .unwrap(),
    )
}

#[tokio::test(flavor = "current_thread")]
async fn delete_participant_in_both_versions_and_the_deprecated_path() {
    let server = MockServer::start().await;
    for p in [
        "/v1.0/communications/calls/c%201/participants/p%2F1",
        "/beta/communications/calls/c%201/participants/p%2F1",
        "/beta/app/calls/c%201/participants/p%2F1",
    ] {
        Mock::given(method("DELETE"))
            .and(path(p))
            .and(header("authorization", "Bearer t0ken"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server).await;
    client
        .v1_0()
        .communications()
        .calls("c 1")
        .participants("p/1")
        .delete()
        .await
        .unwrap();
    client
        .beta()
        .communications()
        .calls("c 1")
        .participants("p/1")
        .delete()
        .await
        .unwrap();
    #[allow(deprecated)]
    client
        .beta()
        .app()
        .calls("c 1")
        .participants("p/1")
        .delete()
        .await
        .unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn invite_participants_returns_the_typed_operation_and_its_location() {
    let server = MockServer::start().await;
    let body = r##"{"@odata.type":"#microsoft.graph.inviteParticipantsOperation","id":"op-1","status":"Running","clientContext":"ctx","participants":[]}"##;
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/communications/calls/call-1/participants/invite",
        ))
        .and(header("content-type", "application/json"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "location",
                    "https://graph.microsoft.com/v1.0/communications/calls/call-1/operations/op-1",
                )
                .set_body_raw(body, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let invitation = msgraph_client::v1_0::operations::InviteParticipantsBody::new()
        .participants(Vec::<msgraph_client::v1_0::models::InvitationParticipantInfo>::new())
        .client_context("ctx");
    let response = client
        .v1_0()
        .communications()
        .calls("call-1")
        .participants_collection()
        .invite()
        .post(invitation)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(
        response.location(),
        Some("https://graph.microsoft.com/v1.0/communications/calls/call-1/operations/op-1")
    );
    let operation = response.value;
    assert_eq!(operation.id.as_deref(), Some("op-1"));
    // "Running" is not a documented member spelling: kept, not lost.
    assert_eq!(
        operation.status,
        Some(msgraph_client::v1_0::models::OperationStatus::Unrecognized(
            "Running".into()
        ))
    );
    assert_eq!(
        operation.additional_properties["@odata.type"],
        "#microsoft.graph.inviteParticipantsOperation"
    );
    let sent = &server.received_requests().await.unwrap()[0];
    let json: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"participants": [], "clientContext": "ctx"})
    );
}

#[tokio::test(flavor = "current_thread")]
#[allow(deprecated)]
async fn enroll_then_delete_a_meeting_registrant() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/users/u1/onlineMeetings/m1/registration/registrants"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "r1", "joinWebUrl": "https://teams.example/join", "status": "registered"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(
            "/beta/users/u1/onlineMeetings/m1/registration/registrants/r1",
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let registrant = msgraph_client::beta::models::MeetingRegistrant::new().first_name("Foo");
    let enrolled = client
        .beta()
        .users("u1")
        .online_meetings("m1")
        .registration()
        .registrants_collection()
        .post(registrant)
        .await
        .unwrap();
    assert_eq!(
        enrolled.status,
        Some(msgraph_client::beta::models::MeetingRegistrantStatus::Registered)
    );
    let id = enrolled.id.unwrap();
    client
        .beta()
        .users("u1")
        .online_meetings("m1")
        .registration()
        .registrants(id)
        .delete()
        .await
        .unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn a_graph_error_from_a_generated_operation_is_typed() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("request-id", "rid")
                .set_body_raw(
                    r#"{"error":{"code":"Forbidden","message":"Application is not authorized"}}"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    let client = client(&server).await;
    let error = client
        .v1_0()
        .communications()
        .calls("c")
        .participants("p")
        .delete()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("Forbidden"));
    assert_eq!(error.request_id(), Some("rid"));
}
