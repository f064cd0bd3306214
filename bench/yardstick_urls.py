"""The site's URLs plus the benchmarks' references:
- the yardstick, /bench/yardstick/?bytes=N: Django's template engine rendering a page of
  about N bytes from rows in memory, no database;
- the ceiling, /bench/ceiling/?bytes=N: N ready bytes (made once per size) through the
  whole middleware stack, no template and no database: the most a Django view under
  the same server can give. A page from the page cache must not be slower.

bench/qa_page.py serves it in-process (ROOT_URLCONF overridden) and bench/load.sh under
gunicorn (bench/yardstick_wsgi.py), so the Q&A page and the yardstick go through the
same middleware, the same client and the same server.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from forum.urls import urlpatterns as site_urlpatterns

ROW_BYTES = 124  # what one row of TEMPLATE renders to, about
TEMPLATE = engines["django"].from_string(
    '{% for row in rows %}<li class="row"><a href="/q/{{ row.id }}/">{{ row.title }}</a>'
    "<p>{{ row.text }}</p></li>{% endfor %}"
)


def rows_for(size: int) -> list[dict]:
    return [
        {"id": n, "title": f"Question {n:05d}", "text": "x" * 60}
        for n in range(max(1, size // ROW_BYTES))
    ]


_rows: dict[int, list[dict]] = {}


def yardstick(request):
    size = min(max(int(request.GET.get("bytes", "13500") or 0), ROW_BYTES), 1_000_000)
    rows = _rows.get(size)
    if rows is None:
        rows = _rows[size] = rows_for(size)
    return HttpResponse(TEMPLATE.render({"rows": rows}))


_bodies: dict[int, bytes] = {}


def ceiling(request):
    size = min(max(int(request.GET.get("bytes", "13500") or 0), 1), 1_000_000)
    body = _bodies.get(size)
    if body is None:
        body = _bodies[size] = (b"<!doctype html><p>" + b"x" * size)[:size]
    return HttpResponse(body)


urlpatterns = [
    path("bench/yardstick/", yardstick, name="bench-yardstick"),
    path("bench/ceiling/", ceiling, name="bench-ceiling"),
    *site_urlpatterns,
]
