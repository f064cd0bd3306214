"""gunicorn settings for the forum: `gunicorn -c forum/gunicorn.conf.py forum.wsgi`.

Every value can be overridden with an environment variable (or a gunicorn flag) so one
file serves the load benchmark, CI and production. See README "Deploy".
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: the pages are CPU-bound template rendering plus a few short queries, and a
# proxy or load balancer in front buffers slow clients. WEB_CONCURRENCY overrides the count;
# bench/load.sh measures candidates. On a quiet 2-core machine with 100,000 questions
# and PostgreSQL on the same cores, two runs of 15 s gave 3 workers (cores + 1) 112.5
# and 105.1 requests/s, 5 workers 111.6 and 102.3, 9 workers 104.6 and 111.5: equal
# within the runs' noise, while 9 workers had the worst p99 (334 and 373 ms against 218
# and 247 ms for 3) and cost ~55 MiB PSS each. The CPU is the limit, so cores + 1.
# Where the database is on another host, workers also wait on the network: measure
# there with `WORKERS=N bench/load.sh read` and set WEB_CONCURRENCY.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"

# A request that takes longer than this is a bug or a stuck database: kill and log it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then (bounded memory growth), staggered so they do not all
# restart at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Trust X-Forwarded-* only from the load balancer's addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Structured logs: one JSON object per line on stdout (access and error), see
# forum/log_format.py. The access log has method, path (no query string, and "<slug>" in
# place of a question's title or a tag: the route and id stay), status, bytes and
# duration; no client IP. Error lines have every IP replaced by the client pseudonym
# forum/security.py logs, and paths cleaned the same way.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "forum.log_format.GunicornJsonLogger"

# Load the app in the master so workers start fast and share memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
