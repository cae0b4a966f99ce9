#!/usr/bin/env bash
# Runs every benchmark of the project and writes one report: in-process dispatch
# (criterion times, times paired with the floor round by round, and callgrind
# instruction counts, against a serde_json floor), scale (10,000 tools, idle sessions), stdio and
# HTTP throughput against the floor and rmcp, three replicas on Redis against one in-memory
# server, and compile time against rmcp.
#
#   benches/run.sh                 # report in target/bench-report.md
#   QUICK=1 benches/run.sh         # shorter criterion runs
#
# Slow (tens of minutes on 2 cores); CI only compiles the benchmarks. Close other work
# first: every number is measured on this machine, in this run, beside its comparisons.
set -euo pipefail
cd "$(dirname "$0")/.."
report="$PWD/target/bench-report.md"
mkdir -p target

criterion_args=()
if [ -n "${QUICK:-}" ]; then
  criterion_args=(--warm-up-time 1 --measurement-time 3)
fi

{
  echo "# Benchmark report"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(rustc --version)"
  echo
  echo "## In-process dispatch (criterion, median)"
  echo
  echo "| benchmark | median | ÷ floor |"
  echo "|---|--:|--:|"
} > "$report"

# criterion prints `group/name  time: [low median high]`; keep the median, in µs, and its
# ratio to the floor (the first benchmark).
cargo bench -p mcp-benches --bench dispatch -- "${criterion_args[@]}" 2>/dev/null |
  awk '/time:/ { name = prev; if ($1 != "time:") name = $1;
                 match($0, /\[[^]]*\]/); split(substr($0, RSTART + 1, RLENGTH - 2), t, " ");
                 us = t[3] / (t[4] == "ns" ? 1000 : t[4] == "ms" ? 0.001 : 1);
                 if (floor == "") floor = us;
                 printf "| %s | %.2f µs | %.1f |\n", name, us, us / floor }
       { prev = $1 }' >> "$report"

{
  echo
  echo "## In-process dispatch, paired with the floor (alternating rounds)"
  echo
  cargo run --quiet --release -p mcp-benches --bin paired_dispatch -- 2000 2000
  echo
  echo "## In-process dispatch (callgrind, instructions per call)"
  echo
  bash benches/scripts/instructions.sh
  echo
  echo "## Scale"
  echo
  cargo run --quiet --release -p mcp-benches --bin scale
  echo
  echo "## The catalogue page"
  echo
  cargo run --quiet --release -p mcp-benches --bin catalogue
  echo
  echo "## Transports"
  echo
  bash benches/scripts/transport.sh
  echo
  echo "## HTTP (callgrind, instructions per request in the server, one connection)"
  echo
  bash benches/scripts/http_instructions.sh
  echo
  echo "## Several replicas on Redis"
  echo
  bash benches/scripts/replicas.sh
  echo
  echo "## Compile time"
  echo
  bash benches/scripts/compile_time.sh
} >> "$report"

cat "$report"
