-- Opens a new session's standalone stream (number 0) and records its log's bounds.
-- KEYS: record, log meta
-- ARGV: events per stream, streams per session
-- Returns 1, or 0 when the session does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'log_maxlen', ARGV[1], 'log_keep', ARGV[2])
redis.call('HSET', KEYS[2], '0:last', 0, '0:closed', 0, '0:cuts', 0)
redis.call('PEXPIRE', KEYS[2], redis.call('PTTL', KEYS[1]))
return 1
