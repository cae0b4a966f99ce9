-- Stores a new session unless its id is taken.
-- KEYS: record
-- ARGV: what every request reads (JSON: owner, revision, creation time, idle ms, max age
--       ms, client capabilities), log level, idle ms, max age ms
-- Returns 1 when stored, 0 when the id is taken.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'level', ARGV[2], 'idle', ARGV[3], 'next_stream', 1,
  'subs', 0)
redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[3]), tonumber(ARGV[4])))
return 1
