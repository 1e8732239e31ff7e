--[[
  Erases one person's pseudonym from a building's face state (right to erasure): the faces waiting at its door to
  be linked, and the days they entered it. Idempotent.
  Input:
    KEYS[1] doorfaces building ZSET "<tsMs>|<k|u>|<person>"
    KEYS[2] entries   building face entries HASH, field "<k|u>|<person>"
    ARGV[1] person tag ('k|<pseudonym>')
  Output: number of entries removed
]]
local tag = ARGV[1]
local removed = redis.call('HDEL', KEYS[2], tag)
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
for i = 1, #members do
  local m = members[i]
  if string.sub(m, -#tag - 1) == '|' .. tag then removed = removed + redis.call('ZREM', KEYS[1], m) end
end
return removed
