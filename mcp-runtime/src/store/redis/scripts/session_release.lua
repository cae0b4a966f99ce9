-- Gives a claim on the standalone stream back, if the holder has it.
-- KEYS: record
-- ARGV: holder
-- Returns 1, or -1 when the session does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
if redis.call('HGET', KEYS[1], 'claim') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'claim', 'claim_until')
end
return 1
