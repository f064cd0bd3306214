"""Reports from readers (answers/views/reports.py, answers/actions/reports.py): the report
page for every role, one report per person and item, the hide threshold, the rate
limit, and the moderators' queue and decisions with the audit log and e-mails."""

import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from answers.actions.reports import AlreadyReported, decide_reports, report_item
from answers.models import Reply, ReplyVersion
from answers.tests.factories import ReplyFactory
from forum import roles
from forum.models import ModerationEvent, Report
from forum.tests.factories import (
    EditorFactory,
    ModeratorFactory,
    UserFactory,
)
from forum.tests.two_factor import sign_in
from questions.models import Question
from questions.tests.changes import assert_pages_invalidated, assert_search_refreshed
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

Action = ModerationEvent.Action


@pytest.fixture
def reply(question, doctor):
    return ReplyFactory(
        question=question, doctor=doctor, body="Rest, fluids and a diary of the headaches."
    )


def report_url(kind, pk):
    return reverse("answers:report", kwargs={"kind": kind, "pk": pk})


def decide_url(kind, pk):
    return reverse("answers:report-decide", kwargs={"kind": kind, "pk": pk})


def _report(user, item, kind="reply", reason=Report.Reason.DANGEROUS, **kwargs):
    return report_item(reporter=user, kind=kind, item=item, reason=reason, **kwargs)


def _people(n):
    return [UserFactory() for _ in range(n)]


# --- Who may open the report page ---------------------------------------------------


ROLES = [
    "anonymous",
    "author",
    "patient",
    "verified",
    "unverified",
    "suspended",
    "other_specialty",
    "reply_author",
    "moderator",
    "editor",
    "staff",
]


def _outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response.url:
        return "login"
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["question", "reply"])
def test_every_signed_in_role_can_report_and_anonymous_visitors_log_in_first(
    client, world, role, kind, question, reply
):
    user = world[role]
    if user is not None:
        sign_in(client, user)
    item = question if kind == "question" else reply
    url = report_url(kind, item.pk)
    opened = _outcome(client.get(url))
    # A question's own author asks for a correction instead (test_corrections.py).
    data = (
        {"reason": Report.Reason.CORRECTION, "text": "The age range should be 30~39."}
        if (role, kind) == ("author", "question")
        else {"reason": Report.Reason.SPAM}
    )
    sent = _outcome(client.post(url, data))
    if role == "anonymous":
        assert (opened, sent) == ("login", "login")
        assert client.get(url).url.endswith("?next=" + url)
        assert not Report.objects.exists()
    else:
        assert (opened, sent) == (200, 302)
        made = Report.objects.get()
        assert (made.reporter, made.target_kind, made.target_id) == (user, kind, item.pk)
        assert made.from_doctor is False


def test_the_doctors_flag_is_offered_only_to_doctors_who_may_flag(client, world, reply):
    offered = {}
    for role in ROLES[1:]:
        sign_in(client, world[role])
        page = client.get(report_url("reply", reply.pk)).content.decode()
        offered[role] = "Medically questionable" in page
        client.logout()
    assert {role for role, shown in offered.items() if shown} == {"verified"}


def test_a_doctors_flag_is_marked_and_listed_first(client, world, reply, question, moderator):
    for reader in _people(2):
        _report(reader, question, kind="question")
    sign_in(client, world["verified"])
    response = client.post(
        report_url("reply", reply.pk),
        {"reason": Report.Reason.QUESTIONABLE, "text": "The dose is wrong."},
    )
    assert response.status_code == 302
    assert Report.objects.get(target_kind="reply").from_doctor is True
    sign_in(client, moderator)
    page = client.get(reverse("answers:moderation-reports")).content.decode()
    assert page.index("Flagged by a doctor") < page.index("Question: &ldquo;")


def test_a_non_doctor_cannot_post_the_doctors_flag(client, patient, reply):
    client.force_login(UserFactory())
    response = client.post(report_url("reply", reply.pk), {"reason": Report.Reason.QUESTIONABLE})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Report.objects.exists()


# --- The report form ----------------------------------------------------------------


def test_other_needs_details_and_keeps_what_was_typed(client, reply):
    client.force_login(UserFactory())
    response = client.post(report_url("reply", reply.pk), {"reason": Report.Reason.OTHER})
    assert response.status_code == 200
    assert "Please say what is wrong." in response.content.decode()
    too_long = "x" * 1001
    response = client.post(
        report_url("reply", reply.pk), {"reason": Report.Reason.OTHER, "text": too_long}
    )
    assert response.status_code == 200
    assert too_long in response.content.decode()
    assert not Report.objects.exists()


