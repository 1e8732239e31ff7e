--[[
  Keeps the one alert of a kind about a subject: raises it, refreshes it, or clears it, and appends every change
  to the alert stream in the same atomic step, so the stream never misses or invents a change.
  Input:
    KEYS[1] alert   HASH n, status, first, last, occ, fp, draft, ver, cleared
    KEYS[2] stream  STREAM of alert changes (the feed clients resume from)
    KEYS[3] index   ZSET slot -> newest event time (for listing)
    ARGV[1] action: 'raise' or 'clear'
    ARGV[2] slot (estate.subject.kind)
    ARGV[3] draft JSON (raise only)
    ARGV[4] fingerprint: a raise whose fingerprint equals the stored one is a repeat, not an occurrence
    ARGV[5] event time, epoch ms
    ARGV[6] retention of alerts and of the stream, ms
    ARGV[7] max stream length (approximate trim)
  Output: { change ('raised' | 'updated' | 'cleared' | 'none'), stream id or '', n, status, first, last, occ, ver,
            cleared, draft }
]]
local action = ARGV[1]
local slot = ARGV[2]
local ts = tonumber(ARGV[5]) -- event time, epoch ms
local retention = tonumber(ARGV[6])

local a = {}
local raw = redis.call('HGETALL', KEYS[1])
for i = 1, #raw, 2 do a[raw[i]] = raw[i + 1] end
local open = a.status == 'open'
local change = 'none'

if action == 'raise' then
  if not open then
    change = 'raised'
    a.n = tostring((tonumber(a.n) or 0) + 1)
    a.status, a.first, a.last, a.occ, a.cleared = 'open', tostring(ts), tostring(ts), '1', ''
    a.fp, a.draft = ARGV[4], ARGV[3]
  else
    if ts < tonumber(a.first) then a.first = tostring(ts) end
    if ts > tonumber(a.last) then a.last = tostring(ts) end
    if a.fp ~= ARGV[4] then
      change = 'updated'
      a.occ = tostring(tonumber(a.occ) + 1)
      a.fp, a.draft = ARGV[4], ARGV[3]
    end
  end
elseif action == 'clear' and open then
  change = 'cleared'
  a.status, a.cleared = 'cleared', tostring(math.max(ts, tonumber(a.last)))
end

if change == 'none' then
  if open then redis.call('HSET', KEYS[1], 'first', a.first, 'last', a.last) end
  return { 'none', '', a.n or '0', a.status or '', a.first or '', a.last or '', a.occ or '', a.ver or '', a.cleared or '', a.draft or '' }
end

a.ver = tostring((tonumber(a.ver) or 0) + 1)
redis.call('HSET', KEYS[1], 'n', a.n, 'status', a.status, 'first', a.first, 'last', a.last, 'occ', a.occ,
  'fp', a.fp, 'draft', a.draft, 'ver', a.ver, 'cleared', a.cleared)
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'change', change, 'slot', slot, 'n', a.n,
  'status', a.status, 'first', a.first, 'last', a.last, 'occ', a.occ, 'ver', a.ver, 'cleared', a.cleared,
  'draft', a.draft)
redis.call('ZADD', KEYS[3], tonumber(a.last), slot)
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], retention) end
return { change, id, a.n, a.status, a.first, a.last, a.occ, a.ver, a.cleared, a.draft }
