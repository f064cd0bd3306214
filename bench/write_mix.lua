-- Logged-in writes mixed with reads, for wrk (bench/load.sh's second run):
--   60% anonymous-style reads of Q&A pages (with the session cookie),
--   25% a patient asks a question (POST questions:ask),
--   15% a doctor replies to a question (POST answers:reply).
-- Question titles are unique ("bench-<thread>-<n>-<nonce>"). wrk cannot tell which
-- request a response belongs to, so the crash-safety check (bench/crash_safety.py) uses
-- its own client that logs every success exactly.
--
-- PENDING: the ask and reply flows do not exist yet. The form field names below follow
-- DESIGN.md ("Flows": ask, answer) and must be checked against questions/forms.py and
-- answers/forms.py when those land; bench/load.sh runs this only when /questions/ask/
-- answers 200 for the logged-in patient.
--
--   wrk -s bench/write_mix.lua URL -- PATHS_FILE PATIENT_COOKIE PATIENT_CSRF
--                                     DOCTOR_COOKIE DOCTOR_CSRF SPECIALTY_ID
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local qa, reply_paths = {}, {}
local patient, doctor, specialty
local n, nonce = 0, 0

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function form(fields)
  local parts = {}
  for _, kv in ipairs(fields) do
    table.insert(parts, urlencode(kv[1]) .. "=" .. urlencode(kv[2]))
  end
  return table.concat(parts, "&")
end

function init(args)
  math.randomseed(os.time() * 100 + (id or 0))
  nonce = math.random(1, 1e9)
  for line in io.lines(args[1]) do
    local kind, path = line:match("^(%S+)%s+(%S+)$")
    if kind == "qa" then table.insert(qa, path) end
    if kind == "reply" then table.insert(reply_paths, path) end
  end
  patient = { cookie = args[2], csrf = args[3] }
  doctor = { cookie = args[4], csrf = args[5] }
  specialty = args[6]
end

local function headers(who, referer)
  return {
    ["Cookie"] = who.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-CSRFToken"] = who.csrf,
    ["Referer"] = referer,
  }
end

function request()
  local r = math.random(100)
  if r <= 60 then
    return wrk.format("GET", qa[math.random(#qa)], { ["Cookie"] = patient.cookie })
  elseif r <= 85 then
    n = n + 1
    local title = string.format("bench-%d-%d-%d asks about sleep and headaches", id, n, nonce)
    local body = form({
      { "csrfmiddlewaretoken", patient.csrf }, { "nickname", "Bench" },
      { "age_range", "30~39" }, { "sex", "undisclosed" }, { "specialty", specialty },
      { "title", title }, { "body", "Load test question body about sleep and headaches." },
      { "tags", "sleep, headache" }, { "consent", "on" },
    })
    return wrk.format("POST", "/questions/ask/", headers(patient, wrk.scheme .. "://" .. wrk.host), body)
  else
    local body = form({
      { "csrfmiddlewaretoken", doctor.csrf },
      { "body", "Load test reply: keep a sleep diary and see your doctor if it persists." },
    })
    local path = reply_paths[math.random(#reply_paths)]
    return wrk.format("POST", path, headers(doctor, wrk.scheme .. "://" .. wrk.host), body)
  end
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
