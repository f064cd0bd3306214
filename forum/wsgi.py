"""WSGI entry point, used by gunicorn.

gunicorn runs no system checks, so the start-up ones (forum/checks.py: a cache every
worker shares, mail kept out of the logs) run here: an error stops the server, in
gunicorn's master with the preloaded app, before any worker serves a request.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

application = get_wsgi_application()

from forum.checks import refuse_to_start_if_misconfigured  # noqa: E402

refuse_to_start_if_misconfigured()
