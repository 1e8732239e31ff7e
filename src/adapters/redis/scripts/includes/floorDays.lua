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

--[[ floor_sums: people in by the stairwell and door openings of the floor over the days from_day..to_day. ]]
local function floor_sums(floor_key, from_day, to_day)
  local stairs_in, opened = 0, 0
  local all = redis.call('HGETALL', floor_key)
  for i = 1, #all, 2 do
    local d, field = string.match(all[i], '^(-?%d+)|(%a+)$')
    d = tonumber(d)
    if d and d >= from_day and d <= to_day then
      if field == 'in' then stairs_in = stairs_in + tonumber(all[i + 1])
      elseif field == 'open' then opened = opened + tonumber(all[i + 1]) end
    end
  end
  return stairs_in, opened
end
