--[[
  Raises each device's newest event time (never lowers it, so late and redelivered events change nothing): one call
  per estate and batch, however many events the batch holds.
  Input:
    KEYS[1] seen   ZSET device -> newest event time of the device, epoch ms
    ARGV[1] TTL, ms (the estate's devices are forgotten once none of them has been heard for this long)
    ARGV[2], ARGV[3], ... pairs of event time (epoch ms) and device id
  Output: the number of devices whose newest event time moved
]]
local changed = redis.call('ZADD', KEYS[1], 'GT', 'CH', unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return changed
