--[[
  Door parts: a building's door faces and its openings are each a ZSET cut into parts by the second of their event
  time, so that each part stays under 128 members and listpack-encoded (some 45 bytes a member, where one ZSET of
  hundreds of members is a skiplist of some 140). Every write trims every part to the retention, as the one ZSET
  was trimmed, and a read merges the parts in score order, so a face links to the same openings as before.
]]
local function door_part(parts, ts) return parts[math.floor(ts / 1000) % #parts + 1] end

local function door_add(part_key, ts, member, ttl)
  redis.call('ZADD', part_key, ts, member)
  redis.call('PEXPIRE', part_key, ttl)
end

local function door_trim(part_key, below)
  redis.call('ZREMRANGEBYSCORE', part_key, '-inf', '(' .. below)
end

local function door_range_of(part_key, from, to, into)
  local found = redis.call('ZRANGE', part_key, from, to, 'BYSCORE', 'WITHSCORES')
  for i = 1, #found, 2 do into[#into + 1] = { tonumber(found[i + 1]), found[i] } end
end

--[[ door_write: the member joins its part; every part forgets what is older than ts - retention. ]]
local function door_write(parts, ts, member, retention, ttl)
  door_add(door_part(parts, ts), ts, member, ttl)
  for i = 1, #parts do door_trim(parts[i], ts - retention) end
end

--[[ door_range: the members of every part scored from..to, by score (then member), as one ZSET gave them. ]]
local function door_range(parts, from, to)
  local found = {}
  for i = 1, #parts do door_range_of(parts[i], from, to, found) end
  table.sort(found, function(a, b)
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end)
  local out = {}
  for i = 1, #found do out[i] = found[i][2] end
  return out
end
