//! JSON batching (`$batch`): any sans-IO operations sent 20 to a POST, in
//! order, with `dependsOn`; each answer parsed as its own operation's output
//! or error, and an item Graph throttled inside the batch retried on its own
//! after its `Retry-After`.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::time::SystemTime;

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::body::Body;
use crate::client::Client;
use crate::error::{Error, RequestError};
use crate::operation::{
    Operation, OperationMetadata, PermissionSet, PermissionType, Permissions, RequestParts,
    SuccessBody, Target,
};
use crate::permissions::ScopePlan;
use crate::pipeline::Call;

/// The most requests Graph takes in one `$batch`; a [`Batch`] with more is
/// sent as several, in order.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// One item of a [`Batch`], whatever its operation: what
/// [`Batch::add_after`] takes to say what an item depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BatchItemId(usize);

impl BatchItemId {
    /// The item's `id` in the batch's JSON: its place in the batch, from 1.
    pub fn json_id(self) -> String {
        (self.0 + 1).to_string()
    }
}

/// The handle of an operation added to a [`Batch`]: it takes that
/// operation's typed output from [`BatchOutputs::take`].
pub struct BatchKey<O> {
    id: BatchItemId,
    operation: PhantomData<fn() -> O>,
}

impl<O> BatchKey<O> {
    /// The item, for [`Batch::add_after`] and [`BatchOutputs::status`].
    pub fn id(&self) -> BatchItemId {
        self.id
    }
}

impl<O> Clone for BatchKey<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for BatchKey<O> {}

impl<O> std::fmt::Debug for BatchKey<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("BatchKey").field(&self.id.0).finish()
    }
}

/// One request of a batch, as its operation built it.
struct Item {
    metadata: &'static OperationMetadata,
    permissions: &'static Permissions,
    method: Method,
    version_base: &'static str,
    path_template: Option<&'static str>,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Bytes>,
    depends_on: Vec<usize>,
    success_body: SuccessBody,
    redirect_is_output: bool,
}

impl Item {
    /// The request on its own, to send outside a batch.
    fn parts(&self) -> RequestParts {
        let mut parts = RequestParts::new(
            self.method.clone(),
            Target::Path {
                version_base: self.version_base,
                path: self.path.clone(),
            },
        );
        parts.path_template = self.path_template;
        parts.query = self.query.clone();
        parts.headers = self.headers.clone();
        if let Some(body) = &self.body {
            parts.body = Body::Bytes(body.clone());
        }
        parts
    }

    /// The URL in the batch's JSON: relative to the API version.
    fn relative_url(&self) -> String {
        let mut url = self.path.clone();
        if !self.query.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&crate::path::query(&self.query));
        }
        url
    }

    /// The item as the batch's JSON carries it; `dependencies` are the JSON
    /// ids of what it waits for in the same `$batch`.
    fn to_json(&self, id: usize, dependencies: Vec<String>) -> Value {
        let mut request = Map::new();
        request.insert("id".into(), (id + 1).to_string().into());
        request.insert("method".into(), self.method.as_str().into());
        request.insert("url".into(), self.relative_url().into());
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .filter_map(|(name, value)| {
                let value = value.to_str().ok()?;
                Some((name.as_str().to_owned(), Value::from(value)))
            })
            .collect();
        if let Some(body) = &self.body {
            let is_json = self
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
            // Graph takes a JSON body as JSON, and any other as base64.
            let value = match is_json.then(|| serde_json::from_slice::<Value>(body)) {
                Some(Ok(value)) => value,
                _ => base64::engine::general_purpose::STANDARD
                    .encode(body)
                    .into(),
            };
            request.insert("body".into(), value);
        }
        if !headers.is_empty() {
            request.insert("headers".into(), Value::Object(headers));
        }
        if !dependencies.is_empty() {
            request.insert("dependsOn".into(), dependencies.into());
        }
        Value::Object(request)
    }
}

