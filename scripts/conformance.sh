#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance, pinned) against
# one everything server over Streamable HTTP, for both protocol eras: 2025-11-25 (the scored
# requirements, then every scenario of the revision) and 2026-07-28 (the scored requirements,
# then the header and JSON Schema scenarios and every scenario of the tasks extension one by
# one, since the requirements run does not score them). Any failing check fails the run.
#
#   scripts/conformance.sh            # installs Node 22 and the suite under target/ once
#
# Needs npm (any version: Node 22 itself comes from the `node@22` npm package).
set -euo pipefail
cd "$(dirname "$0")/.."

suite_version="0.2.0-alpha.12"
tools="$PWD/target/conformance"
mkdir -p "$tools"
if [ ! -f "$tools/node_modules/@modelcontextprotocol/conformance/package.json" ] ||
   ! grep -q "\"version\": \"$suite_version\"" "$tools/node_modules/@modelcontextprotocol/conformance/package.json"; then
  npm install --silent --no-audit --no-fund --prefix "$tools" "node@22" "@modelcontextprotocol/conformance@$suite_version" >/dev/null
fi
export PATH="$tools/node_modules/node/bin:$PATH"
suite="$tools/node_modules/@modelcontextprotocol/conformance/dist/index.js"

cargo build --quiet -p mcp-examples --bin everything
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
PORT="$port" target/debug/everything 2>"$tools/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

url="http://127.0.0.1:$port/mcp"
echo "conformance $suite_version against $url (node $(node --version))"
node "$suite" server --url "$url" --requirements 2025-11-25
node "$suite" server --url "$url" --suite all --spec-version 2025-11-25
node "$suite" server --url "$url" --requirements 2026-07-28
for scenario in http-header-validation http-custom-header-server-validation json-schema-2020-12; do
  node "$suite" server --url "$url" --scenario "$scenario" --spec-version 2026-07-28
done
# Extension scenarios run at the extension's own revision: no --spec-version.
for scenario in tasks-lifecycle tasks-capability-negotiation tasks-wire-fields \
  tasks-request-state-removal tasks-mrtr-input tasks-request-headers \
  tasks-dispatch-and-envelope tasks-status-notifications tasks-required-task-error \
  tasks-mrtr-composition; do
  node "$suite" server --url "$url" --scenario "$scenario"
done
