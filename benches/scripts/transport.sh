#!/usr/bin/env bash
# Transport throughput of the project's server against the physical floor and the official
# Rust SDK (rmcp) in its fastest configuration, over stdio and Streamable HTTP, in one run
# on this machine. Runs are interleaved (round after round over every server) so that load
# from elsewhere hits every server alike; each number is the median of its rounds.
#
#   benches/scripts/transport.sh                      # about 6 minutes, prints a markdown table
#   N=50000 ROUNDS=5 HTTP_ROUNDS=5 DURATION=5s WINDOW=128 benches/scripts/transport.sh
#
# Needs curl, and wrk (installed with apt-get when missing). Everything runs on 127.0.0.1,
# on free ports picked at start. Builds into $CARGO_TARGET_DIR (default target/).
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${N:-50000}                 # stdio calls per timed batch
ROUNDS=${ROUNDS:-5}           # stdio batches per server
WINDOW=${WINDOW:-128}         # stdio calls unanswered at most in the first table (the second has no limit)
HTTP_ROUNDS=${HTTP_ROUNDS:-5} # wrk runs per server and connection count
DURATION=${DURATION:-5s}      # each wrk run
bin=${CARGO_TARGET_DIR:-target}/release
lua=benches/scripts/mcp_call.lua

cargo build --release -q -p mcp-benches --bins
source benches/scripts/http_servers.sh
need wrk:wrk curl:curl

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

load_before=$(load)

# --- stdio: stdio_driver spawns each server, then pipelines tools/call add ------------------
# `--blocking`: rmcp on the same Tokio stdin/stdout handles as the project's `serve_stdio`
# (its default, and fastest, is non-blocking pipes).
stdio_rows=(floor_stdio mcp_stdio_server rmcp_stdio_server "rmcp_stdio_server --blocking")
# Two tables: at most $WINDOW calls unanswered, and no limit at all (every call written at
# once: a legal client; the server must brake it without refusing any call).
declare -A stdio
for round in $(seq "$ROUNDS"); do
  for window in "$WINDOW" 0; do
    for row in "${stdio_rows[@]}"; do
      read -r server flag <<<"$row"
      # The driver panics on any wrong answer (an error included); then show why and stop.
      if ! out=$("$bin/stdio_driver" "$bin/$server" "$N" 1 "$window" ${flag:+"$flag"} 2>&1); then
        echo "$out" >&2
        exit 1
      fi
      rate=$(awk '/^RESULT/ {print $2}' <<<"$out")
      stdio[$window $row]+=" $rate"
      echo "stdio round $round, window $window: $row $rate calls/s" >&2
    done
  done
done

# --- HTTP: one process per server, wrk against each ---------------------------------------
start floor "$bin/floor_http"
start mcp "$bin/mcp_http_server"
start rmcp "$bin/rmcp_http_server"
start rmcp_session "$bin/rmcp_http_server" --session

mcp_session=$(session "${port[mcp]}")
rmcp_session=$(session "${port[rmcp_session]}")

# Each row: label, server, wrk script mode, session id. Before measuring, the same request
# wrk will send must really be answered "5.0": a benchmark of an error is worthless.
http_rows=(
  "floor|floor|stateless|"
  "project, stateless 2026-07-28|mcp|stateless|"
  "project, session 2025-11-25|mcp|session|$mcp_session"
  "rmcp, stateless JSON 2026-07-28|rmcp|stateless|"
  "rmcp, session SSE 2025-11-25|rmcp_session|session|$rmcp_session"
)
for row in "${http_rows[@]}"; do
  IFS='|' read -r label server mode sid <<<"$row"
  check_call "${port[$server]}" "$mode" "$sid" "$label"
done

