#!/usr/bin/env bash
# Load benchmark: gunicorn (forum/gunicorn.conf.py) on loopback, a throwaway PostgreSQL
# (durable: fsync and synchronous commit on) holding the generate_dataset questions, and
# wrk from Debian (apt-get install -y wrk).
#
#   bench/load.sh                  # everything below, 100,000 questions, 60 s runs
#   bench/load.sh read             # only the anonymous read mix
#   bench/load.sh cold             # only the cold reads beside the yardstick
#   bench/load.sh cached           # only cached pages beside the ceiling, one worker
#   BENCH_REDIS_URL=redis://127.0.0.1:6379/0 bench/load.sh cached   # the same with Redis
#   WORKERS=5 DURATION=30 bench/load.sh read
#   BENCH_PGDIR=.pgtest/bench bench/load.sh   # keep the database for the next run
#   BENCH_REDIS_URL=redis://127.0.0.1:6379/0 bench/load.sh cold   # the cache in Redis
#
# 1. pick the worker count by measurement (WORKERS=auto): a PICK_DURATION-second read run
#    for cores+1, 2*cores+1 and 4*cores+1 workers; a larger count must beat the best
#    so far by 5% requests/s to win (more workers cost memory);
# 2. read mix (bench/read_mix.lua): Q&A pages, search (specialty and tag pages while
#    search does not exist), home, for DURATION seconds;
# 2b. cold reads (bench/cold_read.lua, set up by bench/cold_paths.py): COLD_DURATION
#    seconds in which every request is a different Q&A page (COLD_PATHS of them, their
#    Similar Q&A lists stored unless COLD_STORED=0, the page cache emptied first), on
#    gunicorn with its default worker count (forum/gunicorn.conf.py); then the same run
#    on the yardstick view (bench/yardstick_wsgi.py: Django rendering a template of the
#    median page's size, no database), and the cold rate as a share of the yardstick's;
# 2c. cached pages (bench/cold_read.lua over CACHED_PATHS Q&A pages, each fetched once
#    first so that it is in the page cache) on gunicorn with CACHED_WORKERS (1) worker,
#    against the ceiling view in the same server (bench/yardstick_urls.py: the median
#    page's number of ready bytes through the whole middleware stack, no template, no
#    database): CACHED_ROUNDS (3) pairs of CACHED_DURATION-second runs in turns; prints
#    both rates and the ratio of each pair, and the median ratio, which must be at least
#    1 (else the script exits 1);
# 3. write mix (bench/write_mix.lua): logged-in reads, asks by BENCH_PATIENTS patients
#    (QUESTIONS_PER_DAY is raised for the bench server, so the daily limit does not
#    refuse them) and doctor replies (HELD_REPLIES_FOR_NEW_DOCTORS=0: published at once);
#    the rows the run stored are counted in the database afterwards;
# 4. crash safety (bench/crash_safety.py): asks under load while PostgreSQL is restarted
#    with `pg_ctl restart -m immediate` and a gunicorn worker is killed with -9; then
#    every ask that was answered with success must be in the table, once.
#
# Each run prints requests/s, p50/p90/p99 latency, errors (non-2xx/3xx answers, socket
# errors, and in the write mix forms that came back with errors or redirected elsewhere:
# must be 0, else the script exits 1) and memory per gunicorn worker (RSS, peak RSS and
# PSS from /proc; PSS splits the pages the preloaded workers share).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-all}
QUESTIONS=${QUESTIONS:-100000}
TAGS=${TAGS:-5000}
SEED=${SEED:-1}
DURATION=${DURATION:-60}
PICK_DURATION=${PICK_DURATION:-15}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-auto}
COLD_DURATION=${COLD_DURATION:-30}
COLD_PATHS=${COLD_PATHS:-20000}
CACHED_DURATION=${CACHED_DURATION:-10}
CACHED_ROUNDS=${CACHED_ROUNDS:-3}
CACHED_PATHS=${CACHED_PATHS:-200}
CACHED_WORKERS=${CACHED_WORKERS:-1}
PY=${PY:-.venv/bin/python}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
CORES=$(nproc)

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 2; }
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL is missing: apt-get install -y postgresql-15"; exit 2; }
[ -x "$PY" ] || { echo "no $PY: run make install first"; exit 2; }

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d /tmp/forum-bench.XXXXXX)
chmod 755 "$work"  # the postgres user keeps its cluster in here
pgdir=${BENCH_PGDIR:-$work/pg}
gunicorn_pid=""
failed=0

