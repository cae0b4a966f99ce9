-- resources/unsubscribe.
-- KEYS: record
-- ARGV: uri
-- Returns 1, or -1 when the session does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
if redis.call('HDEL', KEYS[1], 'sub:' .. ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'subs', -1)
  redis.call('HINCRBY', KEYS[1], 'sub_bytes', -#ARGV[1])
end
return 1
