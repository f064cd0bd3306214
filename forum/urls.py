"""Root URL configuration; the site-wide pages live in the "forum" namespace."""

from django.contrib import admin
from django.urls import include, path

from forum import security, views

site_patterns = [
    path("", views.home, name="home"),
    path("specialties/<slug:slug>/", views.specialty_detail, name="specialty"),
    path("doctors/<slug:slug>/", views.doctor_detail, name="doctor"),
]

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
]
