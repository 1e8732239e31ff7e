--[[
  Records one face recognition at a gate. A face entering a building door is kept for linking, and the units whose
  locks opened up to `gap` after it are returned so the caller links the face to each (linkFace), whatever the
  order in which the two events arrived.
  Input:
    KEYS[1] seen      this gate's idempotency bucket for the event (see idempotency)
    KEYS[2] counters  HASH of this gate: "<day>|<in|out>|<k|u>" -> faces seen
    KEYS[3] door      the building's door hour of the event (see keys.ts): ZSET of faces entering the building door,
                      "f<tsMs>|<k|u>|<person>" -> tsMs, and of its units' openings, "o<unit>|<day>|<event hash>" ->
                      tsMs (only for building doors)
    KEYS[4] door_to   the door hour `gap` after the event (KEYS[3] again when the same)
    KEYS[5] entries   building face entries (see faceEntries; only building doors)
    KEYS[6] device    this gate's status HASH, whose field `seq` is its seq state (see seqGaps)
    KEYS[7] newest    the newest event time of a face entering the building door (STRING, ms)
    ARGV[1] the event's idempotency hash, 16 hex digits (see idempotency)
    ARGV[2] event time, epoch ms
    ARGV[3] event day (local day number)
    ARGV[4] direction: 'in' or 'out'
    ARGV[5] person tag: 'k|<pseudonym>' (registered) or 'u|<pseudonym>' (unregistered track)
    ARGV[6] 1 when the gate stands at a building door, 0 at an estate entrance
    ARGV[7] link gap, ms
    ARGV[8] link retention, ms
    ARGV[9] window, days (counters older than this are deleted)
    ARGV[10] TTL of every key written, ms
    ARGV[11] the event's seq
  Output: { status (0 counted, 1 duplicate), unit1, day1, unit2, day2, ... } units to link the face to, or
          { 2, first day of the gate's window } for an event older than the window its bucket keeps
]]
--- @include "idempotency"
--- @include "faceEntries"
--- @include "seqGaps"
local hash = ARGV[1]        -- the event's idempotency hash
local ts = tonumber(ARGV[2])        -- event time, epoch ms
local day = tonumber(ARGV[3])
local entering = ARGV[4] == 'in'
local person = ARGV[5]
local at_building_door = ARGV[6] == '1'
local gap = tonumber(ARGV[7])       -- ms
local retention = tonumber(ARGV[8]) -- ms
local window_days = tonumber(ARGV[9])
local ttl = tonumber(ARGV[10])      -- ms

local first, from_day, run = device_first_delivery(KEYS[6], KEYS[1], hash, tonumber(ARGV[11]), day, window_days, ttl)
if first == nil then return { 2, from_day } end
local status = 0
if not first then
  status = 1
else
  seq_track(KEYS[6], run, tonumber(ARGV[11]), ts, ttl, day)
  local field = day .. '|' .. ARGV[4] .. '|' .. string.sub(person, 1, 1)
  if redis.call('HINCRBY', KEYS[2], field, 1) == 1 then
    -- a new day: drop the counters of days that left the window
    local fields = redis.call('HKEYS', KEYS[2])
    for i = 1, #fields do
      local d = tonumber(string.match(fields[i], '^(-?%d+)|'))
      if d and d <= day - window_days then redis.call('HDEL', KEYS[2], fields[i]) end
    end
  end
  redis.call('PEXPIRE', KEYS[2], ttl)
  if at_building_door and entering then
    redis.call('ZADD', KEYS[3], ts, 'f' .. ts .. '|' .. person)
    -- the hour's ZSET last served the same hour a ring ago: what it still holds from then goes
    redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (ts - retention))
    redis.call('PEXPIRE', KEYS[3], math.min(retention + 3600000, ttl))
    if ts > tonumber(redis.call('GET', KEYS[7]) or '0') then redis.call('SET', KEYS[7], ts, 'PX', ttl) end
    -- the days this face came in: the share of them on which it was linked tells residents from passers-by
    record_entry(KEYS[5], person, day, nil, day - window_days + 1, ttl)
  end
end

local out = { status }
if at_building_door and entering then
  local seen = {}
  local members = redis.call('ZRANGE', KEYS[3], ts, ts + gap, 'BYSCORE')
  if KEYS[4] ~= KEYS[3] then
    for _, m in ipairs(redis.call('ZRANGE', KEYS[4], ts, ts + gap, 'BYSCORE')) do members[#members + 1] = m end
  end
  for i = 1, #members do
    local unit, open_day = string.match(members[i], '^o([^|]+)|(-?%d+)|')
    local key = unit and (unit .. '|' .. open_day)
    if key and not seen[key] then
      seen[key] = true
      out[#out + 1] = unit
      out[#out + 1] = open_day
    end
  end
end
return out
