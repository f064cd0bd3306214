"""Root URL configuration; the site-wide pages live in the "forum" namespace."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from forum import feeds, security, views
from forum.sitemaps import SITEMAPS

site_patterns = [
    path("", views.home, name="home"),
    path("specialties/<slug:slug>/", views.specialty_detail, name="specialty"),
    path("doctors/<slug:slug>/", views.doctor_detail, name="doctor"),
    # Search and feeds (issue 7).
    path("search/", views.search, name="search"),
    path("feeds/answered/rss/", feeds.AnsweredQuestionsFeed(), name="feed-rss"),
    path("feeds/answered/atom/", feeds.AnsweredQuestionsAtomFeed(), name="feed-atom"),
    path(
        "specialties/<slug:slug>/feed/rss/",
        feeds.SpecialtyAnsweredFeed(),
        name="specialty-feed-rss",
    ),
    path(
        "specialties/<slug:slug>/feed/atom/",
        feeds.SpecialtyAnsweredAtomFeed(),
        name="specialty-feed-atom",
    ),
]

# A lost database raised in a middleware's body still gets the friendly 503.
handler500 = "forum.views.server_error"
# A bad Host header is refused inside a middleware: this view adds the headers the
# middleware below it would have (issue 14, finding 11).
handler400 = "forum.views.bad_request"

urlpatterns = [
    path("", include((site_patterns, "forum"))),
    path("questions/", include("questions.urls")),
    path("", include("answers.urls")),
    path("accounts/", include("allauth.urls")),
    # Staff log in through the site log-in (throttled, two-factor): see forum/security.py.
    path("admin/login/", security.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    # Sitemap index and its paged sections (issue 7).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        views.sitemap_section,
        name="sitemap-section",
    ),
]

if settings.DEBUG_TOOLBAR:  # `make run` only (forum/settings.py)
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
