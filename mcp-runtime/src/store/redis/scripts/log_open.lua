-- Opens the session's next stream, and forgets the streams beyond the newest `log_keep`
-- that ended. One still being written is kept (noted in `log_over`) until it ends: there
-- are no more of those than requests in flight.
-- KEYS: record
-- Returns {number, forgotten numbers...}, or nil when the session does not exist (the
-- caller deletes the forgotten streams' logs).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return false
end
local n = redis.call('HINCRBY', KEYS[1], 'next_stream', 1) - 1
local keep = tonumber(redis.call('HGET', KEYS[1], 'log_keep')) or 64
redis.call('HSET', KEYS[1], 'log:' .. n .. ':last', 0, 'log:' .. n .. ':closed', 0,
  'log:' .. n .. ':cuts', 0)
local candidates = {}
for number in string.gmatch(redis.call('HGET', KEYS[1], 'log_over') or '', '%d+') do
  table.insert(candidates, number)
end
if n - keep >= 1 then
  table.insert(candidates, tostring(n - keep))
end
local result, over = { n }, {}
for _, number in ipairs(candidates) do
  local closed = redis.call('HGET', KEYS[1], 'log:' .. number .. ':closed')
  if closed == '1' then
    redis.call('HDEL', KEYS[1], 'log:' .. number .. ':last', 'log:' .. number .. ':closed',
      'log:' .. number .. ':cuts')
    table.insert(result, tonumber(number))
  elseif closed then
    table.insert(over, number)
  end
end
if #over > 0 then
  redis.call('HSET', KEYS[1], 'log_over', table.concat(over, ','))
else
  redis.call('HDEL', KEYS[1], 'log_over')
end
return result
