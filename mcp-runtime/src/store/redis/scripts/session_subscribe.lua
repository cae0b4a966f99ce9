-- resources/subscribe, within the session's cap (subscriptions are `sub:{uri}` fields).
-- KEYS: record
-- ARGV: uri, cap
-- Returns 1 when subscribed, 0 over the cap, -1 when the session does not exist.
local record = redis.call('HMGET', KEYS[1], 'r', 'sub:' .. ARGV[1], 'subs')
if not record[1] then
  return -1
end
if record[2] then
  return 1
end
if tonumber(record[3]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], 'sub:' .. ARGV[1], 1)
redis.call('HINCRBY', KEYS[1], 'subs', 1)
return 1
