--[[
  The building's face entries: HASH "<k|u>|<person>" -> the local days the face entered the building door (or was
  linked to a unit), with the units it was linked to each day. This is the one record of which face was linked to
  which unit on which day: a unit keeps only an index of the faces linked to it on more than one day (link_face), and
  reads their days here. A unit uses them to tell residents from neighbours: a person lives where they are linked on
  a large share of the days they come in, and on at least as many days as anywhere else in the building.

  Units are numbered once a building, in the field ENTRY_UNITS_FIELD ("+<unit>+<unit>…+", in the order they were
  first linked). A unit's code is one char 48 + i for the first 200 units (i from 0), and two chars 248 + q, 48 + r
  beyond (i = 200 + 208 q + r): 1,864 units a building. A unit past that is left out of the entries.
  A value is "%<base>:<item>,<item>…", base the oldest day kept; an item is one char 48 + (day - base) followed by the
  codes of the units the face was linked to that day (in the order linked), items in day order. Fourteen days of a resident linked home
  every day take 48 bytes. Where each value named its units, the names were two thirds of the hash: a face that
  comes in every day is linked to many of its neighbours' doors over a window.
  Values of the layouts before it are still read, and rewritten in this one on their next change:
  "#<base>:<unit>+<unit>…:<item>,…" (units named in the value, one char 48 + i each) and "<day>:<unit>+<unit>,<day>,…".

  Faces that stop coming in would otherwise stay for as long as the building has traffic (visitors, couriers): once
  an event day, the first entry of a newer day drops every face whose newest day has left the window. The field
  ENTRY_TRIM_FIELD holds the day of the last trim. Fields of the building's own start with '~'.
]]
local ENTRY_TRIM_FIELD = '~trimmed'
local ENTRY_UNITS_FIELD = '~units'
local ENTRY_MAX_OFFSET = 207 -- chars 48..255: a day this far after the oldest cannot be written
local ENTRY_ONE_CHAR_UNITS = 200
local ENTRY_MAX_UNITS = ENTRY_ONE_CHAR_UNITS + 8 * 208
-- a unit indexes a face from its second day linked there (its first, when one day is enough to live there)
local LINKED_DAYS = 2

local entry_tables = {} -- entries key -> its units field, read once a script call

local function entry_units(entries_key)
  local units = entry_tables[entries_key]
  if not units then
    units = redis.call('HGET', entries_key, ENTRY_UNITS_FIELD) or '+'
    entry_tables[entries_key] = units
  end
  return units
end

--[[
  entry_unit_code: the unit's code as a number (its first char, times 256 plus its second for two-char codes, which
  is how person_days reads them); nil when the unit has none and `assign` is false, or the building is full.
]]
local function entry_unit_code(entries_key, unit, assign)
  local units = entry_units(entries_key)
  local at = string.find(units, '+' .. unit .. '+', 1, true)
  local i
  if at then
    i = select(2, string.gsub(string.sub(units, 1, at), '%+', '')) - 1
  else
    if not assign then return nil end
    i = select(2, string.gsub(units, '%+', '')) - 1
    if i >= ENTRY_MAX_UNITS then return nil end
    units = units .. unit .. '+'
    entry_tables[entries_key] = units
    redis.call('HSET', entries_key, ENTRY_UNITS_FIELD, units)
  end
  if i < ENTRY_ONE_CHAR_UNITS then return 48 + i end
  local q, r = math.floor((i - ENTRY_ONE_CHAR_UNITS) / 208), (i - ENTRY_ONE_CHAR_UNITS) % 208
  return (248 + q) * 256 + 48 + r
end

local function entry_code_chars(code)
  if code < 256 then return string.char(code) end
  return string.char(math.floor(code / 256), code % 256)
end

