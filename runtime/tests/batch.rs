//! `$batch` against a local server: 20 requests to a POST, `dependsOn`,
//! each answer parsed as its own operation's output or error, a throttled
//! item retried on its own after its `Retry-After`, and items whose
//! dependency failed left unsent.

mod support;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_runtime::{Batch, Error, PermissionType, RequestError, MAX_BATCH_REQUESTS};
use serde_json::{json, Value};
use support::{client, received, DeleteItem, GetItem, RecordingSleep};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers `$batch` requests as Graph does: each item by its URL
/// (`/items/{id}`: 200 with the id, `/items/missing`: 404), the ids in
/// `throttle` with a 429 the first time, an item whose dependency failed
/// with 424. Records each batch's JSON.
#[derive(Clone, Default)]
struct Graph {
    throttle: Arc<Mutex<HashSet<String>>>,
    batches: Arc<Mutex<Vec<Value>>>,
    leave_out: Option<String>,
}

impl Respond for Graph {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let batch: Value = serde_json::from_slice(&request.body).unwrap();
        self.batches.lock().unwrap().push(batch.clone());
        let mut failed: HashSet<String> = HashSet::new();
        let mut responses = Vec::new();
        for item in batch["requests"].as_array().unwrap() {
            let id = item["id"].as_str().unwrap().to_owned();
            if self.leave_out.as_deref() == Some(id.as_str()) {
                continue;
            }
            let url = item["url"].as_str().unwrap();
            let item_id = url.trim_start_matches("/items/").to_owned();
            let depends_on_failed = item["dependsOn"]
                .as_array()
                .is_some_and(|deps| deps.iter().any(|d| failed.contains(d.as_str().unwrap())));
            let answer = if depends_on_failed {
                json!({ "id": id, "status": 424, "body": { "error": { "code": "FailedDependency", "message": "dependency failed" } } })
            } else if self.throttle.lock().unwrap().remove(&item_id) {
                json!({ "id": id, "status": 429, "headers": { "Retry-After": "3" },
                        "body": { "error": { "code": "TooManyRequests", "message": "slow down" } } })
            } else if item_id == "missing" {
                json!({ "id": id, "status": 404, "headers": { "Content-Type": "application/json" },
                        "body": { "error": { "code": "itemNotFound", "message": "no such item" } } })
            } else if item["method"] == "DELETE" {
                json!({ "id": id, "status": 204 })
            } else {
                json!({ "id": id, "status": 200, "headers": { "Content-Type": "application/json" },
                        "body": { "id": item_id } })
            };
            if answer["status"].as_u64() != Some(200) && answer["status"].as_u64() != Some(204) {
                failed.insert(id.clone());
            }
            responses.push(answer);
        }
        // Graph answers in any order.
        responses.reverse();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

impl Graph {
    fn batches(&self) -> Vec<Value> {
        self.batches.lock().unwrap().clone()
    }
}

async fn graph(graph: &Graph) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(graph.clone())
        .mount(&server)
        .await;
    // What an item retried on its own reaches.
    Mock::given(method("GET"))
        .and(path_regex("^/v1.0/items/[^/]+$"))
        .respond_with(|request: &Request| {
            let id = request.url.path().trim_start_matches("/v1.0/items/");
            ResponseTemplate::new(200).set_body_json(json!({ "id": id }))
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn twenty_five_operations_go_as_two_batches_with_a_throttled_item_retried_alone() {
    let state = Graph::default();
    state.throttle.lock().unwrap().insert("item-7".into());
    let server = graph(&state).await;
    let sleep = RecordingSleep::default();
    let client = client(&server, &sleep);

    let mut batch = Batch::new();
    let keys: Vec<_> = (0..25)
        .map(|i| batch.add(&GetItem::new(&format!("item-{i}"))).unwrap())
        .collect();
    let mut outputs = client.send_batch(&batch).await.unwrap();
    for (i, key) in keys.into_iter().enumerate() {
        let item: support::Item = outputs.take(key).unwrap();
        assert_eq!(item.id, format!("item-{i}"));
    }

    let batches = state.batches();
    let sizes: Vec<usize> = batches
        .iter()
        .map(|b| b["requests"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [MAX_BATCH_REQUESTS, 5]);
    assert_eq!(
        batches[0]["requests"][0],
        json!({ "id": "1", "method": "GET", "url": "/items/item-0" })
    );
    assert_eq!(batches[1]["requests"][0]["id"], "21");
    // The throttled item alone was sent again, after its Retry-After.
    assert_eq!(sleep.waits(), [Duration::from_secs(3)]);
    let alone: Vec<String> = received(&server)
        .await
        .iter()
        .filter(|r| r.method.as_str() == "GET")
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(alone, ["/v1.0/items/item-7"]);
    // Every request carried the token; the batch its JSON content type.
    for request in received(&server).await {
        assert_eq!(
            request.headers["authorization"],
            format!("Bearer {}", support::TOKEN)
        );
    }
    assert_eq!(
        received(&server).await[0].headers["content-type"],
        "application/json"
    );
}

#[tokio::test]
async fn depends_on_orders_items_and_a_dependent_of_a_throttled_item_is_retried_too() {
    let state = Graph::default();
    state.throttle.lock().unwrap().insert("first".into());
    let server = graph(&state).await;
    let client = client(&server, &RecordingSleep::default());

    let mut batch = Batch::new();
    let first = batch.add(&GetItem::new("first")).unwrap();
    let second = batch
        .add_after(&GetItem::new("second"), &[first.id()])
        .unwrap();
    let gone = batch.add(&DeleteItem("gone".into())).unwrap();
    let mut outputs = client.send_batch(&batch).await.unwrap();

    assert_eq!(state.batches()[0]["requests"][1]["dependsOn"], json!(["1"]));
    assert_eq!(outputs.take(first).unwrap().id, "first");
    assert_eq!(outputs.take(second).unwrap().id, "second");
    outputs.take(gone).unwrap();
    let taken_twice = outputs.take(gone).unwrap_err();
    assert!(matches!(taken_twice, Error::Batch { .. }));
    assert_eq!(
        taken_twice.to_string(),
        "batch item failed: the output of item 3 was already taken"
    );
}

#[tokio::test]
async fn errors_are_each_items_own_and_a_failed_dependency_stops_its_dependents() {
    let state = Graph::default();
    let server = graph(&state).await;
    let client = client(&server, &RecordingSleep::default());

    let mut batch = Batch::new();
    let missing = batch.add(&GetItem::new("missing")).unwrap();
    let fillers: Vec<_> = (1..MAX_BATCH_REQUESTS)
        .map(|i| batch.add(&GetItem::new(&format!("filler-{i}"))).unwrap())
        .collect();
    // In the second `$batch`, depending on an item of the first that failed.
    let orphan = batch
        .add_after(&GetItem::new("orphan"), &[missing.id()])
        .unwrap();
    let mut outputs = client.send_batch(&batch).await.unwrap();

    let error = outputs.take(missing).unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    assert_eq!(error.code(), Some("itemNotFound"));
    for filler in fillers {
        outputs.take(filler).unwrap();
    }
    let error = outputs.take(orphan).unwrap_err();
    assert_eq!(
        error.to_string(),
        "batch item failed: item 21 was not sent: item 1 it depends on failed"
    );
    // The second `$batch` had nothing left to carry, and was not sent.
    assert_eq!(state.batches().len(), 1);
}

#[tokio::test]
async fn an_item_the_response_leaves_out_is_an_error_of_its_own() {
    let state = Graph {
        leave_out: Some("2".into()),
        ..Graph::default()
    };
    let server = graph(&state).await;
    let client = client(&server, &RecordingSleep::default());
    let mut batch = Batch::new();
    let answered = batch.add(&GetItem::new("a")).unwrap();
    let forgotten = batch.add(&GetItem::new("b")).unwrap();
    let mut outputs = client.send_batch(&batch).await.unwrap();
    assert_eq!(outputs.take(answered).unwrap().id, "a");
    assert_eq!(
        outputs.take(forgotten).unwrap_err().to_string(),
        "batch item failed: the $batch response has no answer for item 2"
    );
}

#[tokio::test]
async fn a_batch_request_that_fails_as_a_whole_is_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({ "error": { "code": "BadRequest", "message": "Invalid batch payload format." } }),
        ))
        .mount(&server)
        .await;
    let client = client(&server, &RecordingSleep::default());
    let mut batch = Batch::new();
    batch.add(&GetItem::new("a")).unwrap();
    let error = client.send_batch(&batch).await.unwrap_err();
    assert_eq!(error.code(), Some("BadRequest"));

    // A body that is not a batch response does not panic: it is a decode error.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>proxy</html>"))
        .mount(&server)
        .await;
    let client = support::client(&server, &RecordingSleep::default());
    assert!(matches!(
        client.send_batch(&batch).await.unwrap_err(),
        Error::Decode(_)
    ));
}

#[test]
fn what_cannot_go_into_a_batch_is_refused_and_permissions_cover_the_batch() {
    let mut batch = Batch::new();
    let mut other = Batch::new();
    let foreign = other.add(&GetItem::new("x")).unwrap();
    other.add(&GetItem::new("y")).unwrap();
    let error = batch
        .add_after(&GetItem::new("a"), &[foreign.id()])
        .unwrap_err();
    assert!(matches!(error, RequestError::NotBatchable { .. }));
    assert!(batch.is_empty());

    batch.add(&GetItem::new("a")).unwrap();
    batch.add(&DeleteItem("b".into())).unwrap();
    let plan = batch.least_privileged(PermissionType::Application);
    assert_eq!(plan.permissions, ["Items.Read.All"]);
    let plan = batch.least_privileged(PermissionType::DelegatedWork);
    assert_eq!(
        plan.unsupported,
        [("testOperation", "v1.0"), ("testOperation", "v1.0")]
    );
    assert_eq!(batch.operations().count(), 2);
}
