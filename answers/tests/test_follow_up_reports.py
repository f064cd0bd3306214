"""Reports of a patient's follow-up (issue 19: "report a question, reply or follow-up"):
the report page for every role, the hide threshold, the moderators' queue and each
decision with the audit log, the reporters' e-mails and what each write invalidates."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from answers.actions.reports import decide_reports, report_item
from answers.tests.factories import FollowUpFactory, ReplyFactory
from answers.tests.test_reports import ROLES, _outcome
from forum.models import ModerationEvent, Report
from forum.tests.factories import UserFactory
from forum.tests.two_factor import sign_in
from questions.models import FollowUp, Question
from questions.tests.changes import assert_pages_invalidated

pytestmark = pytest.mark.django_db

Action = ModerationEvent.Action
TEXT = "Thank you. My neighbour Chen Mei-ling has the same pills, can she take mine?"


@pytest.fixture
def reply(question, doctor):
    return ReplyFactory(question=question, doctor=doctor, body="Rest, fluids and a diary.")


@pytest.fixture
def follow_up(reply):
    return FollowUpFactory(reply=reply, body=TEXT)


def report_url(pk):
    return reverse("answers:report", kwargs={"kind": "follow_up", "pk": pk})


def decide_url(pk):
    return reverse("answers:report-decide", kwargs={"kind": "follow_up", "pk": pk})


def _report(user, follow_up, reason=Report.Reason.PERSONAL_DATA):
    return report_item(reporter=user, kind="follow_up", item=follow_up, reason=reason)


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_can_report_a_follow_up_and_anonymous_visitors_log_in(
    client, world, role, follow_up
):
    user = world[role]
    if user is not None:
        sign_in(client, user)
    url = report_url(follow_up.pk)
    opened = client.get(url)
    sent = client.post(url, {"reason": Report.Reason.SPAM})
    if role == "anonymous":
        assert (_outcome(opened), _outcome(sent)) == ("login", "login")
        assert not Report.objects.exists()
        return
    assert opened.status_code == 200
    assert "Follow-up to &ldquo;" in opened.content.decode()
    assert sent.status_code == 302 and sent.url == follow_up.get_absolute_url()
    made = Report.objects.get()
    assert (made.reporter, made.target_kind, made.target_id) == (user, "follow_up", follow_up.pk)


@pytest.mark.parametrize("status", [FollowUp.Status.PENDING, FollowUp.Status.REJECTED])
def test_a_follow_up_the_public_cannot_see_cannot_be_reported(client, follow_up, status):
    FollowUp.objects.filter(pk=follow_up.pk).update(status=status)
    client.force_login(UserFactory())
    assert client.get(report_url(follow_up.pk)).status_code == 404
    assert client.post(report_url(follow_up.pk), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_the_qa_page_links_each_follow_up_and_answer_to_the_report_page(
    client, question, follow_up, doctor
):
    answer = ReplyFactory(question=question, doctor=doctor, follow_up=follow_up, body="No.")
    page = client.get(question.get_absolute_url()).content.decode()
    links = link_words(page)
    assert links[report_url(follow_up.pk)] == "Report this follow-up"
    answer_report = reverse("answers:report", kwargs={"kind": "reply", "pk": answer.pk})
    assert links[answer_report] == "Report this answer"


def link_words(page: str) -> dict[str, str]:
    """Each link's address and the words a reader sees (its icon is drawn, not read)."""
    return {
        href: re.sub(r"<svg\b.*?</svg>|<[^>]+>", "", inner).strip()
        for href, inner in re.findall(r'<a href="([^"]+)">(.*?)</a>', page, flags=re.S)
    }


def test_the_threshold_hides_the_follow_up_from_its_page(client, settings, question, follow_up):
    settings.REPORT_HIDE_THRESHOLD = 2
    page = question.get_absolute_url()
    assert TEXT in client.get(page).content.decode()  # and kept in the page cache
    first, second = UserFactory(), UserFactory()
    _report(first, follow_up)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.PUBLISHED
    with assert_pages_invalidated(question_ids=[question.pk], all_pages=False):
        report = _report(second, follow_up)
    follow_up.refresh_from_db()
    assert report.hid_item is True
    assert follow_up.status == FollowUp.Status.REMOVED
    assert TEXT not in client.get(page).content.decode()
    event = ModerationEvent.objects.get(action=Action.HIDE_FOLLOW_UP)
    assert (event.actor, event.target_id) == (None, follow_up.pk)
    assert "2 open reports" in event.reason
    # Hidden, it cannot be reported again.
    client.force_login(UserFactory())
    assert client.get(report_url(follow_up.pk)).status_code == 404