/// Operations to send as JSON batches (`$batch`): each is added as it is,
/// gets a typed [`BatchKey`], and may wait for items added before it
/// (`dependsOn`).
///
/// [`Client::send_batch`] sends at most [`MAX_BATCH_REQUESTS`] to a
/// `$batch` request, in the order they were added, one API version at a
/// time; an item that depends on one in an earlier `$batch` is sent only if
/// that one succeeded.
///
/// ```no_run
/// # async fn run<A, B>(client: &msgraph_runtime::Client, first: A, second: B) -> Result<(), msgraph_runtime::Error>
/// # where A: msgraph_runtime::Operation, B: msgraph_runtime::Operation {
/// use msgraph_runtime::Batch;
///
/// let mut batch = Batch::new();
/// let a = batch.add(&first)?;
/// let b = batch.add_after(&second, &[a.id()])?; // sent once `first` succeeded
/// let mut outputs = client.send_batch(&batch).await?;
/// let first_output: A::Output = outputs.take(a)?;
/// let second_output: B::Output = outputs.take(b)?;
/// # let _ = (first_output, second_output); Ok(()) }
/// ```
#[derive(Default)]
pub struct Batch {
    items: Vec<Item>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                self.items
                    .iter()
                    .map(|item| (item.metadata.name, item.metadata.version)),
            )
            .finish()
    }
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Self {
        Batch::default()
    }

    /// Adds an operation; its output is taken with the key it gives back.
    pub fn add<O: Operation>(&mut self, operation: &O) -> Result<BatchKey<O>, RequestError> {
        self.add_after(operation, &[])
    }

    /// Adds an operation that Graph runs only after the items `depends_on`
    /// succeeded (`dependsOn`), which must be in this batch already. When
    /// one of them fails, this one is not run: its output is an error.
    pub fn add_after<O: Operation>(
        &mut self,
        operation: &O,
        depends_on: &[BatchItemId],
    ) -> Result<BatchKey<O>, RequestError> {
        let not_batchable = |reason| RequestError::NotBatchable {
            operation: O::METADATA.name,
            reason,
        };
        let parts = operation.to_request()?;
        let (version_base, path) = match parts.target {
            Target::Path { version_base, path } => (version_base, path),
            Target::Absolute(_) => return Err(not_batchable(
                "its target is an absolute URL, and a batch carries only paths of its API version",
            )),
        };
        let body = match parts.body {
            Body::Empty => None,
            Body::Bytes(bytes) => Some(bytes),
            Body::Stream(_) => {
                return Err(not_batchable(
                    "its body is a stream, which a batch cannot carry; send it on its own",
                ))
            }
        };
        if depends_on.iter().any(|id| id.0 >= self.items.len()) {
            return Err(not_batchable(
                "it depends on an item that is not in this batch (yet)",
            ));
        }
        let id = BatchItemId(self.items.len());
        self.items.push(Item {
            metadata: O::METADATA,
            permissions: operation.permissions(),
            method: parts.method,
            version_base,
            path_template: parts.path_template,
            path,
            query: parts.query,
            headers: parts.headers,
            body,
            depends_on: depends_on.iter().map(|id| id.0).collect(),
            success_body: O::SUCCESS_BODY,
            redirect_is_output: O::REDIRECT_IS_OUTPUT,
        });
        Ok(BatchKey {
            id,
            operation: PhantomData,
        })
    }

    /// How many operations the batch holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the batch holds no operation.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The metadata of each operation, in order.
    pub fn operations(&self) -> impl Iterator<Item = &'static OperationMetadata> + '_ {
        self.items.iter().map(|item| item.metadata)
    }

    /// Each operation's name, version and the permissions table of the
    /// request line it is sent to.
    pub(crate) fn permission_rows(
        &self,
    ) -> impl Iterator<Item = (&'static str, &'static str, &'static Permissions)> + '_ {
        self.items
            .iter()
            .map(|item| (item.metadata.name, item.metadata.version, item.permissions))
    }

    /// The least privileged permissions of one type that allow every
    /// operation in the batch (see [`crate::permissions::least_privileged`]).
    pub fn least_privileged(&self, permission_type: PermissionType) -> ScopePlan {
        crate::permissions::least_privileged_for_batch(self, permission_type)
    }

    /// The `$batch` requests to send: ranges of items, at most
    /// [`MAX_BATCH_REQUESTS`] long and of one API version, in order.
    fn chunks(&self) -> Vec<std::ops::Range<usize>> {
        let mut chunks: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            match chunks.last_mut() {
                Some(chunk)
                    if chunk.len() < MAX_BATCH_REQUESTS
                        && self.items[chunk.start].version_base == item.version_base =>
                {
                    chunk.end = i + 1
                }
                _ => chunks.push(i..i + 1),
            }
        }
        chunks
    }
}

