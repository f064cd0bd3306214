"""The forum's WSGI application with the benchmarks' yardstick view added
(/bench/yardstick/?bytes=N, bench/yardstick_urls.py), for bench/load.sh:

    gunicorn -c forum/gunicorn.conf.py bench.yardstick_wsgi

Everything else is forum.wsgi's: settings, start-up checks, middleware.
"""

from django.conf import settings

from forum.wsgi import application

settings.ROOT_URLCONF = "bench.yardstick_urls"

__all__ = ["application"]
