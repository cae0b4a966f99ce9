-- Stores a new session unless its id is taken.
-- KEYS: record
-- ARGV: owner, protocol version, client capabilities (JSON), log level, idle ms, max age ms,
--       now ms
-- Returns 1 when stored, 0 when the id is taken.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'version', ARGV[2], 'caps', ARGV[3],
  'level', ARGV[4], 'created', ARGV[7], 'idle', ARGV[5], 'max', ARGV[6], 'next_stream', 1,
  'subs', 0)
redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[5]), tonumber(ARGV[6])))
return 1
