--[[
  Raises each device's newest event time (never lowers it, so late and redelivered events change nothing): one call
  per estate and batch, however many events the batch holds. Returns which of the devices heard are suspects (their
  device-offline alert may be open), read in the same step: whichever instance hears a suspect decides it again,
  not only the one that raised its alert.
  Input:
    KEYS[1] seen      ZSET device -> newest event time of the device, epoch ms
    KEYS[2] suspects  ZSET device -> when it became a suspect, epoch ms
    ARGV[1] TTL, ms (the estate's devices are forgotten once none of them has been heard for this long)
    ARGV[2], ARGV[3], ... pairs of event time (epoch ms) and device id
  Output: the ids of the devices heard that are suspects
]]
redis.call('ZADD', KEYS[1], 'GT', unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
local heard = {}
for i = 3, #ARGV, 2 do heard[#heard + 1] = ARGV[i] end
local scores = redis.call('ZMSCORE', KEYS[2], unpack(heard))
local suspects = {}
for i = 1, #heard do
  if scores[i] then suspects[#suspects + 1] = heard[i] end
end
return suspects
