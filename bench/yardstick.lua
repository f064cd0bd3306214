-- The yardstick view for wrk, the same path on every request (bench/load.sh):
--   wrk -s bench/yardstick.lua URL -- /bench/yardstick/?bytes=N
function init(args)
  path = args[1]
end

function request()
  return wrk.format("GET", path)
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
