-- At most `max` calls per window, a window starting at a caller's first call after the
-- last one ended. Refused calls are not counted.
-- KEYS: the caller's counter
-- ARGV: max, window ms
-- Returns -1 when admitted, else the ms until the window ends.
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if count > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return ttl
end
return -1