/// What one item of a batch got.
enum Slot {
    /// Not sent yet.
    Pending,
    /// Its response, whatever its status.
    Response(http::Response<Bytes>),
    /// No response of its own.
    Failed(Error),
    /// Its output was taken.
    Taken,
}

impl Slot {
    fn succeeded(&self) -> bool {
        matches!(self, Slot::Response(r) if r.status().is_success() || r.status().is_redirection())
    }
}

/// The answers to a [`Batch`], each taken as its operation's typed output
/// or error with the item's [`BatchKey`].
pub struct BatchOutputs {
    slots: Vec<Slot>,
}

impl std::fmt::Debug for BatchOutputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.slots.iter().map(|slot| match slot {
                Slot::Pending => "not sent".to_owned(),
                Slot::Response(r) => r.status().to_string(),
                Slot::Failed(e) => e.to_string(),
                Slot::Taken => "taken".to_owned(),
            }))
            .finish()
    }
}

impl BatchOutputs {
    /// The output of the operation `key` stands for, parsed from its answer
    /// as a call on its own would be: its typed output, or its
    /// [`Error::Graph`] (an answer Graph gave it), or [`Error::Batch`] (no
    /// answer of its own). Each output is taken once.
    pub fn take<O: Operation>(&mut self, key: BatchKey<O>) -> Result<O::Output, Error> {
        let id = key.id;
        let Some(slot) = self.slots.get_mut(id.0) else {
            return Err(batch_error(format!(
                "item {} is not in this batch",
                id.json_id()
            )));
        };
        match std::mem::replace(slot, Slot::Taken) {
            Slot::Response(mut response) => {
                if O::SUCCESS_BODY == SuccessBody::Ignore && response.status().is_success() {
                    *response.body_mut() = Bytes::new();
                }
                O::parse_response(response)
            }
            Slot::Failed(error) => Err(error),
            Slot::Pending => Err(batch_error(format!("item {} was not sent", id.json_id()))),
            Slot::Taken => Err(batch_error(format!(
                "the output of item {} was already taken",
                id.json_id()
            ))),
        }
    }

    /// The status of an item's answer, when it got one and it was not taken.
    pub fn status(&self, id: BatchItemId) -> Option<StatusCode> {
        match self.slots.get(id.0)? {
            Slot::Response(response) => Some(response.status()),
            _ => None,
        }
    }

    /// How many items the batch had.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the batch had no item.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

fn batch_error(message: String) -> Error {
    Error::Batch { message }
}

/// The `$batch` response: `{"responses": [{"id", "status", "headers", "body"}]}`.
#[derive(Deserialize)]
struct BatchResponse {
    #[serde(default)]
    responses: Vec<ItemResponse>,
}

#[derive(Deserialize)]
struct ItemResponse {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    status: Value,
    #[serde(default)]
    headers: Option<Map<String, Value>>,
    #[serde(default)]
    body: Option<Value>,
}

/// An item's answer as the HTTP response its operation parses.
fn item_response(answer: ItemResponse) -> Result<http::Response<Bytes>, String> {
    let status = answer
        .status
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .ok_or_else(|| format!("its answer has no valid HTTP status ({})", answer.status))?;
    let mut headers = HeaderMap::new();
    for (name, value) in answer.headers.into_iter().flatten() {
        let text = match value {
            Value::String(text) => text,
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            _ => continue,
        };
        // A header HTTP would not carry is dropped, as a transport would.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&text),
        ) {
            headers.append(name, value);
        }
    }
    let is_json = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.to_ascii_lowercase().contains("json"));
    let body = match answer.body {
        None | Some(Value::Null) => Bytes::new(),
        // Graph sends a body of another media type as base64.
        Some(Value::String(text)) if !is_json => {
            match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
                Ok(bytes) => Bytes::from(bytes),
                Err(_) => Bytes::from(text),
            }
        }
        Some(value) => Bytes::from(serde_json::to_vec(&value).unwrap_or_default()),
    };
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Ok(response)
}

