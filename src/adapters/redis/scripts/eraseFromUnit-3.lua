--[[
  Erases one person's pseudonym from a unit's state (right to erasure): their face links and their credential's
  days of use, enrolments and removals. Idempotent.
  Input:
    KEYS[1] link     unit face links, members "<day>|<k|u>|<person>"
    KEYS[2] cred     unit credentials by day, members "<day>|<credential>"
    KEYS[3] credlog  unit credential log, members "e|<credential>" / "r|<credential>"
    ARGV[1] person tag ('k|<pseudonym>'), '' for none
    ARGV[2] credential pseudonym, '' for none
  Output: number of entries removed
]]
local removed = 0
local function drop_suffix(zset_key, suffix)
  if suffix == '' then return end
  local members = redis.call('ZRANGE', zset_key, 0, -1)
  for i = 1, #members do
    local m = members[i]
    if string.sub(m, -#suffix - 1) == '|' .. suffix then removed = removed + redis.call('ZREM', zset_key, m) end
  end
end
drop_suffix(KEYS[1], ARGV[1])
drop_suffix(KEYS[2], ARGV[2])
if ARGV[2] ~= '' then removed = removed + redis.call('ZREM', KEYS[3], 'e|' .. ARGV[2], 'r|' .. ARGV[2]) end
return removed
