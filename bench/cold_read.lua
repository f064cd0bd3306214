-- Cold reads for wrk: every request a different Q&A page, none asked twice, so each one
-- misses the page cache. The paths come from a file of one path per line (bench/load.sh
-- writes it from the database, in random order); wrk thread n of N takes lines n, n+N,
-- n+2N... A thread that runs out starts its lines again: the RESULT line counts those
-- requests as repeats (then the run needs more paths, or a shorter duration).
--   wrk -t2 -s bench/cold_read.lua URL -- PATHS_FILE THREADS
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

paths = {}
position = 0
repeats = 0

function init(args)
  local count = tonumber(args[2]) or 1
  local n = 0
  for line in io.lines(args[1]) do
    local path = line:match("^(%S+)")
    if path then
      if n % count == (id or 1) - 1 then table.insert(paths, path) end
      n = n + 1
    end
  end
end

function request()
  position = position + 1
  if position > #paths then repeats = repeats + 1 end
  return wrk.format("GET", paths[(position - 1) % #paths + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local repeated, listed = 0, 0
  for _, thread in ipairs(threads) do
    repeated = repeated + thread:get("repeats")
    listed = listed + #thread:get("paths")
  end
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f " ..
    "errors=%d non_2xx_3xx=%d socket_errors=%d paths=%d repeats=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status + socket_errors, e.status, socket_errors, listed, repeated))
end
