//! 50,000 pipelined `tools/call` lines written in one go to the fixture server (a cap of
//! 128 requests in flight, the default): 50,000 results, no error, and the server's memory
//! bounded by the cap and the pipe, whatever the client sends.

use serde_json::{Value, json};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::process::Command;

const CALLS: u64 = 50_000;

/// What one pipelined run came to.
struct Run {
    results: u64,
    errors: u64,
    peak_rss_kib: u64,
    took: Duration,
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Writes `initialize`, then `CALLS` calls of `tool` with `arguments` without waiting for
/// any answer, while reading every answer and sampling the server's RSS.
async fn pipeline(tool: &str, arguments: Value) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fixture_server"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the fixture server");
    let pid = child.id().expect("running");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");

    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let sampler = tokio::spawn({
        let (done, peak) = (Arc::clone(&done), Arc::clone(&peak));
        async move {
            while !done.load(Ordering::Relaxed) {
                if let Some(rss) = rss_kib(pid) {
                    peak.fetch_max(rss, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    });

    let began = Instant::now();
    let writer = tokio::spawn({
        let (tool, arguments) = (tool.to_owned(), arguments.clone());
        async move {
            let mut stdin = BufWriter::new(stdin);
            let hello = json!({ "jsonrpc": "2.0", "id": 0, "method": "initialize",
                "params": { "protocolVersion": "2025-11-25", "capabilities": {},
                    "clientInfo": { "name": "pipeline", "version": "0" } } });
            let initialized = json!({ "jsonrpc": "2.0", "method": "notifications/initialized" });
            for message in [hello, initialized] {
                stdin
                    .write_all(format!("{message}\n").as_bytes())
                    .await
                    .unwrap();
            }
            for id in 1..=CALLS {
                let call = json!({ "jsonrpc": "2.0", "id": id, "method": "tools/call",
                    "params": { "name": tool, "arguments": arguments } });
                stdin
                    .write_all(format!("{call}\n").as_bytes())
                    .await
                    .unwrap();
            }
            stdin.flush().await.unwrap();
            // Kept open until every answer is in: end of input would end the server.
            stdin
        }
    });

    let mut lines = BufReader::new(stdout).lines();
    let (mut results, mut errors) = (0, 0);
    while results + errors < CALLS {
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("answers keep coming")
            .expect("readable")
            .expect("the server answered every call before closing");
        let message: Value = serde_json::from_str(&line).expect("JSON");
        match message["id"].as_u64() {
            Some(0) | None => continue,
            Some(_) if message.get("result").is_some() => results += 1,
            Some(_) => {
                if errors == 0 {
                    eprintln!("first error: {message}");
                }
                errors += 1;
            }
        }
    }
    let took = began.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.await.unwrap();
    drop(writer.await.unwrap());
    let _ = child.wait().await;
    Run {
        results,
        errors,
        peak_rss_kib: peak.load(Ordering::Relaxed),
        took,
    }
}

fn report(what: &str, run: &Run) {
    println!(
        "{what}: {} results, {} errors in {:?} ({:.0} calls/s), server RSS at most {} KiB",
        run.results,
        run.errors,
        run.took,
        run.results as f64 / run.took.as_secs_f64(),
        run.peak_rss_kib
    );
}

/// The server's memory stays within what 128 calls in flight and a pipe hold, far below
/// what 50,000 queued requests would take.
const RSS_BOUND_KIB: u64 = 64 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_thousand_pipelined_calls_all_get_results() {
    let run = pipeline("echo", json!({ "text": "x" })).await;
    report("echo", &run);
    assert_eq!((run.results, run.errors), (CALLS, 0));
    assert!(run.peak_rss_kib < RSS_BOUND_KIB, "{} KiB", run.peak_rss_kib);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_calls_brake_the_reader_instead_of_being_refused() {
    // Each call takes a millisecond at least: the cap is reached at once and stays reached.
    let run = pipeline("sleep", json!({ "ms": 1 })).await;
    report("sleep 1 ms", &run);
    assert_eq!((run.results, run.errors), (CALLS, 0));
    assert!(run.peak_rss_kib < RSS_BOUND_KIB, "{} KiB", run.peak_rss_kib);
}
