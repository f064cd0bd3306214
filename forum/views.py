import sys
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import DatabaseError, connection
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views import defaults
from django.views.decorators.cache import never_cache

from answers.models import Reply
from forum.middleware import DATABASE_ERRORS, database_unavailable_response
from forum.models import DoctorProfile, Specialty
from forum.paging import get_page
from forum.search import search_questions
from forum.sitemaps import SITEMAPS, render_urlset
from questions.models import Question

ANSWERED_COUNTS_CACHE_KEY = "home:answered-counts"
ANSWERED_COUNTS_SECONDS = 600
SEARCH_PAGE_SIZE = 20


def _answered_counts() -> dict[int, int]:
    """Answered questions per specialty id; counted at most every ten minutes, since
    counting a million rows on every home page view would cost more than the page."""
    counts = cache.get(ANSWERED_COUNTS_CACHE_KEY)
    if counts is None:
        counts = dict(
            Question.objects.published()
            .answered()
            .order_by()
            .values("specialty")
            .annotate(n=Count("id"))
            .values_list("specialty", "n")
        )
        cache.set(ANSWERED_COUNTS_CACHE_KEY, counts, ANSWERED_COUNTS_SECONDS)
    return counts


def home(request):
    specialties = list(Specialty.objects.all())
    counts = _answered_counts()
    for specialty in specialties:
        specialty.answered_count = counts.get(specialty.pk, 0)
    latest = Question.objects.latest_answered().for_list()[:10]
    return render(
        request,
        "forum/home.html",
        {"specialties": specialties, "latest": latest, "hide_header_search": True},
    )


def specialty_detail(request, slug):
    specialty = get_object_or_404(Specialty, slug=slug)
    questions = Question.objects.latest_answered().filter(specialty=specialty).for_list()
    page = get_page(request, questions, 20)
    doctors = specialty.doctors.verified().order_by("display_name")
    return render(
        request,
        "forum/specialty_detail.html",
        {"specialty": specialty, "page_obj": page, "doctors": doctors},
    )


def search(request):
    """Search published questions; any query, however odd, gives a friendly page."""
    specialties = list(Specialty.objects.all())
    slug = request.GET.get("specialty", "")
    specialty = next((s for s in specialties if s.slug == slug), None)
    results = search_questions(request.GET.get("q", ""), specialty=specialty)
    page = get_page(request, results, SEARCH_PAGE_SIZE)
    params = {"q": results.query}
    if specialty is not None:
        params["specialty"] = specialty.slug
    return render(
        request,
        "forum/search.html",
        {
            "results": results,
            "page_obj": page,
            "specialties": specialties,
            "specialty": specialty,
            "search_query": results.query,
            "query_string": urlencode(params),
            "hide_header_search": True,
        },
    )


def doctor_detail(request, slug):
    """A verified doctor's public profile: who they are and what they answered."""
    doctor = get_object_or_404(
        DoctorProfile.objects.verified().prefetch_related("specialties"), slug=slug
    )
    answers = Reply.objects.published().filter(
        doctor=doctor, question__status=Question.Status.PUBLISHED
    )
    totals = answers.aggregate(count=Count("id"), thanks=Sum("thanks_count"))
    latest = answers.select_related("question__specialty").order_by("-published_at", "-id")[:10]
    return render(
        request,
        "forum/doctor_detail.html",
        {
            "doctor": doctor,
            "answer_count": totals["count"],
            "thanks_count": totals["thanks"] or 0,
            "latest_answers": latest,
        },
    )


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """handler500: Django calls it for any exception nothing else turned into a response,
    including those raised in a middleware's body (see forum/middleware.py). A lost
    database still gets the friendly 503 there; anything else the plain 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        response = database_unavailable_response(request, exception)
    else:
        response = defaults.server_error(request)
    # Raised in a middleware's body, the header middleware may not have run.
    return with_security_headers(request, response)


# The middleware that set the security headers Django's SecurityMiddleware does not:
# X-Frame-Options, the CSP, Permissions-Policy and CORP (forum/security.py).
HEADER_MIDDLEWARE = {
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "forum.security.SitePolicyCSPMiddleware",
    "forum.security.SecurityHeadersMiddleware",
}


def with_security_headers(request, response):
    """`response` with the headers of HEADER_MIDDLEWARE, for a response made inside a
    middleware that sits above them (so they never see it). When they have run for this
    request (django-csp's process_request sets request.csp_nonce) they add the headers
    on the way out as for any page, and `response` is returned as it is."""
    if hasattr(request, "csp_nonce"):
        return response

    def handler(request):
        return response

    for path in reversed([name for name in settings.MIDDLEWARE if name in HEADER_MIDDLEWARE]):
        handler = import_string(path)(handler)
    return handler(request)


def bad_request(request, exception):
    """handler400. Django refuses a bad Host header (DisallowedHost, from
    request.get_host() in CommonMiddleware or the page cache) with this view, called
    from inside the middleware that asked: the header middleware below it would never
    see the page, so it goes through them here."""
    return with_security_headers(request, defaults.bad_request(request, exception))


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@x_robots_tag
def sitemap_section(request, section):
    """One page (?p=) of one sitemap section, as listed by the sitemap index."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    sitemap = SITEMAPS[section]()
    try:
        entries = sitemap.get_urls(
            page=request.GET.get("p", 1), site=get_current_site(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page.") from None
    return HttpResponse(render_urlset(entries), content_type="application/xml")
