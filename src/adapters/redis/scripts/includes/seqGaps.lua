--[[
  Lost events of a device, from the gaps in its `seq` (contract: +1 per event, 0 again after a factory reset).
  Called only for an event's first delivery, after first_delivery, so a redelivery never counts twice.

  One field `seq` of the device's status HASH (a key of its own cost more than the state: Redis keeps about 100
  bytes a key), "lo hi hi_ts n past resets prev_hi start_ts newest_day live_from": the lowest and highest seq of the current
  run (since the newest factory reset), the event time of the highest, the distinct events of the run that arrived,
  the events lost in earlier runs, the resets seen, the highest seq of the run before and the event time that
  started the current run. The run's lost events are hi - lo + 1 - n: a minimum, a maximum and a count do not
  depend on arrival order, so shuffled or duplicated deliveries give the same count as ordered ones, and a late
  event fills the gap it was counted in.

  A new run (a factory reset) starts at a seq no higher than hi when its event is later than the highest seq's
  (the counter went back while time went on), or when that seq was already seen (hi itself, or a seq in [lo, hi]
  with no gap outstanding). After a reset, an event older than the run's start belongs to the run before: at or
  below that run's highest seq it fills a gap counted there, above it nothing was counted.

  Two more fields serve the device's idempotency blocks (see idempotency): the newest event day of the device, whose
  window every event must fall in (device_window_from), and the lowest block not yet retired (retireBlocks). A new
  run starts them again from its own block: the blocks of the run before are left to their TTL.

  seq_run(device_key): the fields of the device's seq run as numbers, nil before its first event. An event script
  reads it once, through device_first_delivery, and hands it on to seq_track.
  seq_track: records event `seq` of local day `day` at time `ts` (ms) over `run`, in the status HASH `device_key`,
  which then lives at least `ttl` ms (a status keeps it longer: see device-store.ts).
]]
-- a jump further than this is a corrupted counter, not a million lost events: it starts a new run too
local SEQ_MAX_JUMP = 1048576

local function seq_run(device_key)
  local s = redis.call('HGET', device_key, 'seq')
  if not s then return nil end
  local f = {}
  for v in string.gmatch(s, '%S+') do f[#f + 1] = tonumber(v) end
  return f
end

local function seq_track(device_key, run, seq, ts, ttl, day)
  local lo, hi, hi_ts, n, past, resets, prev_hi, start_ts = seq, seq, ts, 1, 0, 0, -1, ts
  local block = math.floor(seq / IDEM_BLOCK)
  local newest_day, live_from = day, block
  if run then
    local f = run
    lo, hi, hi_ts, n, past, resets, prev_hi, start_ts = f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]
    -- states written before these fields existed start them here
    newest_day, live_from = math.max(f[9] or day, day), f[10] or block
    local gap = hi - lo + 1 - n
    if resets > 0 and ts < start_ts then
      if seq <= prev_hi and past > 0 then past = past - 1 end
    elseif seq > hi and seq - hi <= SEQ_MAX_JUMP then
      hi, hi_ts, n = seq, ts, n + 1
    elseif seq > hi or ts > hi_ts or seq == hi or (seq >= lo and gap <= 0) then
      past, resets, prev_hi = past + math.max(gap, 0), resets + 1, hi
      lo, hi, hi_ts, n, start_ts = seq, seq, ts, 1, ts
      live_from = block
    else
      if seq < lo then lo = seq end
      n = n + 1
    end
  end
  redis.call('HSET', device_key, 'seq',
    table.concat({ lo, hi, hi_ts, n, past, resets, prev_hi, start_ts, newest_day, live_from }, ' '))
  -- never shortened: the status recorded in the same HASH lives longer (PTTL is -1 for a HASH just made)
  if redis.call('PTTL', device_key) < ttl then redis.call('PEXPIRE', device_key, ttl) end
end

--[[ device_window_from: the first day of the window of the device's newest event (`run` as seq_run read it), nil
before its first event. ]]
local function device_window_from(run, window_days)
  local newest = run and run[9]
  return newest and newest - window_days + 1 or nil
end

--[[
  device_first_delivery: first_delivery (idempotency; include it before this file) within the window of the device's
  newest event. The device's seq run is read once and returned, for seq_track.
  Output: first (true, false or nil, as first_delivery), the window's first day when nil, the seq run
]]
local function device_first_delivery(device_key, seen_key, hash_hex, seq, day, window_days, ttl)
  local run = seq_run(device_key)
  local first, from_day = first_delivery(seen_key, hash_hex, seq, day, window_days, ttl,
    device_window_from(run, window_days))
  return first, from_day, run
end
