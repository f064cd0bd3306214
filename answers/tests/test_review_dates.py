"""Content review dates: an article's next review (set, re-confirmed, overdue in admin
and on the Q&A page, a notice to readers past the grace period, which the anonymous page
cache follows with the calendar) and a doctor's "still accurate" on an old reply."""

import importlib
import time
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from answers.actions import confirm_article_review, save_article
from answers.models import Article, Reply
from answers.tests.factories import ArticleFactory, ReplyFactory
from forum.i18n import url_in_language
from forum.models import ModerationEvent
from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory
from forum.tests.two_factor import sign_in
from questions.cache import page_cache_key

pytestmark = pytest.mark.django_db

ARTICLE_LIST = "admin:answers_article_changelist"
NOTICE = "This article is past its review date"


def _today() -> date:
    return timezone.localdate()


def _overdue_article(question, *, days: int = 1, **fields) -> Article:
    """A published article attached to the question, its next review `days` ago."""
    fields.setdefault("author", None)  # (the factory's author would be one more editor)
    article = ArticleFactory(next_review_on=_today() - timedelta(days=days), **fields)
    article.questions.add(question)
    return article


def _staff(**fields):
    return UserFactory(is_staff=True, **fields)


# --- Dates and the re-confirmation ----------------------------------------------------


def test_saving_a_reviewed_article_sets_its_next_review_an_interval_later(editor, doctor, settings):
    settings.ARTICLE_REVIEW_INTERVAL_DAYS = 200
    article = Article(
        title="Sleep and headaches",
        slug="sleep-and-headaches",
        body="Text",
        reviewer=doctor,
        reviewed_on=date(2026, 1, 10),
        status=Article.Status.PUBLISHED,
    )
    save_article(article=article, questions=[], actor=editor)
    assert Article.objects.get().next_review_on == date(2026, 7, 29)

    # Moving the review date moves a next review the editor left alone...
    article.reviewed_on = date(2026, 2, 1)
    save_article(article=article, questions=[], actor=editor)
    assert Article.objects.get().next_review_on == date(2026, 8, 20)
    # ...and an editor's own next review date is kept.
    article.next_review_on = date(2026, 4, 1)
    save_article(article=article, questions=[], actor=editor)
    assert Article.objects.get().next_review_on == date(2026, 4, 1)


def test_the_migration_dates_existing_articles_from_their_review_or_publication(settings):
    settings.ARTICLE_REVIEW_INTERVAL_DAYS = 365
    reviewed = ArticleFactory(reviewed_on=date(2025, 3, 1))
    unreviewed = ArticleFactory(
        reviewed_on=None,
        reviewer=None,
        status="draft",
        published_at=datetime(2025, 5, 2, 9, tzinfo=timezone.get_current_timezone()),
    )
    never = ArticleFactory(reviewed_on=None, reviewer=None, status="draft", published_at=None)
    Article.objects.update(next_review_on=None)
    migration = importlib.import_module("answers.migrations.0007_review_dates")

    migration.fill_next_review(apps, None)

    dates = dict(Article.objects.values_list("pk", "next_review_on"))
    assert dates == {
        reviewed.pk: date(2026, 3, 1),
        unreviewed.pk: date(2026, 5, 2),
        never.pk: None,
    }


def test_overdue_and_due_soon_are_published_articles_by_next_review(settings):
    settings.ARTICLE_REVIEW_DUE_SOON_DAYS = 10
    today = _today()
    overdue = ArticleFactory(next_review_on=today - timedelta(days=1))
    ArticleFactory(next_review_on=today - timedelta(days=1), status="draft", published_at=None)
    due_today = ArticleFactory(next_review_on=today)
    soon = ArticleFactory(next_review_on=today + timedelta(days=10))
    ArticleFactory(next_review_on=today + timedelta(days=11))

    assert list(Article.objects.review_overdue(today=today)) == [overdue]
    assert list(Article.objects.review_due_soon(today=today)) == [due_today, soon]


def test_confirming_a_review_dates_it_today_logs_it_and_refreshes_the_pages(
    editor, question, settings
):
    settings.ARTICLE_REVIEW_INTERVAL_DAYS = 90
    article = _overdue_article(question, days=40, reviewed_on=_today() - timedelta(days=400))
    stamp = page_cache_key(question.pk)

    confirm_article_review(article=article, actor=editor)

    article.refresh_from_db()
    assert article.reviewed_on == _today()
    assert article.next_review_on == _today() + timedelta(days=90)
    event = ModerationEvent.objects.get()
    assert (event.action, event.target, event.actor) == ("confirm_article_review", article, editor)
    assert page_cache_key(question.pk) != stamp


