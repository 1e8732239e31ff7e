--[[
  Records a device's status (retained on the broker, so it arrives again on every reconnect: no idempotency key).
  Input:
    KEYS[1] status  HASH of this device
    ARGV[1] 1 online, 0 offline
    ARGV[2] device's ts (epoch ms) or ''
    ARGV[3] firmware or ''
    ARGV[4] gateway time of arrival, epoch ms
    ARGV[5] TTL, ms
  Output: 1
]]
redis.call('HSET', KEYS[1], 'online', ARGV[1], 'ts', ARGV[2], 'firmware', ARGV[3], 'receivedAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return 1
