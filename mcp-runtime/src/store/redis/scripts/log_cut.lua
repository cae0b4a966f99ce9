-- Ends a stream's live readers (they saw fewer cuts), then wakes them.
-- KEYS: record
-- ARGV: stream number, the session's channel
if redis.call('HEXISTS', KEYS[1], 'log:' .. ARGV[1] .. ':cuts') == 1 then
  redis.call('HINCRBY', KEYS[1], 'log:' .. ARGV[1] .. ':cuts', 1)
  redis.call('PUBLISH', ARGV[2], 'w' .. ARGV[1])
end
return 1
