-- resources/subscribe, within the session's caps on subscriptions and on the bytes of
-- their URIs (subscriptions are `sub:{uri}` fields; `subs` counts them, `sub_bytes` sums
-- their URIs' lengths).
-- KEYS: record
-- ARGV: uri, cap, byte cap
-- Returns 1 when subscribed, 0 over a cap, -1 when the session does not exist.
local record = redis.call('HMGET', KEYS[1], 'r', 'sub:' .. ARGV[1], 'subs', 'sub_bytes')
if not record[1] then
  return -1
end
if record[2] then
  return 1
end
if tonumber(record[3]) >= tonumber(ARGV[2])
    or tonumber(record[4] or 0) + #ARGV[1] > tonumber(ARGV[3]) then
  return 0
end
redis.call('HSET', KEYS[1], 'sub:' .. ARGV[1], 1)
redis.call('HINCRBY', KEYS[1], 'subs', 1)
redis.call('HINCRBY', KEYS[1], 'sub_bytes', #ARGV[1])
return 1
