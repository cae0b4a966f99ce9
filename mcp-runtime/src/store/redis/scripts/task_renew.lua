-- Extends a runner's lease on its running tasks.
-- KEYS: task
-- ARGV: runner, lease ms
local task = redis.call('HMGET', KEYS[1], 'runner', 'status')
if task[1] == ARGV[1] and running(task[2]) then
  redis.call('HSET', KEYS[1], 'lease', now_ms() + tonumber(ARGV[2]))
end
return 1
