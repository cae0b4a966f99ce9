-- resources/subscribe, within the session's cap.
-- KEYS: record, subscriptions
-- ARGV: uri, cap
-- Returns 1 when subscribed, 0 over the cap, -1 when the session does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[2]) then
    return 0
  end
  redis.call('SADD', KEYS[2], ARGV[1])
end
redis.call('PEXPIRE', KEYS[2], redis.call('PTTL', KEYS[1]))
return 1
