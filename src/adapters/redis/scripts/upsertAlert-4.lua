--[[
  Keeps the one alert of a kind about a subject: raises it, refreshes it, or clears it, and appends every change
  to the alert stream in the same atomic step, so the stream never misses or invents a change. With hysteresis, a
  condition must hold on `confirm` distinct days before the alert opens (the days are remembered in `pending`), and
  an open alert clears only once the condition has been away for `hold` days (remembered in `quiet`).
  Input:
    KEYS[1] alert   HASH n, status, first, last, occ, fp, draft, ver, cleared, pending, pfirst, quiet
    KEYS[2] stream  STREAM of alert changes (the feed clients resume from)
    KEYS[3] index   ZSET slot -> newest event time (for listing)
    KEYS[4] police  STREAM of the police liaison feed
    ARGV[1] action: 'raise' or 'clear'
    ARGV[2] slot (estate.subject.kind)
    ARGV[3] draft, encoded (draft-codec.ts; raise only)
    ARGV[4] fingerprint: a raise whose fingerprint equals the stored one is a repeat, not an occurrence
    ARGV[5] event time, epoch ms
    ARGV[6] retention of alerts and of the stream, ms
    ARGV[7] max stream length (approximate trim)
    ARGV[8] local day the decision speaks for, '' for no hysteresis
    ARGV[9] confirm: distinct days the condition must hold before the alert opens (1: at once)
    ARGV[10] hold: days the condition must stay away before an open alert clears (0: at once)
    ARGV[11] 1 when a raise holds only at the lower watch level: it keeps an open alert open or re-opens one cleared
             less than ARGV[12] ms ago (relapse watch), and otherwise counts as the condition being away
    ARGV[12] watch window after a clear, ms
    ARGV[13] police feed entry JSON, appended when this decision raises or clears the alert; '' for none
  Output: { change ('raised' | 'updated' | 'cleared' | 'none'), stream id or '', n, status, first, last, occ, ver,
            cleared, draft }
]]
local action = ARGV[1]
local slot = ARGV[2]
local ts = tonumber(ARGV[5]) -- event time, epoch ms
local retention = tonumber(ARGV[6])
local day = tonumber(ARGV[8]) -- nil without hysteresis
local confirm = tonumber(ARGV[9])
local hold = tonumber(ARGV[10])

local a, before = {}, {}
local raw = redis.call('HGETALL', KEYS[1])
for i = 1, #raw, 2 do
  a[raw[i]] = raw[i + 1]
  before[raw[i]] = raw[i + 1]
end
local open = a.status == 'open'
local change = 'none'
if action == 'raise' and ARGV[11] == '1' and not open then
  local cleared = tonumber(a.cleared or '')
  if not (cleared and ts - cleared <= tonumber(ARGV[12])) then action = 'clear' end
end
local first_ts = ts

if action == 'raise' then
  a.quiet = ''
  if not open then
    -- the condition holds: open the alert once it has held on `confirm` distinct days
    local pending = tonumber(a.pending or '')
    if day and pending == nil then
      a.pending, a.pfirst, pending = tostring(day), tostring(ts), day
    end
    if day == nil or day - pending + 1 >= confirm then
      change = 'raised'
      if day then first_ts = math.min(ts, tonumber(a.pfirst) or ts) end
      a.n = tostring((tonumber(a.n) or 0) + 1)
      a.status, a.first, a.last, a.occ, a.cleared = 'open', tostring(first_ts), tostring(ts), '1', ''
      a.fp, a.draft, a.pending, a.pfirst = ARGV[4], ARGV[3], '', ''
    end
  else
    if ts < tonumber(a.first) then a.first = tostring(ts) end
    if ts > tonumber(a.last) then a.last = tostring(ts) end
    if a.fp ~= ARGV[4] then
      change = 'updated'
      a.occ = tostring(tonumber(a.occ) + 1)
      a.fp, a.draft = ARGV[4], ARGV[3]
    end
  end
elseif action == 'clear' then
  a.pending, a.pfirst = '', ''
  if open then
    local quiet = tonumber(a.quiet or '')
    if day and quiet == nil then a.quiet, quiet = tostring(day), day end
    if day == nil or day - quiet >= hold then
      change = 'cleared'
      a.status, a.cleared, a.quiet = 'cleared', tostring(math.max(ts, tonumber(a.last))), ''
    end
  end
end

-- writes only what changed, so a unit that never had an alert costs no key at all
local function save()
  local fields = {}
  for k, v in pairs(a) do
    if v ~= (before[k] or '') then
      fields[#fields + 1] = k
      fields[#fields + 1] = v
    end
  end
  if #fields > 0 then
    redis.call('HSET', KEYS[1], unpack(fields))
    redis.call('PEXPIRE', KEYS[1], retention)
  end
end

-- an empty field is not stored (see save), so read every field through this
local function f(k) return a[k] or '' end

if change == 'none' then
  save()
  return { 'none', '', f('n'), f('status'), f('first'), f('last'), f('occ'), f('ver'), f('cleared'), f('draft') }
end

a.ver = tostring((tonumber(a.ver) or 0) + 1)
save()
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'change', change, 'slot', slot, 'n', f('n'),
  'status', f('status'), 'first', f('first'), 'last', f('last'), 'occ', f('occ'), 'ver', f('ver'),
  'cleared', f('cleared'), 'draft', f('draft'))
redis.call('ZADD', KEYS[3], tonumber(a.last), slot)
for i = 2, 3 do redis.call('PEXPIRE', KEYS[i], retention) end
if ARGV[13] ~= '' and change ~= 'updated' then
  redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[7], '*', 'entry', ARGV[13])
  redis.call('PEXPIRE', KEYS[4], retention)
end
return { change, id, f('n'), f('status'), f('first'), f('last'), f('occ'), f('ver'), f('cleared'), f('draft') }
