--[[
  Appends a rejected message to the dead-letter stream and counts it under its reason, once per delivery: a batch
  that failed half-way is retried whole, and its rejections already recorded must not be recorded again.
  Input:
    KEYS[1] stream  dead-letter STREAM
    KEYS[2] counts  HASH reason -> count
    KEYS[3] once    this delivery's marker (see keys.ts, deadLetterOnce)
    ARGV[1] max stream length (approximate trim)
    ARGV[2] TTL, ms
    ARGV[3] how long the delivery's marker is kept, ms; '' when the delivery has no key (recorded every time)
    ARGV[4..] field, value pairs; ARGV[5] is the reason
  Output: the stream entry id, or '' when this delivery was recorded before
]]
if ARGV[3] ~= '' and not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then return '' end
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
local entry = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
redis.call('HINCRBY', KEYS[2], ARGV[5], 1)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
return entry
