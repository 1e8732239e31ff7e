--[[
  Appends a rejected message to the dead-letter stream and counts it under its reason.
  Input:
    KEYS[1] stream  dead-letter STREAM
    KEYS[2] counts  HASH reason -> count
    ARGV[1] max stream length (approximate trim)
    ARGV[2] TTL, ms
    ARGV[3..] field, value pairs; ARGV[4] is the reason
  Output: the stream entry id
]]
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local entry = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
return entry
