-- Stores a new working task.
-- KEYS: task
-- ARGV: owner, runner, ttl ms, poll interval ms, lease ms
-- Returns the creation time (ms).
local now = now_ms()
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'runner', ARGV[2], 'status', 'working',
  'created', now, 'updated', now, 'ttl', ARGV[3], 'poll', ARGV[4], 'inputs', 0,
  'lease', now + tonumber(ARGV[5]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return now