stop_app() {
  if [ -n "$gunicorn_pid" ] && kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -INT "$gunicorn_pid"
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
  gunicorn_pid=""
}

worker_pids() { cat "/proc/$gunicorn_pid/task/$gunicorn_pid/children" 2>/dev/null || true; }

cleanup() {
  stop_app
  if [ -n "${BENCH_PGDIR:-}" ]; then
    scripts/testpg.sh halt "$pgdir" >/dev/null 2>&1 || true
  else
    scripts/testpg.sh stop "$pgdir"
  fi
  if [ "$failed" != 0 ]; then  # keep the server logs of a failed run
    mkdir -p artifacts/bench-logs && cp "$work"/*.log artifacts/bench-logs/ 2>/dev/null || true
    echo "gunicorn logs kept in artifacts/bench-logs/"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }

# PostgreSQL: reuse BENCH_PGDIR when it holds a cluster, else a new durable one.
if [ -d "$pgdir/data" ]; then
  pgport=$(sed -n 's/^port = //p' "$pgdir/data/postgresql.conf" | tail -1)
  say "reusing PostgreSQL in $pgdir on port $pgport"
  scripts/testpg.sh resume "$pgdir"
else
  pgport=$(free_port)
  say "starting a durable PostgreSQL on 127.0.0.1:$pgport"
  TESTPG_DURABLE=1 scripts/testpg.sh start "$pgdir" "$pgport"
fi

export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="bench-only-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0
export DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/postgres"
export DJANGO_STATIC_ROOT="$work/static" EMAIL_URL=locmem: DJANGO_LOG_LEVEL=WARNING
export QUESTIONS_PER_DAY=1000000 HELD_REPLIES_FOR_NEW_DOCTORS=0 BENCH_PATIENTS=${BENCH_PATIENTS:-8}
export BENCH_WORK="$work" BENCH_PASSWORD="bench-pass-$RANDOM-$RANDOM"
unset REDIS_URL DATABASE_REPLICA_URL
# BENCH_REDIS_URL: the cache (and sessions) in that Redis instead of the database cache.
if [ -n "${BENCH_REDIS_URL:-}" ]; then export REDIS_URL=$BENCH_REDIS_URL; fi

say "migrate, generate_dataset --questions $QUESTIONS --tags $TAGS --seed $SEED, collectstatic"
$PY manage.py migrate --noinput -v0
$PY manage.py generate_dataset --questions "$QUESTIONS" --tags "$TAGS" --seed "$SEED"
# Search reads its own index, which bulk loads leave out: build it when it is behind.
if $PY manage.py help rebuild_search_index >/dev/null 2>&1; then
  index=$($PY manage.py rebuild_search_index --dry-run)
  if [ "$(sed -n 's/^Would write \([0-9]*\) .*(\([0-9]*\) exist.*/\1 \2/p' <<<"$index" \
        | awk '{ print ($1 == $2) }')" != 1 ]; then
    echo "$index"
    $PY manage.py rebuild_search_index
  fi
fi
$PY manage.py collectstatic --noinput -v0
$PY manage.py shell <bench/prepare.py
# shellcheck disable=SC1091
source "$work/flows.env"

appport=$(free_port)
base="http://127.0.0.1:$appport"

start_app() {  # start_app WORKERS|default [WSGI_APP]
  local count=$1 flags=(--workers "$1")
  if [ "$1" = default ]; then  # what forum/gunicorn.conf.py gives production
    count=${WEB_CONCURRENCY:-$((CORES + 1))} flags=()
  fi
  app_log="$work/gunicorn-$1${2:+-${2//./-}}.log"
  $PY -m gunicorn -c forum/gunicorn.conf.py --bind "127.0.0.1:$appport" "${flags[@]}" \
    "${2:-forum.wsgi}" >"$app_log" 2>&1 &
  gunicorn_pid=$!
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; then
      [ "$(worker_pids | wc -w)" -ge "$count" ] && return 0
    fi
    sleep 0.2
  done
  echo "gunicorn did not start:"; tail -20 "$app_log"; exit 1
}


worker_cpu() {  # the workers' CPU time so far (user + system), in clock ticks: the live
  # ones' own and the master's count of its reaped children (recycled workers)
  local pid total ticks
  total=$(awk '{ print $16 + $17 }' "/proc/$gunicorn_pid/stat")
  for pid in $(worker_pids); do
    ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true)
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}

