-- Write mix on the bench org: add a member, change its role, remove it, round robin.
-- Each wrk thread owns its own slice of the user pool; the role change and the removal trail
-- the addition by LAG groups (far more than the requests in flight per thread), so each acts
-- on a user whose addition has completed. The first LAG groups read GET /api/org instead.
-- Arguments (after --): token, first user id of this run's pool, pool size per thread.
local LAG = 200
local counter, base, pool = 0, 0, 0
local nextThread = 0

function setup(thread)
  thread:set("tid", nextThread)
  nextThread = nextThread + 1
end

function init(args)
  pool = tonumber(args[3])
  base = tonumber(args[2]) + tid * pool
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
end

-- wrk calls request() once on the first thread's script to check it, and drops that request:
-- each thread's first request is therefore a read, so no addition is lost (its role change would
-- then be a 404).
local primed = false
function request()
  if not primed then
    primed = true
    return wrk.format("GET", "/api/org")
  end
  local op, g = counter % 3, math.floor(counter / 3)
  counter = counter + 1
  if op == 0 then
    return wrk.format("POST", "/api/org/users", nil, '{"loginOrEmail":"seed' .. (base + g % pool) .. '","role":"Viewer"}')
  end
  local lagged = g - LAG * op
  if lagged < 0 then return wrk.format("GET", "/api/org") end
  local user = base + lagged % pool
  if op == 1 then
    return wrk.format("PATCH", "/api/org/users/" .. user, nil, '{"role":"Editor"}')
  end
  return wrk.format("DELETE", "/api/org/users/" .. user)
end
