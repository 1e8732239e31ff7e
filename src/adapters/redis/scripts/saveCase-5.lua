--[[
  Writes a case if nobody changed it since it was read (compare-and-set on its version), and appends the change to
  the control-room feed — and, for what the police may see, to the police feed — in the same atomic step.
  Input:
    KEYS[1] case     HASH json, ver
    KEYS[2] unit     STRING id of the unit's newest case
    KEYS[3] index    ZSET case id -> time of its newest change, ms
    KEYS[4] stream   the control-room feed (shared with alert changes)
    KEYS[5] police   the police feed
    ARGV[1] case id
    ARGV[2] version the change was computed from (0 for a new case)
    ARGV[3] case JSON at its new version
    ARGV[4] new version
    ARGV[5] time of the change, epoch ms
    ARGV[6] change: 'opened', 'transition', 'escalated', 'relapsed', 'linked'
    ARGV[7] retention, ms
    ARGV[8] max length of each feed (approximate trim)
    ARGV[9] police entry JSON, '' when the change is not for the police
    ARGV[10] for a new case: the id of the unit's newest case it was decided against ('' for none), so two
             instances deciding on the same unit at once cannot both open a case; '*' for any other change
  Output: { 'ok', control-room stream id, police stream id or '' } or { 'conflict', current version }
]]
local current = tonumber(redis.call('HGET', KEYS[1], 'ver') or '0')
if current ~= tonumber(ARGV[2]) then return { 'conflict', tostring(current) } end
if ARGV[10] ~= '*' and (redis.call('GET', KEYS[2]) or '') ~= ARGV[10] then return { 'conflict', 'unit' } end
local retention = tonumber(ARGV[7])
redis.call('HSET', KEYS[1], 'json', ARGV[3], 'ver', ARGV[4])
redis.call('PEXPIRE', KEYS[1], retention)
redis.call('SET', KEYS[2], ARGV[1], 'PX', retention)
redis.call('ZADD', KEYS[3], tonumber(ARGV[5]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (tonumber(ARGV[5]) - retention))
redis.call('PEXPIRE', KEYS[3], retention)
local id = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[8], '*', 'type', 'case', 'change', ARGV[6], 'case', ARGV[3])
redis.call('PEXPIRE', KEYS[4], retention)
local police = ''
if ARGV[9] ~= '' then
  police = redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[8], '*', 'entry', ARGV[9])
  redis.call('PEXPIRE', KEYS[5], retention)
end
return { 'ok', id, police }
