-- What a stream holds after a position.
-- KEYS: record, log
-- ARGV: stream number, position, most events to return
-- Returns {'held', closed, cuts, last, sequence, data, sequence, data...}, {'lost', oldest
-- sequence held} when the position fell out of the log, or {'unknown'} when the stream is
-- not held.
local n = 'log:' .. ARGV[1]
local meta = redis.call('HMGET', KEYS[1], n .. ':last', n .. ':closed', n .. ':cuts')
if not meta[1] then
  return { 'unknown' }
end
local last, after = tonumber(meta[1]), tonumber(ARGV[2])
local result = { 'held', meta[2], meta[3], meta[1] }
if after < last then
  local entries = redis.call('XRANGE', KEYS[2], '(0-' .. after, '+', 'COUNT', ARGV[3])
  if #entries == 0 then
    return { 'lost', meta[1] }
  end
  if tonumber(string.sub(entries[1][1], 3)) ~= after + 1 then
    return { 'lost', string.sub(entries[1][1], 3) }
  end
  for _, entry in ipairs(entries) do
    table.insert(result, string.sub(entry[1], 3))
    table.insert(result, entry[2][2])
  end
end
return result