def test_one_report_per_person_and_item_with_a_friendly_message(client, reply):
    reader = UserFactory()
    client.force_login(reader)
    client.post(report_url("reply", reply.pk), {"reason": Report.Reason.SPAM})
    again = client.post(report_url("reply", reply.pk), {"reason": Report.Reason.DANGEROUS})
    assert again.status_code == 200
    assert "You have already reported this." in again.content.decode()
    assert Report.objects.count() == 1
    with pytest.raises(AlreadyReported):
        _report(reader, reply)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            reporter=reader, target_kind="reply", target_id=reply.pk, reason="spam"
        )


@pytest.mark.parametrize("kind", ["question", "reply", "nothing"])
def test_hidden_unknown_or_missing_items_cannot_be_reported(client, kind, question, reply):
    client.force_login(UserFactory())
    if kind == "question":
        Question.objects.filter(pk=question.pk).update(status=Question.Status.PENDING)
        pk = question.pk
    elif kind == "reply":
        Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.HIDDEN)
        pk = reply.pk
    else:
        pk = reply.pk
    assert client.get(report_url(kind, pk)).status_code == 404
    assert client.get(report_url("reply", 10**9)).status_code == 404
    assert client.get(report_url("reply", 10**30)).status_code == 404


def test_reports_are_rate_limited_per_person(client, settings, specialty):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "report": "3/h/user"}
    questions = QuestionFactory.create_batch(4, specialty=specialty)
    client.force_login(UserFactory())
    codes = [
        client.post(
            report_url("question", q.pk), {"reason": Report.Reason.OTHER, "text": f"note {q.pk}"}
        ).status_code
        for q in questions
    ]
    assert codes == [302, 302, 302, 429]
    refused = client.post(
        report_url("question", questions[3].pk),
        {"reason": Report.Reason.OTHER, "text": "kept text"},
    )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "many reports in a short time" in page
    assert "kept text" in page
    assert Report.objects.count() == 3


# --- The threshold ------------------------------------------------------------------


def test_the_threshold_hides_a_reply_pending_review(settings, reply, question):
    settings.REPORT_HIDE_THRESHOLD = 3
    first, second, third = _people(3)
    _report(first, reply)
    _report(second, reply)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.PUBLISHED
    with (
        assert_pages_invalidated(question_ids=[question.pk], all_pages=True),
        assert_search_refreshed([question.pk]),
    ):
        made = _report(third, reply)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.HIDDEN
    assert made.hid_item is True
    event = ModerationEvent.objects.get(action=Action.HIDE_REPLY)
    assert event.actor is None
    assert "3 open reports" in event.reason


def test_the_threshold_hides_a_question_and_its_page_goes(client, settings, question):
    settings.REPORT_HIDE_THRESHOLD = 2
    page = question.get_absolute_url()
    assert client.get(page).status_code == 200  # cached for anonymous visitors
    first, second = _people(2)
    _report(first, question, kind="question", reason=Report.Reason.PERSONAL_DATA)
    with (
        assert_pages_invalidated(question_ids=[question.pk], all_pages=True),
        assert_search_refreshed([question.pk]),
    ):
        _report(second, question, kind="question", reason=Report.Reason.PERSONAL_DATA)
    question.refresh_from_db()
    assert question.status == Question.Status.REMOVED
    assert client.get(page).status_code == 404
    assert (
        ModerationEvent.objects.filter(action=Action.HIDE_QUESTION, target_id=question.pk).count()
        == 1
    )


def test_decided_reports_no_longer_count_toward_the_threshold(settings, reply, moderator):
    settings.REPORT_HIDE_THRESHOLD = 2
    _report(UserFactory(), reply)
    decide_reports(kind="reply", item=reply, moderator=moderator, decision="dismiss")
    _report(UserFactory(), reply)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.PUBLISHED


# --- Decisions ----------------------------------------------------------------------


