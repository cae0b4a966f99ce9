//! Drives a stdio MCP server at full speed: `initialize`, then batches of N pipelined
//! `tools/call add {a: 2, b: 3}` (one thread writes while this one reads), timed from the
//! first write to the last response. Every response must be a success saying "5.0" for an
//! id of the batch, each id once. The writer keeps at most `window` calls unanswered (128
//! by default, the project's per-connection cap); 0 means no limit: every call written at
//! once, which a server must brake (stop reading) rather than refuse.
//!
//! Usage: `stdio_driver <server binary> [N=100000] [runs=5] [window=128] [server args...]`.
//! Prints each run and, last, `RESULT <median calls/s>`.

use serde::Deserialize;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

#[derive(Deserialize)]
struct Response<'a> {
    id: Option<u64>,
    #[serde(borrow)]
    result: Option<CallResult<'a>>,
}

#[derive(Deserialize)]
struct CallResult<'a> {
    #[serde(borrow)]
    content: Vec<Text<'a>>,
    #[serde(rename = "isError", default)]
    is_error: bool,
}

#[derive(Deserialize)]
struct Text<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let binary = args
        .first()
        .expect("usage: stdio_driver <server binary> [N] [runs] [window] [server args...]");
    let n: u64 = args.get(1).map_or(100_000, |a| a.parse().expect("N"));
    let runs: usize = args.get(2).map_or(5, |a| a.parse().expect("runs"));
    let window: u64 = args.get(3).map_or(128, |a| a.parse().expect("window"));

    let mut child = Command::new(binary)
        .args(args.iter().skip(4))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn the server");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::with_capacity(1 << 16, child.stdout.take().unwrap());

    stdin
        .write_all(concat!(
            r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"stdio_driver","version":"1.0"}}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            "\n"
        ).as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains(r#""result""#), "initialize failed: {line}");

    let mut next_id = 1;
    // A first batch warms up the server (allocator, thread pool) and is not counted.
    let mut rates = Vec::new();
    for run in 0..=runs {
        let batch = if run == 0 { n.min(10_000) } else { n };
        let seconds = call_batch(&mut stdin, &mut stdout, next_id, batch, window);
        next_id += batch;
        if run > 0 {
            let rate = batch as f64 / seconds;
            eprintln!("run {run}: {batch} calls in {seconds:.3} s = {rate:.0} calls/s");
            rates.push(rate);
        }
    }
    drop(stdin); // EOF: the server should end by itself
    let _ = child.kill();
    let _ = child.wait();

    rates.sort_by(f64::total_cmp);
    println!("RESULT {:.0}", rates[rates.len() / 2]);
}

/// Sends `count` calls with ids `first..first + count`, at most `window` unanswered (0: no
/// limit), and returns the seconds from the first write until the last response.
fn call_batch(
    stdin: &mut ChildStdin,
    stdout: &mut impl BufRead,
    first: u64,
    count: u64,
    window: u64,
) -> f64 {
    // The writer sends a chunk when the window has room for all of it, and the reader wakes
    // it once per chunk answered: a quarter of the window keeps the server fed.
    let chunk = if window == 0 {
        count
    } else {
        (window / 4).max(1)
    };
    // Requests are rendered before the clock starts: the driver measures the server.
    let chunks: Vec<Vec<u8>> = (first..first + count)
        .collect::<Vec<_>>()
        .chunks(chunk as usize)
        .map(|ids| {
            let mut lines = Vec::with_capacity(ids.len() * 120);
            for id in ids {
                writeln!(
                    lines,
                    r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"add","arguments":{{"a":2,"b":3}}}}}}"#
                )
                .unwrap();
            }
            lines
        })
        .collect();
    let answered_so_far = Mutex::new(0u64);
    let room = Condvar::new();
    let mut seen = vec![false; count as usize];
    let mut line = String::new();
    let start = Instant::now();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut sent = 0;
            for lines in &chunks {
                let len = count.min(sent + chunk) - sent;
                if window > 0 {
                    let mut answered = answered_so_far.lock().unwrap();
                    while sent + len - *answered > window {
                        answered = room.wait(answered).unwrap();
                    }
                }
                stdin.write_all(lines).unwrap();
                sent += len;
            }
            stdin.flush().unwrap();
        });
        let mut answered = 0;
        while answered < count {
            line.clear();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "server closed stdout"
            );
            let response: Response<'_> = serde_json::from_str(&line).expect("a JSON-RPC message");
            // Lines without an id are notifications: not answers, though they cost the server.
            let Some(id) = response.id else { continue };
            let ok = response
                .result
                .is_some_and(|r| !r.is_error && r.content.len() == 1 && r.content[0].text == "5.0");
            assert!(ok, "not a successful add: {line}");
            let slot = id
                .checked_sub(first)
                .and_then(|i| seen.get_mut(i as usize))
                .unwrap_or_else(|| panic!("unexpected id: {line}"));
            assert!(!*slot, "answered twice: {line}");
            *slot = true;
            answered += 1;
            if window > 0 && answered % chunk == 0 {
                *answered_so_far.lock().unwrap() = answered;
                room.notify_one();
            }
        }
    });
    start.elapsed().as_secs_f64()
}
