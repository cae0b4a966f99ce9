-- logging/setLevel.
-- KEYS: record
-- ARGV: level ('' for none)
-- Returns 1, or -1 when the session does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
redis.call('HSET', KEYS[1], 'level', ARGV[1])
return 1