def test_dismissing_restores_what_the_reports_hid_and_tells_each_reporter(
    settings, reply, question, moderator, django_capture_on_commit_callbacks
):
    settings.REPORT_HIDE_THRESHOLD = 2
    readers = _people(2)
    for reader in readers:
        _report(reader, reply)
    mail.outbox.clear()
    with (
        assert_pages_invalidated(question_ids=[question.pk], all_pages=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        decide_reports(
            kind="reply", item=reply, moderator=moderator, decision="dismiss", reason="Sound advice"
        )
    reply.refresh_from_db()
    assert reply.status == Reply.Status.PUBLISHED
    assert set(Report.objects.values_list("status", "outcome", "decided_by")) == {
        (Report.Status.DECIDED, Report.Outcome.DISMISSED, moderator.pk)
    }
    actions = list(ModerationEvent.objects.filter(actor=moderator).values_list("action", flat=True))
    assert sorted(actions) == sorted([Action.RESTORE_REPLY, Action.DISMISS_REPORTS])
    assert sorted(message.to[0] for message in mail.outbox) == sorted(r.email for r in readers)
    body = mail.outbox[0].body
    assert "stays as it is" in body
    assert reply.get_absolute_url() in body
    assert all(reader.email not in body for reader in readers)


def test_hiding_and_removing_need_a_reason_and_log_the_decision(client, reply, question, moderator):
    _report(UserFactory(), reply)
    sign_in(client, moderator)
    response = client.post(decide_url("reply", reply.pk), {"decision": "hide", "reason": ""})
    assert response.status_code == 200
    assert "A reason is required." in response.content.decode()
    response = client.post(
        decide_url("reply", reply.pk), {"decision": "hide", "reason": "Unsafe dose"}
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == Reply.Status.HIDDEN
    assert ModerationEvent.objects.get(action=Action.HIDE_REPLY).reason == "Unsafe dose"
    assert Report.objects.get().outcome == Report.Outcome.HIDDEN
    # Decided: a second decision is refused with a message.
    again = client.post(decide_url("reply", reply.pk), {"decision": "dismiss"}, follow=True)
    assert "already been decided" in again.content.decode()


def test_removing_a_question_after_the_threshold_logs_the_removal(
    settings, question, moderator, django_capture_on_commit_callbacks
):
    settings.REPORT_HIDE_THRESHOLD = 1
    reader = UserFactory(email="reader1@example.org")
    _report(reader, question, kind="question", reason=Report.Reason.SPAM)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide_reports(
            kind="question", item=question, moderator=moderator, decision="remove", reason="Advert"
        )
    question.refresh_from_db()
    assert question.status == Question.Status.REMOVED
    assert (
        ModerationEvent.objects.get(action=Action.REMOVE_QUESTION, actor=moderator).reason
        == "Advert"
    )
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert "removed it from the site" in mail.outbox[0].body
    assert question.get_absolute_url() not in mail.outbox[0].body


def test_redacting_a_question_edits_it_and_shows_it_again(client, settings, question, moderator):
    settings.REPORT_HIDE_THRESHOLD = 1
    _report(UserFactory(), question, kind="question", reason=Report.Reason.PERSONAL_DATA)
    sign_in(client, moderator)
    response = client.post(
        decide_url("question", question.pk),
        {
            "decision": "redact",
            "title": "Headaches every morning",
            "body": "I wake with headaches. [phone removed]",
            "reason": "phone number",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    assert question.body.endswith("[phone removed]")
    actions = set(ModerationEvent.objects.filter(actor=moderator).values_list("action", flat=True))
    assert actions == {Action.EDIT_QUESTION, Action.RESTORE_QUESTION}
    assert Report.objects.get().outcome == Report.Outcome.REDACTED


def test_redacting_a_reply_keeps_the_earlier_text(client, reply, question, moderator):
    _report(UserFactory(), reply, reason=Report.Reason.PERSONAL_DATA)
    sign_in(client, moderator)
    with assert_pages_invalidated(question_ids=[question.pk], all_pages=True):
        client.post(
            decide_url("reply", reply.pk), {"decision": "redact", "body": "Rest and fluids."}
        )
    reply.refresh_from_db()
    assert reply.body == "Rest and fluids."
    assert ReplyVersion.objects.get(reply=reply).body.startswith("Rest, fluids and a diary")
    assert ModerationEvent.objects.filter(action=Action.EDIT_REPLY, actor=moderator).count() == 1
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Rest and fluids." in page
    assert "a diary of the headaches" not in page


def test_redacting_with_empty_text_is_refused_and_keeps_the_form(client, reply, moderator):
    _report(UserFactory(), reply)
    sign_in(client, moderator)
    response = client.post(
        decide_url("reply", reply.pk), {"decision": "redact", "body": " ", "reason": "kept reason"}
    )
    assert response.status_code == 200
    assert "The text cannot be empty." in response.content.decode()
    assert "kept reason" in response.content.decode()


def test_reporters_who_turned_the_setting_off_get_no_outcome_email(
    reply, moderator, django_capture_on_commit_callbacks
):
    quiet = UserFactory(email_report_outcomes=False)
    _report(quiet, reply)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide_reports(kind="reply", item=reply, moderator=moderator, decision="dismiss")
    assert mail.outbox == []


def test_the_email_settings_page_turns_report_outcomes_off(client, patient):
    client.force_login(patient)
    client.post(reverse("forum:email-settings"), {"question_updates": "on"})
    patient.refresh_from_db()
    assert patient.email_report_outcomes is False


def test_outcome_emails_go_out_in_the_reporters_language(
    reply, moderator, django_capture_on_commit_callbacks
):
    reader = UserFactory(language="zh-hant")
    _report(reader, reply)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide_reports(kind="reply", item=reply, moderator=moderator, decision="hide", reason="x")
    # the doctor's "reply hidden" e-mail, then the reporter's outcome
    mail.outbox[:] = [m for m in mail.outbox if m.to == [reader.email]]
    assert "您的檢舉" in mail.outbox[0].subject


# --- The queue ----------------------------------------------------------------------


def test_queue_groups_by_item_most_reported_then_oldest_and_names_no_reporter(
    client, settings, question, reply, moderator, specialty
):
    settings.REPORT_HIDE_THRESHOLD = 10
    older = QuestionFactory(specialty=specialty, title="Older reported question")
    _report(
        UserFactory(email="early@example.org"), older, kind="question", reason=Report.Reason.SPAM
    )
    for reader in _people(2):
        _report(reader, reply)
    newest = QuestionFactory(specialty=specialty, title="Newest reported question")
    _report(UserFactory(), newest, kind="question")
    sign_in(client, moderator)
    page = client.get(reverse("answers:moderation-reports")).content.decode()
    assert (
        page.index("Reply by Dr.")
        < page.index("Older reported question")
        < page.index("Newest reported question")
    )
    assert "2 open reports" in page
    assert "Dangerous or wrong medical advice: 2" in page
    assert "early@example.org" not in page  # the list names no reporter
    detail = client.get(decide_url("question", older.pk)).content.decode()
    assert "early@example.org" in detail  # moderators may see who reported


def test_a_reporter_learns_nothing_about_other_reports(client, reply):
    _report(UserFactory(email="first@example.org"), reply, text="my own words")
    second = UserFactory()
    client.force_login(second)
    page = client.get(report_url("reply", reply.pk)).content.decode()
    assert "first@example.org" not in page and "my own words" not in page
    assert "open report" not in page


@pytest.mark.parametrize("role", ROLES)
def test_queue_and_decision_pages_are_for_moderators_only(client, world, role, reply):
    _report(UserFactory(), reply)
    user = world[role]
    if user is not None:
        sign_in(client, user)
    outcomes = (
        _outcome(client.get(reverse("answers:moderation-reports"))),
        _outcome(client.get(decide_url("reply", reply.pk))),
        _outcome(client.post(decide_url("reply", reply.pk), {"decision": "dismiss"})),
    )
    expected = {"anonymous": ("login",) * 3, "moderator": (200, 200, 302)}.get(
        role, (403, 403, 403)
    )
    assert outcomes == expected
    assert Report.objects.get().status == (
        Report.Status.DECIDED if role == "moderator" else Report.Status.OPEN
    )


def test_queue_pages_need_post_for_decisions_and_know_their_kinds(client, moderator, reply):
    sign_in(client, moderator)
    assert client.get(decide_url("nothing", reply.pk)).status_code == 404
    assert client.post(reverse("answers:moderation-reports")).status_code == 405


@pytest.mark.parametrize("reports", [1, 5])
def test_queue_query_count_is_flat_in_the_number_of_reports(
    client, moderator, specialty, reports, settings, django_assert_num_queries
):
    settings.REPORT_HIDE_THRESHOLD = 100
    for _ in range(reports):
        question = QuestionFactory(specialty=specialty)
        reply = ReplyFactory(question=question)
        for reader in _people(2):
            _report(reader, question, kind="question")
            _report(reader, reply)
    sign_in(client, moderator)
    # session, user, groups; count and page of items; questions; replies; reasons;
    # the four tab counts; the header's doctor check
    with django_assert_num_queries(13):
        response = client.get(reverse("answers:moderation-reports"))
    assert response.content.decode().count("Review and decide") == 2 * reports


def test_empty_queue_query_count(client, moderator, django_assert_num_queries):
    sign_in(client, moderator)
    # session, user, groups; count and (empty) page; the four tab counts; the header
    with django_assert_num_queries(9):
        response = client.get(reverse("answers:moderation-reports"))
    assert "No open reports." in response.content.decode()


@pytest.mark.parametrize("reports", [0, 1, 5])
def test_decision_page_query_count_is_flat(
    client, moderator, reply, reports, django_assert_num_queries
):
    for reader in _people(reports):
        _report(reader, reply)
    sign_in(client, moderator)
    # session, user, groups; the reply; its open reports with reporters; the three tab
    # counts; the header's doctor check
    with django_assert_num_queries(10):
        response = client.get(decide_url("reply", reply.pk))
    assert response.content.decode().count("Dangerous or wrong medical advice") == reports


@pytest.mark.parametrize("reports", [0, 1, 5])
def test_report_page_query_count_is_flat(
    client, settings, reply, reports, django_assert_num_queries
):
    settings.REPORT_HIDE_THRESHOLD = 100
    for reader in _people(reports):
        _report(reader, reply)
    client.force_login(UserFactory())
    # session, user; the reply; the doctor check; whether already reported; the
    # header's groups
    with django_assert_num_queries(6):
        assert client.get(report_url("reply", reply.pk)).status_code == 200


def test_the_qa_page_links_to_the_report_page_identically_for_everyone(client, question, reply):
    anonymous = client.get(question.get_absolute_url()).content.decode()
    assert report_url("question", question.pk) in anonymous
    assert report_url("reply", reply.pk) in anonymous
    assert "csrfmiddlewaretoken" not in anonymous


def test_moderators_tabs_link_the_report_queue(client, moderator):
    sign_in(client, moderator)
    page = client.get(reverse("answers:moderation")).content.decode()
    assert reverse("answers:moderation-reports") in page


def test_role_groups_are_as_expected(world):
    assert roles.is_moderator(world["moderator"]) and not roles.is_moderator(world["editor"])
    assert isinstance(EditorFactory, type) and isinstance(ModeratorFactory, type)


def test_the_audit_log_names_the_reports_and_the_moderator(client, settings, reply, moderator):
    settings.REPORT_HIDE_THRESHOLD = 1
    _report(UserFactory(), reply)
    decide_reports(kind="reply", item=reply, moderator=moderator, decision="dismiss")
    sign_in(client, moderator)
    page = client.get(reverse("answers:moderation-log")).content.decode()
    assert "Readers&#x27; reports hid " in page or "Readers' reports hid " in page
    assert f"{moderator.email} dismissed the reports of " in page


def test_the_doctors_flag_link_opens_the_form_with_the_flag_chosen(client, world, reply, question):
    sign_in(client, world["verified"])
    page = client.get(question.get_absolute_url()).content.decode()
    link = report_url("reply", reply.pk) + "?reason=questionable"
    assert link in page
    form = client.get(link).content.decode()
    chosen = re.findall(r'<input type="radio" name="reason" value="(\w+)"[^>]* checked>', form)
    assert chosen == ["questionable"]


def test_unpublished_pages_show_their_author_no_report_links(client, patient, question, reply):
    Question.objects.filter(pk=question.pk).update(status=Question.Status.REJECTED)
    client.force_login(patient)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "/report/" not in page


def test_the_outcome_emails_unsubscribe_link_turns_the_setting_off(
    client, reply, moderator, django_capture_on_commit_callbacks
):
    reader = UserFactory()
    _report(reader, reply)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide_reports(kind="reply", item=reply, moderator=moderator, decision="dismiss")
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/email/unsubscribe/\S+/)", message.body)
    assert link, message.body
    client.post(link.group(1))
    reader.refresh_from_db()
    assert reader.email_report_outcomes is False


def test_out_of_range_ids_are_not_found(client, moderator, doctor):
    sign_in(client, moderator)
    assert client.get(decide_url("question", 10**30)).status_code == 404
    client.logout()
    sign_in(client, doctor.user)
    assert client.post(reverse("answers:agree", kwargs={"pk": 10**30})).status_code == 404


def test_an_edit_that_changes_nothing_is_refused(client, reply, question, moderator):
    _report(UserFactory(), reply)
    sign_in(client, moderator)
    response = client.post(
        decide_url("reply", reply.pk), {"decision": "redact", "body": reply.body}
    )
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert Report.objects.get().status == Report.Status.OPEN
