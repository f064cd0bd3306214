-- Anonymous reads for wrk: 70% Q&A pages, 15% search (specialty and tag pages where
-- search does not exist yet), 15% home. The paths come from a file that bench/load.sh
-- writes from the database, one "<kind> <path>" per line (kinds: qa, search, home).
--   wrk -s bench/read_mix.lua URL -- PATHS_FILE
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local paths = { qa = {}, search = {}, home = {} }

function init(args)
  math.randomseed(os.time() * 100 + (id or 0))
  for line in io.lines(args[1]) do
    local kind, path = line:match("^(%S+)%s+(%S+)$")
    if kind and paths[kind] then
      table.insert(paths[kind], path)
    end
  end
  if #paths.search == 0 then paths.search = paths.home end
end

function request()
  local r = math.random(100)
  local list
  if r <= 70 then list = paths.qa elseif r <= 85 then list = paths.search else list = paths.home end
  return wrk.format("GET", list[math.random(#list)])
end

function done(summary, latency, requests)
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f " ..
    "errors=%d non_2xx_3xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status + socket_errors, e.status, socket_errors))
end
