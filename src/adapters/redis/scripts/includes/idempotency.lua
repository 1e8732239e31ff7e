--[[
  Idempotency: which events of a device have been counted, kept per block of SEQ_BLOCK consecutive `seq` numbers
  (see idempotency.ts for the hash and the collision bound).

  A block is one STRING; an event written into a slot inside it is written in place with SETRANGE:
    bytes 0..3     the newest event day in the block + 2^31 (32-bit big-endian)
    bytes 4..1011  one 6-byte slot per seq of the block (seq mod SEQ_BLOCK): the first 48 bits of its event's hash,
                   zeros while the seq has not been seen
    bytes 1012..   overflow, 6 bytes each: events whose slot already held another event. A seq is used twice only
                   after a factory reset (seq starts again at 0) or by a device breaking the contract; those events
                   are still counted exactly once.
  An event is looked up in the whole block, not only in its slot: a device that resends an event under another
  seq (a contract breach, but the contract's idempotency key is the id) is still recognised within the block.
  Six bytes an event, where day sections of 8-byte hashes cost eight plus headers and the whole bucket was
  rewritten on every event.

  A block forgets nothing until it goes as a whole: retired (retireBlocks) once its newest day has left the window
  of the device's newest event, or expired a TTL after its last write, whichever comes first. The window is kept in
  event time all the same, by the device's newest day and the block's own: an event older than either window is
  refused, so an event of a retired block is never taken for a first delivery.

  first_delivery(seen_key, hash_hex, seq, day, window_days, ttl, device_from): true when this is the event's first
  delivery (now recorded), false for a duplicate, nil when the event's day lies before the window (unknown, and not
  to be counted; the window's first day comes second). device_from is the first day of the device's window
  (device_window_from in seqGaps), nil before its first event. Every state change of a device event starts here,
  inside the same script, so an event's effect and its record commit together.
]]
local IDEM_BLOCK = 168
local IDEM_DAY_BIAS = 2147483648
local IDEM_FP = 6
local IDEM_EMPTY = string.rep('\0', IDEM_FP)
local IDEM_OVERFLOW = 4 + IDEM_FP * IDEM_BLOCK

local function idem_u32(s, i)
  local a, b, c, d = string.byte(s, i, i + 3)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

local function idem_be32(n)
  return string.char(math.floor(n / 16777216) % 256, math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
end

-- whether `fp` is one of the block's 6-byte records (slots and overflow, aligned from byte 4)
local function idem_holds(s, fp)
  local i = 5
  while true do
    local at = string.find(s, fp, i, true)
    if not at then return false end
    if (at - 5) % IDEM_FP == 0 then return true end
    i = at + 1
  end
end

local function first_delivery(seen_key, hash_hex, seq, day, window_days, ttl, device_from)
  if device_from and day < device_from then return nil, device_from end
  local fp = string.gsub(string.sub(hash_hex, 1, 2 * IDEM_FP), '%x%x', function(xx)
    return string.char(tonumber(xx, 16))
  end)
  if fp == IDEM_EMPTY then fp = string.sub(IDEM_EMPTY, 2) .. '\1' end -- zeros mark an empty slot
  local s = redis.call('GET', seen_key) or ''
  local block_newest = #s >= 4 and idem_u32(s, 1) - IDEM_DAY_BIAS or nil
  if block_newest and day < block_newest - window_days + 1 then return nil, block_newest - window_days + 1 end
  if idem_holds(s, fp) then return false end

  local slot = 4 + IDEM_FP * (seq % IDEM_BLOCK)
  local held = string.sub(s, slot + 1, slot + IDEM_FP)
  local at = (#held == IDEM_FP and held ~= IDEM_EMPTY) and math.max(#s, IDEM_OVERFLOW) or slot
  local newest = math.max(block_newest or day, day)
  if at + IDEM_FP > #s then
    -- growing: written whole, since SETRANGE past the end would leave the string up to twice its size allocated
    local body = string.sub(s, 5)
    body = body .. string.rep('\0', at - 4 - #body) .. fp
    redis.call('SET', seen_key, idem_be32(newest + IDEM_DAY_BIAS) .. body, 'PX', ttl)
    return true
  end
  redis.call('SETRANGE', seen_key, at, fp)
  if newest ~= block_newest then redis.call('SETRANGE', seen_key, 0, idem_be32(newest + IDEM_DAY_BIAS)) end
  redis.call('PEXPIRE', seen_key, ttl)
  return true
end