# wrk's latency with its unit, in µs.
us() { awk '{v = $1 + 0; if ($1 ~ /us$/) u = 1; else if ($1 ~ /ms$/) u = 1000; else u = 1000000; printf "%.0f", v * u}'; }
declare -A rps p50 p99
caveats=""
for round in $(seq "$HTTP_ROUNDS"); do
  for row in "${http_rows[@]}"; do
    IFS='|' read -r label server mode sid <<<"$row"
    for conns in 1 64; do
      threads=$([ "$conns" = 1 ] && echo 1 || echo 2)
      out=$(MCP_MODE=$mode MCP_SESSION=$sid wrk -t"$threads" -c"$conns" -d"$DURATION" --latency \
        -s "$lua" "http://127.0.0.1:${port[$server]}/mcp")
      key="$label|$conns"
      rps[$key]+=" $(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
      p50[$key]+=" $(awk '$1 == "50%" {print $2}' <<<"$out" | us)"
      p99[$key]+=" $(awk '$1 == "99%" {print $2}' <<<"$out" | us)"
      # wrk counts non-2xx answers and socket errors; any of them taints the row.
      if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
        caveats+=$'\n'"- $label, c=$conns, round $round: $(grep 'Non-2xx\|Socket errors' <<<"$out" | xargs)"
      fi
      echo "http round $round: $label c=$conns $(awk '/^Requests\/sec/ {print $2}' <<<"$out") req/s" >&2
    done
  done
done

# --- the report ------------------------------------------------------------------------------
m() { median <<<"$1"; }
rmcp=$(awk '$0 == "name = \"rmcp\"" {getline; print $3}' Cargo.lock | tr -d '"')
echo
echo "rmcp $rmcp; load average $load_before before, $(load) after, on $(nproc) CPUs"
echo
for window in "$WINDOW" 0; do
  if [ "$window" = 0 ]; then
    echo "## stdio: all $N calls written at once (no window), every answer a result, median of $ROUNDS"
  else
    echo "## stdio: pipelined tools/call, $N calls per batch, at most $window unanswered, median of $ROUNDS"
  fi
  echo
  echo "| server | calls/s | project ÷ this |"
  echo "|---|---:|---:|"
  project=$(m "${stdio[$window mcp_stdio_server]}")
  for row in "${stdio_rows[@]}"; do
    rate=$(m "${stdio[$window $row]}")
    printf '| %s | %.0f | %s |\n' "$row" "$rate" "$(ratio "$project" "$rate")"
  done
  echo
done
echo "## HTTP: wrk -d$DURATION, median of $HTTP_ROUNDS (latency in µs)"
echo
echo "| server | c=1 req/s | p50 | p99 | c=64 req/s | p50 | p99 | ÷ floor (c=1 / c=64) | ÷ rmcp same era (c=1 / c=64) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "${http_rows[@]}"; do
  IFS='|' read -r label server mode sid <<<"$row"
  r1=$(m "${rps[$label|1]}") r64=$(m "${rps[$label|64]}")
  floor_vs="$(ratio "$r1" "$(m "${rps[floor|1]}")") / $(ratio "$r64" "$(m "${rps[floor|64]}")")"
  case $label in
  project,\ stateless*) other="rmcp, stateless JSON 2026-07-28" ;;
  project,\ session*) other="rmcp, session SSE 2025-11-25" ;;
  *) other="" ;;
  esac
  rmcp_vs=""
  [ -n "$other" ] && rmcp_vs="$(ratio "$r1" "$(m "${rps[$other|1]}")") / $(ratio "$r64" "$(m "${rps[$other|64]}")")"
  printf '| %s | %.0f | %s | %s | %.0f | %s | %s | %s | %s |\n' "$label" "$r1" \
    "$(m "${p50[$label|1]}")" "$(m "${p99[$label|1]}")" "$r64" \
    "$(m "${p50[$label|64]}")" "$(m "${p99[$label|64]}")" "$floor_vs" "$rmcp_vs"
done
[ -z "$caveats" ] || echo $'\n'"wrk saw errors:$caveats"
