--[[
  Adds one stairwell counting period to a floor's daily totals.
  Input:
    KEYS[1] seen    SET of event ids of this device on this day
    KEYS[2] floor   HASH "<day>|in" / "<day>|out" -> people
    ARGV[1] event id
    ARGV[2] event day (local day number)
    ARGV[3] people in
    ARGV[4] people out
    ARGV[5] window, days
    ARGV[6] TTL, ms
  Output: status (0 counted, 1 duplicate)
]]
--- @include "idempotency"
local id = ARGV[1]
local day = tonumber(ARGV[2])
local ttl = tonumber(ARGV[6])
if not first_delivery(KEYS[1], id, ttl) then return { 1 } end
if redis.call('HINCRBY', KEYS[2], day .. '|in', tonumber(ARGV[3])) == tonumber(ARGV[3]) then
  local fields = redis.call('HKEYS', KEYS[2])
  for i = 1, #fields do
    local d = tonumber(string.match(fields[i], '^(-?%d+)|'))
    if d and d <= day - tonumber(ARGV[5]) then redis.call('HDEL', KEYS[2], fields[i]) end
  end
end
redis.call('HINCRBY', KEYS[2], day .. '|out', tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[2], ttl)
return { 0 }
