--[[
  Dead-letters messages dropped over a device's rate limit without flooding the dead-letter stream: counts every
  one of them under `device-flood`, folds them into one open record per device, and appends a device's record to
  the stream once it is `every` ms old (the next batch of that device, or a flush, appends it). A flood of
  thousands a second thus writes one stream entry per device a second, and the capped stream keeps the other dead
  letters. With no subject (ARGV[6] = '') it only appends the records that are due: a flood's last second.
  Input:
    KEYS[1] stream  dead-letter STREAM
    KEYS[2] counts  HASH reason -> count
    KEYS[3] floods  HASH subject -> open record JSON {n, from, fromAt, to, toAt, topic, estate, device, preview,
                    fseq, fid, lseq, lid}
    KEYS[4] once    the marker of this batch's record (see keys.ts, deadLetterOnce): a batch retried after a failure
                    half-way must not count its dropped messages again
    ARGV[1] max stream length (approximate trim)
    ARGV[2] TTL, ms
    ARGV[3] now, epoch ms (wall clock)
    ARGV[4] every: age in ms at which an open record is appended
    ARGV[5] now as ISO 8601 (the `at` of appended entries, and a new record's bounds)
    ARGV[6] subject (estate/device), or '' to flush only
    ARGV[7] this batch's record JSON {n, topic, estate, device, preview, fseq, fid, lseq, lid}
    ARGV[8] how long the record's marker is kept, ms; '' when it has no key (counted every time)
  Output: the number of stream entries appended
]]
local now = tonumber(ARGV[3]) -- epoch ms
local every = tonumber(ARGV[4]) -- ms
local at = ARGV[5]
local subject = ARGV[6]

local function mark(seq, id)
  local parts = {}
  if seq ~= '' then parts[#parts + 1] = 'seq ' .. seq end
  if id ~= '' then parts[#parts + 1] = 'id "' .. id .. '"' end
  if #parts == 0 then return 'no seq or id' end
  return table.concat(parts, ', ')
end

local function append(r)
  local detail = string.format('%d messages over the device\'s rate limit dropped unread between %s and %s; first: %s; last: %s',
    r.n, r.fromAt, r.toAt, mark(r.fseq, r.fid), mark(r.lseq, r.lid))
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'reason', 'device-flood', 'detail', detail,
    'topic', r.topic, 'estate', r.estate, 'device', r.device, 'payload', r.preview, 'at', at, 'count', r.n)
end

local appended = 0
if subject ~= '' and ARGV[8] ~= '' and not redis.call('SET', KEYS[4], '1', 'NX', 'PX', ARGV[8]) then
  subject = '' -- recorded before: only what is due goes out
end
if subject ~= '' then
  local batch = cjson.decode(ARGV[7])
  redis.call('HINCRBY', KEYS[2], 'device-flood', batch.n)
  local raw = redis.call('HGET', KEYS[3], subject)
  local open
  if raw then
    open = cjson.decode(raw)
    open.n = open.n + batch.n
    open.to, open.toAt, open.lseq, open.lid = now, at, batch.lseq, batch.lid
  else
    open = batch
    open.from, open.fromAt, open.to, open.toAt = now, at, now, at
  end
  if now - open.from >= every then
    append(open)
    appended = 1
    redis.call('HDEL', KEYS[3], subject)
  else
    redis.call('HSET', KEYS[3], subject, cjson.encode(open))
  end
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
else
  local all = redis.call('HGETALL', KEYS[3])
  for i = 1, #all, 2 do
    local open = cjson.decode(all[i + 1])
    if now - open.from >= every then
      append(open)
      appended = appended + 1
      redis.call('HDEL', KEYS[3], all[i])
    end
  end
end
if appended > 0 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[2])) end
return appended