/// The facts the `$batch` request itself is traced with.
fn batch_metadata(version_base: &str) -> &'static OperationMetadata {
    const fn metadata(version: &'static str) -> OperationMetadata {
        OperationMetadata {
            name: "$batch",
            version,
            method: "POST",
            paths: &["/$batch"],
            permissions: Permissions {
                delegated_work: PermissionSet::Unsupported,
                delegated_personal: PermissionSet::Unsupported,
                application: PermissionSet::Unsupported,
            },
            clouds: None,
            deprecated: false,
        }
    }
    static V1_0: OperationMetadata = metadata("v1.0");
    static BETA: OperationMetadata = metadata("beta");
    static OTHER: OperationMetadata = metadata("(other)");
    match version_base {
        "/v1.0" => &V1_0,
        "/beta" => &BETA,
        _ => &OTHER,
    }
}

impl Client {
    /// Sends a batch: [`MAX_BATCH_REQUESTS`] items to a `$batch` request, in
    /// order, and reads each item's answer.
    ///
    /// An item Graph throttled (429, or another status of the client's
    /// [`crate::RetryPolicy`]) is sent again on its own after the longest
    /// `Retry-After` among them (within the policy's `max_wait`), through the
    /// client's usual retries; so is an item that failed only because it
    /// depends on one of them (424). The error is `Err` only when the first
    /// `$batch` request fails as a whole (nothing was run); a later one that
    /// fails leaves its items [`Error::Batch`].
    pub async fn send_batch(&self, batch: &Batch) -> Result<BatchOutputs, Error> {
        let mut slots: Vec<Slot> = batch.items.iter().map(|_| Slot::Pending).collect();
        for (n, chunk) in batch.chunks().into_iter().enumerate() {
            // What waits on an item that failed (here or in an earlier
            // `$batch`) is not sent: Graph would not run it either.
            let mut sent = Vec::new();
            for i in chunk.clone() {
                let failed = batch.items[i].depends_on.iter().find(|&&d| {
                    !(slots[d].succeeded() || (chunk.contains(&d) && sent.contains(&d)))
                });
                match failed {
                    Some(&d) => {
                        slots[i] = Slot::Failed(batch_error(format!(
                            "item {} was not sent: item {} it depends on failed",
                            i + 1,
                            d + 1
                        )))
                    }
                    None => sent.push(i),
                }
            }
            if sent.is_empty() {
                continue;
            }
            let requests: Vec<Value> = sent
                .iter()
                .map(|&i| {
                    let dependencies = batch.items[i]
                        .depends_on
                        .iter()
                        .filter(|d| chunk.contains(d))
                        .map(|d| (d + 1).to_string())
                        .collect();
                    batch.items[i].to_json(i, dependencies)
                })
                .collect();
            let version_base = batch.items[chunk.start].version_base;
            let answers = match self
                .post_batch(version_base, json!({ "requests": requests }))
                .await
            {
                Ok(answers) => answers,
                Err(error) if n == 0 => return Err(error),
                Err(error) => {
                    for &i in &sent {
                        slots[i] = Slot::Failed(batch_error(format!(
                            "the $batch request carrying item {} failed: {error}",
                            i + 1
                        )));
                    }
                    continue;
                }
            };
            let mut answers: HashMap<String, ItemResponse> = answers
                .responses
                .into_iter()
                .filter_map(|answer| {
                    let id = match &answer.id {
                        Value::String(id) => id.clone(),
                        Value::Number(id) => id.to_string(),
                        _ => return None,
                    };
                    Some((id, answer))
                })
                .collect();
            for &i in &sent {
                slots[i] = match answers.remove(&(i + 1).to_string()) {
                    None => Slot::Failed(batch_error(format!(
                        "the $batch response has no answer for item {}",
                        i + 1
                    ))),
                    Some(answer) => match item_response(answer) {
                        Ok(response) => Slot::Response(response),
                        Err(problem) => {
                            Slot::Failed(batch_error(format!("item {}: {problem}", i + 1)))
                        }
                    },
                };
            }
            self.retry_throttled(batch, &sent, &mut slots).await;
        }
        Ok(BatchOutputs { slots })
    }

