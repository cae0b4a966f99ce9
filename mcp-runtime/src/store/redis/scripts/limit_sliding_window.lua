-- At most `max` calls in any window, estimated from the current window's count plus the
-- previous one's, weighted by the share of it the last window still covers.
-- KEYS: the caller's counts
-- ARGV: max, window ms
-- Returns -1 when admitted, else the ms until one more call fits.
local max, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = now_ms()
local index = math.floor(now / window)
local into = (now % window) / window
local saved = redis.call('HMGET', KEYS[1], 'index', 'current', 'previous')
local current, previous = tonumber(saved[2]) or 0, tonumber(saved[3]) or 0
local gap = index - (tonumber(saved[1]) or index)
if gap == 1 then
  previous, current = current, 0
elseif gap > 1 then
  previous, current = 0, 0
end
local admitted = previous * (1 - into) + current + 1 <= max
if admitted then
  current = current + 1
end
redis.call('HSET', KEYS[1], 'index', index, 'current', current, 'previous', previous)
redis.call('PEXPIRE', KEYS[1], 2 * window)
if admitted then
  return -1
end
-- While the previous window's weight fades: previous * (1 - (into + t)) + current + 1 <= max.
if current + 1 <= max and previous > 0 then
  local t = 1 - (max - 1 - current) / previous - into
  return math.ceil(math.max(0, math.min(t, 1 - into)) * window)
end
-- Next window: current * (1 - t') + 1 <= max.
local next_wait = 0
if current > 0 then
  next_wait = math.max(0, 1 - (max - 1) / current)
end
return math.ceil(((1 - into) + next_wait) * window)
