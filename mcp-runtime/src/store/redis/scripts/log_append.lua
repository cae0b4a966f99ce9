-- Appends an event to a stream (and with close, ends it), then wakes its readers. A log
-- keeps its events for the session's idle time after the last one.
-- KEYS: record, log
-- ARGV: stream number, data, close (1 or 0), the session's channel
-- Returns the event's sequence number, or nil when the stream is not held or ended.
local n = 'log:' .. ARGV[1]
local record = redis.call('HMGET', KEYS[1], n .. ':closed', 'log_maxlen', 'idle')
if record[1] ~= '0' then
  return false
end
local sequence = redis.call('HINCRBY', KEYS[1], n .. ':last', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', record[2], '0-' .. sequence, 'd', ARGV[2])
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], n .. ':closed', 1)
end
redis.call('PEXPIRE', KEYS[2], record[3])
redis.call('PUBLISH', ARGV[4], 'w' .. ARGV[1])
return sequence
