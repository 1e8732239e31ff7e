--[[
  Appends a run of audit records and moves the tip to the last of them, but only if the tip is still the one the
  records were computed from (compare-and-set): seq and hashes are computed in Node, where SHA-256 is, and this is
  where appenders are linearised. No PEXPIRE: the audit log outlives the data it audits.
  Fairness: an appender that is refused joins a queue of appenders (ids, oldest first), and while the queue is not
  empty only its head may append. Without it the instance that won last, already knowing the new tip, wins again
  and again and the others starve. A head that does not append within its turn (crashed) is dropped.
  Input:
    KEYS[1] entries  HASH seq -> record JSON
    KEYS[2] tip      HASH seq, hash of the last record; queue, headUntil while appenders wait
    ARGV[1] the tip's seq the records were computed from ('0' for an empty log)
    ARGV[2] the tip's hash the records were computed from ('' for an empty log)
    ARGV[3] appender id (one per gateway instance)
    ARGV[4] now, epoch ms (the appender's clock; only turns are timed with it)
    ARGV[5] length of a turn, ms
    ARGV[6] seq of the last record
    ARGV[7] hash of the last record
    ARGV[8..] the records, JSON (hash included), seq ARGV[1] + 1 onwards
  Output:
    { 1 }                  appended
    { 0, seq, hash }       the tip has moved: the current tip, to compute the records again from at once
    { 2, seq, hash }       another appender's turn: wait a little, then try again
    { -1, seq }            an entry already sits at a new record's seq although the tip is before it: the tip was
                           moved back by hand (tampering), so nothing is overwritten
]]
local expected_seq = ARGV[1]
local expected_hash = ARGV[2]
local appender = ARGV[3]
local now = tonumber(ARGV[4])
local turn_ms = tonumber(ARGV[5])

local tip = redis.call('HMGET', KEYS[2], 'seq', 'hash', 'queue', 'headUntil')
local tip_seq = tip[1] or '0'
local tip_hash = tip[2] or ''
local queue = {}
for id in string.gmatch(tip[3] or '', '%S+') do queue[#queue + 1] = id end
local head_until = tonumber(tip[4] or '0')
local queue_changed = false

local function save_queue()
  if not queue_changed then return end
  if #queue == 0 then
    redis.call('HDEL', KEYS[2], 'queue', 'headUntil')
  else
    redis.call('HSET', KEYS[2], 'queue', table.concat(queue, ' '), 'headUntil', head_until)
  end
end

local function join_queue()
  for _, id in ipairs(queue) do
    if id == appender then return end
  end
  queue[#queue + 1] = appender
  if #queue == 1 then head_until = now + turn_ms end
  queue_changed = true
end

-- a head whose turn lapsed is dropped, one per call; the next head's turn starts now
if #queue > 0 and queue[1] ~= appender and now >= head_until then
  table.remove(queue, 1)
  head_until = now + turn_ms
  queue_changed = true
end

if #queue > 0 and queue[1] ~= appender then
  join_queue()
  save_queue()
  return { 2, tip_seq, tip_hash }
end
if tip_seq ~= expected_seq or tip_hash ~= expected_hash then
  join_queue()
  save_queue()
  return { 0, tip_seq, tip_hash }
end

local first = tonumber(expected_seq) + 1
for i = 8, #ARGV do
  if redis.call('HEXISTS', KEYS[1], first + i - 8) == 1 then return { -1, first + i - 8 } end
end
for i = 8, #ARGV do
  redis.call('HSET', KEYS[1], first + i - 8, ARGV[i])
end
redis.call('HSET', KEYS[2], 'seq', ARGV[6], 'hash', ARGV[7])
if queue[1] == appender then
  -- this appender was the head: its turn is over, the next one's starts
  table.remove(queue, 1)
  head_until = now + turn_ms
  queue_changed = true
end
save_queue()
return { 1 }
