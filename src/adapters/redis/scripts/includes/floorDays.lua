--[[
  A floor's daily counters, one HASH per floor: "<day>|in" / "<day>|out" people through its stairwell door (the
  floor's stairwell counter) and "<day>|open" successful openings of the floor's unit doors.

  floor_add: adds n to one day's counter; the first count of a day forgets the days that left the window.
]]
local function floor_add(floor_key, day, field, n, window_days, ttl)
  local f = day .. '|' .. field
  if redis.call('HEXISTS', floor_key, f) == 0 then
    local fields = redis.call('HKEYS', floor_key)
    for i = 1, #fields do
      local d = tonumber(string.match(fields[i], '^(-?%d+)|'))
      if d and d <= day - window_days then redis.call('HDEL', floor_key, fields[i]) end
    end
  end
  redis.call('HINCRBY', floor_key, f, n)
  redis.call('PEXPIRE', floor_key, ttl)
end

--[[
  floor_sums: people in by the stairwell and door openings of the floor over the days from_day..to_day. Reads just
  those days' fields: the hash holds the whole window, and parsing every field on every event of every unit showed
  in the scripts' cost.
]]
local function floor_sums(floor_key, from_day, to_day)
  local fields = {}
  for d = from_day, to_day do
    fields[#fields + 1] = d .. '|in'
    fields[#fields + 1] = d .. '|open'
  end
  local stairs_in, opened = 0, 0
  if #fields == 0 then return stairs_in, opened end
  local values = redis.call('HMGET', floor_key, unpack(fields))
  for i = 1, #values, 2 do
    stairs_in = stairs_in + (tonumber(values[i]) or 0)
    opened = opened + (tonumber(values[i + 1]) or 0)
  end
  return stairs_in, opened
end
