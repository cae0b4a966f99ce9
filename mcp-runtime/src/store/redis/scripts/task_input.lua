-- The runner asks for input: the answer tasks/update brought (taken), else the request
-- is listed until one comes.
-- KEYS: task
-- ARGV: key, request (JSON)
-- Returns the answer (JSON), or nil.
if not running(redis.call('HGET', KEYS[1], 'status')) then
  return false
end
local answer = redis.call('HGET', KEYS[1], 'an:' .. ARGV[1])
if answer then
  redis.call('HDEL', KEYS[1], 'an:' .. ARGV[1])
  return answer
end
if redis.call('HSETNX', KEYS[1], 'in:' .. ARGV[1], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'inputs', 1)
  redis.call('HSET', KEYS[1], 'status', 'input_required', 'updated', now_ms())
end
return false