cpu_per_request() {  # cpu_per_request TICKS_BEFORE RESULT_LINE
  local requests
  requests=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$2")
  awk -v a="$1" -v b="$(worker_cpu)" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "  worker CPU per request: %.3f ms (the rest of its time it waits)\n", (b - a) / hz * 1000 / n }'
}

memory_report() {
  local pid rss hwm pss lines=""
  for pid in $(worker_pids); do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    lines+="$rss $hwm $pss"$'\n'
  done
  printf '%s' "$lines" | awk -v master="$(awk '/^VmRSS/ {print $2}' "/proc/$gunicorn_pid/status")" '
    NF == 3 { n++; rss += $1; hwm = ($2 > hwm ? $2 : hwm); pss += $3 }
    END { printf "memory per worker: RSS %.1f MiB (peak %.1f MiB), PSS %.1f MiB; %d workers; master RSS %.1f MiB\n",
                 rss / n / 1024, hwm / 1024, pss / n / 1024, n, master / 1024 }'
}

run_wrk() {  # run_wrk SECONDS SCRIPT ARGS... ; prints wrk's RESULT line
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${1}s" --timeout 10s -s "$2" "$base" -- "${@:3}" \
    | grep '^RESULT'
}

report() {  # report NAME RESULT_LINE
  local name=$1 line=$2 errors
  errors=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<<"$line")
  echo "$name: $line" | sed 's/RESULT //'
  awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
       END { printf "requests/s %s | p50 %s ms | p99 %s ms | errors %s\n", v["rps"], v["p50_ms"], v["p99_ms"], v["errors"] }' <<<"${line#RESULT }"
  local server_errors
  server_errors=$(grep -c '"status": 5' "$app_log" || true)
  [ "$server_errors" = 0 ] || echo "gunicorn access log: $server_errors answers with status 5xx"
  if [ "$errors" != 0 ] || [ "$server_errors" != 0 ]; then failed=1; fi
}

paths="$work/paths.txt"
say "$(grep -c '^qa ' "$paths") Q&A paths; search: $([ "$SEARCH" = 1 ] && echo yes || echo 'not built yet, specialty and tag pages instead')"

if [ "$WORKERS" = auto ] && [ "$MODE" != cold ] && [ "$MODE" != cached ]; then
  say "choosing the worker count: ${PICK_DURATION} s read runs, $CONNECTIONS connections, $CORES cores"
  best=0 best_rps=0
  for w in $((CORES + 1)) $((2 * CORES + 1)) $((4 * CORES + 1)); do
    start_app "$w"
    run_wrk 3 bench/read_mix.lua "$paths" >/dev/null
    line=$(run_wrk "$PICK_DURATION" bench/read_mix.lua "$paths")
    rps=$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$line")
    echo "  $w workers: ${line#RESULT }"
    stop_app
    # More workers cost memory: they must beat the best so far by 5% to win.
    if awk -v a="$rps" -v b="$best_rps" 'BEGIN { exit !(a > b * 1.05) }'; then best=$w best_rps=$rps; fi
  done
  WORKERS=$best
  echo "  -> $WORKERS workers"
fi

if [ "$MODE" = all ] || [ "$MODE" = read ]; then
  say "read mix: ${DURATION} s, $CONNECTIONS connections, $THREADS wrk threads, $WORKERS workers"
  start_app "$WORKERS"
  run_wrk 5 bench/read_mix.lua "$paths" >/dev/null
  line=$(run_wrk "$DURATION" bench/read_mix.lua "$paths")
  report "read mix" "$line"
  memory_report
  stop_app
fi

