"""The site's reading pages that show several apps together: home, specialty, doctor
profile and search, robots.txt and the sitemap sections (their routes: forum/site/urls.py).

/healthz and the error handlers are not here: they belong to no page and read no app
(forum/service_views.py).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from answers.models import Reply
from forum.models import DoctorProfile, Specialty
from forum.paging import get_page
from forum.site.search import search_questions
from forum.site.sitemaps import SITEMAPS, render_urlset
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
    totals = answers.with_agreement_counts().aggregate(
        count=Count("id"), thanks=Sum("thanks_count"), agreements=Sum("agreement_count")
    )
    latest = answers.select_related("question__specialty").order_by("-published_at", "-id")[:10]
    return render(
        request,
        "forum/doctor_detail.html",
        {
            "doctor": doctor,
            "answer_count": totals["count"],
            "thanks_count": totals["thanks"] or 0,
            "agreement_count": totals["agreements"] or 0,
            "latest_answers": latest,
        },
    )


def robots_txt(request):
    # The account pages in every language: unprefixed in the default one, under the
    # other language's prefix otherwise (forum/urls.py).
    accounts = [
        f"Disallow: /{code}/accounts/"
        for code, _ in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        *accounts,
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
