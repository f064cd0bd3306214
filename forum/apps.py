from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Forum"

    def ready(self):
        # Security log and log-in throttle receivers (see forum/signals.py).
        from forum import signals  # noqa: F401
