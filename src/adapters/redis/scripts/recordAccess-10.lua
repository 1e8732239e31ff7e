--[[
  Records one lock opening (or failed attempt) of a unit and links the faces that entered its building just before.
  Input:
    KEYS[1] seen      this lock's idempotency bucket for the event (see idempotency)
    KEYS[2] cred      unit credentials by day (see unitSignals)
    KEYS[3] credlog   unit credential enrolments/removals
    KEYS[4] link      unit index of the faces linked on several days (see link_face)
    KEYS[5] state     unit state hash
    KEYS[6] door      the building's door hour of the event (see keys.ts): ZSET of its units' successful openings,
                      "o<unit>|<day>|<event hash>" -> tsMs, and of faces entering the building door,
                      "f<tsMs>|<k|u>|<person>" -> tsMs
    KEYS[7] door_from the door hour `gap` before the event (KEYS[6] again when the same)
    KEYS[8] entries   building face entries (see faceEntries)
    KEYS[9] floor     the unit's floor counters (see floorDays): successful openings are counted per floor, to
                      compare with the people its stairwell counter saw come in
    KEYS[10] device   this lock's status HASH, whose field `seq` is its seq state (see seqGaps)
    ARGV[1] the event's idempotency hash, 16 hex digits (see idempotency)
    ARGV[2] event time, epoch ms
    ARGV[3] event day (local day number)
    ARGV[4] 1 when the door opened, 0 for a failed attempt
    ARGV[5] credential pseudonym, '' for password/key openings (no identity)
    ARGV[6] unit id
    ARGV[7] link gap, ms
    ARGV[8] link retention, ms
    ARGV[9] window, days
    ARGV[10] min credential days
    ARGV[11] min link days
    ARGV[12] TTL of every key written, ms
    ARGV[13] min link share (see unitSignals)
    ARGV[14] recent days (see unitSignals)
    ARGV[15] 1 when the opening happened at night (23:00–05:00 local time), else 0
    ARGV[16] the event's seq
  Output: status (0 counted, 1 duplicate, 2 outside window), to_day, then the unit's signals (see unitSignals)
]]
--- @include "idempotency"
--- @include "seqGaps"
--- @include "faceEntries"
--- @include "floorDays"
--- @include "daySets"
--- @include "unitSignals"
local hash = ARGV[1]        -- the event's idempotency hash
local ts = tonumber(ARGV[2])        -- event time, epoch ms
local day = tonumber(ARGV[3])       -- local day number of the event
local ok = ARGV[4] == '1'
local credential = ARGV[5]
local unit = ARGV[6]
local gap = tonumber(ARGV[7])       -- ms
local retention = tonumber(ARGV[8]) -- ms
local window_days = tonumber(ARGV[9])
local ttl = tonumber(ARGV[12])      -- ms

local status, to_day, run = unit_event_status(KEYS[1], KEYS[5], KEYS[10], hash, tonumber(ARGV[16]), day, window_days,
  ttl)
if status == 0 then
  if ok then
    if ARGV[15] == '1' then redis.call('HINCRBY', KEYS[5], 'n:' .. day, 1) end
    if credential ~= '' then
      day_set_add(KEYS[2], credential, day, window_days)
      redis.call('HINCRBY', KEYS[5], 'o:' .. day, 1)
    else
      redis.call('HINCRBY', KEYS[5], 'a:' .. day, 1)
    end
    floor_add(KEYS[9], day, 'open', 1, window_days, ttl)
    redis.call('ZADD', KEYS[6], ts, 'o' .. unit .. '|' .. day .. '|' .. hash)
    -- the hour's ZSET last served the same hour a ring ago: what it still holds from then goes
    redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', '(' .. (ts - retention))
    redis.call('PEXPIRE', KEYS[6], math.min(retention + 3600000, ttl))
    -- faces that entered the building door up to `gap` before this opening now live here on this day
    local members = redis.call('ZRANGE', KEYS[6], ts - gap, ts, 'BYSCORE')
    if KEYS[7] ~= KEYS[6] then
      for _, m in ipairs(redis.call('ZRANGE', KEYS[7], ts - gap, ts, 'BYSCORE')) do members[#members + 1] = m end
    end
    for i = 1, #members do
      if string.byte(members[i], 1) == 102 then -- 'f': a face
        local person = string.sub(members[i], string.find(members[i], '|', 1, true) + 1)
        link_face(KEYS[8], KEYS[4], person, day, unit, day - window_days + 1, ttl, tonumber(ARGV[11]))
      end
    end
  else
    redis.call('HINCRBY', KEYS[5], 'f:' .. day, 1)
  end
  redis.call('HSET', KEYS[5], 'wd', to_day)
  -- newest event time of the lock: a lock that stopped reporting leaves its unit "unknown", not "fine"
  if ts > tonumber(redis.call('HGET', KEYS[5], 'lt') or '0') then redis.call('HSET', KEYS[5], 'lt', ts) end
  for i = 2, 5 do redis.call('PEXPIRE', KEYS[i], ttl) end
  seq_track(KEYS[10], run, tonumber(ARGV[16]), ts, ttl, day)
end
local signals = unit_signals(
  KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[8],
  { unit = unit, to_day = to_day, window_days = window_days, min_cred_days = tonumber(ARGV[10]),
    min_link_days = tonumber(ARGV[11]), min_link_share = tonumber(ARGV[13]), recent_days = tonumber(ARGV[14]), floor_key = KEYS[9] })
return reply(status, to_day, signals)
