//! Request overhead of the runtime against plain reqwest.
//!
//! Both send the same GET to the same local HTTP server, one request at a
//! time, and parse the same JSON body. The server is a minimal keep-alive
//! HTTP/1.1 responder on loopback, in its own thread, so that the server's
//! cost neither hides the client's nor shares its core. Requests alternate
//! between the two clients so that drift hits both alike. Prints the median
//! and mean per request and the ratio.
//!
//! Run: `cargo bench -p msgraph-runtime --bench overhead`

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::Method;
use msgraph_runtime::{
    parse, Client, Error, Operation, OperationMetadata, PermissionSet, Permissions, RequestError,
    RequestParts, StaticToken, Target,
};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY: &str = r#"{"id":"eec3812a-fdc3-4fb4-825c-a06c9f35414e","status":"running","clientContext":"f2fa86af-3c51-4bc2-8fc0-475452d9764f"}"#;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Operation_ {
    id: String,
    status: String,
    #[serde(rename = "clientContext")]
    client_context: String,
}

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

struct GetOperation;

impl Operation for GetOperation {
    type Output = Operation_;
    const METADATA: &'static OperationMetadata = &META;
    fn to_request(&self) -> Result<RequestParts, RequestError> {
        let path = format!(
            "/communications/calls/{}/operations/{}",
            msgraph_runtime::path::segment("callId", "112f7296-5fa4-42ca-bae8-6a692b15d4b8")?,
            msgraph_runtime::path::segment("operationId", "eec3812a-fdc3-4fb4-825c-a06c9f35414e")?
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
    fn parse_response(response: http::Response<Bytes>) -> Result<Operation_, Error> {
        parse::json(response)
    }
}

/// A keep-alive HTTP/1.1 server that answers every request with `BODY`, on
/// a thread of its own so that it does not share the client's core.
fn serve() -> String {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    std_listener.set_nonblocking(true).unwrap();
    let address = std_listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        runtime.block_on(serve_on(std_listener));
    });
    format!("http://{address}")
}

async fn serve_on(std_listener: std::net::TcpListener) {
    let listener = TcpListener::from_std(std_listener).unwrap();
    {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut filled = 0;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: 1\r\ncontent-length: {}\r\n\r\n{}",
                    BODY.len(),
                    BODY
                );
                loop {
                    let Ok(n) = socket.read(&mut buffer[filled..]).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    filled += n;
                    // Requests here have no body: each ends at a blank line.
                    while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n")
                    {
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                        buffer.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                    }
                }
            });
        }
    }
}

fn summarize(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    (median, mean)
}

/// Times `requests` alternating GETs per client after one warm-up round;
/// returns (plain, runtime) samples.
async fn measure(base: &str, requests: usize, rounds: usize) -> (Vec<Duration>, Vec<Duration>) {
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let graph = Client::builder()
        .base_url(base)
        .token_provider(StaticToken::new("token"))
        .build()
        .unwrap();
    let url = format!("{base}/v1.0/communications/calls/112f7296-5fa4-42ca-bae8-6a692b15d4b8/operations/eec3812a-fdc3-4fb4-825c-a06c9f35414e");
    let mut plain_samples = Vec::new();
    let mut graph_samples = Vec::new();
    for round in 0..=rounds {
        for _ in 0..requests {
            let start = Instant::now();
            let response = plain
                .get(&url)
                .header("authorization", "Bearer token")
                .header("client-request-id", uuid::Uuid::new_v4().to_string())
                .send()
                .await
                .unwrap();
            let bytes = response.bytes().await.unwrap();
            let _: Operation_ = serde_json::from_slice(&bytes).unwrap();
            let plain_time = start.elapsed();
            let start = Instant::now();
            let _ = graph.send(&GetOperation).await.unwrap();
            let graph_time = start.elapsed();
            if round > 0 {
                plain_samples.push(plain_time);
                graph_samples.push(graph_time);
            }
        }
    }
    (plain_samples, graph_samples)
}

fn report(setup: &str, (plain, graph): (Vec<Duration>, Vec<Duration>)) {
    let (plain_median, plain_mean) = summarize(plain);
    let (graph_median, graph_mean) = summarize(graph);
    println!("\n{setup}");
    println!("  {:<26} {:>12} {:>12}", "client", "median", "mean");
    println!(
        "  {:<26} {:>12.1?} {:>12.1?}",
        "plain reqwest", plain_median, plain_mean
    );
    println!(
        "  {:<26} {:>12.1?} {:>12.1?}",
        "msgraph-runtime Client", graph_median, graph_mean
    );
    println!(
        "  ratio (runtime / reqwest): median {:.3}, mean {:.3}; overhead {:.1?} at the median (target ratio <= 1.10)",
        graph_median.as_secs_f64() / plain_median.as_secs_f64(),
        graph_mean.as_secs_f64() / plain_mean.as_secs_f64(),
        graph_median.saturating_sub(plain_median)
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let requests: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let rounds = 5;
    println!("request overhead: {requests} GETs per client x {rounds} rounds, one at a time, alternating clients");
    let own_thread = serve();
    report(
        "server on its own thread (as a real server is)",
        measure(&own_thread, requests, rounds).await,
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let shared = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve_on(listener));
    report(
        "server on the client's thread (worst case: no latency to hide the client's own cost)",
        measure(&shared, requests, rounds).await,
    );
}
