-- Appends an event to a stream (and with close, ends it), then wakes its readers.
-- KEYS: record, log meta, log
-- ARGV: stream number, data, close (1 or 0), the session's channel
-- Returns the event's sequence number, or nil when the stream is not held or ended.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return false
end
local n = ARGV[1]
local closed = redis.call('HGET', KEYS[2], n .. ':closed')
if not closed or closed == '1' then
  return false
end
local sequence = redis.call('HINCRBY', KEYS[2], n .. ':last', 1)
local record = redis.call('HMGET', KEYS[1], 'log_maxlen', 'idle')
redis.call('XADD', KEYS[3], 'MAXLEN', tonumber(record[1]) or 256, '0-' .. sequence, 'd', ARGV[2])
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[2], n .. ':closed', 1)
end
redis.call('PEXPIRE', KEYS[3], tonumber(record[2]))
redis.call('PUBLISH', ARGV[4], 'w' .. n)
return sequence
