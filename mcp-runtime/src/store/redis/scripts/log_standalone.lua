-- Opens a new session's standalone stream (number 0) and records its logs' bounds. A
-- stream's last sequence, end and cuts are fields of the record: `log:{n}:last`...
-- KEYS: record
-- ARGV: events per stream, streams per session
-- Returns 1, or 0 when the session does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'log_maxlen', ARGV[1], 'log_keep', ARGV[2],
  'log:0:last', 0, 'log:0:closed', 0, 'log:0:cuts', 0)
return 1
