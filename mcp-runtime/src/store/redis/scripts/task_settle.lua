-- Shared by the scripts that end a task: whether it runs, and ending it.
local function running(status)
  return status == 'working' or status == 'input_required'
end

local function settle(key, status, field, value, now)
  redis.call('HSET', key, 'status', status, 'updated', now, 'inputs', 0)
  if field ~= '' then
    redis.call('HSET', key, field, value)
  end
  local fields = redis.call('HKEYS', key)
  for _, name in ipairs(fields) do
    local kind = string.sub(name, 1, 3)
    if kind == 'in:' or kind == 'an:' then
      redis.call('HDEL', key, name)
    end
  end
end
