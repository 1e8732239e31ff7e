--[[
  Erases one person's pseudonym from a building's face state (right to erasure): the faces waiting at its door to
  be linked, and the days they entered it. Idempotent.
  Input:
    KEYS[1..8] doorfaces building ZSET parts "<tsMs>|<k|u>|<person>" (see doorParts)
    KEYS[9] entries     building face entries HASH, field "<k|u>|<person>"
    ARGV[1] person tag ('k|<pseudonym>')
  Output: number of entries removed
]]
local tag = ARGV[1]
local removed = redis.call('HDEL', KEYS[9], tag)
local function drop_from(part_key)
  local members = redis.call('ZRANGE', part_key, 0, -1)
  for i = 1, #members do
    local m = members[i]
    if string.sub(m, -#tag - 1) == '|' .. tag then removed = removed + redis.call('ZREM', part_key, m) end
  end
end
for _, part_key in ipairs({ KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8] }) do
  drop_from(part_key)
end
return removed
