-- wrk script: every request is a `tools/call` of `add {a: 2, b: 3}` on POST /mcp.
-- MCP_MODE=stateless (default): the 2026-07-28 era, protocol version and capabilities in
--   `_meta` and the routing headers; one static body, as nothing ties requests together.
-- MCP_MODE=session: the 2025-11-25 era in the session MCP_SESSION (or, with MCP_SESSIONS, a
--   comma-separated list, each request in the next session: many clients rather than one);
--   each request gets an id of its own, since ids must be unique among a session's
--   requests in flight.

local mode = os.getenv("MCP_MODE") or "stateless"
local call = '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3}%s}}'

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"

if mode == "session" then
  wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
  local sessions = {}
  for id in string.gmatch(os.getenv("MCP_SESSIONS") or os.getenv("MCP_SESSION"), "[^,]+") do
    table.insert(sessions, id)
  end
  local threads = 0
  function setup(thread)
    threads = threads + 1
    thread:set("first", threads * 1000000000)
  end
  local next_id
  function request()
    next_id = (next_id or first) + 1
    wrk.headers["Mcp-Session-Id"] = sessions[next_id % #sessions + 1]
    return wrk.format(nil, nil, nil, string.format(call, next_id, ""))
  end
else
  wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
  wrk.headers["Mcp-Method"] = "tools/call"
  wrk.headers["Mcp-Name"] = "add"
  wrk.body = string.format(call, 1, ',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}')
end
