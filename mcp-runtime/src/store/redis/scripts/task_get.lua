-- A task, failed first when it runs but its runner's lease lapsed.
-- KEYS: task
-- ARGV: the error of a task whose runner stopped (JSON)
-- Returns its fields (a flat list), or nil.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return false
end
local now = now_ms()
if running(status) and tonumber(redis.call('HGET', KEYS[1], 'lease')) < now then
  settle(KEYS[1], 'failed', 'error', ARGV[1], now)
end
return redis.call('HGETALL', KEYS[1])
