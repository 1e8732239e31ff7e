--[[
  One request against a subject's rate budget: GCRA (generic cell rate algorithm), a token bucket kept as a single
  number, the theoretical arrival time (TAT) of the next request. Every gateway instance calls it on the same key,
  so they share one budget.
  Input:
    KEYS[1] the subject's STRING: TAT, epoch ms (expires when the bucket is full again)
    ARGV[1] now, epoch ms
    ARGV[2] emission interval, ms per request (60000 / requests per minute)
    ARGV[3] burst, requests allowed at once
    ARGV[4] mode: take (count the request if allowed), peek (count nothing), charge (count it even when over)
  Output:
    { allowed 1|0, retry after ms (0 when allowed), requests left after this one }
]]
local now = tonumber(ARGV[1]) -- epoch ms
local interval = tonumber(ARGV[2]) -- ms per request
local burst = tonumber(ARGV[3]) -- requests
local mode = ARGV[4]

local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end -- an idle subject's bucket is full, not fuller
local nextTat = tat + interval -- where the TAT moves if this request counts
local allowAt = nextTat - burst * interval -- earliest time this request fits in the bucket
local allowed = now >= allowAt

if mode == 'charge' or (mode == 'take' and allowed) then
  redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now))
end
if allowed then
  return { 1, 0, math.floor((now - allowAt) / interval) }
end
return { 0, math.ceil(allowAt - now), 0 }
