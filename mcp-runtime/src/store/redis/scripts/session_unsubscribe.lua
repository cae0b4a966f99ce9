-- resources/unsubscribe.
-- KEYS: record, subscriptions
-- ARGV: uri
-- Returns 1, or -1 when the session does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
redis.call('SREM', KEYS[2], ARGV[1])
return 1