    /// Sends one `$batch` request and parses its answer.
    async fn post_batch(
        &self,
        version_base: &'static str,
        body: Value,
    ) -> Result<BatchResponse, Error> {
        let parts = RequestParts::new(
            Method::POST,
            Target::Path {
                version_base,
                path: "/$batch".into(),
            },
        )
        .with_template("/$batch")
        .json_body(&body)?;
        let call = Call {
            credentials: true,
            success_body: SuccessBody::Read,
            deadline: self.inner.deadline,
            follow_redirects: true,
        };
        let received = self.call(batch_metadata(version_base), parts, call).await?;
        crate::response::parse::json(received.response)
    }

    /// Sends again, each on its own, the items of `sent` that were throttled
    /// inside the batch, and those that failed only because they depend on
    /// one of them.
    async fn retry_throttled(&self, batch: &Batch, sent: &[usize], slots: &mut [Slot]) {
        let retry = &self.inner.retry;
        let status = |slot: &Slot| match slot {
            Slot::Response(response) => Some(response.status()),
            _ => None,
        };
        let mut again: Vec<usize> = Vec::new();
        let mut wait = std::time::Duration::ZERO;
        for &i in sent {
            match status(&slots[i]) {
                Some(s) if retry.retries(s) && retry.max_attempts > 1 => {
                    if let Slot::Response(response) = &slots[i] {
                        wait = wait.max(retry.delay(1, response.headers(), SystemTime::now()));
                    }
                    again.push(i);
                }
                Some(StatusCode::FAILED_DEPENDENCY)
                    if batch.items[i].depends_on.iter().any(|d| again.contains(d)) =>
                {
                    again.push(i)
                }
                _ => {}
            }
        }
        if again.is_empty() {
            return;
        }
        if wait > retry.max_wait {
            tracing::warn!(
                wait = ?wait,
                max_wait = ?retry.max_wait,
                "batch items were throttled for longer than the retry policy's max_wait; not retrying"
            );
            return;
        }
        tracing::warn!(items = again.len(), wait = ?wait, "batch items throttled; retrying each on its own");
        self.inner.sleep.sleep(wait).await;
        for i in again {
            let item = &batch.items[i];
            if item.depends_on.iter().any(|&d| !slots[d].succeeded()) {
                continue;
            }
            let call = Call {
                credentials: true,
                success_body: match item.success_body {
                    SuccessBody::Ignore => SuccessBody::Ignore,
                    SuccessBody::Read | SuccessBody::Stream => SuccessBody::Read,
                },
                deadline: self.inner.deadline,
                follow_redirects: !item.redirect_is_output,
            };
            slots[i] = match self.call(item.metadata, item.parts(), call).await {
                Ok(received) => Slot::Response(received.response),
                Err(error) => Slot::Failed(error),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_answers_become_responses_without_panicking_on_odd_values() {
        let answer =
            |value: Value| item_response(serde_json::from_value::<ItemResponse>(value).unwrap());
        let ok = answer(json!({
            "id": "1", "status": 200,
            "headers": { "Content-Type": "application/json", "Retry-After": 5, "bad name": "x" },
            "body": { "id": "a" }
        }))
        .unwrap();
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.headers()["retry-after"], "5");
        assert_eq!(ok.body().as_ref(), br#"{"id":"a"}"#);
        let text = answer(json!({
            "id": "2", "status": 200,
            "headers": { "Content-Type": "text/plain" }, "body": "aGVsbG8="
        }))
        .unwrap();
        assert_eq!(text.body().as_ref(), b"hello");
        let empty = answer(json!({ "id": "3", "status": 204 })).unwrap();
        assert!(empty.body().is_empty());
        for status in [json!(99), json!(1000), json!("200"), json!(-1), json!(null)] {
            assert!(answer(json!({ "id": "4", "status": status })).is_err());
        }
    }
}
