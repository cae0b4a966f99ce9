-- Claims the session's standalone stream for a holder, or extends its claim.
-- KEYS: record
-- ARGV: holder, lease ms
-- Returns 1 when claimed, 0 while another's claim lasts, -1 when the session does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local now = now_ms()
local claim = redis.call('HMGET', KEYS[1], 'claim', 'claim_until')
if claim[1] and claim[1] ~= ARGV[1] and (tonumber(claim[2]) or 0) > now then
  return 0
end
redis.call('HSET', KEYS[1], 'claim', ARGV[1], 'claim_until', now + tonumber(ARGV[2]))
return 1
