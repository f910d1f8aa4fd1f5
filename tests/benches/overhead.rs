//! Request overhead of the runtime and of generated operations, against
//! plain reqwest doing the same work: the same request to the same local
//! server, one at a time, the same response parsed into the same type.
//!
//! The server is a minimal keep-alive HTTP/1.1 responder on loopback. Two
//! setups are measured: the server on its own thread (as a real server is),
//! and on the client's thread (the harsh case: no network latency hides the
//! client's own cost). Requests alternate between the two clients compared,
//! so that drift on a noisy machine hits both alike; the first round warms up.
//!
//! Run: `cargo bench -p graph-tests --bench overhead`
//! (`BENCH_REQUESTS` sets the requests per round, default 3000).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::Method;
use msgraph_client::runtime::{
    parse, Error, Operation, OperationMetadata, PermissionSet, Permissions, RequestError,
    RequestParts, Target,
};
use msgraph_client::{Client, GraphClient, StaticToken};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY: &str = r##"{"@odata.type":"#microsoft.graph.inviteParticipantsOperation","id":"eec3812a-fdc3-4fb4-825c-a06c9f35414e","status":"running","clientContext":"f2fa86af-3c51-4bc2-8fc0-475452d9764f","participants":[{"participantId":"a7ebfb2d-871e-419c-87af-27290b22e8db","identity":{"user":{"id":"278405a3-f568-4b3e-b684-009193463064","identityProvider":"AAD"}}}]}"##;
const CALL: &str = "112f7296-5fa4-42ca-bae8-6a692b15d4b8";
const PARTICIPANT: &str = "a7ebfb2d-871e-419c-87af-27290b22e8db";

type InviteOutput = msgraph_client::v1_0::models::InviteParticipantsOperation;

const META: OperationMetadata = OperationMetadata {
    name: "getOperation",
    version: "v1.0",
    method: "GET",
    paths: &["/communications/calls/{callId}/operations/{operationId}"],
    permissions: Permissions {
        delegated_work: PermissionSet::Unsupported,
        delegated_personal: PermissionSet::Unsupported,
        application: PermissionSet::Supported {
            least: &["Calls.Initiate.All"],
            higher: &[],
        },
    },
    clouds: None,
    deprecated: false,
};

/// A GET written by hand against the runtime alone.
struct GetOperation;

impl Operation for GetOperation {
    type Output = InviteOutput;
    const METADATA: &'static OperationMetadata = &META;
    fn to_request(&self) -> Result<RequestParts, RequestError> {
        let path = format!(
            "/communications/calls/{}/operations/{}",
            msgraph_client::runtime::path::segment("callId", CALL)?,
            msgraph_client::runtime::path::segment(
                "operationId",
                "eec3812a-fdc3-4fb4-825c-a06c9f35414e"
            )?
        );
        Ok(RequestParts::new(
            Method::GET,
            Target::Path {
                version_base: "/v1.0",
                path,
            },
        )
        .with_template(META.paths[0]))
    }
    fn parse_response(response: http::Response<Bytes>) -> Result<InviteOutput, Error> {
        parse::json(response)
    }
}

/// Answers every request with `BODY`, reading request bodies by their length.
async fn serve_on(std_listener: std::net::TcpListener) {
    let listener = TcpListener::from_std(std_listener).unwrap();
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: 1\r\ncontent-length: {}\r\n\r\n{BODY}",
                BODY.len()
            );
            let mut buffer = Vec::with_capacity(16 * 1024);
            let mut chunk = [0u8; 16 * 1024];
            loop {
                let Ok(n) = socket.read(&mut chunk).await else {
                    return;
                };
                if n == 0 {
                    return;
                }
                buffer.extend_from_slice(&chunk[..n]);
                while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if buffer.len() < end + 4 + length {
                        break;
                    }
                    buffer.drain(..end + 4 + length);
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            }
        });
    }
}

fn listener() -> std::net::TcpListener {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    listener
}

fn summarize(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    (median, mean)
}

struct Pair {
    name: &'static str,
    plain: Vec<Duration>,
    ours: Vec<Duration>,
}

