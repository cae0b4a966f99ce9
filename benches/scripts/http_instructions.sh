#!/usr/bin/env bash
# Instructions per HTTP request in each server's process, counted by callgrind while wrk
# sends the benchmark's tools/call on one connection: the floor (a bare axum handler), the
# project and rmcp, in both eras. Unlike requests per second these counts do not move with
# the machine's load, so they show what a change to the HTTP path did. The kernel's part
# (sockets, wake-ups) is not counted: it is the same for every server.
#
#   benches/scripts/http_instructions.sh            # prints a markdown table
#   DURATION=5s benches/scripts/http_instructions.sh
#
# Each server runs twice under callgrind: once set up and sent the call once (the session
# opened, schemas compiled), once the same and then loaded by wrk; the difference over
# wrk's request count is what a request costs.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-3s}
bin=${CARGO_TARGET_DIR:-target}/release
lua=benches/scripts/mcp_call.lua

cargo build --release -q -p mcp-benches --bins
source benches/scripts/http_servers.sh
need valgrind:valgrind wrk:wrk curl:curl
log=$(mktemp)

# server binary, mode, load (yes/no), server args...: one run; sets `requests` (wrk's
# count) and `instructions` (the process's whole count).
run() {
  start server valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$log" \
    "$bin/$1" "${@:4}"
  local p=${port[server]} sid=""
  [ "$2" = session ] && sid=$(session "$p")
  check_call "$p" "$2" "$sid" "$1"
  requests=0
  if [ "$3" = yes ]; then
    requests=$(MCP_MODE=$2 MCP_SESSION=$sid wrk -t1 -c1 -d"$DURATION" -s "$lua" \
      "http://127.0.0.1:$p/mcp" | awk '/requests in/ {print $1}')
  fi
  kill -TERM "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
  instructions=$(awk '/refs:/ { gsub(",", "", $NF); print $NF }' "$log")
}

rows=(
  "floor|floor_http|stateless|"
  "project, stateless 2026-07-28|mcp_http_server|stateless|"
  "project, session 2025-11-25|mcp_http_server|session|"
  "rmcp, stateless JSON 2026-07-28|rmcp_http_server|stateless|"
  "rmcp, session SSE 2025-11-25|rmcp_http_server|session|--session"
)
echo "| server | instructions per request | ÷ floor |"
echo "|---|--:|--:|"
floor=""
for row in "${rows[@]}"; do
  IFS='|' read -r label server mode args <<<"$row"
  run "$server" "$mode" no $args
  before=$instructions
  run "$server" "$mode" yes $args
  per=$(( (instructions - before) / requests ))
  floor=${floor:-$per}
  awk -v l="$label" -v p="$per" -v f="$floor" 'BEGIN { printf "| %s | %d | %.1f |\n", l, p, p / f }'
done
rm -f "$log"
