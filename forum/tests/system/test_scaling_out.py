"""Two app servers, one PostgreSQL, one Redis: sessions and the page cache are shared.

Each server is its own gunicorn (own processes, own memory) on its own port, with
REDIS_URL set, so anything that must be shared between them has to live in Redis.
"""

from dataclasses import dataclass

import pytest

from forum.tests.system.processes import (
    AppServer,
    HttpClient,
    Postgres,
    Redis,
    app_env,
    shell,
)

pytestmark = pytest.mark.system(needs=["postgres", "redis"])

EMAIL = "patient@example.org"
PASSWORD = "correct-horse-battery-9"

SEED = f"""
from forum.tests.system import seed
seed.patient("{EMAIL}", "{PASSWORD}")
print(seed.question("Is a daily walk enough exercise?").pk)
"""

PAGE_CACHE_KEY = "from questions.cache import page_cache_key; print(page_cache_key({pk}))"

PUBLISH_REPLY = """
from forum.tests.system import seed
seed.publish_reply({pk}, "Thirty brisk minutes most days is a good start.")
"""


@dataclass
class Cluster:
    env: dict
    redis: Redis
    first: AppServer
    second: AppServer
    question_pk: int


@pytest.fixture(scope="module")
def cluster(static_root, tmp_path_factory):
    """One PostgreSQL, one Redis and two gunicorn servers, shared by this module's tests."""
    logs = tmp_path_factory.mktemp("scaling")
    postgres, redis, servers = Postgres(), Redis(), []
    try:
        postgres.start()
        redis.start()
        env = app_env(database_url=postgres.url, static_root=static_root, REDIS_URL=redis.url)
        question_pk = int(shell(env, SEED, migrate=True))
        for name in ("first", "second"):
            servers.append(AppServer(env, logs / f"{name}.log", workers=1))
            servers[-1].start()
        yield Cluster(env, redis, servers[0], servers[1], question_pk)
    finally:
        for server in servers:
            server.stop()
        redis.stop()
        postgres.remove()


def test_a_session_made_on_one_server_is_valid_on_the_other(cluster):
    first, second = cluster.first, cluster.second
    client = HttpClient()

    assert client.get(second.url("/accounts/email/")).status == 302  # not logged in yet
    logged_in = client.post_form(
        first.url("/accounts/login/"), None, {"login": EMAIL, "password": PASSWORD}
    )
    assert logged_in.status == 302, logged_in.text[:500]
    session_id = client.cookie("sessionid")
    assert session_id

    account = client.get(second.url("/accounts/email/"))
    assert account.status == 200
    assert EMAIL in account.text
    assert cluster.redis.client().exists(f"forum:1:django.contrib.sessions.cache{session_id}")

    logged_out = client.post_form(
        second.url("/accounts/email/"), second.url("/accounts/logout/"), {}
    )
    assert logged_out.status == 302
    assert client.get(first.url("/accounts/email/")).status == 302
    assert HttpClient().get(first.url("/accounts/email/")).status == 302


def test_a_published_reply_shows_at_once_on_both_servers(cluster):
    env, first, second, question_pk = (
        cluster.env,
        cluster.first,
        cluster.second,
        cluster.question_pk,
    )
    reader = HttpClient()
    question_url = f"/questions/{question_pk}/is-a-daily-walk-enough-exercise/"
    for server in (first, second):
        page = reader.get(server.url(question_url))
        assert page.status == 200
        assert "Thirty brisk minutes" not in page.text

    key_before = shell(env, PAGE_CACHE_KEY.format(pk=question_pk))
    assert (
        shell(env, PAGE_CACHE_KEY.format(pk=question_pk)) == key_before
    )  # shared, not per process
    shell(env, PUBLISH_REPLY.format(pk=question_pk))
    assert shell(env, PAGE_CACHE_KEY.format(pk=question_pk)) != key_before

    for server in (second, first):
        page = reader.get(server.url(question_url))
        assert page.status == 200
        assert "Thirty brisk minutes most days is a good start." in page.text
