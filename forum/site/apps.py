from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "forum.site"
    # "site" alone would clash with django.contrib.sites' label.
    label = "forum_site"
    verbose_name = "Site pages"
