-- tasks/update: takes the answers to requests the task waits on.
-- KEYS: task
-- ARGV: owner, then key, answer (JSON), key, answer...
-- Returns the task's runner, or nil when there is no such task of this owner.
local task = redis.call('HMGET', KEYS[1], 'owner', 'runner', 'status')
if not task[1] or task[1] ~= ARGV[1] then
  return false
end
if running(task[3]) then
  local took = 0
  for i = 2, #ARGV, 2 do
    if redis.call('HDEL', KEYS[1], 'in:' .. ARGV[i]) == 1 then
      redis.call('HSET', KEYS[1], 'an:' .. ARGV[i], ARGV[i + 1])
      took = took + 1
    end
  end
  if took > 0 then
    local left = redis.call('HINCRBY', KEYS[1], 'inputs', -took)
    local status = 'working'
    if left > 0 then
      status = 'input_required'
    end
    redis.call('HSET', KEYS[1], 'status', status, 'updated', now_ms())
  end
end
return task[2]