if [ "$MODE" = all ] || [ "$MODE" = cold ]; then
  say "cold reads: ${COLD_DURATION} s, every request a different Q&A page, $CONNECTIONS connections, default workers"
  COLD_PATHS=$COLD_PATHS $PY manage.py shell <bench/cold_paths.py
  start_app default
  sizes=$(while read -r path; do curl -fsS -o /dev/null -w '%{size_download}\n' "$base$path"; done \
    <"$work/size_paths.txt" | sort -n)
  page_bytes=$(awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' <<<"$sizes")
  echo "workers: $(worker_pids | wc -w); median page: $page_bytes bytes"
  cold_line=$(run_wrk "$COLD_DURATION" bench/cold_read.lua "$work/cold_paths.txt" "$THREADS")
  report "cold reads" "$cold_line"
  repeats=$(sed -n 's/.* repeats=\([0-9]*\).*/\1/p' <<<"$cold_line")
  # A repeated page comes from the page cache: the run would no longer measure cold reads.
  if [ "$repeats" != 0 ]; then
    echo "$repeats requests repeated a page (from the page cache): raise COLD_PATHS"; failed=1
  fi
  stop_app
  start_app default bench.yardstick_wsgi
  yard_path="/bench/yardstick/?bytes=$page_bytes"
  echo "yardstick: $(curl -fsS -o /dev/null -w '%{size_download}' "$base$yard_path") bytes"
  run_wrk 3 bench/yardstick.lua "$yard_path" >/dev/null
  yard_line=$(run_wrk "$COLD_DURATION" bench/yardstick.lua "$yard_path")
  report "yardstick view" "$yard_line"
  stop_app
  awk -v c="$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$cold_line")" \
      -v y="$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$yard_line")" \
      'BEGIN { printf "cold reads: %.1f requests/s, yardstick view %.1f: %.2f of its rate\n", c, y, c / y }'
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

