--[[
  first_delivery: records an event id in its device's set of ids seen that day (refreshing the set's TTL) and tells
  whether this is the first delivery of that id. Every state change of a device event starts here, inside the same
  script, so an event's effect and its idempotency record commit together.
]]
local function first_delivery(seen_key, id, ttl)
  local first = redis.call('SADD', seen_key, id) == 1
  redis.call('PEXPIRE', seen_key, ttl)
  return first
end
