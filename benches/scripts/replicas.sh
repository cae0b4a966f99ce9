#!/usr/bin/env bash
# Three replicas sharing one Redis against one in-memory server: tools/call in both eras at
# c=1 and c=64 (wrk, median of rounds; in the session era 64 clients with a session each), both behind the same round-robin proxy so that both
# pay for the hop, as a ratio in one run; and the round trips each replica made to Redis
# per request (counted by the store, printed by each replica when it stops), beside the
# commands Redis itself counted (a pipeline is one round trip of several commands).
#
#   benches/scripts/replicas.sh            # prints markdown tables
#   ROUNDS=5 DURATION=10s benches/scripts/replicas.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
bin=${CARGO_TARGET_DIR:-target}/release
lua=benches/scripts/mcp_call.lua

cargo build --release -q -p mcp-benches --bins
source benches/scripts/http_servers.sh
need wrk:wrk curl:curl redis-server:redis-server redis-cli:redis-tools

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# Redis as a cache is usually run: in memory, no persistence.
redis_dir=$(mktemp -d)
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$redis_dir" --save "" --appendonly no >/dev/null 2>&1 &
pids+=($!)
# Up to 10 s for a process to answer on a port; the run stops if it never does.
wait_for() { # port, what
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return
    sleep 0.05
  done
  echo "$2 did not start on port $1" >&2
  exit 1
}
wait_for "$redis_port" redis-server
export_url="redis://127.0.0.1:$redis_port"

start memory "$bin/mcp_http_server"
start lb_memory "$bin/round_robin" "${port[memory]}"

# One era's replicas: started fresh, so that the round trips they report are that era's.
replica_logs=()
start_replicas() {
  replica_logs=()
  local backends=() i log
  for i in 1 2 3; do
    log=$(mktemp)
    replica_logs+=("$log")
    local p
    p=$(free_port)
    PORT=$p REDIS_URL=$export_url TOKIO_WORKER_THREADS=${REPLICA_THREADS:-1} "$bin/mcp_http_server" 2>"$log" >/dev/null &
    pids+=($!)
    replica_pids+=($!)
    wait_for "$p" "replica $i"
    backends+=("$p")
  done
  start lb_replicas "$bin/round_robin" "${backends[@]}"
  lb_pid=${pids[-1]}
}
stop_replicas() {
  kill "$lb_pid" "${replica_pids[@]}" 2>/dev/null || true
  wait "${replica_pids[@]}" 2>/dev/null || true
  replica_pids=()
  cat "${replica_logs[@]}" | awk '/^ROUND_TRIPS/ {sum += $2} END {print sum + 0}'
}

commands() { redis-cli -p "$redis_port" INFO stats | awk -F: '/^total_commands_processed/ {print $2 + 0}'; }

declare -A rps requests trips executed
for mode in session stateless; do
  replica_pids=()
  start_replicas
  commands_before=$(commands)
  # 64 clients, each with a session of its own (each request goes to the next session).
  sid_memory="" sid_replicas="" sids_memory="" sids_replicas=""
  if [ "$mode" = session ]; then
    for _ in $(seq 64); do
      sids_memory+="$(session "${port[lb_memory]}"),"
      sids_replicas+="$(session "${port[lb_replicas]}"),"
    done
    sid_memory=${sids_memory%%,*} sid_replicas=${sids_replicas%%,*}
  fi
  check_call "${port[lb_memory]}" "$mode" "$sid_memory" "in-memory ($mode)"
  # Once per replica, since each connection goes to the next.
  for _ in 1 2 3; do
    check_call "${port[lb_replicas]}" "$mode" "$sid_replicas" "replicas ($mode)"
  done
  served=0
  for round in $(seq "$ROUNDS"); do
    for conns in 1 64; do
      threads=$([ "$conns" = 1 ] && echo 1 || echo 2)
      for setup in memory replicas; do
        sids=$([ "$setup" = memory ] && echo "$sids_memory" || echo "$sids_replicas")
        out=$(MCP_MODE=$mode MCP_SESSIONS=$sids wrk -t"$threads" -c"$conns" -d"$DURATION" \
          -s "$lua" "http://127.0.0.1:${port[lb_$setup]}/mcp")
        if grep -q 'Non-2xx\|Socket errors' <<<"$out"; then
          echo "wrk saw errors ($setup, $mode, c=$conns):"$'\n'"$out" >&2
          exit 1
        fi
        rps[$setup|$mode|$conns]+=" $(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
        [ "$setup" = replicas ] && served=$((served + $(awk '/requests in/ {print $1}' <<<"$out")))
        echo "  $setup $mode c=$conns: $(awk '/requests in/ {print $1}' <<<"$out") requests" >&2
        echo "round $round: $setup $mode c=$conns $(awk '/^Requests\/sec/ {print $2}' <<<"$out") req/s" >&2
      done
    done
  done
  trips[$mode]=$(stop_replicas)
  requests[$mode]=$served
  executed[$mode]=$(( $(commands) - commands_before ))
done

m() { median <<<"$1"; }
echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2), no persistence; ${REPLICA_THREADS:-1} worker thread(s) per replica; load average $(cut -d' ' -f1-3 /proc/loadavg) after, on $(nproc) CPUs"
echo
echo "| tools/call | in-memory, one server (req/s) | Redis, three replicas (req/s) | replicas ÷ in-memory | Redis round trips per request | Redis commands per request |"
echo "|---|---:|---:|---:|---:|---:|"
for mode in session stateless; do
  label=$([ "$mode" = session ] && echo "2025-11-25 session" || echo "2026-07-28 stateless")
  per_request=$(awk -v t="${trips[$mode]}" -v r="${requests[$mode]}" 'BEGIN {printf "%.2f", t / r}')
  commands_per=$(awk -v t="${executed[$mode]}" -v r="${requests[$mode]}" 'BEGIN {printf "%.2f", t / r}')
  for conns in 1 64; do
    memory=$(m "${rps[memory|$mode|$conns]}") replicas=$(m "${rps[replicas|$mode|$conns]}")
    printf '| %s, c=%s | %.0f | %.0f | %s | %s | %s |\n' "$label" "$conns" "$memory" "$replicas" \
      "$(ratio "$replicas" "$memory")" "$per_request" "$commands_per"
  done
done
