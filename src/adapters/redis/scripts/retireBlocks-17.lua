--[[
  Retires a device's idempotency blocks whose newest day has left the window of the device's newest event (see
  idempotency and seqGaps): oldest first, from the lowest block not yet retired, stopping at the first block still
  in the window and before the current run's newest block. The store calls it once a device's event day moves on,
  so Redis keeps a window of blocks by event time even when event time runs ahead of the clock that TTLs follow (a
  replay, a backfill, a device emptying its offline buffer). A block that is kept stops the retirement of those
  after it until it leaves the window too.
  Input:
    KEYS[1]      device the device's status HASH, whose field `seq` is its seq state (see seqGaps)
    KEYS[2..17]  the device's blocks live_from .. live_from + 15, live_from as the caller read it
    ARGV[1] live_from as the caller read it
    ARGV[2] window, days
  Output: { live_from now, 1 when the caller should call again from there, else 0 }; { -1, 0 } for a device
          without the state (nothing recorded yet, or written before the state kept its blocks)
]]
--- @include "idempotency"
--- @include "seqGaps"
local RETIRE_SPAN = 16
if #KEYS ~= 17 then return redis.error_reply('retireBlocks: 17 keys, the device and 16 blocks') end
local f = seq_run(KEYS[1])
local newest_day, live_from = f and f[9], f and f[10]
if not newest_day or not live_from then return { -1, 0 } end
-- another instance retired meanwhile: its keys are not the ones declared here
if live_from ~= tonumber(ARGV[1]) then return { live_from, 1 } end
local current = math.floor(f[2] / IDEM_BLOCK)
local from_day = newest_day - tonumber(ARGV[2]) + 1
local i = 0
while i < RETIRE_SPAN and live_from < current do
  local block_at = 2 + i
  local head = redis.call('GETRANGE', KEYS[block_at], 0, 3)
  if #head == 4 and idem_u32(head, 1) - IDEM_DAY_BIAS >= from_day then break end
  redis.call('DEL', KEYS[block_at]) -- absent already when the device skipped a whole block of seq numbers
  live_from = live_from + 1
  i = i + 1
end
if i > 0 then
  f[10] = live_from
  redis.call('HSET', KEYS[1], 'seq', table.concat(f, ' '))
end
return { live_from, (i == RETIRE_SPAN and live_from < current) and 1 or 0 }
