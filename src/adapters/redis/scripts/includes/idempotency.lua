--[[
  Idempotency: the ids of a device's events, as 64-bit hashes of (device, id) (see idempotency.ts for the collision
  bound), in STRING buckets of one block of SEQ_BLOCK consecutive `seq` numbers each, so a bucket read and rewritten
  per event stays small however busy the device is.
  A bucket is a run of day sections, oldest first: an 8-byte header (day + 2^31 and the count of hashes, both 32-bit
  big-endian), then that many 8-byte hashes. Eight bytes an event and one key per block, where a SET of id strings
  per device and day cost some sixty bytes an event and a key a day.
  The bucket forgets the days before its newest day's window as soon as it is written, in event time; a block that
  is no longer written expires with its TTL. An event older than its block's window is neither looked up nor
  recorded: it is outside the window of its device (a lock event is also held to its unit's window, which is the
  stricter one).

  first_delivery: true when this is the event's first delivery (now recorded, the key's TTL refreshed), false for a
  duplicate, nil when the event's day lies before its block's window (unknown, and not to be counted; the window's
  first day comes second). Every state change of a device event starts here, inside the same script, so an event's
  effect and its record commit together.
]]
local IDEM_DAY_BIAS = 2147483648

local function idem_u32(s, i)
  local a, b, c, d = string.byte(s, i, i + 3)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

local function idem_be32(n)
  return string.char(math.floor(n / 16777216) % 256, math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
end

-- whether the 8-byte `h` is one of the hashes in s[from .. stop] (a section's hashes, 8-byte aligned from `from`)
local function idem_holds(s, h, from, stop)
  local i = from
  while true do
    local at = string.find(s, h, i, true)
    if not at or at + 7 > stop then return false end
    if (at - from) % 8 == 0 then return true end
    i = at + 1
  end
end

local function first_delivery(seen_key, hash_hex, day, window_days, ttl)
  local h = string.gsub(hash_hex, '%x%x', function(xx) return string.char(tonumber(xx, 16)) end)
  local s = redis.call('GET', seen_key) or ''
  local sections, newest, pos = {}, day, 1
  while pos <= #s do
    local d, n = idem_u32(s, pos) - IDEM_DAY_BIAS, idem_u32(s, pos + 4)
    sections[#sections + 1] = { day = d, from = pos, stop = pos + 8 + 8 * n - 1, n = n }
    if d > newest then newest = d end
    pos = pos + 8 + 8 * n
  end
  local horizon = newest - window_days + 1
  if day < horizon then return nil, horizon end
  for _, sec in ipairs(sections) do
    if sec.day == day and idem_holds(s, h, sec.from + 8, sec.stop) then return false end
  end
  -- rewrite the bucket: days before the window go, the event joins its day's section (new sections in day order)
  local parts, placed = {}, false
  for _, sec in ipairs(sections) do
    if sec.day >= horizon then
      if not placed and sec.day > day then
        parts[#parts + 1] = idem_be32(day + IDEM_DAY_BIAS) .. idem_be32(1) .. h
        placed = true
      end
      if sec.day == day then
        parts[#parts + 1] = idem_be32(day + IDEM_DAY_BIAS) .. idem_be32(sec.n + 1) .. string.sub(s, sec.from + 8, sec.stop) .. h
        placed = true
      else
        parts[#parts + 1] = string.sub(s, sec.from, sec.stop)
      end
    end
  end
  if not placed then parts[#parts + 1] = idem_be32(day + IDEM_DAY_BIAS) .. idem_be32(1) .. h end
  redis.call('SET', seen_key, table.concat(parts), 'PX', ttl)
  return true
end
