-- Extends the leases of running tasks in the index of running tasks.
-- KEYS: running tasks
-- ARGV: lease ms, then task ids
local until_ms = now_ms() + tonumber(ARGV[1])
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], 'XX', until_ms, ARGV[i])
end
return 1
