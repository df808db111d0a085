-- A paging loop over GET /api/users/search (what grafana-client and Terraform do): each request
-- asks for the next page, wrapping around; each wrk thread starts at its own offset. With a
-- million users a lap is 10,000 pages, so pages are read from the database, not the memo.
-- Arguments (after --): number of pages, page size.
local counter, pages, perpage = 0, 1, 100
local nextThread = 0

function setup(thread)
  thread:set("tid", nextThread)
  nextThread = nextThread + 1
end

function init(args)
  pages = tonumber(args[1])
  perpage = args[2]
  counter = tid * math.floor(pages / 2)
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/api/users/search?perpage=" .. perpage .. "&page=" .. (counter % pages + 1))
end
