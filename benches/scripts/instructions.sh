#!/usr/bin/env bash
# Instructions per request through the in-process pipeline, counted by callgrind: unlike
# times, counts do not move with load on the machine, so they show what a change did.
#
#   benches/scripts/instructions.sh          # prints a markdown table
#   N=50000 benches/scripts/instructions.sh  # more calls per count
#
# Each request runs N times in `profile_dispatch`; a run with none (server built, one
# call made) is subtracted, so only the calls are counted.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-20000}
if ! command -v valgrind >/dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq && $sudo apt-get install -y -qq valgrind >/dev/null
fi
cargo build --release -q -p mcp-benches --bin profile_dispatch
bin=${CARGO_TARGET_DIR:-target}/release/profile_dispatch

count() { # request, calls: instructions of the whole run
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
    awk '/refs:/ { gsub(",", "", $NF); print $NF }'
}

echo "| request | instructions per call | ÷ floor |"
echo "|---|--:|--:|"
floor=""
for request in floor tools/call stateless resources/read prompts/get tools/list; do
  per=$(( ($(count "$request" "$N") - $(count "$request" 0)) / N ))
  floor=${floor:-$per}
  label=$request
  case $request in
  floor) label="floor (serde_json parse + canned response)" ;;
  stateless) label="tools/call, stateless era (2026-07-28)" ;;
  tools/call) label="tools/call, session era (2025-11-25)" ;;
  tools/list) label="tools/list, first page" ;;
  esac
  awk -v l="$label" -v p="$per" -v f="$floor" 'BEGIN { printf "| %s | %d | %.1f |\n", l, p, p / f }'
done