if [ "$MODE" = all ] || [ "$MODE" = cached ]; then
  store="the database (versions) and the worker's memory (pages)"
  if [ -n "${REDIS_URL:-}" ]; then store="Redis"; fi
  say "cached pages: ${CACHED_DURATION} s, $CACHED_PATHS Q&A pages from the page cache in $store, $CONNECTIONS connections, $CACHED_WORKERS worker(s)"
  awk -v n="$CACHED_PATHS" '$1 == "qa" && kept++ < n { print $2 }' "$paths" >"$work/cached_paths.txt"
  # Workers are not recycled in this run (GUNICORN_MAX_REQUESTS=0, unless CACHED_MAX_REQUESTS
  # says otherwise): a new worker starts with none of the pages in its memory (without
  # Redis), and this run measures pages from the cache.
  GUNICORN_MAX_REQUESTS=${CACHED_MAX_REQUESTS:-0} start_app "$CACHED_WORKERS" bench.yardstick_wsgi
  # Each page rendered once (kept), then read again: the second answer's size.
  sizes=$(while read -r path; do
      curl -fsS -o /dev/null "$base$path"; curl -fsS -o /dev/null -w '%{size_download}\n' "$base$path"
    done <"$work/cached_paths.txt" | sort -n)
  page_bytes=$(awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' <<<"$sizes")
  echo "workers: $(worker_pids | wc -w); median page: $page_bytes bytes; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  ceiling_path="/bench/ceiling/?bytes=$page_bytes"
  echo "ceiling: $(curl -fsS -o /dev/null -w '%{size_download}' "$base$ceiling_path") bytes"
  run_wrk 3 bench/cold_read.lua "$work/cached_paths.txt" "$THREADS" >/dev/null
  run_wrk 3 bench/yardstick.lua "$ceiling_path" >/dev/null
  # In turns (cached, ceiling, cached, ...), so that both see the same machine: the ratio
  # of each pair, and the median of the pairs.
  ratios=""
  for round in $(seq 1 "$CACHED_ROUNDS"); do
    before=$(worker_cpu)
    cached_line=$(run_wrk "$CACHED_DURATION" bench/cold_read.lua "$work/cached_paths.txt" "$THREADS")
    report "cached pages, round $round" "$cached_line"
    cpu_per_request "$before" "$cached_line"
    before=$(worker_cpu)
    ceiling_line=$(run_wrk "$CACHED_DURATION" bench/yardstick.lua "$ceiling_path")
    report "ceiling view, round $round" "$ceiling_line"
    cpu_per_request "$before" "$ceiling_line"
    cached_rps=$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$cached_line")
    ceiling_rps=$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$ceiling_line")
    ratio=$(awk -v c="$cached_rps" -v y="$ceiling_rps" 'BEGIN { printf "%.2f", c / y }')
    ratios+="$ratio"$'\n'
    echo "round $round: cached pages $cached_rps requests/s, ceiling view $ceiling_rps: $ratio of its rate; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  done
  stop_app
  median=$(sort -n <<<"${ratios%$'\n'}" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
  echo "cached pages against the ceiling view: median ratio $median over $CACHED_ROUNDS rounds ($(tr '\n' ' ' <<<"${ratios%$'\n'}"))"
  if awk -v r="$median" 'BEGIN { exit !(r < 1) }'; then
    echo "cached pages slower than the ceiling view"; failed=1
  fi
fi

login() {  # login EMAIL JAR -> "COOKIE_HEADER CSRF"
  local token
  token=$(curl -fsS -c "$2" -b "$2" "$base/accounts/login/" | sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -1)
  curl -fsS -o /dev/null -c "$2" -b "$2" -H "Referer: $base/accounts/login/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "login=$1" \
    --data-urlencode "password=$BENCH_PASSWORD" "$base/accounts/login/"
  awk '$6 == "sessionid" || $6 == "csrftoken" { printf "%s=%s; ", $6, $7 }' "$2"
}

bench_rows() {  # "questions replies" the bench accounts have stored so far
  $PY manage.py shell -v 0 -c '
from answers.models import Reply
from questions.models import Question
asked = Question.objects.filter(author__email__startswith="bench-patient-", title__startswith="bench ")
print(asked.count(), Reply.objects.filter(doctor__user__email="bench-doctor@example.org").count())'
}

if [ "$MODE" = all ] || [ "$MODE" = write ]; then
  say "write mix: ${DURATION} s, logged-in reads, asks by $BENCH_PATIENTS patients, doctor replies"
  if [ -z "$ASK_URL" ] || [ "$REPLY" != 1 ]; then
    echo "write mix skipped: no ask flow (questions:ask) or no question to reply to"
    failed=1
  else
    start_app "$WORKERS"
    patients="$work/patients.txt"
    : >"$patients"
    n=0
    for email in ${PATIENT_EMAILS//,/ }; do
      n=$((n + 1))
      cookie=$(login "$email" "$work/patient-$n.jar")
      printf '%s\t%s\n' "$cookie" "$(sed -n 's/.*csrftoken=\([^;]*\);.*/\1/p' <<<"$cookie")" >>"$patients"
    done
    doctor_cookie=$(login bench-doctor@example.org "$work/doctor.jar")
    doctor_csrf=$(sed -n 's/.*csrftoken=\([^;]*\);.*/\1/p' <<<"$doctor_cookie")
    grep -q 'sessionid=' "$patients" && [[ $doctor_cookie == *sessionid=* ]] \
      || { echo "bench log-in failed"; exit 1; }
    read -r asked_before replied_before <<<"$(bench_rows)"
    line=$(run_wrk "$DURATION" bench/write_mix.lua "$paths" "$ASK_URL" "$patients" \
      "$doctor_cookie" "$doctor_csrf" "$SPECIALTY_ID")
    report "write mix" "$line"
    memory_report
    stop_app
    read -r asked_after replied_after <<<"$(bench_rows)"
    asked=$((asked_after - asked_before)) replied=$((replied_after - replied_before))
    asks=$(sed -n 's/.* asks=\([0-9]*\).*/\1/p' <<<"$line")
    replies=$(sed -n 's/.* replies=\([0-9]*\).*/\1/p' <<<"$line")
    echo "stored: $asked questions ($asks asks answered with success)," \
      "$replied replies ($replies answered with success)"
    if [ "$asked" -lt "$asks" ] || [ "$replied" -lt "$replies" ]; then
      echo "fewer rows stored than successes answered"; failed=1
    fi
  fi
fi

if [ "$MODE" = all ] || [ "$MODE" = crash ]; then
  say "crash safety: asks while PostgreSQL restarts (-m immediate) and a worker is killed (-9)"
  if [ -z "$ASK_URL" ]; then
    echo "crash safety skipped: no ask flow (questions:ask)"
    failed=1
  else
    start_app "$WORKERS"
    log="$work/crash-successes.log"
    export ASK_URL SPECIALTY_ID PATIENT_EMAILS
    $PY bench/crash_safety.py run "$base" "$log" 30 &
    client=$!
    sleep 10
    echo "  pg_ctl restart -m immediate"
    scripts/testpg.sh restart "$pgdir"
    sleep 8
    victim=$(worker_pids | awk '{print $1}')
    echo "  kill -9 worker $victim"
    kill -9 "$victim"
    wait "$client" || failed=1
    stop_app
    $PY bench/crash_safety.py check "$log" || failed=1
  fi
fi

if [ $failed = 0 ]; then say "load benchmark passed"; else say "LOAD BENCHMARK FAILED"; fi
exit $failed
