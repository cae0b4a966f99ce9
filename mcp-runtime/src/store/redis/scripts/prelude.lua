-- Shared by every script: the time on the Redis server, in milliseconds, so that replicas
-- with clocks apart still agree on expiries, windows and leases.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