async fn measure(base: &str, requests: usize, rounds: usize) -> Vec<Pair> {
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let runtime = Client::builder()
        .base_url(base)
        .token_provider(StaticToken::new("token"))
        .build()
        .unwrap();
    let graph = GraphClient::new(runtime.clone());
    let operation_url = format!(
        "{base}/v1.0/communications/calls/{CALL}/operations/eec3812a-fdc3-4fb4-825c-a06c9f35414e"
    );
    let invite_url = format!("{base}/v1.0/communications/calls/{CALL}/participants/invite");
    let participant_url =
        format!("{base}/v1.0/communications/calls/{CALL}/participants/{PARTICIPANT}");
    let invitation = || {
        msgraph_client::v1_0::operations::InviteParticipantsBody::new()
            .participants(Vec::<msgraph_client::v1_0::models::InvitationParticipantInfo>::new())
            .client_context("f2fa86af-3c51-4bc2-8fc0-475452d9764f")
    };
    let invitation_json = serde_json::to_vec(&invitation()).unwrap();
    let mut pairs = vec![
        Pair {
            name: "GET, hand-built operation",
            plain: vec![],
            ours: vec![],
        },
        Pair {
            name: "POST invite, generated",
            plain: vec![],
            ours: vec![],
        },
        Pair {
            name: "DELETE participant, generated",
            plain: vec![],
            ours: vec![],
        },
    ];
    let send = |request: reqwest::RequestBuilder| {
        request
            .header("authorization", "Bearer token")
            .header("client-request-id", uuid::Uuid::new_v4().to_string())
            .send()
    };
    for round in 0..=rounds {
        for _ in 0..requests {
            let t = Instant::now();
            let bytes = send(plain.get(&operation_url))
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let _: InviteOutput = serde_json::from_slice(&bytes).unwrap();
            let a = t.elapsed();
            let t = Instant::now();
            let _ = runtime.send(&GetOperation).await.unwrap();
            let b = t.elapsed();

            let t = Instant::now();
            let body = serde_json::to_vec(&invitation()).unwrap();
            debug_assert_eq!(body, invitation_json);
            let request = plain
                .post(&invite_url)
                .header("content-type", "application/json")
                .body(body);
            let bytes = send(request).await.unwrap().bytes().await.unwrap();
            let _: InviteOutput = serde_json::from_slice(&bytes).unwrap();
            let c = t.elapsed();
            let t = Instant::now();
            let _ = graph
                .v1_0()
                .communications()
                .calls(CALL)
                .participants_collection()
                .invite()
                .post(invitation())
                .await
                .unwrap();
            let d = t.elapsed();

            let t = Instant::now();
            let _ = send(plain.delete(&participant_url))
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let e = t.elapsed();
            let t = Instant::now();
            graph
                .v1_0()
                .communications()
                .calls(CALL)
                .participants(PARTICIPANT)
                .delete()
                .await
                .unwrap();
            let f = t.elapsed();
            if round > 0 {
                for (pair, (p, o)) in pairs.iter_mut().zip([(a, b), (c, d), (e, f)]) {
                    pair.plain.push(p);
                    pair.ours.push(o);
                }
            }
        }
    }
    pairs
}

fn report(setup: &str, pairs: Vec<Pair>) {
    println!("\n{setup}");
    println!(
        "  {:<32} {:>14} {:>14} {:>9} {:>9}",
        "request", "plain median", "ours median", "ratio", "mean"
    );
    for pair in pairs {
        let (pm, pmean) = summarize(pair.plain);
        let (om, omean) = summarize(pair.ours);
        println!(
            "  {:<32} {:>14.1?} {:>14.1?} {:>9.3} {:>9.3}",
            pair.name,
            pm,
            om,
            om.as_secs_f64() / pm.as_secs_f64(),
            omean.as_secs_f64() / pmean.as_secs_f64()
        );
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let requests: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let rounds = 5;
    println!("request overhead against plain reqwest: {requests} requests per kind x {rounds} rounds (target ratio <= 1.10)");
    let own = listener();
    let own_base = format!("http://{}", own.local_addr().unwrap());
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap()
            .block_on(serve_on(own));
    });
    report(
        "server on its own thread (as a real server is)",
        measure(&own_base, requests, rounds).await,
    );
    let shared = listener();
    let shared_base = format!("http://{}", shared.local_addr().unwrap());
    tokio::spawn(serve_on(shared));
    report(
        "server on the client's thread (no latency hides the client's own cost)",
        measure(&shared_base, requests, rounds).await,
    );
}
