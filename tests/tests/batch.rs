//! The generated operations in a `$batch` against a local server: 25 of
//! them go as two batches, one item Graph throttles is retried on its own
//! after its `Retry-After`, and each output comes back as its own
//! operation's type. Also: the generated fluent request takes added headers
//! and query pairs, and the mock transport tests code that uses the client.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_client::runtime::testing::{json_response, MockTransport};
use msgraph_client::runtime::{Batch, BoxFuture, PermissionType, Sleep};
use msgraph_client::v1_0::operations::{DeleteParticipant, GetOnlineMeeting, GetOnlineMeetingPath};
use msgraph_client::{Client, GraphClient, StaticToken};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers `$batch` as Graph does; the meeting `meeting-7` is throttled the
/// first time it is asked for.
#[derive(Clone, Default)]
struct Graph {
    throttled: Arc<Mutex<HashSet<String>>>,
    batch_sizes: Arc<Mutex<Vec<usize>>>,
}

impl Respond for Graph {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let batch: Value = serde_json::from_slice(&request.body).unwrap();
        let requests = batch["requests"].as_array().unwrap();
        self.batch_sizes.lock().unwrap().push(requests.len());
        let responses: Vec<Value> = requests
            .iter()
            .map(|item| {
                let id = item["id"].clone();
                let url = item["url"].as_str().unwrap();
                if item["method"] == "DELETE" {
                    return json!({ "id": id, "status": 204 });
                }
                let meeting = url.rsplit('/').next().unwrap().to_owned();
                if meeting == "meeting-7" && self.throttled.lock().unwrap().insert(meeting.clone()) {
                    return json!({ "id": id, "status": 429, "headers": { "Retry-After": "2" },
                                   "body": { "error": { "code": "TooManyRequests", "message": "throttled" } } });
                }
                json!({ "id": id, "status": 200, "headers": { "Content-Type": "application/json" },
                        "body": { "id": meeting, "subject": format!("Subject of {meeting}") } })
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

#[derive(Clone, Default)]
struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

fn meeting(id: &str) -> GetOnlineMeeting {
    GetOnlineMeeting::new(GetOnlineMeetingPath::UsersOnlineMeetings {
        user_id: "user-1".into(),
        meeting_id: id.into(),
    })
}

#[tokio::test(flavor = "current_thread")]
async fn twenty_five_generated_operations_in_two_batches_with_a_throttled_item_retried() {
    let server = MockServer::start().await;
    let graph = Graph::default();
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(graph.clone())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/user-1/onlineMeetings/meeting-7"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "id": "meeting-7", "subject": "Retried alone" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let sleep = RecordingSleep::default();
    let client = Client::builder()
        .base_url(&server.uri())
        .token_provider(StaticToken::new("t0ken"))
        .sleep(sleep.clone())
        .build()
        .unwrap();

    let mut batch = Batch::new();
    let meetings: Vec<_> = (0..24)
        .map(|i| batch.add(&meeting(&format!("meeting-{i}"))).unwrap())
        .collect();
    let hang_up = batch
        .add(&DeleteParticipant::new("call-1", "participant-1"))
        .unwrap();
    let mut outputs = client.send_batch(&batch).await.unwrap();

    for (i, key) in meetings.into_iter().enumerate() {
        let meeting: msgraph_client::v1_0::models::OnlineMeeting = outputs.take(key).unwrap();
        assert_eq!(meeting.id.as_deref(), Some(format!("meeting-{i}").as_str()));
        let expected = if i == 7 {
            "Retried alone".to_owned()
        } else {
            format!("Subject of meeting-{i}")
        };
        assert_eq!(meeting.subject.as_deref(), Some(expected.as_str()));
    }
    let () = outputs.take(hang_up).unwrap();
    assert_eq!(*graph.batch_sizes.lock().unwrap(), [20, 5]);
    assert_eq!(*sleep.0.lock().unwrap(), [Duration::from_secs(2)]);

    // What the app must hold to send the batch, from the generated tables.
    let plan = batch.least_privileged(PermissionType::Application);
    assert!(
        plan.permissions.contains(&"OnlineMeetings.Read.All"),
        "{plan:?}"
    );
    assert!(
        plan.permissions.iter().any(|p| p.starts_with("Calls.")),
        "{plan:?}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_generated_fluent_request_takes_added_headers_and_query_pairs() {
    let mock = MockTransport::with_responder(|_| json_response(200, json!({ "id": "m" })));
    let client = GraphClient::new(
        Client::builder()
            .transport(mock.clone())
            .token_provider(StaticToken::new("t0ken"))
            .build()
            .unwrap(),
    );
    let meeting = client
        .v1_0()
        .me()
        .online_meetings("m")
        .get()
        .header("X-Correlation", "c-1")
        .query("$select", "subject")
        .send()
        .await
        .unwrap();
    assert_eq!(meeting.id.as_deref(), Some("m"));
    let sent = mock.requests();
    assert_eq!(
        sent[0].uri,
        "https://graph.microsoft.com/v1.0/me/onlineMeetings/m?$select=subject"
    );
    assert_eq!(sent[0].header("x-correlation"), Some("c-1"));

    // An option the request line already sets is refused, not sent twice.
    let error = client
        .v1_0()
        .me()
        .online_meetings_collection()
        .get_by_join_web_url("https://teams.example/l/meetup-join/1")
        .query("$filter", "subject eq 'x'")
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("`$filter` is already set"),
        "{error}"
    );
    assert_eq!(mock.requests().len(), 1);
}
