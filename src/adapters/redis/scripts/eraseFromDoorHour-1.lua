--[[
  Erases one person's pseudonym from one of a building's door hours (right to erasure): the faces waiting at its
  door to be linked. Idempotent.
  Input:
    KEYS[1] door  one door hour of the building, ZSET with faces "f<tsMs>|<k|u>|<person>" (see keys.ts)
    ARGV[1] person tag ('k|<pseudonym>')
  Output: number of members removed
]]
local tag = ARGV[1]
local removed = 0
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
for i = 1, #members do
  local m = members[i]
  if string.byte(m, 1) == 102 and string.sub(m, -#tag - 1) == '|' .. tag then
    removed = removed + redis.call('ZREM', KEYS[1], m)
  end
end
return removed
