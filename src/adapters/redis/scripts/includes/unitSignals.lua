--[[
  unit_signals: trims a unit's window and computes its signals. Shared by every script that changes a unit.
  Input: the unit's keys
    cred_key    HASH credential -> day set (see daySets) of the days it opened the lock
    credlog_key ZSET "e|<credential>" / "r|<credential>" -> newest day it was enrolled / removed
    link_key    HASH "<k|u>|<person>" -> newest day linked: the faces linked to the unit on several days
                (link_index_days; see link_face: their days are in the entries)
    state_key   HASH wd = newest event day; o:<day> / a:<day> / f:<day> / n:<day> = identified / anonymous /
                failed / night-time (23:00–05:00 local) openings
    entries_key building face entries (see faceEntries)
  and p, the parameters
    p.floor_key       the unit's floor counters (see floorDays; include it and daySets before this file)
    p.unit      this unit's id
    p.to_day    last day of the window (local day number)
    p.window_days, p.min_cred_days, p.min_link_days
    p.min_link_share  a face lives here only if linked on at least this share of the days it entered the building,
                      and here on at least as many days as at any other unit: a neighbour or a cleaner who comes in
                      just before this door opens is linked here on a few of their days, and to their own door on most
    p.recent_days     a credential or a face counts only if used or linked within the window's last recent_days days:
                      people who moved out (rectification, end of a visit) stop counting soon, not a window later
  Output: distinct, active, enrolled, removed, known_res, unknown_res, known_linked, unknown_linked (faces linked
          on link_index_days days or more of the window),
          identified, anonymous, failed, night,
          recent_identified, recent_anonymous, floor_stairs_in, floor_openings
  The recent_* and floor_* figures cover the recent_days complete days before to_day: today is still running, and
  traffic compared between units must cover whole days.
]]
local function unit_signals(cred_key, credlog_key, link_key, state_key, entries_key, p)
  local unit, to_day, window_days = p.unit, p.to_day, p.window_days
  local min_cred_days, min_link_days, min_link_share = p.min_cred_days, p.min_link_days, p.min_link_share
  local from_day = to_day - window_days + 1
  local recent_from = to_day - p.recent_days + 1
  redis.call('ZREMRANGEBYSCORE', credlog_key, '-inf', '(' .. from_day)

  -- credentials: days of use and last day of use per credential
  local days, last = {}, {}
  for cred, used in pairs(day_sets_in(cred_key, from_day, to_day)) do
    days[cred] = used.n
    last[cred] = used.last
  end
  -- the newest day a credential was removed: people moving out leave that trace, so faces not seen here since
  -- then no longer count (a family that retires one old card loses its faces for a day, until they come home)
  local enrolled, removed, removed_day, last_removal = 0, 0, {}, -1
  local log = redis.call('ZRANGE', credlog_key, from_day, to_day, 'BYSCORE', 'WITHSCORES')
  for i = 1, #log, 2 do
    local action, cred = string.sub(log[i], 1, 1), string.sub(log[i], 3)
    if action == 'e' then enrolled = enrolled + 1 else
      removed = removed + 1
      removed_day[cred] = tonumber(log[i + 1])
      last_removal = math.max(last_removal, removed_day[cred])
    end
  end
  local distinct, active = 0, 0
  for cred, n in pairs(days) do
    distinct = distinct + 1
    local gone = removed_day[cred]
    if n >= min_cred_days and last[cred] >= recent_from and not (gone and gone >= last[cred]) then
      active = active + 1
    end
  end

  -- faces the unit indexes (see link_face), with their days read from the building's entries
  local code = entry_unit_code(entries_key, unit, false)
  local linked_days = link_index_days(min_link_days)
  local known_res, unknown_res, known_linked, unknown_linked = 0, 0, 0, 0
  local index = redis.call('HGETALL', link_key)
  for i = 1, #index, 2 do
    local person, newest = index[i], tonumber(index[i + 1])
    if not newest then -- a day set, as kept before the index (daySets)
      local days = day_set(index[i + 1])
      newest = days[#days] or from_day - 1
    end
    if newest < from_day then
      redis.call('HDEL', link_key, person)
    else
      local entered, n, last, elsewhere = person_days(entries_key, person, from_day, to_day, unit, code)
      if n >= linked_days then
        -- days after this unit's newest event count too: a person who keeps coming home while this door stays
        -- shut, or whose own door keeps opening, is less and less likely to live here
        local lives_here = n >= min_link_days and last >= recent_from and last > last_removal
          and n >= min_link_share * entered and n >= elsewhere
        if string.sub(person, 1, 1) == 'k' then
          known_linked = known_linked + 1
          if lives_here then known_res = known_res + 1 end
        else
          unknown_linked = unknown_linked + 1
          if lives_here then unknown_res = unknown_res + 1 end
        end
      end
    end
  end

  -- openings per day; counters of days that left the window are deleted here
  local sums = { o = 0, a = 0, f = 0, n = 0 }
  local recent = { o = 0, a = 0, f = 0, n = 0 }
  local complete_from = to_day - p.recent_days
  local state = redis.call('HGETALL', state_key)
  for i = 1, #state, 2 do
    local kind, day = string.match(state[i], '^([oafn]):(-?%d+)$')
    if kind then
      day = tonumber(day)
      if day < from_day then
        redis.call('HDEL', state_key, state[i])
      elseif day <= to_day then
        sums[kind] = sums[kind] + tonumber(state[i + 1])
        if day >= complete_from and day < to_day then recent[kind] = recent[kind] + tonumber(state[i + 1]) end
      end
    end
  end
  local stairs_in, floor_opened = floor_sums(p.floor_key, complete_from, to_day - 1)
  return { distinct, active, enrolled, removed, known_res, unknown_res, known_linked, unknown_linked, sums.o, sums.a, sums.f,
    sums.n, recent.o, recent.a, stairs_in, floor_opened }
end

--[[
  unit_window: the window's last day after an event of `day`, and whether the event is too old to count.
  Output: to_day, stale (true when the event's day has left the unit's window)
]]
local function unit_window(state_key, day, window_days)
  local wd = tonumber(redis.call('HGET', state_key, 'wd') or day)
  local to_day = math.max(wd, day)
  return to_day, day < to_day - window_days + 1
end

--[[
  unit_event_status: the fate of a unit event: 1 a duplicate, 2 outside the unit's window, 0 to be applied; and the
  window's last day. An event outside the window is marked seen too while its lock's window still holds its day, so
  a redelivery is not dead-lettered twice; one older than that is refused again (see first_delivery). The third
  output is the lock's seq run (device_first_delivery in seqGaps), for seq_track.
]]
local function unit_event_status(seen_key, state_key, device_key, hash_hex, seq, day, window_days, ttl)
  local to_day, stale = unit_window(state_key, day, window_days)
  local first, _, run = device_first_delivery(device_key, seen_key, hash_hex, seq, day, window_days, ttl)
  if first == false then return 1, to_day, run end
  if first == nil or stale then return 2, to_day, run end
  return 0, to_day, run
end

--[[ Returns the script's reply: status (0 counted, 1 duplicate, 2 outside the window), to_day, then the signals. ]]
local function reply(status, to_day, signals)
  local out = { status, to_day }
  for i = 1, #signals do out[#out + 1] = signals[i] end
  return out
end
