-- Paging loops over GET /api/users/search, as grafana-client and Terraform run them: each
-- connection is one client asking for page after page. A connection's first request starts a
-- loop at a spread-out page; each answer names its page, and the page after it is queued for the
-- next request (wrk calls response() for a connection, then request() once it is writable; other
-- answers may come between, hence a queue: a loop may move to another connection, never skip).
-- With a million users a lap is 10,000 pages, so the answers come from the database, not the
-- response memo. Arguments (after --): number of pages, page size, connections per thread, in all.
local pages, perpage, loops, total = 1, 100, 1, 1
local started, queue, head, tail = 0, {}, 1, 0
local nextThread = 0

function setup(thread)
  thread:set("tid", nextThread)
  nextThread = nextThread + 1
end

function init(args)
  pages, perpage, loops, total = tonumber(args[1]), args[2], tonumber(args[3]), tonumber(args[4])
end

function request()
  local page = nil
  if head <= tail then
    page = queue[head]
    queue[head] = nil
    head = head + 1
  else
    page = math.floor((tid * loops + started) * pages / total) % pages + 1
    started = started + 1
  end
  return wrk.format("GET", "/api/users/search?perpage=" .. perpage .. "&page=" .. page)
end

function response(status, headers, body)
  local page = tonumber(string.match(body, '"page":(%d+)'))
  if page then
    tail = tail + 1
    queue[tail] = page % pages + 1
  end
end
