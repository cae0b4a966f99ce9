-- Ends a stream without a last event, then wakes its readers.
-- KEYS: record
-- ARGV: stream number, the session's channel
if redis.call('HEXISTS', KEYS[1], 'log:' .. ARGV[1] .. ':closed') == 1 then
  redis.call('HSET', KEYS[1], 'log:' .. ARGV[1] .. ':closed', 1)
  redis.call('PUBLISH', ARGV[2], 'w' .. ARGV[1])
end
return 1
