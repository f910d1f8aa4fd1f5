//! The crate's `bot_day` example program (generated/examples/bot_day.rs,
//! from specs/programs/) run against a local server that answers as Graph
//! does: its own code, compiled here, makes a calling bot's whole day of
//! calls through the real transport, and the server sees each request as the
//! reference pages document it.

#[path = "../../generated/examples/bot_day.rs"]
#[allow(dead_code)] // The program's `main` is not called here; its `run` is.
#[rustfmt::skip] // Formatted where it is written, in specs/programs/.
mod bot_day;

use msgraph_client::{Client, GraphClient, StaticToken};
use serde_json::{json, Value};
use wiremock::matchers::{
    body_json, body_partial_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CALL: &str = "/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896";

fn json_response(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// A participant of the list, as the List participants page shows one.
fn participant(id: &str, name: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.participant",
        "id": id,
        "info": {"identity": {"user": {"id": id, "displayName": name}}},
        "isMuted": false,
        "isInLobby": false
    })
}

/// A recording larger than one chunk of the transport, so that it streams.
fn recording_bytes() -> Vec<u8> {
    (0..300_000u32).map(|i| (i % 251) as u8).collect()
}

const TRANSCRIPT: &str =
    "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Caller>Hello, I need help with my order.</v>\n";

async fn graph(server: &MockServer) {
    let operation = |ty: &str, id: &str| json!({"@odata.type": format!("#microsoft.graph.{ty}"), "id": id, "status": "running", "clientContext": id});
    Mock::given(method("POST"))
        .and(path(format!("{CALL}/answer")))
        .and(header("authorization", "Bearer app-t0ken"))
        .and(body_json(json!({
            "callbackUri": "https://bot.contoso.com/api/calls",
            "acceptedModalities": ["audio"],
            "mediaConfig": {"@odata.type": "#microsoft.graph.serviceHostedMediaConfig"}
        })))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{CALL}/playPrompt")))
        .and(body_partial_json(json!({
            "clientContext": "greeting",
            "prompts": [{"mediaInfo": {
                "uri": "https://bot.example.com/prompts/welcome.wav",
                "resourceId": "welcome"
            }}]
        })))
        .respond_with(json_response(
            200,
            operation("playPromptOperation", "greeting"),
        ))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{CALL}/subscribeToTone")))
        .and(body_json(json!({"clientContext": "tones"})))
        .respond_with(json_response(200, operation("commsOperation", "tones")))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{CALL}/participants/invite")))
        .and(body_json(json!({
            "participants": [{
                "identity": {"user": {"id": "alex-id"}},
                "participantId": "colleague"
            }],
            "clientContext": "invite"
        })))
        .respond_with(json_response(
            200,
            operation("inviteParticipantsOperation", "invite"),
        ))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{CALL}/participants/colleague/mute")))
        .and(body_json(json!({"clientContext": "mute"})))
        .respond_with(json_response(
            200,
            operation("muteParticipantOperation", "mute"),
        ))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{CALL}/transfer")))
        .and(body_json(json!({
            "transferTarget": {"identity": {"user": {"id": "megan-id"}}}
        })))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(server)
        .await;
    let next = format!("{}{CALL}/participants?$skiptoken=page-2", server.uri());
    Mock::given(method("GET"))
        .and(path(format!("{CALL}/participants")))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(json_response(
            200,
            json!({
                "@odata.nextLink": next,
                "value": [participant("caller-id", "Caller"), participant("bot-id", "Bot")]
            }),
        ))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{CALL}/participants")))
        .and(query_param("$skiptoken", "page-2"))
        .respond_with(json_response(
            200,
            json!({"value": [participant("megan-id", "Megan")]}),
        ))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(CALL))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/communications/callRecords/e523d2ed-2966-4b6b-925b-754a88034cc5"))
        .respond_with(json_response(
            200,
            json!({
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#communications/callRecords/$entity",
                "version": 1,
                "type": "peerToPeer",
                "modalities": ["audio"],
                "lastModifiedDateTime": "2026-11-23T13:33:23.6153218Z",
                "startDateTime": "2026-11-23T13:29:59.9450000Z",
                "endDateTime": "2026-11-23T13:33:23.6153218Z",
                "id": "e523d2ed-2966-4b6b-925b-754a88034cc5",
                "joinWebUrl": null
            }),
        ))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/v1.0/users/organizer-id/onlineMeetings/meeting-id/recordings/recording-id/content",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_raw(recording_bytes(), "video/mp4"))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/v1.0/users/organizer-id/onlineMeetings/meeting-id/transcripts/transcript-id/content",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TRANSCRIPT, "text/vtt"))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_bots_day_runs_against_a_local_server() {
    let server = MockServer::start().await;
    graph(&server).await;
    let client = GraphClient::new(
        Client::builder()
            .base_url(&server.uri())
            .token_provider(StaticToken::new("app-t0ken"))
            .build()
            .unwrap(),
    );
    let output = std::env::temp_dir().join(format!("bot-day-{}", std::process::id()));
    std::fs::create_dir_all(&output).unwrap();
    let day = bot_day::Day {
        call_id: "57dab8b1-894c-409a-b240-bd8beae78896".into(),
        callback_uri: "https://bot.contoso.com/api/calls".into(),
        invitee_user_id: "alex-id".into(),
        transfer_target_user_id: "megan-id".into(),
        call_record_id: "e523d2ed-2966-4b6b-925b-754a88034cc5".into(),
        organizer_user_id: "organizer-id".into(),
        meeting_id: "meeting-id".into(),
        recording_id: "recording-id".into(),
        transcript_id: "transcript-id".into(),
        output_dir: output.clone(),
    };
    let report = bot_day::run(&client, &day).await.unwrap();

    assert_eq!(report.participants, 3);
    assert_eq!(report.participant_pages, 2);
    assert_eq!(
        report.call_record.id.as_deref(),
        Some("e523d2ed-2966-4b6b-925b-754a88034cc5")
    );
    assert_eq!(report.recording_bytes, 300_000);
    assert_eq!(
        std::fs::read(output.join("recording.mp4")).unwrap(),
        recording_bytes()
    );
    assert_eq!(report.transcript_bytes, TRANSCRIPT.len() as u64);
    assert_eq!(
        std::fs::read_to_string(output.join("transcript.vtt")).unwrap(),
        TRANSCRIPT
    );
    // The day's calls, in the order the bot makes them.
    let requests: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r: &Request| format!("{} {}", r.method, r.url.path()))
        .collect();
    let call = |tail: &str| format!("{CALL}{tail}");
    assert_eq!(
        requests,
        [
            format!("POST {}", call("/answer")),
            format!("POST {}", call("/playPrompt")),
            format!("POST {}", call("/subscribeToTone")),
            format!("POST {}", call("/participants/invite")),
            format!("POST {}", call("/participants/colleague/mute")),
            format!("POST {}", call("/transfer")),
            format!("GET {}", call("/participants")),
            format!("GET {}", call("/participants")),
            format!("DELETE {}", call("")),
            "GET /v1.0/communications/callRecords/e523d2ed-2966-4b6b-925b-754a88034cc5".to_owned(),
            "GET /v1.0/users/organizer-id/onlineMeetings/meeting-id/recordings/recording-id/content".to_owned(),
            "GET /v1.0/users/organizer-id/onlineMeetings/meeting-id/transcripts/transcript-id/content".to_owned(),
        ]
    );
    std::fs::remove_dir_all(&output).unwrap();
}
