-- Opens the session's next stream; the one `log_keep` streams older is forgotten.
-- KEYS: record
-- Returns {number, forgotten number (0: none)}, or nil when the session does not exist
-- (the caller deletes the forgotten stream's log).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return false
end
local n = redis.call('HINCRBY', KEYS[1], 'next_stream', 1) - 1
local keep = tonumber(redis.call('HGET', KEYS[1], 'log_keep')) or 64
redis.call('HSET', KEYS[1], 'log:' .. n .. ':last', 0, 'log:' .. n .. ':closed', 0,
  'log:' .. n .. ':cuts', 0)
local forgotten = n - keep
if forgotten >= 1 then
  redis.call('HDEL', KEYS[1], 'log:' .. forgotten .. ':last', 'log:' .. forgotten .. ':closed',
    'log:' .. forgotten .. ':cuts')
else
  forgotten = 0
end
return { n, forgotten }
