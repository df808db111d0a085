-- A different request every time, so no memo can answer it: each request fills the path
-- template's "{}" with a value drawn at random from a file of real seeded values (one a line,
-- written by bench/run.mjs from the seeded database). In "fragment" mode the value is a random
-- 3-5 character piece of the drawn line (what people type into a search box).
-- Arguments (after --): path template, values file, mode ("whole" or "fragment").
local template, values, mode = "/", {}, "whole"
local nextThread = 0

function setup(thread)
  thread:set("tid", nextThread)
  nextThread = nextThread + 1
end

function init(args)
  template, mode = args[1], args[3]
  for line in io.lines(args[2]) do
    if #line > 0 then values[#values + 1] = line end
  end
  if #values == 0 then error("no values in " .. args[2]) end
  math.randomseed(os.time() * 1000 + (tid or 0))
end

local function escape(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function draw()
  local value = values[math.random(#values)]
  if mode ~= "fragment" then return value end
  local length = math.min(#value, math.random(3, 5))
  local start = math.random(#value - length + 1)
  return string.sub(value, start, start + length - 1)
end

function request()
  local value = escape(draw())
  -- A function, not a string: "%" in a replacement string would be read as a capture.
  local path = string.gsub(template, "{}", function() return value end, 1)
  return wrk.format("GET", path)
end
