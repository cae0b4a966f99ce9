//! Times the in-process `tools/call` against its floor in alternating rounds, so that what
//! the machine does meanwhile (other tenants of a VM, frequency changes) weighs on both
//! alike: each round times a batch of floor calls and then a batch of pipeline calls, and
//! the ratio is taken within the round.
//!
//! ```text
//! cargo run --release -p mcp-benches --bin paired_dispatch [rounds] [calls per batch]
//! ```
//!
//! Prints one markdown table row per measure: the median over the rounds, and the best
//! round (the least disturbed: what the code costs when nothing else runs).

use mcp_benches::{CALL_ADD, floor};
use mcp_runtime::McpServer;
use mcp_runtime::testing::TestClient;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args
        .next()
        .map_or(200, |n| n.parse().expect("a round count"));
    let batch: u32 = args
        .next()
        .map_or(2_000, |n| n.parse().expect("a batch size"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let server = McpServer::builder("bench", "1.0").build().expect("builds");
    let (floors, pipelines) = runtime.block_on(async {
        let client = TestClient::connect(&server).await;
        let answer = client.send_raw(CALL_ADD).await.expect("an answer");
        assert_eq!(answer, floor(CALL_ADD), "the same bytes as the floor");
        let mut floors = Vec::with_capacity(rounds);
        let mut pipelines = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let start = Instant::now();
            for _ in 0..batch {
                black_box(floor(black_box(CALL_ADD)));
            }
            floors.push(start.elapsed().as_nanos() as f64 / f64::from(batch));
            let start = Instant::now();
            for _ in 0..batch {
                black_box(client.send_raw(black_box(CALL_ADD)).await);
            }
            pipelines.push(start.elapsed().as_nanos() as f64 / f64::from(batch));
        }
        (floors, pipelines)
    });
    let ratios: Vec<f64> = pipelines.iter().zip(&floors).map(|(p, f)| p / f).collect();
    let best_round = (0..rounds)
        .min_by(|&a, &b| pipelines[a].total_cmp(&pipelines[b]))
        .expect("at least one round");
    println!("| measure | median of {rounds} rounds | best round |");
    println!("|---|--:|--:|");
    row(
        "floor (serde_json parse + canned response)",
        &floors,
        floors[best_round],
        "ns",
    );
    row(
        "tools/call, session era",
        &pipelines,
        pipelines[best_round],
        "ns",
    );
    let best_ratio = ratios[best_round];
    row("÷ floor, within the round", &ratios, best_ratio, "x");
}

fn row(label: &str, values: &[f64], best: f64, unit: &str) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let show = |v: f64| match unit {
        "ns" => format!("{:.2} µs", v / 1000.0),
        _ => format!("{v:.1}x"),
    };
    println!("| {label} | {} | {} |", show(median), show(best));
}
