--[[
  Records a device's status (retained on the broker, so it arrives again on every reconnect: no idempotency key).
  An offline status keeps the time its run of offline statuses began, so a will delivered again on a reconnect does
  not move it.
  Input:
    KEYS[1] status  HASH of this device
    ARGV[1] 1 online, 0 offline
    ARGV[2] device's ts (epoch ms) or ''
    ARGV[3] firmware or ''
    ARGV[4] gateway time of arrival, epoch ms
    ARGV[5] TTL, ms
    ARGV[6] the time an offline status takes effect, epoch ms (see device-store.ts)
  Output: { 1 online / 0 offline, offline since (epoch ms) or '' }
]]
local offline = ARGV[1] == '0'
local since = redis.call('HGET', KEYS[1], 'offlineSince')
if not offline then
  since = ''
elseif not since or since == '' or redis.call('HGET', KEYS[1], 'online') ~= '0' then
  since = ARGV[6]
end
redis.call('HSET', KEYS[1], 'online', ARGV[1], 'ts', ARGV[2], 'firmware', ARGV[3], 'receivedAt', ARGV[4],
  'offlineSince', since)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return { tonumber(ARGV[1]), since }
