"""Root URL configuration: the project, above every layer (it names every app's routes).
The site-wide pages live in the "forum" namespace (forum/site/urls.py)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from answers import qa_page
from forum import i18n, security, service_views
from forum.site import urls as site_urls
from questions import urls as questions_urls

# A lost database raised in a middleware's body still gets the friendly 503.
handler500 = "forum.service_views.server_error"
# A bad Host header is refused inside a middleware: this view adds the headers the
# middleware below it would have (issue 14, finding 11).
handler400 = "forum.service_views.bad_request"
handler404 = "forum.service_views.page_not_found"

# The "questions" namespace: questions' own routes, then the Q&A page, whose view is in
# answers (it shows replies and articles). After them, so "<pk>/edit/" stays the edit page.
questions_patterns = [
    *questions_urls.urlpatterns,
    path("<int:pk>/", qa_page.question_redirect, name="detail-short"),
    path("<int:pk>/<str:slug>/", qa_page.question_detail, name="detail"),
]

# The strings of static/js/ (the djangojs catalogue), per language like the pages that
# load them; an hour in the browser's cache, as the static files would be.
javascript_catalog = cache_control(max_age=3600)(JavaScriptCatalog.as_view())

# Every page a visitor reads or uses, in each language at its own URL: the default
# language unprefixed (the contract URLs, /questions/<pk>/<slug>/, unchanged), the other
# one under its prefix (/zh-hant/..., or /en/... when DJANGO_LANGUAGE_CODE=zh-hant). One
# URL per language can be indexed and shared, and no existing link breaks; the
# README's "Languages" section and forum/i18n.py explain the rest (hreflang, redirects).
# allauth's pages are among them, so signing up and logging in happen in the visitor's
# language (and sign-up stores it). Outside: admin (Django's own pages, shown in the
# language of the staff member's cookie, or the default), the health check, robots.txt,
# the sitemaps (one set listing every language, with hreflang alternates), the switcher.
urlpatterns = i18n_patterns(
    path("", include(site_urls)),
    path("questions/", include((questions_patterns, questions_urls.app_name))),
    path("", include("answers.urls")),
    path("accounts/", include("allauth.urls")),
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),
    prefix_default_language=False,
)
urlpatterns += [
    path("language/", i18n.switch_language, name="switch-language"),
    # Staff log in through the site log-in (throttled, two-factor): see forum/security.py.
    path("admin/login/", security.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("healthz", service_views.healthz, name="healthz"),
    *site_urls.root_urlpatterns,
]

if settings.DEV_OUTBOX:  # `make run` only (forum/settings.py): the e-mails it sent
    from forum.site import dev_outbox

    urlpatterns.append(path("dev/outbox/", dev_outbox.outbox, name="dev-outbox"))

if settings.DEBUG_TOOLBAR:  # `make run` only (forum/settings.py)
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
