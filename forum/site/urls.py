"""The site layer's routes. `urlpatterns` is the "forum" namespace (forum:home,
forum:specialty, forum:doctor, forum:search, the feeds); `root_urlpatterns` are the
names outside any namespace that crawlers know by path: robots.txt and the sitemaps."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from forum.site import email_settings, feeds, legal, views
from forum.site.sitemaps import SITEMAPS

app_name = "forum"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/email-settings/", email_settings.email_settings, name="email-settings"),
    path("email/unsubscribe/<str:token>/", email_settings.unsubscribe, name="unsubscribe"),
    path("specialties/<slug:slug>/", views.specialty_detail, name="specialty"),
    path("doctors/<slug:slug>/", views.doctor_detail, name="doctor"),
    # The site's documents (forum/legal.py).
    path("privacy/", legal.privacy_notice, name="privacy"),
    path("terms/", legal.terms_of_use, name="terms"),
    path("accessibility/", legal.accessibility_statement, name="accessibility"),
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

root_urlpatterns = [
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
