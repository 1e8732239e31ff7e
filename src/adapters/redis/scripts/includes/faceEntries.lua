--[[
  The building's face entries: HASH "<k|u>|<person>" -> comma-separated items "<day>" or "<day>:<unit>+<unit>", one
  per local day the face entered the building door (or was linked to a unit), naming the units it was linked to that
  day. A unit uses it to tell residents from neighbours: a person lives where they are linked on a large share of
  the days they come in, and on at least as many days as anywhere else in the building.
]]
local function parse_entries(value)
  local items = {}
  for item in string.gmatch(value or '', '[^,]+') do
    local day, units = string.match(item, '^(-?%d+):?(.*)$')
    local set = {}
    for u in string.gmatch(units, '[^+]+') do set[u] = true end
    items[#items + 1] = { day = tonumber(day), units = set }
  end
  return items
end

local function write_entries(entries_key, person, items, ttl)
  table.sort(items, function(a, b) return a.day < b.day end)
  local out = {}
  for i, item in ipairs(items) do
    local units = {}
    for u in pairs(item.units) do units[#units + 1] = u end
    table.sort(units)
    out[i] = #units > 0 and (item.day .. ':' .. table.concat(units, '+')) or tostring(item.day)
  end
  redis.call('HSET', entries_key, person, table.concat(out, ','))
  redis.call('PEXPIRE', entries_key, ttl)
end

-- whether the stored text already says the face came in on `day`, and holds no day before floor_day
local function entry_recorded(value, day, floor_day)
  local first = tonumber(string.match(value, '^(-?%d+)'))
  if not first or first < floor_day then return false end
  local text = ',' .. value .. ','
  return string.find(text, ',' .. day .. ',', 1, true) ~= nil or string.find(text, ',' .. day .. ':', 1, true) ~= nil
end

--[[ record_entry: the face entered (unit = nil) or was linked to `unit` on `day`; days before floor_day are dropped. ]]
local function record_entry(entries_key, person, day, unit, floor_day, ttl)
  local value = redis.call('HGET', entries_key, person)
  -- most faces come in more than once a day: the day is then already there, and nothing is parsed or written
  if value and not unit and entry_recorded(value, day, floor_day) then return end
  local kept, found, changed = {}, false, false
  for _, item in ipairs(parse_entries(value)) do
    if item.day < floor_day then
      changed = true
    else
      if item.day == day then
        found = true
        if unit and not item.units[unit] then
          item.units[unit] = true
          changed = true
        end
      end
      kept[#kept + 1] = item
    end
  end
  if not found then
    local set = {}
    if unit then set[unit] = true end
    kept[#kept + 1] = { day = day, units = set }
    changed = true
  end
  if changed then write_entries(entries_key, person, kept, ttl) end
end

--[[ person_days: days from from_day on that the face came in, and per unit the days it was linked there. ]]
local function person_days(entries_key, person, from_day)
  local entered, linked = 0, {}
  -- read straight off the stored text: this runs for every face of a unit on every event of the unit
  for day, units in string.gmatch(redis.call('HGET', entries_key, person) or '', '(-?%d+):?([^,]*)') do
    if tonumber(day) >= from_day then
      entered = entered + 1
      for u in string.gmatch(units, '[^+]+') do linked[u] = (linked[u] or 0) + 1 end
    end
  end
  return entered, linked
end
