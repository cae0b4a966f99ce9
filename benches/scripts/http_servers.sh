# Helpers for the HTTP benchmarks, sourced by transport.sh and http_instructions.sh: start
# a server on a free port, POST to it, open a 2025-11-25 session, check that it answers the
# benchmark's call correctly. Expects `bin` (the release directory) to be set.

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

declare -A port
# name, command...: runs the command with a free port in $PORT (where every benchmark
# server listens), waits until the port accepts connections (up to 60 s: valgrind starts
# slowly). Its pid is the last of `pids`, its port `${port[name]}`.
start() {
  local name=$1 p
  p=$(free_port)
  PORT=$p "${@:2}" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break
    sleep 0.1
  done
  port[$name]=$p
}

json=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
post() { # port, body, extra curl args...: the response's headers and body
  curl -si --max-time 30 "${json[@]}" "${@:3}" -d "$2" "http://127.0.0.1:$1/mcp" | tr -d '\r'
}

# 2025-11-25 era: initialize, take the session id, send notifications/initialized.
session() {
  local id
  id=$(post "$1" '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1.0"}}}' |
    awk -F': ' 'tolower($1) == "mcp-session-id" {print $2}')
  post "$1" '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
    -H "Mcp-Session-Id: $id" -H 'MCP-Protocol-Version: 2025-11-25' >/dev/null
  echo "$id"
}

# port, mode (stateless or session), session id, label: sends the call wrk will send and
# stops the script unless it is answered "5.0" (a benchmark of an error is worthless).
check_call() {
  local answer
  if [ "$2" = session ]; then
    answer=$(post "$1" '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3}}}' \
      -H "Mcp-Session-Id: $3" -H 'MCP-Protocol-Version: 2025-11-25')
  else
    answer=$(post "$1" '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}' \
      -H 'MCP-Protocol-Version: 2026-07-28' -H 'Mcp-Method: tools/call' -H 'Mcp-Name: add')
  fi
  if ! grep -q '"text":"5.0"' <<<"$answer" || grep -q '"error"\|"isError":true' <<<"$answer"; then
    echo "$4 does not answer the call correctly:"$'\n'"$answer" >&2
    exit 1
  fi
}

# apt packages, installed when their command is missing: command package...
need() {
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
  done
  [ ${#missing[@]} = 0 ] && return
  local sudo
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