# --- Admin ------------------------------------------------------------------------------


def test_article_list_filters_overdue_and_due_soon_and_marks_the_column(client, editor, settings):
    settings.ARTICLE_REVIEW_DUE_SOON_DAYS = 30
    today = _today()
    ArticleFactory(title="Old advice on migraines", next_review_on=today - timedelta(days=3))
    ArticleFactory(title="Fresh advice on sleep", next_review_on=today + timedelta(days=5))
    ArticleFactory(title="Advice for next year", next_review_on=today + timedelta(days=300))
    sign_in(client, editor)

    everything = client.get(reverse(ARTICLE_LIST)).content.decode()
    assert "1 published article is past its review date." in strip_tags(everything)
    due = (today - timedelta(days=3)).strftime("%Y/%m/%d")
    assert f"{due} (review due)" in everything

    overdue = client.get(reverse(ARTICLE_LIST), {"review": "overdue"}).content.decode()
    assert "Old advice on migraines" in overdue
    assert "Fresh advice on sleep" not in overdue
    assert "Advice for next year" not in overdue
    soon = client.get(reverse(ARTICLE_LIST), {"review": "soon"}).content.decode()
    assert "Fresh advice on sleep" in soon
    assert "Old advice on migraines" not in soon
    assert "Advice for next year" not in soon


def test_change_page_says_review_due_and_its_button_reconfirms(client, editor, question):
    article = _overdue_article(question, days=2)
    sign_in(client, editor)
    change = reverse("admin:answers_article_change", args=[article.pk])

    page = client.get(change).content.decode()
    assert "Review due: this article" in page
    confirm = reverse("admin:answers_article_confirm_review", args=[article.pk])
    assert f'action="{confirm}"' in page

    response = client.post(confirm, follow=True)

    article.refresh_from_db()
    assert article.reviewed_on == _today() and article.next_review_on > _today()
    assert "Review confirmed; next review on" in response.content.decode()
    assert "Review due: this article" not in response.content.decode()
    assert ModerationEvent.objects.get().action == "confirm_article_review"


def test_confirm_button_is_post_only(client, editor, question):
    article = _overdue_article(question)
    sign_in(client, editor)
    response = client.get(reverse("admin:answers_article_confirm_review", args=[article.pk]))
    assert response.status_code == 405
    assert not ModerationEvent.objects.exists()


