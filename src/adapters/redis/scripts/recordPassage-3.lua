--[[
  Adds one stairwell counting period to a floor's daily totals.
  Input:
    KEYS[1] seen    this counter's idempotency bucket (see idempotency)
    KEYS[2] floor   the floor's daily counters (see floorDays)
    KEYS[3] device  this counter's status HASH, whose field `seq` is its seq state (see seqGaps)
    ARGV[1] the event's idempotency hash, 16 hex digits (see idempotency)
    ARGV[2] event day (local day number)
    ARGV[3] people in
    ARGV[4] people out
    ARGV[5] window, days
    ARGV[6] TTL, ms
    ARGV[7] the event's seq
    ARGV[8] event time, epoch ms
  Output: { status (0 counted, 1 duplicate) }, or { 2, first day of the window } for an event older than the
          window its bucket keeps
]]
--- @include "idempotency"
--- @include "floorDays"
--- @include "seqGaps"
local day = tonumber(ARGV[2])
local window_days, ttl = tonumber(ARGV[5]), tonumber(ARGV[6])
local first, from_day, run = device_first_delivery(KEYS[3], KEYS[1], ARGV[1], tonumber(ARGV[7]), day, window_days, ttl)
if first == nil then return { 2, from_day } end
if not first then return { 1 } end
seq_track(KEYS[3], run, tonumber(ARGV[7]), tonumber(ARGV[8]), ttl, day)
floor_add(KEYS[2], day, 'in', tonumber(ARGV[3]), window_days, ttl)
floor_add(KEYS[2], day, 'out', tonumber(ARGV[4]), window_days, ttl)
return { 0 }
