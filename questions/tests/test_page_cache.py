"""The anonymous Q&A page cache: shared only when safe, and every write shows next time."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware

from answers.actions import approve_reply, render_article
from answers.models import Reply
from answers.qa_page import PAGE_CACHE_SECONDS, question_detail
from answers.tests.factories import ArticleFactory, ReplyFactory
from questions.actions import remove_question, set_question_tags
from questions.cache import (
    PAGE_SECONDS,
    VERSION_SECONDS,
    cached_page,
    invalidate_all_pages,
    invalidate_question_page,
)
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(question, doctor):
    question.tags.add("headache")
    ReplyFactory(question=question, doctor=doctor, body="Drink more water.")
    return question


def test_second_anonymous_request_is_served_from_the_cache_without_queries(
    client, answered, django_assert_num_queries
):
    first = client.get(answered.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(answered.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert "csrftoken" not in second.cookies


def test_cached_page_still_redirects_a_stale_slug(client, answered, django_assert_num_queries):
    client.get(answered.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(f"/questions/{answered.pk}/old-slug/")
    assert response.status_code == 301
    assert response["Location"] == answered.get_absolute_url()


def test_signed_in_visitors_never_read_or_fill_the_shared_cache(client, answered, patient):
    client.force_login(patient)
    signed_in = client.get(answered.get_absolute_url()).content.decode()
    assert "Log out" in signed_in
    assert cached_page(answered.pk)[0] is None
    client.logout()
    anonymous = client.get(answered.get_absolute_url()).content.decode()
    assert "Log out" not in anonymous
    client.force_login(patient)
    assert "Log out" in client.get(answered.get_absolute_url()).content.decode()


def test_page_with_a_flash_message_is_not_cached(rf, answered):
    request = rf.get(answered.get_absolute_url())
    request.user = AnonymousUser()
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    messages.info(request, "You have signed out.")
    response = question_detail(request, pk=answered.pk, slug=answered.slug)
    assert "You have signed out." in response.content.decode()
    assert cached_page(answered.pk)[0] is None


def test_newly_published_reply_shows_on_the_next_request(client, answered, specialty, moderator):
    other = QuestionFactory(specialty=specialty, tags=["headache"], title="Aching temples")
    client.get(answered.get_absolute_url())
    client.get(other.get_absolute_url())
    held = ReplyFactory(question=other, status=Reply.Status.HELD, body="Rest in a dark room.")
    approve_reply(reply=held, moderator=moderator)
    assert "Rest in a dark room." in client.get(other.get_absolute_url()).content.decode()
    # Newly answered, it enters the Similar Q&A of the page sharing its tag.
    assert "Aching temples" in client.get(answered.get_absolute_url()).content.decode()


def test_attached_article_shows_on_the_next_request(client, answered):
    client.get(answered.get_absolute_url())
    article = ArticleFactory(title="Headaches explained", body="Most headaches are *harmless*.")
    render_article(article=article)
    article.questions.add(answered)
    invalidate_question_page(answered.pk)  # what the editors' attach action calls
    html = client.get(answered.get_absolute_url()).content.decode()
    assert "<title>Headaches explained - Neurology" in html
    assert '<h3 class="article-title">Headaches explained</h3>' in html
    assert "Most headaches are <em>harmless</em>." in html


def test_tag_change_shows_on_the_next_request_on_both_pages(
    client, answered, specialty, editor, django_capture_on_commit_callbacks
):
    other = QuestionFactory(specialty=specialty, tags=["knee pain"], title="Stiff knee at night")
    ReplyFactory(question=other)
    client.get(answered.get_absolute_url())
    client.get(other.get_absolute_url())
    assert "Stiff knee at night" not in client.get(answered.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        set_question_tags(question=other, tags=["knee pain", "headache"], editor=editor)
    assert "Stiff knee at night" in client.get(answered.get_absolute_url()).content.decode()
    assert "/questions/tags/headache/" in client.get(other.get_absolute_url()).content.decode()


def test_moderation_removal_shows_on_the_next_request(client, answered, specialty, moderator):
    other = QuestionFactory(specialty=specialty, tags=["headache"], title="Aching temples")
    ReplyFactory(question=other)
    assert "Aching temples" in client.get(answered.get_absolute_url()).content.decode()
    client.get(other.get_absolute_url())
    remove_question(question=other, moderator=moderator, reason="Duplicate")
    assert client.get(other.get_absolute_url()).status_code == 404
    assert "Aching temples" not in client.get(answered.get_absolute_url()).content.decode()


def test_cached_page_is_served_before_sessions_with_the_first_answers_headers(
    client, answered, django_assert_num_queries
):
    first = client.get(answered.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(answered.get_absolute_url())
    assert not hasattr(second.wsgi_request, "session")  # answered ahead of the stack
    assert second.content == first.content
    for header in [
        "Content-Security-Policy",
        "X-Frame-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Content-Type",
    ]:
        assert second[header] == first[header]
    assert not second.cookies


def test_visitors_with_a_session_or_a_message_cookie_go_through_the_whole_stack(client, answered):
    first = client.get(answered.get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    with_session = client.get(answered.get_absolute_url())
    assert hasattr(with_session.wsgi_request, "session")
    assert with_session.content == first.content
    del client.cookies[settings.SESSION_COOKIE_NAME]
    client.cookies["messages"] = "stale"
    with_messages = client.get(answered.get_absolute_url())
    assert hasattr(with_messages.wsgi_request, "session")
    assert with_messages.status_code == 200


SPLIT_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
    "qa_versions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "v"},
    "qa_pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}


@pytest.fixture
def split_caches(settings):
    """The shape without Redis: shared versions, pages in this worker's memory."""
    from django.core.cache import caches

    settings.CACHES = SPLIT_CACHES
    for alias in SPLIT_CACHES:
        caches[alias].clear()
    yield caches
    for alias in SPLIT_CACHES:
        caches[alias].clear()


def test_a_kept_page_is_served_only_under_the_shared_versions(client, answered, split_caches):
    first = client.get(answered.get_absolute_url()).content
    assert split_caches["qa_pages"].get(f"qa:page:{answered.pk}:en")["content"] == first
    assert cached_page(answered.pk)[0] is not None
    # Another worker's write reaches this one through the shared versions only.
    split_caches["qa_versions"].set(f"qa:version:{answered.pk}", "bumped-elsewhere", 60)
    assert cached_page(answered.pk)[0] is None
    Reply.objects.filter(question=answered).update(body="Rest and drink water.")
    assert "Rest and drink water." in client.get(answered.get_absolute_url()).content.decode()


def test_a_cold_page_writes_nothing_to_the_shared_cache(client, answered, split_caches):
    client.get(answered.get_absolute_url())
    client.get(answered.get_absolute_url())
    assert (
        split_caches["qa_versions"].get_many(["qa:generation", f"qa:version:{answered.pk}"]) == {}
    )
    assert split_caches["default"].get(f"qa:page:{answered.pk}") is None


def test_invalidations_write_the_shared_versions(answered, split_caches):
    invalidate_question_page(answered.pk)
    assert split_caches["qa_versions"].get(f"qa:version:{answered.pk}")
    invalidate_all_pages()
    assert split_caches["qa_versions"].get("qa:generation")


def test_versions_outlive_every_kept_page():
    assert PAGE_CACHE_SECONDS <= PAGE_SECONDS < VERSION_SECONDS
