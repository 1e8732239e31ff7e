--[[
  Records a credential enrolled on or removed from a unit's lock.
  Input:
    KEYS[1] seen (this lock's idempotency bucket), KEYS[2] cred, KEYS[3] credlog, KEYS[4] link, KEYS[5] state, KEYS[6] entries   (see recordAccess)
    KEYS[7] floor     the unit's floor counters (see floorDays)
    KEYS[8] device    this lock's status HASH, whose field `seq` is its seq state (see seqGaps)
    ARGV[1] the event's idempotency hash, 16 hex digits (see idempotency)
    ARGV[2] event day (local day number)
    ARGV[3] action: 'e' enrolled, 'r' removed
    ARGV[4] credential pseudonym
    ARGV[5] window, days
    ARGV[6] min credential days
    ARGV[7] min link days
    ARGV[8] TTL, ms
    ARGV[9] min link share
    ARGV[10] unit id
    ARGV[11] recent days
    ARGV[12] the event's seq
    ARGV[13] event time, epoch ms
  Output: status (0 counted, 1 duplicate, 2 outside window), to_day, then the unit's signals
]]
--- @include "idempotency"
--- @include "seqGaps"
--- @include "faceEntries"
--- @include "floorDays"
--- @include "daySets"
--- @include "unitSignals"
local day = tonumber(ARGV[2])
local window_days = tonumber(ARGV[5])
local ttl = tonumber(ARGV[8])
local status, to_day, run = unit_event_status(KEYS[1], KEYS[5], KEYS[8], ARGV[1], tonumber(ARGV[12]), day,
  window_days, ttl)
if status == 0 then
  -- GT keeps the newest day when an older enrolment arrives late
  redis.call('ZADD', KEYS[3], 'GT', day, ARGV[3] .. '|' .. ARGV[4])
  redis.call('HSET', KEYS[5], 'wd', to_day)
  redis.call('PEXPIRE', KEYS[3], ttl)
  redis.call('PEXPIRE', KEYS[5], ttl)
  seq_track(KEYS[8], run, tonumber(ARGV[12]), tonumber(ARGV[13]), ttl, day)
end
local signals = unit_signals(
  KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6],
  { unit = ARGV[10], to_day = to_day, window_days = window_days, min_cred_days = tonumber(ARGV[6]),
    min_link_days = tonumber(ARGV[7]), min_link_share = tonumber(ARGV[9]), recent_days = tonumber(ARGV[11]), floor_key = KEYS[7] })
return reply(status, to_day, signals)