def test_dismissing_shows_it_again_and_tells_each_reporter(
    client, settings, question, follow_up, moderator, django_capture_on_commit_callbacks
):
    settings.REPORT_HIDE_THRESHOLD = 2
    readers = [UserFactory(), UserFactory()]
    for reader in readers:
        _report(reader, follow_up)
    mail.outbox.clear()
    with (
        assert_pages_invalidated(question_ids=[question.pk], all_pages=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        decide_reports(
            kind="follow_up", item=follow_up, moderator=moderator, decision="dismiss", reason="OK"
        )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.PUBLISHED
    assert TEXT in client.get(question.get_absolute_url()).content.decode()
    actions = ModerationEvent.objects.filter(actor=moderator).values_list("action", flat=True)
    assert sorted(actions) == sorted([Action.RESTORE_FOLLOW_UP, Action.DISMISS_REPORTS])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)
    assert follow_up.get_absolute_url() in mail.outbox[0].body


def test_removing_needs_a_reason_takes_it_off_and_logs_it(
    client, question, follow_up, moderator, django_capture_on_commit_callbacks
):
    _report(UserFactory(), follow_up)
    sign_in(client, moderator)
    refused = client.post(decide_url(follow_up.pk), {"decision": "remove", "reason": ""})
    assert refused.status_code == 200
    assert "A reason is required." in refused.content.decode()
    with assert_pages_invalidated(question_ids=[question.pk], all_pages=False):
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(
                decide_url(follow_up.pk), {"decision": "remove", "reason": "Names a neighbour"}
            )
    assert done.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.REMOVED
    assert Report.objects.get().outcome == Report.Outcome.REMOVED
    event = ModerationEvent.objects.get(action=Action.HIDE_FOLLOW_UP)
    assert (event.actor, event.reason) == (moderator, "Names a neighbour")
    client.logout()
    assert TEXT not in client.get(question.get_absolute_url()).content.decode()


def test_redacting_edits_the_text_and_shows_it_again(
    client, settings, question, follow_up, moderator
):
    settings.REPORT_HIDE_THRESHOLD = 1
    _report(UserFactory(), follow_up)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.REMOVED
    sign_in(client, moderator)
    form = client.get(decide_url(follow_up.pk)).content.decode()
    assert "Chen Mei-ling" in form  # the text to edit, for moderators
    redacted = "Thank you. My neighbour has the same pills, can she take mine?"
    with assert_pages_invalidated(question_ids=[question.pk], all_pages=False):
        response = client.post(
            decide_url(follow_up.pk),
            {"decision": "redact", "reason": "Took out a name", "body": redacted},
        )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.body, follow_up.status) == (redacted, FollowUp.Status.PUBLISHED)
    assert ModerationEvent.objects.get(action=Action.EDIT_FOLLOW_UP).reason == "Took out a name"
    assert ModerationEvent.objects.filter(action=Action.RESTORE_FOLLOW_UP).count() == 1
    client.logout()
    page = client.get(question.get_absolute_url()).content.decode()
    assert redacted in page and "Chen Mei-ling" not in page


def test_the_queue_lists_a_reported_follow_up_in_words(client, question, follow_up, moderator):
    _report(UserFactory(), follow_up)
    sign_in(client, moderator)
    page = client.get(reverse("answers:moderation-reports")).content.decode()
    assert f"Follow-up to &ldquo;{question.title}&rdquo;" in page
    assert decide_url(follow_up.pk) in page
    assert "My personal data is in it" in page


def test_a_withdrawn_question_leaves_its_follow_up_reports_as_deleted_items(
    client, question, follow_up, moderator
):
    _report(UserFactory(), follow_up)
    Question.objects.filter(pk=question.pk).delete()
    sign_in(client, moderator)
    page = client.get(reverse("answers:moderation-reports")).content.decode()
    assert f"Item {follow_up.pk} (deleted)" in page
    assert client.get(decide_url(follow_up.pk)).status_code == 404


@pytest.mark.parametrize("role", ["patient", "doctor", "editor", "staff"])
def test_only_moderators_decide_on_follow_up_reports(client, world, role, follow_up, doctor):
    _report(UserFactory(), follow_up)
    user = {"patient": world["patient"], "doctor": doctor.user}.get(role) or world[role]
    sign_in(client, user)
    assert client.get(decide_url(follow_up.pk)).status_code == 403
    assert client.post(decide_url(follow_up.pk), {"decision": "dismiss"}).status_code == 403
    assert Report.objects.get().status == Report.Status.OPEN