def test_admin_action_reconfirms_the_selected_articles(client, editor, question):
    first, second = _overdue_article(question), _overdue_article(question, days=5)
    sign_in(client, editor)

    response = client.post(
        reverse(ARTICLE_LIST),
        {"action": "confirm_reviews", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert "2 articles re-confirmed as reviewed." in response.content.decode()
    assert set(Article.objects.values_list("reviewed_on", flat=True)) == {_today()}
    assert ModerationEvent.objects.filter(action="confirm_article_review").count() == 2


@pytest.mark.parametrize("role", ["anonymous", "patient", "doctor", "moderator", "staff"])
def test_only_editors_may_reconfirm_an_article(client, role, question, doctor):
    article = _overdue_article(question, days=9)
    users = {
        "patient": lambda: UserFactory(),
        "doctor": lambda: doctor.user,
        "moderator": lambda: ModeratorFactory(),
        "staff": lambda: _staff(),  # staff without the right to change articles
    }
    if role in users:
        sign_in(client, users[role]())

    response = client.post(reverse("admin:answers_article_confirm_review", args=[article.pk]))

    if role == "staff":
        assert response.status_code == 403
    else:  # admin sends everyone who is not staff to its log-in page
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
    article.refresh_from_db()
    assert article.next_review_on == _today() - timedelta(days=9)
    assert not ModerationEvent.objects.exists()


# --- The Q&A page -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_it"),
    [
        ("anonymous", False),
        ("patient", False),
        ("doctor", False),
        ("moderator", False),
        ("editor", True),
        ("staff", True),
    ],
)
def test_review_due_shows_on_the_qa_page_to_editors_and_staff_only(
    client, question, doctor, editor, role, sees_it
):
    _overdue_article(question, days=3)
    users = {
        "patient": lambda: question.author,
        "doctor": lambda: doctor.user,
        "moderator": lambda: ModeratorFactory(),
        "editor": lambda: editor,
        "staff": lambda: _staff(),
    }
    if role in users:
        sign_in(client, users[role]())

    page = client.get(question.get_absolute_url()).content.decode()

    assert ("Review due" in page) is sees_it
    # Within the grace period readers see no notice.
    assert NOTICE not in page


def test_an_article_within_its_review_date_shows_nothing_to_editors(client, question, editor):
    article = ArticleFactory(next_review_on=_today())
    article.questions.add(question)
    sign_in(client, editor)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Review due" not in page and NOTICE not in page


def test_readers_see_the_notice_once_the_grace_period_is_over(client, question, settings):
    settings.ARTICLE_REVIEW_GRACE_DAYS = 30
    within = _overdue_article(question, days=30, title="Within grace")
    past = _overdue_article(question, days=31, title="Past grace")

    page = client.get(question.get_absolute_url()).content.decode()

    text = strip_tags(page)
    due = past.next_review_on.strftime("%Y/%m/%d")
    assert f"This article is past its review date (due {due}); it may be out of date." in text
    assert text.count(NOTICE) == 1
    assert NOTICE in _article_head(page, past)
    assert NOTICE not in _article_head(page, within)


def _article_head(page: str, article: Article) -> str:
    """What the page shows of an article above its text."""
    start = page.index(f'id="article-{article.pk}"')
    return page[start : page.index('<div class="prose">', start)]


def test_the_reader_notice_is_translated(client, question, settings):
    settings.ARTICLE_REVIEW_GRACE_DAYS = 0
    _overdue_article(question, days=1)
    page = client.get(url_in_language(question.get_absolute_url(), "zh-hant")).content.decode()
    assert "本文已超過預定審閱日期" in page


def test_qa_page_with_overdue_articles_keeps_its_query_count(
    client, question, settings, django_assert_num_queries
):
    settings.ARTICLE_REVIEW_GRACE_DAYS = 0
    for days in (1, 5, 50):
        _overdue_article(question, days=days)
    # the question (with its replies, tags, Similar Q&A and Related FAQ), the articles
    with django_assert_num_queries(2):
        response = client.get(question.get_absolute_url())
    assert strip_tags(response.content.decode()).count(NOTICE) == 3


@pytest.fixture
def clock(monkeypatch):
    """Set the time the site and its caches read: clock(datetime)."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(time, "time", lambda: moment.timestamp())

    return set_to


def test_a_cached_page_is_not_served_without_the_notice_after_the_grace_date(
    client, question, settings, clock, django_assert_num_queries
):
    """No write happens when the grace period ends: the kept copy must expire then."""
    settings.ARTICLE_REVIEW_GRACE_DAYS = 30
    evening = datetime(2026, 6, 10, 23, 58, tzinfo=timezone.get_current_timezone())
    ArticleFactory(next_review_on=date(2026, 5, 11)).questions.add(question)  # notice from 6/11
    url = question.get_absolute_url()

    clock(evening)
    assert NOTICE not in client.get(url).content.decode()
    clock(evening + timedelta(minutes=1))
    with django_assert_num_queries(0):  # kept: served from the page cache
        assert NOTICE not in client.get(url).content.decode()

    # Past midnight, well within the page cache's usual lifetime (10 minutes).
    clock(evening + timedelta(minutes=3))
    page = strip_tags(client.get(url).content.decode())
    assert "This article is past its review date (due 2026/05/11)" in page
    clock(evening + timedelta(minutes=4))
    with django_assert_num_queries(0):  # the page with the notice is kept as usual
        assert NOTICE in client.get(url).content.decode()


def test_a_page_drawn_before_midnight_and_stored_after_is_kept_a_second_only(settings):
    from answers.qa_page import PAGE_CACHE_SECONDS, _seconds_until_change

    settings.ARTICLE_REVIEW_GRACE_DAYS = 0
    article = Article(next_review_on=date(2026, 6, 11))  # notice from 6/12
    taipei = timezone.get_current_timezone()
    evening = datetime(2026, 6, 11, 23, 59, 50, tzinfo=taipei)
    just_after = datetime(2026, 6, 12, 0, 0, 0, 500_000, tzinfo=taipei)

    assert _seconds_until_change([article], date(2026, 6, 11), evening) == 10
    assert _seconds_until_change([article], date(2026, 6, 11), just_after) == 1
    assert _seconds_until_change([article], date(2026, 6, 12), just_after) == PAGE_CACHE_SECONDS


# --- "Still accurate" on an old reply ---------------------------------------------------


def _old_reply(question, doctor, *, days: int = 400) -> Reply:
    return ReplyFactory(
        question=question,
        doctor=doctor,
        published_at=timezone.now() - timedelta(days=days),
    )


def _confirm_url(reply: Reply) -> str:
    return reverse("answers:reply-confirm-accurate", kwargs={"pk": reply.pk})


def test_doctor_confirms_an_old_reply_from_history_and_the_qa_page_shows_it(
    client, question, doctor, settings
):
    settings.REPLY_ACCURACY_CHECK_DAYS = 365
    old = _old_reply(question, doctor)
    recent = _old_reply(question, doctor, days=10)
    url = question.get_absolute_url()
    client.get(url)  # an anonymous copy is kept
    sign_in(client, doctor.user)

    history = client.get(reverse("answers:history")).content.decode()
    assert f'action="{_confirm_url(old)}"' in history
    assert _confirm_url(recent) not in history

    response = client.post(_confirm_url(old), follow=True)

    assert "the reply now shows it is still accurate" in response.content.decode()
    old.refresh_from_db()
    assert old.confirmed_accurate_on == _today()
    event = ModerationEvent.objects.get()
    assert (event.action, event.target, event.actor) == (
        "confirm_reply_accuracy",
        old,
        doctor.user,
    )
    client.logout()
    page = client.get(url).content.decode()  # the kept anonymous copy was dropped
    reply_part = page[page.index(f'id="reply-{old.pk}"') : page.index(f'id="reply-{recent.pk}"')]
    assert (
        f"Confirmed still accurate by the doctor on {_today().strftime('%Y/%m/%d')}"
        in strip_tags(reply_part)
    )
    assert strip_tags(page).count("Confirmed still accurate") == 1

    # Confirmed: not due again until the check period has passed once more.
    sign_in(client, doctor.user)
    assert _confirm_url(old) not in client.get(reverse("answers:history")).content.decode()
    again = client.post(_confirm_url(old), follow=True).content.decode()
    assert "confirmed recently" in again
    assert ModerationEvent.objects.count() == 1
    Reply.objects.filter(pk=old.pk).update(confirmed_accurate_on=_today() - timedelta(days=365))
    assert _confirm_url(old) in client.get(reverse("answers:history")).content.decode()


def test_confirmation_shows_in_chinese(client, question, doctor):
    reply = _old_reply(question, doctor)
    Reply.objects.filter(pk=reply.pk).update(confirmed_accurate_on=date(2026, 3, 4))
    page = client.get(url_in_language(question.get_absolute_url(), "zh-hant")).content.decode()
    assert "醫師已於 <time" in page and "2026/03/04</time> 確認內容仍正確" in page


def test_a_recent_reply_cannot_be_confirmed_and_says_why(client, question, doctor, settings):
    settings.REPLY_ACCURACY_CHECK_DAYS = 365
    reply = _old_reply(question, doctor, days=364)
    sign_in(client, doctor.user)

    response = client.post(_confirm_url(reply), follow=True)

    assert "too recent to confirm" in response.content.decode()
    reply.refresh_from_db()
    assert reply.confirmed_accurate_on is None
    assert not ModerationEvent.objects.exists()


def test_confirming_is_post_only(client, question, doctor):
    reply = _old_reply(question, doctor)
    sign_in(client, doctor.user)
    assert client.get(_confirm_url(reply)).status_code == 405


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("patient", 403),
        ("author", 302),
        ("suspended author", 403),
        ("other doctor", 403),
        ("moderator", 403),
        ("editor", 403),
        ("staff", 403),
    ],
)
def test_only_the_reply_s_own_verified_doctor_may_confirm_it(
    client, question, doctor, editor, role, status
):
    author = DoctorProfileFactory(status="suspended" if role == "suspended author" else "verified")
    reply = _old_reply(question, author)
    users = {
        "patient": lambda: question.author,
        "author": lambda: author.user,
        "suspended author": lambda: author.user,
        "other doctor": lambda: doctor.user,
        "moderator": lambda: ModeratorFactory(),
        "editor": lambda: editor,
        "staff": lambda: _staff(),
    }
    if role in users:
        sign_in(client, users[role]())

    response = client.post(_confirm_url(reply))

    assert response.status_code == status
    reply.refresh_from_db()
    if role == "author":
        assert response["Location"] == reverse("answers:history")
        assert reply.confirmed_accurate_on == _today()
    else:
        if role == "anonymous":
            assert reverse("account_login") in response["Location"]
        assert reply.confirmed_accurate_on is None
        assert not ModerationEvent.objects.exists()


def test_history_keeps_its_query_count_with_old_replies(
    client, doctor, specialty, django_assert_num_queries
):
    for days in (400, 500):
        ReplyFactory(
            doctor=doctor,
            question__specialty=specialty,
            published_at=timezone.now() - timedelta(days=days),
        )
    sign_in(client, doctor.user)
    # session, user, doctor, page count, totals, delays, header roles, page
    with django_assert_num_queries(8):
        html = client.get(reverse("answers:history")).content.decode()
    assert html.count("Still accurate") == 2


# --- The editors' and reviewers' digest -------------------------------------------------


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """send(*options): run send_digests, the outbox sending what it queued."""

    def run(*args) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests", *args, stdout=out)
        return out.getvalue()

    return run


def test_editors_get_every_overdue_article_and_reviewers_their_own_once(
    editor, question, doctor, other_doctor, send
):
    mine = _overdue_article(question, days=4, title="Migraine triggers", reviewer=doctor)
    theirs = _overdue_article(question, days=2, title="Tension headaches", reviewer=other_doctor)
    ArticleFactory(title="Not yet due", reviewer=doctor, author=None, next_review_on=_today())

    output = send()

    assert "3 review reminder(s) (4 article(s))" in output
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {editor.email, doctor.user.email, other_doctor.user.email}
    to_editor = by_address[editor.email].body
    assert "Migraine triggers" in to_editor and "Tension headaches" in to_editor
    assert "Not yet due" not in to_editor
    assert reverse("admin:answers_article_change", args=[mine.pk]) in to_editor
    due = mine.next_review_on.strftime("%Y/%m/%d")
    assert f"Migraine triggers (review due {due})" in by_address[doctor.user.email].body
    assert "Tension headaches" not in by_address[doctor.user.email].body
    assert "List-Unsubscribe" in by_address[editor.email].extra_headers

    mail.outbox.clear()
    assert "0 review reminder(s)" in send()
    assert mail.outbox == []

    # Re-confirmed and overdue again: reminded again.
    confirm_article_review(article=theirs, actor=editor)
    Article.objects.filter(pk=theirs.pk).update(next_review_on=_today() - timedelta(days=1))
    send()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [editor.email, other_doctor.user.email]
    )


def test_a_review_reminder_s_one_click_unsubscribe_stops_the_next_ones(
    editor, question, send, settings
):
    _overdue_article(question, days=3)
    send()
    link = mail.outbox[0].extra_headers["List-Unsubscribe"][1:-1]
    path = link.removeprefix(settings.SITE_URL)

    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    editor.refresh_from_db()
    assert editor.email_review_reminders is False
    mail.outbox.clear()
    new = _overdue_article(question, days=1)
    send()
    assert [message.to for message in mail.outbox] == [[new.reviewer.user.email]]


def test_review_reminders_respect_the_setting_and_dry_run(editor, question, doctor, send):
    _overdue_article(question, reviewer=doctor)
    type(editor).objects.filter(pk=editor.pk).update(email_review_reminders=False)

    assert "and 1 review reminder(s) (1 article(s))" in send("--dry-run")
    assert mail.outbox == []

    send()

    assert [message.to for message in mail.outbox] == [[doctor.user.email]]


def test_email_settings_offer_review_reminders_to_editors_and_reviewers_only(
    client, editor, doctor, other_doctor, patient, question
):
    _overdue_article(question, reviewer=doctor)
    label = "E-mail me when articles I edit or reviewed are past their review date"
    for user, offered in [
        (editor, True),
        (doctor.user, True),
        (other_doctor.user, False),
        (patient, False),
    ]:
        sign_in(client, user)
        page = client.get(reverse("forum:email-settings")).content.decode()
        assert (label in page) is offered, user

    sign_in(client, editor)
    client.post(reverse("forum:email-settings"), {"question_updates": "on"})
    editor.refresh_from_db()
    assert editor.email_review_reminders is False


@pytest.mark.parametrize("reviewed", [1, 5])
def test_email_settings_page_query_count_does_not_grow_with_reviewed_articles(
    client, doctor, question, reviewed, django_assert_num_queries
):
    for _ in range(reviewed):
        _overdue_article(question, reviewer=doctor)
    sign_in(client, doctor.user)
    # session, user, the doctor profile, whether they review an article, the header's
    # roles and doctor profile
    with django_assert_num_queries(6):
        response = client.get(reverse("forum:email-settings"))
    assert "past their review date" in response.content.decode()
