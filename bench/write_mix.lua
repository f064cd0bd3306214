-- Logged-in writes mixed with reads, for wrk (bench/load.sh's second run):
--   60% Q&A page reads by a logged-in patient (not served from the anonymous page cache),
--   25% a patient asks a question (POST questions:ask, the fields of questions/forms.py
--       AskForm), spread over several patient accounts,
--   15% the bench doctor replies to a question (POST answers:reply, answers/forms.py
--       ReplyForm), one reply per question as the site allows.
--
--   wrk -s bench/write_mix.lua URL -- PATHS_FILE ASK_PATH PATIENTS_FILE
--                                     DOCTOR_COOKIE DOCTOR_CSRF SPECIALTY_ID
-- PATIENTS_FILE has one "<cookie header>\t<csrf token>" line per logged-in patient.
--
-- wrk counts any 2xx/3xx answer as a success, but a form that comes back with errors is
-- a 200 too, so response() checks what each write answered: an ask must redirect to its
-- confirmation page (/questions/new/<pk>/), a reply to the question page (#reply-<pk>);
-- a reply to a question this doctor already answered redirects to editing it (counted
-- apart). A form error or any other redirect counts as an error.
-- Question titles are unique ("bench <thread> <n> <nonce> ..."). wrk cannot tell which
-- request a response belongs to, so the crash-safety check (bench/crash_safety.py) uses
-- its own client that logs every success exactly.
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local qa, reply_paths, patients = {}, {}, {}
local ask_path, doctor, specialty
local n, nonce = 0, ""
-- Per-thread counts, read by done() through thread:get.
asks, replies, replies_again, form_errors, unexpected = 0, 0, 0, 0, 0

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
  -- Letters only, so the screening never mistakes a title for a phone or ID number.
  for _ = 1, 8 do nonce = nonce .. string.char(math.random(97, 122)) end
  for line in io.lines(args[1]) do
    local kind, path = line:match("^(%S+)%s+(%S+)$")
    if kind == "qa" then table.insert(qa, path) end
    if kind == "reply" then table.insert(reply_paths, path) end
  end
  ask_path = args[2]
  for line in io.lines(args[3]) do
    local cookie, csrf = line:match("^(.-)\t(%S+)$")
    if cookie then table.insert(patients, { cookie = cookie, csrf = csrf }) end
  end
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
  local patient = patients[math.random(#patients)]
  if r <= 60 then
    return wrk.format("GET", qa[math.random(#qa)], { ["Cookie"] = patient.cookie })
  elseif r <= 85 then
    n = n + 1
    local title = string.format("bench %d %d %s asks about sleep and headaches", id, n, nonce)
    local body = form({
      { "csrfmiddlewaretoken", patient.csrf }, { "nickname", "Bench" }, { "subject", "self" },
      { "age_range", "30~39" }, { "sex", "undisclosed" }, { "specialty", specialty },
      { "title", title },
      { "body", "Load test question: I sleep badly and wake up with a headache. Why?" },
      { "tags", "sleep, headache" }, { "consent", "on" },
    })
    return wrk.format("POST", ask_path, headers(patient, wrk.scheme .. "://" .. wrk.host), body)
  else
    local body = form({
      { "csrfmiddlewaretoken", doctor.csrf }, { "submit", "1" },
      { "body", "Load test reply: keep a sleep diary and see your doctor if it persists." },
    })
    local path = reply_paths[math.random(#reply_paths)]
    return wrk.format("POST", path, headers(doctor, wrk.scheme .. "://" .. wrk.host), body)
  end
end

function response(status, headers, body)
  if status == 302 then
    local location = headers["Location"] or ""
    if location:match("^/questions/new/%d+/$") then
      asks = asks + 1
    elseif location:match("#reply%-%d+$") then
      replies = replies + 1
    elseif location:match("^/doctor/replies/%d+/edit/$") then
      replies_again = replies_again + 1
    else
      unexpected = unexpected + 1
    end
  elseif status == 200 and body:find('class="error-summary"', 1, true) then
    form_errors = form_errors + 1
  end
end

function done(summary, latency, requests)
  local counts = { asks = 0, replies = 0, replies_again = 0, form_errors = 0, unexpected = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(counts) do counts[name] = counts[name] + thread:get(name) end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f " ..
    "errors=%d non_2xx_3xx=%d socket_errors=%d form_errors=%d unexpected_redirects=%d " ..
    "asks=%d replies=%d replies_again=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status + socket_errors + counts.form_errors + counts.unexpected, e.status, socket_errors,
    counts.form_errors, counts.unexpected, counts.asks, counts.replies, counts.replies_again))
end
