-- A bucket of `max` tokens refilled evenly over the window; each call takes one.
-- KEYS: the caller's bucket
-- ARGV: max, window ms
-- Returns -1 when admitted, else the ms until a token is back.
local capacity, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local per_ms = capacity / math.max(window, 1)
local now = now_ms()
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1]) or capacity
local at = tonumber(saved[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local admitted = tokens >= 1
if admitted then
  tokens = tokens - 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], window)
if admitted then
  return -1
end
return math.ceil((1 - tokens) / per_ms)
