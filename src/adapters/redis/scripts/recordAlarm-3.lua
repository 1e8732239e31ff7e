--[[
  Records a device alarm raised or cleared; the newest event time wins, so late arrivals cannot undo a newer state.
  Input:
    KEYS[1] seen    this device's idempotency bucket (see idempotency)
    KEYS[2] alarms  HASH of this device: "<alarm>" -> "<tsMs>|<1|0>"
    KEYS[3] device  this device's status HASH, whose field `seq` is its seq state (see seqGaps)
    ARGV[1] the event's idempotency hash, 16 hex digits (see idempotency)
    ARGV[2] event time, epoch ms
    ARGV[3] alarm kind
    ARGV[4] 1 raised, 0 cleared
    ARGV[5] TTL, ms
    ARGV[6] event day (local day number)
    ARGV[7] window, days (how long a redelivery is recognised)
    ARGV[8] the event's seq
  Output: { status (0 counted, 1 duplicate), current state 1/0, event time of the current state (ms) }, or
          { 2, first day of the window } for an event older than the window its bucket keeps
]]
--- @include "idempotency"
--- @include "seqGaps"
local hash = ARGV[1]        -- the event's idempotency hash
local ts = tonumber(ARGV[2])
local ttl = tonumber(ARGV[5])
local window_days = tonumber(ARGV[7])
local first, from_day, run = device_first_delivery(KEYS[3], KEYS[1], hash, tonumber(ARGV[8]), tonumber(ARGV[6]),
  window_days, ttl)
if first == nil then return { 2, from_day } end
local status = 0
if not first then
  status = 1
else
  local current = redis.call('HGET', KEYS[2], ARGV[3])
  local current_ts = current and tonumber(string.match(current, '^(%d+)|')) or -1
  if ts > current_ts then redis.call('HSET', KEYS[2], ARGV[3], ts .. '|' .. ARGV[4]) end
  redis.call('PEXPIRE', KEYS[2], ttl)
  seq_track(KEYS[3], run, tonumber(ARGV[8]), ts, ttl, tonumber(ARGV[6]))
end
local state = redis.call('HGET', KEYS[2], ARGV[3])
local state_ts, active = string.match(state, '^(%d+)|([01])$')
return { status, tonumber(active), tonumber(state_ts) }
