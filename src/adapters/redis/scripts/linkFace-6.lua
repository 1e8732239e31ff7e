--[[
  Links one face to one unit on one day (the day of the lock opening that followed the face), then returns the
  unit's signals. Idempotent: linking the same face on the same day twice changes nothing.
  Input:
    KEYS[1] cred, KEYS[2] credlog, KEYS[3] link, KEYS[4] state   the unit's keys (see unitSignals)
    KEYS[5] entries   the building's face entries, where the link is kept (see faceEntries)
    KEYS[6] floor     the unit's floor counters (see floorDays)
    ARGV[1] link day (local day number)
    ARGV[2] person tag: 'k|<pseudonym>' or 'u|<pseudonym>'
    ARGV[3] window, days
    ARGV[4] min credential days
    ARGV[5] min link days
    ARGV[6] TTL, ms
    ARGV[7] min link share
    ARGV[8] unit id
    ARGV[9] recent days
  Output: status (0 linked, 2 the day has left the unit's window), to_day, then the unit's signals
]]
--- @include "idempotency"
--- @include "faceEntries"
--- @include "floorDays"
--- @include "daySets"
--- @include "unitSignals"
local day = tonumber(ARGV[1])
local window_days = tonumber(ARGV[3])
local to_day, stale = unit_window(KEYS[4], day, window_days)
local status = 2
if not stale then
  status = 0
  link_face(KEYS[5], KEYS[3], ARGV[2], day, ARGV[8], day - window_days + 1, tonumber(ARGV[6]), tonumber(ARGV[5]))
end
local signals = unit_signals(
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5],
  { unit = ARGV[8], to_day = to_day, window_days = window_days, min_cred_days = tonumber(ARGV[4]),
    min_link_days = tonumber(ARGV[5]), min_link_share = tonumber(ARGV[7]), recent_days = tonumber(ARGV[9]), floor_key = KEYS[6] })
return reply(status, to_day, signals)