-- whether the codes of an item (its chars after the day char) name `code`
local function codes_have(codes, code)
  local j = 1
  while j <= #codes do
    local c = string.byte(codes, j)
    if c >= 248 then
      if c * 256 + string.byte(codes, j + 1) == code then return true end
      j = j + 2
    else
      if c == code then return true end
      j = j + 1
    end
  end
  return false
end

-- { { day = n, units = { [unit name] = true } }, … } of a value in one of the layouts before '%'
local function parse_named_entries(value)
  local items = {}
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

--[[
  entry_days: a stored value's days in day order, and beside each the codes of the units linked that day (the chars
  after its day char), any layout: the units of the layouts before '%' get their building codes here.
]]
local function entry_days(entries_key, value)
  local days, codes = {}, {}
  if not value then return days, codes end
  if string.byte(value, 1) == 37 then -- '%'
    local base, body = string.match(value, '^%%(-?%d+):(.*)$')
    base = tonumber(base)
    for item in string.gmatch(body, '[^,]+') do
      days[#days + 1], codes[#codes + 1] = base + string.byte(item, 1) - 48, string.sub(item, 2)
    end
    return days, codes
  end
  local named = parse_named_entries(value)
  table.sort(named, function(a, b) return a.day < b.day end)
  for i, item in ipairs(named) do
    local sorted, chars = {}, {}
    for u in pairs(item.units) do sorted[#sorted + 1] = u end
    table.sort(sorted) -- codes are given in this order: the same value whatever the order pairs() walks
    for _, u in ipairs(sorted) do
      local code = entry_unit_code(entries_key, u, true)
      if code then chars[#chars + 1] = entry_code_chars(code) end
    end
    days[i], codes[i] = item.day, table.concat(chars)
  end
  return days, codes
end

-- the newest day of a stored value, any layout
local function entries_newest(value)
  local first = string.byte(value, 1)
  if first == 37 or first == 35 then
    local base, last
    if first == 37 then base, last = string.match(value, '^%%(-?%d+):.-([^,]*)$')
    else base, last = string.match(value, '^#(-?%d+):[^:]*:.-([^,]*)$') end
    return tonumber(base) + string.byte(last, 1) - 48
  end
  return tonumber(string.match(value, '(-?%d+)[^,]*$'))
end

-- whether the stored value already says the face came in on `day`, and holds no day before floor_day
local function entry_recorded(value, day, floor_day)
  if string.byte(value, 1) ~= 37 then return false end -- a layout before: rewritten on this change
  local base, body = string.match(value, '^%%(-?%d+):(.*)$')
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
    if string.byte(all[i], 1) ~= 126 and entries_newest(all[i + 1]) < floor_day then -- '~': the building's own
      redis.call('HDEL', entries_key, all[i])
    end
  end
  redis.call('HSET', entries_key, ENTRY_TRIM_FIELD, day)
end

--[[
  record_entry: the face entered (unit = nil) or was linked to `unit` on `day`; days before floor_day are dropped.
  Returns how many of the days kept the face is linked to `unit`, and the newest of them (0 and nil without one).
  Works on the stored text, item by item, with no table a day: it runs for each face a lock opening links, and for
  each face's first entry of a day. A unit linked later in a day is appended to the day's codes.
]]
local function record_entry(entries_key, person, day, unit, floor_day, ttl)
  local stored = redis.call('HGET', entries_key, person) or nil -- false when absent
  -- most faces come in more than once a day: the day is then already there, and nothing is parsed or written
  if stored and not unit and entry_recorded(stored, day, floor_day) then return 0, nil end
  local code = unit and entry_unit_code(entries_key, unit, true)
  local added = code and entry_code_chars(code) or ''
  local stored_days, stored_codes = entry_days(entries_key, stored)
  local days, codes, placed = {}, {}, false
  for k = 1, #stored_days do
    local d, rest = stored_days[k], stored_codes[k]
    if d >= floor_day then
      if not placed and d > day then
        days[#days + 1], codes[#codes + 1], placed = day, added, true
      end
      if d == day then
        placed = true
        if code and not codes_have(rest, code) then rest = rest .. added end
      end
      days[#days + 1], codes[#codes + 1] = d, rest
    end
  end
  if not placed then days[#days + 1], codes[#codes + 1] = day, added end
  -- days too far after the oldest for one char: the oldest go, they are outside any window of the newest
  local first = 1
  while days[#days] - days[first] > ENTRY_MAX_OFFSET do first = first + 1 end
  local items, linked, newest = {}, 0, nil
  for i = first, #days do
    items[#items + 1] = string.char(48 + days[i] - days[first]) .. codes[i]
    if code and codes_have(codes[i], code) then linked, newest = linked + 1, days[i] end
  end
  local out = '%' .. days[first] .. ':' .. table.concat(items, ',')
  if out ~= stored then
    redis.call('HSET', entries_key, person, out)
    trim_entries(entries_key, day, floor_day)
    redis.call('PEXPIRE', entries_key, ttl)
  end
  return linked, newest
end

-- the days linked that put a face in a unit's index (LINKED_DAYS, or fewer when fewer make a resident)
local function link_index_days(min_link_days)
  return math.min(LINKED_DAYS, min_link_days)
end

--[[
  link_face: the face was linked to `unit` on `day` (the day of the opening it preceded). The link is recorded in the
  building's entries; the unit's index (link_key: HASH "<k|u>|<person>" -> the newest day linked there) names the face
  once it has been linked there on link_index_days days of the window. Most faces linked to a door are linked to it once,
  as a neighbour, courier or visitor who came in just before it opened: they stay out of the unit's keys.
]]
local function link_face(entries_key, link_key, person, day, unit, floor_day, ttl, min_link_days)
  local linked, newest = record_entry(entries_key, person, day, unit, floor_day, ttl)
  if linked < link_index_days(min_link_days) then return end
  -- the newest day, not this one: links arrive in any order
  local held = tonumber(redis.call('HGET', link_key, person) or '')
  if not held or held < newest then redis.call('HSET', link_key, person, newest) end
  redis.call('PEXPIRE', link_key, ttl)
end

--[[
  person_days: of the face's days from from_day on, how many it came in (entered); how many of those up to to_day it
  was linked to `unit` (here) and the newest of them (last, nil when none); and the most days it was linked to any
  one other unit (elsewhere). `code` is the unit's code (entry_unit_code), nil when it has none.
  Read straight off the stored text: this runs for every face a unit indexes on every event of the unit.
]]
local function person_days(entries_key, person, from_day, to_day, unit, code)
  local entered, here, last, others = 0, 0, nil, {}
  local value = redis.call('HGET', entries_key, person)
  if not value then return 0, 0, nil, 0 end
  local function count(day, other)
    if other ~= unit and other ~= code then
      others[other] = (others[other] or 0) + 1
    elseif day <= to_day then
      here = here + 1
      if not last or day > last then last = day end
    end
  end
  if string.byte(value, 1) == 37 then
    local base, body = string.match(value, '^%%(-?%d+):(.*)$')
    base = tonumber(base)
    for item in string.gmatch(body, '[^,]+') do
      local day = base + string.byte(item, 1) - 48
      if day >= from_day then
        entered = entered + 1
        local j = 2
        while j <= #item do -- the codes, decoded as in codes_have
          local c = string.byte(item, j)
          if c >= 248 then
            count(day, c * 256 + string.byte(item, j + 1))
            j = j + 2
          else
            count(day, c)
            j = j + 1
          end
        end
      end
    end
  else
    for _, item in ipairs(parse_named_entries(value)) do
      if item.day >= from_day then
        entered = entered + 1
        for other in pairs(item.units) do count(item.day, other) end
      end
    end
  end
  local elsewhere = 0
  for _, n in pairs(others) do
    if n > elsewhere then elsewhere = n end
  end
  return entered, here, last, elsewhere
end
