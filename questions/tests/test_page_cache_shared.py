"""The cached Q&A page in the production shape without Redis: the versions in their
database table (questions.cache.VersionsDatabaseCache), the pages in the worker's
memory. What the visitor gets from a hit: the same bytes and headers as the first
answer, in the language of the URL, current after every edit, for one SQL statement."""

import datetime

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone

from answers.actions import approve_reply
from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.i18n import url_in_language
from questions.cache import VersionsDatabaseCache, cached_page, invalidate_question_page
from questions.middleware import question_route
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

VERSIONS_TABLE = "forum_cache_versions"
PRODUCTION_SHAPE = {
    # The default cache in memory only so that the counts below are the page cache's.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
    "qa_versions": {"BACKEND": "questions.cache.VersionsDatabaseCache", "LOCATION": VERSIONS_TABLE},
    "qa_pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}
HEADERS = [
    "Content-Type",
    "Content-Length",
    "Content-Security-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Content-Language",
    "Vary",
]


@pytest.fixture
def shared():
    with override_settings(CACHES=PRODUCTION_SHAPE):
        call_command("createcachetable", VERSIONS_TABLE, verbosity=0)
        for alias in PRODUCTION_SHAPE:
            caches[alias].clear()
        yield caches
        for alias in PRODUCTION_SHAPE:
            caches[alias].clear()


@pytest.fixture
def answered(question, doctor):
    question.tags.add("headache")
    ReplyFactory(question=question, doctor=doctor, body="Drink more water.")
    return question


def test_a_hit_is_one_statement_with_every_header_of_the_first_answer(
    client, answered, shared, django_assert_num_queries
):
    first = client.get(answered.get_absolute_url())
    with django_assert_num_queries(1) as captured:
        second = client.get(answered.get_absolute_url())
    assert VERSIONS_TABLE in captured.captured_queries[0]["sql"]
    assert second.status_code == 200
    assert second.content == first.content
    for header in HEADERS:
        assert second.get(header) == first.get(header), header
    assert "Content-Security-Policy" in second
    assert second["Content-Length"] == str(len(second.content))
    assert second["X-Frame-Options"] == "DENY"
    assert not second.cookies
    assert not hasattr(second.wsgi_request, "session")  # answered ahead of the stack


def test_each_language_gets_its_own_copy_and_an_edit_drops_both(
    client, answered, shared, moderator
):
    english_url = answered.get_absolute_url()
    chinese_url = url_in_language(english_url, "zh-hant")
    english = client.get(english_url)
    chinese = client.get(chinese_url)
    assert 'lang="en"' in english.content.decode()
    assert 'lang="zh-Hant"' in chinese.content.decode()
    assert client.get(english_url).content == english.content
    assert client.get(chinese_url).content == chinese.content
    assert client.get(chinese_url)["Content-Language"] == chinese["Content-Language"]

    held = ReplyFactory(question=answered, status=Reply.Status.HELD, body="Rest in a dark room.")
    approve_reply(reply=held, moderator=moderator)
    assert "Rest in a dark room." in client.get(english_url).content.decode()
    assert "Rest in a dark room." in client.get(chinese_url).content.decode()


def test_a_browser_preferring_chinese_is_still_sent_to_the_chinese_url(client, answered, shared):
    client.get(answered.get_absolute_url())  # the English copy is kept
    response = client.get(answered.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == url_in_language(answered.get_absolute_url(), "zh-hant")


def test_another_workers_bump_in_the_shared_table_makes_the_page_render_afresh(
    client, answered, shared
):
    client.get(answered.get_absolute_url())
    assert cached_page(answered.pk)[0] is not None
    # A second backend on the same table: another process's invalidation.
    elsewhere = VersionsDatabaseCache(VERSIONS_TABLE, {})
    elsewhere.set(f"qa:version:{answered.pk}", "bumped-elsewhere", 60)
    assert cached_page(answered.pk)[0] is None
    Reply.objects.filter(question=answered).update(body="Rest and drink water.")
    assert "Rest and drink water." in client.get(answered.get_absolute_url()).content.decode()


def test_the_versions_read_leaves_out_expired_rows_and_keeps_current_ones(shared):
    versions = shared["qa_versions"]
    assert versions.get_many([]) == {}
    versions.set("qa:version:1", "current", 60)
    versions.set("qa:version:2", "old", 60)
    past = timezone.now() - datetime.timedelta(seconds=5)
    key = versions.make_and_validate_key("qa:version:2")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {VERSIONS_TABLE} SET expires = %s WHERE cache_key = %s",
            [connection.ops.adapt_datetimefield_value(past), key],
        )
    found = versions.get_many(["qa:version:1", "qa:version:2", "qa:version:3"])
    assert found == {"qa:version:1": "current"}
    assert versions.get("qa:version:2") is None
    assert versions.get("qa:version:1") == "current"


def test_invalidation_writes_the_shared_table(answered, shared):
    before = cached_page(answered.pk)[1]
    invalidate_question_page(answered.pk)
    assert shared["qa_versions"].get(f"qa:version:{answered.pk}")
    assert cached_page(answered.pk)[1] != before


def test_routes_are_the_question_pages_in_the_language_of_their_prefix(specialty):
    question = QuestionFactory(specialty=specialty, title="Aching temples")
    path = question.get_absolute_url()
    assert question_route(path, "forum.urls") == (question.pk, question.slug, "en")
    chinese = url_in_language(path, "zh-hant")
    assert question_route(chinese, "forum.urls") == (question.pk, question.slug, "zh-hant")
    assert question_route("/questions/new/", "forum.urls") is None
    assert question_route("/questions/not-a-number/x/", "forum.urls") is None


@pytest.fixture
def health_checked():
    """A request's first database use with CONN_HEALTH_CHECKS on, as under gunicorn."""
    connection.ensure_connection()
    enabled, done = connection.health_check_enabled, connection.health_check_done
    connection.health_check_enabled, connection.health_check_done = True, False
    yield connection
    connection.health_check_enabled, connection.health_check_done = enabled, done


def _fail_once(monkeypatch) -> list:
    calls = []
    read = VersionsDatabaseCache._read

    def flaky(connection, sql, params):
        calls.append(sql)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return read(connection, sql, params)

    monkeypatch.setattr(VersionsDatabaseCache, "_read", staticmethod(flaky))
    return calls


@pytest.mark.django_db(transaction=True)
def test_the_versions_read_is_the_health_check_and_survives_a_broken_connection(
    shared, health_checked, monkeypatch
):
    shared["qa_versions"].set("qa:version:7", "current", 60)
    health_checked.health_check_done = False
    calls = _fail_once(monkeypatch)
    closed = []
    monkeypatch.setattr(health_checked, "close", lambda: closed.append(True))
    assert shared["qa_versions"].get("qa:version:7") == "current"
    assert len(calls) == 2 and closed == [True]  # replaced and read again
    assert health_checked.health_check_done  # no "SELECT 1" before the next statement


def test_inside_a_transaction_a_broken_connection_is_not_retried(
    shared, health_checked, monkeypatch
):
    calls = _fail_once(monkeypatch)
    with pytest.raises(OperationalError):
        shared["qa_versions"].get("qa:version:7")
    assert len(calls) == 1


ON_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the versions read goes to libpq on PostgreSQL only (elsewhere Django's cursor)",
)


def _expire(versions, key: str) -> None:
    past = timezone.now() - datetime.timedelta(seconds=5)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {VERSIONS_TABLE} SET expires = %s WHERE cache_key = %s",
            [connection.ops.adapt_datetimefield_value(past), versions.make_key(key)],
        )


