-- Opens the session's next stream, forgetting the oldest beyond the session's bound.
-- KEYS: record, streams, log meta
-- Returns {number, forgotten numbers...}, or nil when the session does not exist (the
-- caller deletes the forgotten streams' logs).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return false
end
local n = redis.call('HINCRBY', KEYS[1], 'next_stream', 1) - 1
redis.call('ZADD', KEYS[2], n, n)
redis.call('HSET', KEYS[3], n .. ':last', 0, n .. ':closed', 0, n .. ':cuts', 0)
local keep = tonumber(redis.call('HGET', KEYS[1], 'log_keep')) or 64
local result = { n }
while redis.call('ZCARD', KEYS[2]) > keep do
  local oldest = redis.call('ZPOPMIN', KEYS[2])[1]
  redis.call('HDEL', KEYS[3], oldest .. ':last', oldest .. ':closed', oldest .. ':cuts')
  table.insert(result, tonumber(oldest))
end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PEXPIRE', KEYS[3], ttl)
return result
