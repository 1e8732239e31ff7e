--[[
  Erases one person's pseudonym from a unit's state (right to erasure): their face links and their credential's
  days of use, enrolments and removals. Idempotent.
  Input:
    KEYS[1] link     unit face links, HASH field "<k|u>|<person>" (see unitSignals)
    KEYS[2] cred     unit credentials by day, HASH field "<credential>"
    KEYS[3] credlog  unit credential log, members "e|<credential>" / "r|<credential>"
    ARGV[1] person tag ('k|<pseudonym>'), '' for none
    ARGV[2] credential pseudonym, '' for none
  Output: number of fields and members removed
]]
local removed = 0
if ARGV[1] ~= '' then removed = removed + redis.call('HDEL', KEYS[1], ARGV[1]) end
if ARGV[2] ~= '' then
  removed = removed + redis.call('HDEL', KEYS[2], ARGV[2]) + redis.call('ZREM', KEYS[3], 'e|' .. ARGV[2], 'r|' .. ARGV[2])
end
return removed