@ON_POSTGRES
def test_the_libpq_read_answers_as_djangos_cursor_does(shared, monkeypatch):
    versions = shared["qa_versions"]
    versions.set("qa:version:1", "current", 60)
    versions.set("qa:version:2", "old", 60)
    versions.set("qa:generation", "g-7", 60)
    _expire(versions, "qa:version:2")
    keys = ["qa:generation", "qa:version:1", "qa:version:2", "qa:version:3"]
    libpq = []
    read = VersionsDatabaseCache._read

    def spy(connection, sql, params):
        libpq.append(isinstance(sql, bytes))
        return read(connection, sql, params)

    monkeypatch.setattr(VersionsDatabaseCache, "_read", staticmethod(spy))
    lean = versions.get_many(keys)
    with override_settings(DEBUG=True):  # statements recorded: Django's cursor
        recorded = versions.get_many(keys)
    assert lean == recorded == {"qa:generation": "g-7", "qa:version:1": "current"}
    assert libpq == [True, False]


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_the_libpq_read_prepares_again_on_a_new_connection(shared):
    versions = shared["qa_versions"]
    versions.set("qa:version:5", "five", 60)
    assert versions.get("qa:version:5") == "five"
    first = connection.connection.pgconn
    assert b"qa_versions_1" in connection.qa_versions_prepared[1]
    connection.close()  # as at the end of a request past CONN_MAX_AGE
    assert versions.get("qa:version:5") == "five"
    assert connection.connection.pgconn is not first
    assert connection.qa_versions_prepared[0] is connection.connection.pgconn


@ON_POSTGRES
def test_without_prepared_statements_the_libpq_read_sends_the_statement_each_time(
    shared, monkeypatch
):
    versions = shared["qa_versions"]
    versions.set("qa:version:6", "six", 60)
    options = {**connection.settings_dict.get("OPTIONS", {}), "prepare_threshold": None}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    monkeypatch.delattr(connection, "qa_versions_prepared", raising=False)
    assert versions.get_many(["qa:version:6", "qa:version:9"]) == {"qa:version:6": "six"}
    assert not hasattr(connection, "qa_versions_prepared")


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_replaced_by_the_libpq_read(shared, health_checked):
    import psycopg

    shared["qa_versions"].set("qa:version:8", "eight", 60)
    pid = connection.connection.info.backend_pid
    with psycopg.connect(connection.connection.info.dsn, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    health_checked.health_check_done = False
    assert shared["qa_versions"].get("qa:version:8") == "eight"
    assert connection.connection.info.backend_pid != pid


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_a_failed_libpq_read_is_a_django_database_error(shared, monkeypatch):
    options = {**connection.settings_dict.get("OPTIONS", {}), "prepare_threshold": None}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    monkeypatch.setattr(VersionsDatabaseCache, "_libpq_statement", lambda *args: b"SELEC 1")
    with pytest.raises(OperationalError):
        shared["qa_versions"].get_many(["qa:version:1"])


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_the_libpq_read_prepares_again_after_a_rollback_deallocated_it(shared):
    versions = shared["qa_versions"]
    versions.set("qa:version:4", "four", 60)
    assert versions.get("qa:version:4") == "four"  # prepared
    with connection.cursor() as cursor:
        # What psycopg sends after a rollback once it has prepared statements of its own.
        cursor.execute("DEALLOCATE ALL")
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'qa_versions_1'")
        assert cursor.fetchone() == (0,)
    assert versions.get("qa:version:4") == "four"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'qa_versions_1'")
        assert cursor.fetchone() == (1,)
