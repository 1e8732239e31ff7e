--[[
  Reads a unit's signals over the window that ends on the day of its newest event (trimming what left the window).
  Input:
    KEYS[1] cred, KEYS[2] credlog, KEYS[3] link, KEYS[4] state   the unit's keys (see unitSignals)
    KEYS[5] entries   the building's face entry days
    KEYS[6] floor     the unit's floor counters (see floorDays)
    ARGV[1] window, days
    ARGV[2] min credential days
    ARGV[3] min link days
    ARGV[4] min link share
    ARGV[5] unit id
    ARGV[6] recent days
  Output: {} when nothing is known about the unit; otherwise 0, to_day, then the unit's signals
]]
--- @include "idempotency"
--- @include "faceEntries"
--- @include "floorDays"
--- @include "daySets"
--- @include "unitSignals"
local wd = redis.call('HGET', KEYS[4], 'wd')
if not wd then return {} end
local signals = unit_signals(
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5],
  { unit = ARGV[5], to_day = tonumber(wd), window_days = tonumber(ARGV[1]), min_cred_days = tonumber(ARGV[2]),
    min_link_days = tonumber(ARGV[3]), min_link_share = tonumber(ARGV[4]), recent_days = tonumber(ARGV[6]), floor_key = KEYS[6] })
return reply(0, tonumber(wd), signals)
