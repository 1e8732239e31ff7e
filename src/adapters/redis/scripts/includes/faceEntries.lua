--[[
  The building's face entries: HASH "<k|u>|<person>" -> the local days the face entered the building door (or was
  linked to a unit), with the units it was linked to each day. A unit uses it to tell residents from neighbours: a
  person lives where they are linked on a large share of the days they come in, and on at least as many days as
  anywhere else in the building.

  A value is "#<base>:<unit>+<unit>…:<item>,<item>…", base the oldest day kept; an item is one char 48 + (day - base)
  followed by one char 48 + i for each unit i of the header the face was linked to that day, items in day order.
  Units are named once in the header rather than on every day: 14 days of a resident who is linked to their own door
  every day take about 50 bytes where "<day>:<unit>" items took 170, and a small building's hash stays a listpack.
  Values written before this layout ("<day>:<unit>+<unit>,<day>,…", no leading '#') are still read, and rewritten
  in this one on their next change.

  Faces that stop coming in would otherwise stay for as long as the building has traffic (visitors, couriers): once
  an event day, the first entry of a newer day drops every face whose newest day has left the window. The field
  ENTRY_TRIM_FIELD holds the day of the last trim.
]]
local ENTRY_TRIM_FIELD = '~trimmed'
local ENTRY_MAX_OFFSET = 207 -- chars 48..255: a day or a unit index beyond this cannot be written

-- { { day = n, units = { [unit] = true } }, … } of a stored value, either layout
local function parse_entries(value)
  local items = {}
  if not value then return items end
  if string.byte(value, 1) == 35 then -- '#'
    local base, header, body = string.match(value, '^#(-?%d+):([^:]*):(.*)$')
    base = tonumber(base)
    local names = {}
    for u in string.gmatch(header, '[^+]+') do names[#names + 1] = u end
    for item in string.gmatch(body, '[^,]+') do
      local set = {}
      for j = 2, #item do set[names[string.byte(item, j) - 47]] = true end
      items[#items + 1] = { day = base + string.byte(item, 1) - 48, units = set }
    end
    return items
  end
  for item in string.gmatch(value, '[^,]+') do
    local day, units = string.match(item, '^(-?%d+):?(.*)$')
    local set = {}
    for u in string.gmatch(units, '[^+]+') do set[u] = true end
    items[#items + 1] = { day = tonumber(day), units = set }
  end
  return items
end

-- the stored value of items (sorted here), nil when none is left
local function entries_value(items)
  table.sort(items, function(a, b) return a.day < b.day end)
  -- days too far after the oldest for one char: the oldest go, they are outside any window of the newest
  while #items > 0 and items[#items].day - items[1].day > ENTRY_MAX_OFFSET do table.remove(items, 1) end
  if #items == 0 then return nil end
  local base, names, index, out = items[1].day, {}, {}, {}
  for i, item in ipairs(items) do
    local units = {}
    for u in pairs(item.units) do units[#units + 1] = u end
    table.sort(units)
    local chars = { string.char(48 + item.day - base) }
    for _, u in ipairs(units) do
      if not index[u] and #names <= ENTRY_MAX_OFFSET then
        names[#names + 1] = u
        index[u] = #names
      end
      -- a face linked to over 200 units in one window lives in none of them: the rest are left out
      if index[u] then chars[#chars + 1] = string.char(47 + index[u]) end
    end
    out[i] = table.concat(chars)
  end
  return '#' .. base .. ':' .. table.concat(names, '+') .. ':' .. table.concat(out, ',')
end

-- the newest day of a stored value, either layout
local function entries_newest(value)
  if string.byte(value, 1) == 35 then
    local base, last = string.match(value, '^#(-?%d+):[^:]*:.-([^,]*)$')
    return tonumber(base) + string.byte(last, 1) - 48
  end
  return tonumber(string.match(value, '(-?%d+)[^,]*$'))
end

-- whether the stored value already says the face came in on `day`, and holds no day before floor_day
local function entry_recorded(value, day, floor_day)
  if string.byte(value, 1) ~= 35 then return false end -- the older layout: rewritten on this change
  local base, body = string.match(value, '^#(-?%d+):[^:]*:(.*)$')
  base = tonumber(base)
  if base < floor_day or day < base or day - base > ENTRY_MAX_OFFSET then return false end
  return string.find(',' .. body, ',' .. string.char(48 + day - base), 1, true) ~= nil
end

-- once an event day: faces whose newest day has left the window go
local function trim_entries(entries_key, day, floor_day)
  local trimmed = tonumber(redis.call('HGET', entries_key, ENTRY_TRIM_FIELD) or '')
  if trimmed and trimmed >= day then return end
  local all = redis.call('HGETALL', entries_key)
  for i = 1, #all, 2 do
    if all[i] ~= ENTRY_TRIM_FIELD and entries_newest(all[i + 1]) < floor_day then redis.call('HDEL', entries_key, all[i]) end
  end
  redis.call('HSET', entries_key, ENTRY_TRIM_FIELD, day)
end

--[[ record_entry: the face entered (unit = nil) or was linked to `unit` on `day`; days before floor_day are dropped. ]]
local function record_entry(entries_key, person, day, unit, floor_day, ttl)
  local value = redis.call('HGET', entries_key, person) or nil -- false when absent
  -- most faces come in more than once a day: the day is then already there, and nothing is parsed or written
  if value and not unit and entry_recorded(value, day, floor_day) then return end
  local kept, found, changed = {}, false, value == nil or string.byte(value, 1) ~= 35
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
  if changed then
    local out = entries_value(kept)
    if out then redis.call('HSET', entries_key, person, out) else redis.call('HDEL', entries_key, person) end
    trim_entries(entries_key, day, floor_day)
    redis.call('PEXPIRE', entries_key, ttl)
  end
end

--[[ person_days: days from from_day on that the face came in, and per unit the days it was linked there. ]]
local function person_days(entries_key, person, from_day)
  local entered, linked = 0, {}
  local value = redis.call('HGET', entries_key, person)
  if not value then return entered, linked end
  -- read straight off the stored text: this runs for every face of a unit on every event of the unit
  if string.byte(value, 1) == 35 then
    local base, header, body = string.match(value, '^#(-?%d+):([^:]*):(.*)$')
    base = tonumber(base)
    local names = {}
    for u in string.gmatch(header, '[^+]+') do names[#names + 1] = u end
    for item in string.gmatch(body, '[^,]+') do
      if base + string.byte(item, 1) - 48 >= from_day then
        entered = entered + 1
        for j = 2, #item do
          local u = names[string.byte(item, j) - 47]
          linked[u] = (linked[u] or 0) + 1
        end
      end
    end
    return entered, linked
  end
  for day, units in string.gmatch(value, '(-?%d+):?([^,]*)') do
    if tonumber(day) >= from_day then
      entered = entered + 1
      for u in string.gmatch(units, '[^+]+') do linked[u] = (linked[u] or 0) + 1 end
    end
  end
  return entered, linked
end
