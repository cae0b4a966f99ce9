-- tasks/cancel: a running task is cancelled; a finished one keeps its outcome.
-- KEYS: task
-- ARGV: owner
-- Returns the task's runner, or nil when there is no such task of this owner.
local task = redis.call('HMGET', KEYS[1], 'owner', 'runner', 'status')
if not task[1] or task[1] ~= ARGV[1] then
  return false
end
if running(task[3]) then
  settle(KEYS[1], 'cancelled', '', '', now_ms())
end
return task[2]
