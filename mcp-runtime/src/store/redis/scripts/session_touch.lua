-- Loads a session and starts its idle time again, with every key that lives as long as it.
-- KEYS: record, subscriptions, streams, log meta, standalone log
-- Returns the record's fields (a flat list), or nil when it does not exist or is too old.
local record = redis.call('HGETALL', KEYS[1])
if #record == 0 then
  return false
end
local field = {}
for i = 1, #record, 2 do
  field[record[i]] = record[i + 1]
end
local left = tonumber(field.created) + tonumber(field.max) - now_ms()
if left <= 0 then
  redis.call('DEL', unpack(KEYS))
  return false
end
local ttl = math.min(tonumber(field.idle), left)
for i = 1, #KEYS do
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return record
