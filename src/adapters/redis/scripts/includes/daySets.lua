--[[
  Day sets: the days of the window something happened on, as one HASH field per credential or face whose value is
  "<base>:<chars>", one char 48 + (day - base) per day, base the oldest day kept. One field per credential or face,
  where a ZSET member per credential-day or face-day repeated the pseudonym on every day; and short enough (a
  14-day window makes at most 20 bytes) for the hash to stay a listpack.
  Days are kept from `day - window_days + 1` of the day added, so a value spans at most two windows (< 256 days).
]]
local function day_set(value)
  local days = {}
  if not value then return days end
  local base, chars = string.match(value, '^(-?%d+):(.*)$')
  base = tonumber(base)
  for i = 1, #chars do days[i] = base + string.byte(chars, i) - 48 end
  return days
end

local function day_set_value(days)
  if #days == 0 then return nil end
  table.sort(days)
  local chars = {}
  for i = 1, #days do chars[i] = string.char(48 + days[i] - days[1]) end
  return days[1] .. ':' .. table.concat(chars)
end

--[[ day_set_add: adds `day` to field's set, forgetting the days that left the window of `day`. ]]
local function day_set_add(set_key, field, day, window_days)
  local kept, from = {}, day - window_days + 1
  for _, d in ipairs(day_set(redis.call('HGET', set_key, field))) do
    if d == day then return end
    if d >= from then kept[#kept + 1] = d end
  end
  kept[#kept + 1] = day
  redis.call('HSET', set_key, field, day_set_value(kept))
end

--[[
  day_sets_in: per field, how many of its days fall within from_day..to_day and the newest of them, as
  { field = { n = count, last = day } }; fields whose days have all left the window are deleted, and those that lost
  some are rewritten. Counted straight off the stored chars: this runs for every credential and face of a unit on
  every event of the unit, and tables of days per field showed in its cost.
]]
local function day_sets_in(set_key, from_day, to_day)
  local out = {}
  local all = redis.call('HGETALL', set_key)
  for i = 1, #all, 2 do
    local base, chars = string.match(all[i + 1], '^(-?%d+):(.*)$')
    base = tonumber(base)
    local n, last, dropped = 0, nil, false
    for j = 1, #chars do
      local d = base + string.byte(chars, j) - 48
      if d < from_day then dropped = true
      elseif d <= to_day then
        n = n + 1
        if last == nil or d > last then last = d end
      end
    end
    if dropped then
      local kept = {}
      for _, d in ipairs(day_set(all[i + 1])) do
        if d >= from_day then kept[#kept + 1] = d end
      end
      if #kept == 0 then redis.call('HDEL', set_key, all[i]) else redis.call('HSET', set_key, all[i], day_set_value(kept)) end
    end
    if n > 0 then out[all[i]] = { n = n, last = last } end
  end
  return out
end
