from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


def create_cache_tables(using: str = "default", verbosity: int = 1, **kwargs) -> None:
    """post_migrate: create the database cache's table (the cache without REDIS_URL), so
    `manage.py migrate` is all a bare machine needs. createcachetable does nothing when
    the table exists or no cache uses the database."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Forum"

    def ready(self):
        # Security log and log-in throttle receivers (see forum/signals.py).
        from forum import checks as forum_checks
        from forum import signals  # noqa: F401

        # Configurations that would keep shared state per process, or write mail into
        # the logs; forum/wsgi.py runs the START_UP ones before serving.
        for check, tag in [
            (forum_checks.check_shared_cache, checks.Tags.caches),
            (forum_checks.check_replica_cache, checks.Tags.caches),
            (forum_checks.check_email_backend, "email"),
        ]:
            checks.register(check, tag, forum_checks.START_UP)
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="forum.cache_tables")
