-- Records how a task's call ended, unless the task ended already.
-- KEYS: task
-- ARGV: status, field ('result', 'error' or ''), value (JSON)
if running(redis.call('HGET', KEYS[1], 'status')) then
  settle(KEYS[1], ARGV[1], ARGV[2], ARGV[3], now_ms())
end
return 1
