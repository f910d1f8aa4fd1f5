//! A 1 GB download through the generated client, from a server on loopback,
//! keeps the process's memory bounded: the body reaches the caller chunk by
//! chunk and is never held whole. Ignored by default (it moves 1 GB); run:
//!
//! ```sh
//! cargo test --release -p graph-tests --test download_memory -- --ignored --nocapture
//! ```

use msgraph_client::{Client, GraphClient, StaticToken};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SIZE: u64 = 1 << 30;
const CHUNK: usize = 64 * 1024;

/// Serves one response of `SIZE` zero bytes as `video/mp4`.
async fn serve_once(listener: tokio::net::TcpListener) {
    let (mut socket, _) = listener.accept().await.expect("a connection");
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buf).await.expect("the request");
        if n == 0 {
            return;
        }
        head.extend_from_slice(&buf[..n]);
        assert!(head.len() < 64 * 1024, "the request head is bounded");
    }
    let response_head =
        format!("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: {SIZE}\r\n\r\n");
    socket.write_all(response_head.as_bytes()).await.unwrap();
    let chunk = vec![0u8; CHUNK];
    let mut sent = 0u64;
    while sent < SIZE {
        let n = CHUNK.min((SIZE - sent) as usize);
        if socket.write_all(&chunk[..n]).await.is_err() {
            return;
        }
        sent += n as u64;
    }
}

/// The process's peak resident set (VmHWM), in KiB.
fn peak_resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "moves 1 GB through loopback; run with --ignored --nocapture"]
async fn a_one_gigabyte_download_keeps_memory_bounded() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(serve_once(listener));
    let client = GraphClient::new(
        Client::builder()
            .base_url(&format!("http://{address}"))
            .token_provider(StaticToken::new("token"))
            .build()
            .unwrap(),
    );
    let started = std::time::Instant::now();
    let mut download = client
        .v1_0()
        .me()
        .online_meetings("meeting")
        .recordings("recording")
        .content()
        .get()
        .await
        .expect("the download starts");
    assert_eq!(download.content_type(), Some("video/mp4"));
    assert_eq!(download.content_length(), Some(SIZE));
    let mut total = 0u64;
    while let Some(chunk) = download.chunk().await {
        total += chunk.expect("a chunk").len() as u64;
    }
    let elapsed = started.elapsed();
    server.await.unwrap();
    assert_eq!(total, SIZE);
    let peak_mib = peak_resident_kib() as f64 / 1024.0;
    println!(
        "downloaded {} MiB in {:.2} s ({:.0} MiB/s); peak resident memory {peak_mib:.1} MiB",
        total >> 20,
        elapsed.as_secs_f64(),
        (total >> 20) as f64 / elapsed.as_secs_f64()
    );
    assert!(peak_mib < 64.0, "peak resident memory {peak_mib:.1} MiB");
}
