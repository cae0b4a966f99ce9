-- Admits a new running task unless as many run as allowed (tasks whose runner's lease
-- lapsed no longer count).
-- KEYS: running tasks
-- ARGV: task id, most running, lease ms
-- Returns 1 when admitted, 0 when full.
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
return 1
