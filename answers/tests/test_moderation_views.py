"""The moderation queue (answers/views/moderation.py and decisions.py): questions,
replies, doctors, the audit log, and one event per decision. One file because every
list and decision shares the moderator client and the query-count pins; the sections
follow the tabs."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from answers.models import Reply
from answers.tests.factories import ArticleFactory, ReplyFactory
from forum import roles
from forum.actions import log_moderation_event
from forum.models import DoctorProfile, ModerationEvent
from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, UserFactory
from forum.tests.two_factor import sign_in
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(client, moderator):
    sign_in(client, moderator)
    return client


def _pending(title, minutes_ago, **kwargs):
    question = PendingQuestionFactory(title=title, **kwargs)
    Question.objects.filter(pk=question.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return question


# --- Question queue --------------------------------------------------------------------


def test_queue_lists_pending_questions_urgent_first_then_oldest(mod_client):
    _pending("Newest question", 5)
    _pending("Oldest question", 300)
    _pending("Urgent question", 1, is_urgent=True)
    PendingQuestionFactory()
    published_title = "Already published"
    Question.objects.filter(pk=PendingQuestionFactory(title=published_title).pk).update(
        status=Question.Status.PUBLISHED
    )
    html = mod_client.get(reverse("answers:moderation")).content.decode()
    positions = [html.index(t) for t in ("Urgent question", "Oldest question", "Newest question")]
    assert positions == sorted(positions)
    assert published_title not in html
    assert 'Questions <span class="count">(4)</span>' in html


def test_queue_highlights_what_screening_found(mod_client):
    _pending(
        "Rash after new soap",
        10,
        body="Call me on 0912 345 678 about the rash.\n\nIt itches at night.",
        screening={"personal_data": [{"kind": "phone", "match": "0912 345 678"}], "red_flags": []},
    )
    html = mod_client.get(reverse("answers:moderation")).content.decode()
    assert "has-findings" in html
    assert "Screening found:" in html
    # The kind in words, not the internal key; the number itself is marked in the text.
    assert "<li>Personal data: Phone number</li>" in html
    assert "<p>Call me on <mark>0912 345 678</mark> about the rash.</p>" in html
    assert "<p>It itches at night.</p>" in html
    assert "Red flags" not in html


def test_queue_escapes_question_text(mod_client):
    _pending("<script>x</script>", 1, body="<img src=x onerror=alert(1)>", screening={"x": ["img"]})
    html = mod_client.get(reverse("answers:moderation")).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;<mark>img</mark> src=x onerror=alert(1)&gt;" in html


def test_approving_from_the_queue_publishes_logs_and_emails(
    mod_client, moderator, django_capture_on_commit_callbacks
):
    question = _pending("Please approve me", 10)
    with django_capture_on_commit_callbacks(execute=True):
        response = mod_client.post(
            reverse("answers:question-approve", kwargs={"pk": question.pk}), follow=True
        )
    assert "Question approved and published." in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target) == ("approve_question", moderator, question)
    assert len(mail.outbox) == 1


def test_approving_twice_leaves_one_event(mod_client):
    question = _pending("Double click", 10)
    url = reverse("answers:question-approve", kwargs={"pk": question.pk})
    mod_client.post(url)
    mod_client.post(url)
    assert ModerationEvent.objects.count() == 1


def test_rejecting_without_a_reason_shows_the_error_and_changes_nothing(mod_client):
    question = _pending("Reject me", 10)
    url = reverse("answers:question-reject", kwargs={"pk": question.pk})
    response = mod_client.post(url, {"reason": "   ", "next": "/moderation/?page=1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert 'value="/moderation/?page=1"' in html
    assert Question.objects.get(pk=question.pk).status == Question.Status.PENDING
    assert not ModerationEvent.objects.exists()
    response = mod_client.post(
        url, {"reason": "Not a medical question", "next": "/moderation/?page=1"}
    )
    assert response.url == "/moderation/?page=1"
    question.refresh_from_db()
    assert (question.status, question.rejection_reason) == ("rejected", "Not a medical question")
    assert ModerationEvent.objects.get().reason == "Not a medical question"


def test_next_pointing_elsewhere_is_ignored(mod_client):
    question = _pending("Phishing next", 10)
    response = mod_client.post(
        reverse("answers:question-approve", kwargs={"pk": question.pk}),
        {"next": "https://evil.example.com/"},
    )
    assert response.url == reverse("answers:moderation")


def test_rejecting_a_published_question_from_the_queue_is_refused(mod_client, question):
    response = mod_client.post(
        reverse("answers:question-reject", kwargs={"pk": question.pk}), {"reason": "Too late"}
    )
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).status == Question.Status.PUBLISHED
    assert not ModerationEvent.objects.exists()


def test_edit_then_approve_redacts_and_logs_both(mod_client, moderator):
    question = _pending("Headache, I am Chen Mei", 10, body="Chen Mei here. My head hurts.")
    url = reverse("answers:question-edit", kwargs={"pk": question.pk})
    html = mod_client.get(url).content.decode()
    assert "Chen Mei here. My head hurts.</textarea>" in html
    response = mod_client.post(
        url,
        {"title": "Headache", "body": "My head hurts.", "reason": "Removed the name"},
        follow=True,
    )
    assert "Question edited and published." in response.content.decode()
    question.refresh_from_db()
    assert (question.title, question.body, question.status) == (
        "Headache",
        "My head hurts.",
        "published",
    )
    actions = list(ModerationEvent.objects.order_by("id").values_list("action", "actor", "reason"))
    assert actions == [
        ("edit_question", moderator.pk, "Removed the name"),
        ("approve_question", moderator.pk, ""),
    ]


def test_edit_with_an_empty_body_keeps_the_typed_title(mod_client):
    question = _pending("Original", 10)
    response = mod_client.post(
        reverse("answers:question-edit", kwargs={"pk": question.pk}),
        {"title": "Typed title", "body": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Typed title"' in html
    assert "This field is required." in html
    assert Question.objects.get(pk=question.pk).status == Question.Status.PENDING


def test_question_queue_query_count_does_not_grow_with_rows(mod_client, django_assert_num_queries):
    def add_rows():
        for n in range(3):
            _pending(f"Q {n}", n, tags=["rash", "itch"], screening={"red_flags": ["chest pain"]})

    add_rows()
    # session, user, roles, count, page, tags, 4 tab counts, header doctor check
    with django_assert_num_queries(11):
        mod_client.get(reverse("answers:moderation"))
    add_rows()
    with django_assert_num_queries(11):
        mod_client.get(reverse("answers:moderation"))


def test_question_edit_page_query_count(mod_client, django_assert_num_queries):
    question = _pending("Edit me", 1, tags=["rash"])
    with django_assert_num_queries(10):
        mod_client.get(reverse("answers:question-edit", kwargs={"pk": question.pk}))


# --- Replies ---------------------------------------------------------------------------


def test_reply_lists_show_the_right_replies_and_actions(mod_client):
    held = ReplyFactory(body="Held reply text", status=Reply.Status.HELD, published_at=None)
    published = ReplyFactory(body="Published reply text")
    hidden = ReplyFactory(body="Hidden reply text", status=Reply.Status.HIDDEN)
    returned = ReplyFactory(
        body="Returned reply text", status=Reply.Status.HIDDEN, published_at=None
    )
    url = reverse("answers:moderation-replies")
    pages = {s: mod_client.get(url, {"status": s}).content.decode() for s in REPLY_LISTS}
    assert "Held reply text" in pages["held"]
    assert reverse("answers:reply-approve", kwargs={"pk": held.pk}) in pages["held"]
    assert reverse("answers:reply-return", kwargs={"pk": held.pk}) in pages["held"]
    assert reverse("answers:reply-hide", kwargs={"pk": published.pk}) in pages["published"]
    assert reverse("answers:reply-restore", kwargs={"pk": hidden.pk}) in pages["hidden"]
    assert "Returned reply text" in pages["returned"]
    assert reverse("answers:reply-restore", kwargs={"pk": returned.pk}) not in pages["returned"]
    for status, page in pages.items():
        others = {"held": held, "published": published, "hidden": hidden, "returned": returned}
        for other_status, reply in others.items():
            assert (reply.body in page) == (other_status == status)
    assert mod_client.get(url, {"status": "bogus"}).status_code == 404


REPLY_LISTS = ["held", "returned", "published", "hidden"]


def test_hide_and_restore_through_the_queue_log_each_step(
    mod_client, moderator, django_capture_on_commit_callbacks
):
    reply = ReplyFactory(body="Published reply text")
    with django_capture_on_commit_callbacks(execute=True):
        mod_client.post(
            reverse("answers:reply-hide", kwargs={"pk": reply.pk}), {"reason": "Wrong dose"}
        )
    reply.refresh_from_db()
    assert (reply.status, reply.moderation_reason) == ("hidden", "Wrong dose")
    assert Question.objects.get(pk=reply.question_id).answered_at is None
    assert "Wrong dose" in mail.outbox[0].body  # the doctor is told
    mod_client.post(
        reverse("answers:reply-restore", kwargs={"pk": reply.pk}), {"reason": "Dose corrected"}
    )
    reply.refresh_from_db()
    assert reply.status == Reply.Status.PUBLISHED
    assert list(ModerationEvent.objects.order_by("id").values_list("action", "reason")) == [
        ("hide_reply", "Wrong dose"),
        ("restore_reply", "Dose corrected"),
    ]


def test_hiding_without_a_reason_is_refused(mod_client):
    reply = ReplyFactory()
    response = mod_client.post(reverse("answers:reply-hide", kwargs={"pk": reply.pk}), {})
    assert response.status_code == 200
    assert "A reason is needed" in response.content.decode()
    assert Reply.objects.get(pk=reply.pk).status == Reply.Status.PUBLISHED
    assert not ModerationEvent.objects.exists()


def test_approving_a_hidden_reply_is_refused_with_a_message(mod_client):
    reply = ReplyFactory(status=Reply.Status.HIDDEN)
    response = mod_client.post(
        reverse("answers:reply-approve", kwargs={"pk": reply.pk}), follow=True
    )
    assert "use restore for hidden ones" in response.content.decode()
    assert Reply.objects.get(pk=reply.pk).status == Reply.Status.HIDDEN
    assert not ModerationEvent.objects.exists()


def test_reply_list_query_count_does_not_grow_with_rows(mod_client, django_assert_num_queries):
    ReplyFactory.create_batch(2, status=Reply.Status.HELD, published_at=None)
    # session, user, roles, count, 4 tab counts, header doctor check, page
    with django_assert_num_queries(10):
        mod_client.get(reverse("answers:moderation-replies"))
    ReplyFactory.create_batch(4, status=Reply.Status.HELD, published_at=None)
    with django_assert_num_queries(10):
        mod_client.get(reverse("answers:moderation-replies"))


# --- Doctors ---------------------------------------------------------------------------


def test_verifying_an_application_through_the_queue(mod_client, moderator, applied_doctor):
    html = mod_client.get(reverse("answers:moderation-doctors")).content.decode()
    assert "Dr. Wang Applicant" in html
    assert applied_doctor.license_number in html
    mod_client.post(
        reverse("answers:doctor-verify", kwargs={"pk": applied_doctor.pk}),
        {"reason": "Register checked"},
    )
    applied_doctor.refresh_from_db()
    assert applied_doctor.status == DoctorProfile.Status.VERIFIED
    assert (applied_doctor.verified_by, applied_doctor.verified_at is not None) == (moderator, True)
    assert applied_doctor.user.groups.filter(name=roles.DOCTORS).exists()
    assert ModerationEvent.objects.get().action == "verify_doctor"
    # The new doctor can open the dashboard now.
    sign_in(mod_client, applied_doctor.user)
    assert mod_client.get(reverse("answers:dashboard")).status_code == 200


def test_doctor_lists_by_status(mod_client, doctor, applied_doctor, suspended_doctor):
    url = reverse("answers:moderation-doctors")
    verified = mod_client.get(url, {"status": "verified"}).content.decode()
    assert "Dr. Lin Mei-hua" in verified and "Dr. Wang Applicant" not in verified
    assert reverse("answers:doctor-suspend", kwargs={"pk": doctor.pk}) in verified
    suspended = mod_client.get(url, {"status": "suspended"}).content.decode()
    assert reverse("answers:doctor-restore", kwargs={"pk": suspended_doctor.pk}) in suspended
    assert mod_client.get(url, {"status": "bogus"}).status_code == 404


def test_doctor_application_shows_the_year_practice_began(mod_client, applied_doctor):
    DoctorProfile.objects.filter(pk=applied_doctor.pk).update(practising_since=2011)
    html = mod_client.get(reverse("answers:moderation-doctors")).content.decode()
    assert "<dt>In practice since</dt><dd>2011</dd>" in html


def test_doctor_list_query_count_does_not_grow_with_rows(mod_client, django_assert_num_queries):
    DoctorProfileFactory.create_batch(2, status=DoctorProfile.Status.APPLIED)
    # session, user, roles, count, 4 tab counts, header doctor check, page, specialties
    with django_assert_num_queries(11):
        mod_client.get(reverse("answers:moderation-doctors"))
    DoctorProfileFactory.create_batch(4, status=DoctorProfile.Status.APPLIED)
    with django_assert_num_queries(11):
        mod_client.get(reverse("answers:moderation-doctors"))


# --- Audit log -------------------------------------------------------------------------


def test_log_filters_by_action_and_actor(mod_client, moderator, question, applied_doctor):
    other = ModeratorFactory(email="second-mod@example.org")
    log_moderation_event(actor=moderator, action="approve_question", target=question)
    log_moderation_event(actor=other, action="verify_doctor", target=applied_doctor, reason="ok")
    url = reverse("answers:moderation-log")
    everything = mod_client.get(url).content.decode()
    question_url = reverse("questions:detail-short", kwargs={"pk": question.pk})
    assert (
        f'{moderator.email} approved <a href="{question_url}">the question '
        f"\u201c{question.title}\u201d</a>." in everything
    )
    assert "second-mod@example.org verified <a " in everything
    by_action = mod_client.get(url, {"action": "verify_doctor"}).content.decode()
    assert "Dr. Wang Applicant" in by_action
    assert f"{question.title}\u201d</a>" not in by_action
    by_actor = mod_client.get(url, {"actor": moderator.pk}).content.decode()
    assert f"{question.title}\u201d</a>" in by_actor
    assert "Dr. Wang Applicant</td>" not in by_actor
    bad = mod_client.get(url, {"action": "nonsense"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_log_paginates_and_keeps_filters_in_page_links(mod_client, moderator, question):
    for _ in range(51):
        log_moderation_event(actor=moderator, action="approve_question", target=question)
    html = mod_client.get(reverse("answers:moderation-log"), {"action": "approve_question"})
    assert "page=2" in html.content.decode()
    assert "action=approve_question&amp;page=2" in html.content.decode()


def test_log_query_count_does_not_grow_with_rows(
    mod_client, moderator, question, applied_doctor, django_assert_num_queries
):
    def add_rows():
        log_moderation_event(actor=moderator, action="approve_question", target=question)
        log_moderation_event(actor=UserFactory(), action="verify_doctor", target=applied_doctor)
        log_moderation_event(actor=None, action="hide_reply", target=ReplyFactory())

    add_rows()
    # session, user, roles, count, page, 4 tab counts, header doctor check, actor choices,
    # and one query per kind of target on the page (questions, doctors, replies)
    with django_assert_num_queries(14):
        mod_client.get(reverse("answers:moderation-log"))
    add_rows()
    with django_assert_num_queries(14):
        mod_client.get(reverse("answers:moderation-log"))


def test_log_rows_name_and_link_their_targets(mod_client, moderator, question, doctor):
    reply = ReplyFactory(question=question, doctor=doctor)
    article = ArticleFactory(title="Migraine explained")
    log_moderation_event(actor=moderator, action="hide_reply", target=reply, reason="Unsafe")
    log_moderation_event(actor=moderator, action="publish_article", target=article)
    log_moderation_event(actor=moderator, action="verify_doctor", target=doctor)
    gone = QuestionFactory(title="A question since deleted")
    log_moderation_event(actor=moderator, action="reject_question", target=gone, reason="x")
    gone.delete()

    html = mod_client.get(reverse("answers:moderation-log")).content.decode()

    reply_url = reverse("questions:detail-short", kwargs={"pk": question.pk}) + f"#reply-{reply.pk}"
    name = escape(f"Dr. {doctor.display_name}'s reply to \u201c{question.title}\u201d")
    assert f'{moderator.email} hid <a href="{reply_url}">{name}</a>.' in html
    assert f'verified <a href="{doctor.get_absolute_url()}">Dr. {doctor.display_name}</a>.' in html
    assert "published the article \u201cMigraine explained\u201d." in html
    assert "rejected A question since deleted (deleted)." in html
    assert " on " + str(question.pk) + "<" not in html


# --- Every decision leaves an event ------------------------------------------------------


@pytest.mark.parametrize(
    "url_name,make,data,action",
    [
        ("answers:question-approve", lambda: PendingQuestionFactory(), {}, "approve_question"),
        (
            "answers:question-reject",
            lambda: PendingQuestionFactory(),
            {"reason": "Off topic"},
            "reject_question",
        ),
        (
            "answers:reply-approve",
            lambda: ReplyFactory(status="held", published_at=None),
            {},
            "approve_reply",
        ),
        (
            "answers:reply-return",
            lambda: ReplyFactory(status="held", published_at=None),
            {"reason": "Add sources"},
            "return_reply",
        ),
        ("answers:reply-hide", lambda: ReplyFactory(), {"reason": "Wrong"}, "hide_reply"),
        (
            "answers:reply-restore",
            lambda: ReplyFactory(status="hidden"),
            {"reason": "Fixed"},
            "restore_reply",
        ),
        (
            "answers:doctor-verify",
            lambda: DoctorProfileFactory(status="applied"),
            {},
            "verify_doctor",
        ),
        (
            "answers:doctor-reject",
            lambda: DoctorProfileFactory(status="applied"),
            {"reason": "No licence"},
            "reject_doctor",
        ),
        (
            "answers:doctor-suspend",
            lambda: DoctorProfileFactory(),
            {"reason": "Complaint"},
            "suspend_doctor",
        ),
        (
            "answers:doctor-restore",
            lambda: DoctorProfileFactory(status="suspended"),
            {},
            "restore_doctor",
        ),
    ],
)
def test_each_decision_writes_exactly_one_event_even_when_repeated(
    mod_client, moderator, url_name, make, data, action
):
    target = make()
    url = reverse(url_name, kwargs={"pk": target.pk})
    mod_client.post(url, data)
    mod_client.post(url, data)
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target_id) == (action, moderator, target.pk)
    assert event.reason == data.get("reason", "")


def test_screening_marks_whole_words_only(mod_client):
    _pending("Dizzy", 1, body="Since then the room spins.", screening={"flag": ["the"]})
    html = mod_client.get(reverse("answers:moderation")).content.decode()
    assert "<p>Since then <mark>the</mark> room spins.</p>" in html


def test_queue_says_why_a_question_is_urgent_in_words_each_once(mod_client):
    _pending("Calm question", 300)
    _pending(
        "Urgent question",
        1,
        is_urgent=True,
        body="I have chest pain and chest tightness and I want to die.",
        screening={
            "red_flags": [
                {"kind": "chest_pain", "text": "chest pain"},
                {"kind": "chest_pain", "text": "chest tightness"},
                {"kind": "suicide", "text": "want to die"},
            ],
            "personal_data": [],
        },
    )
    html = mod_client.get(reverse("answers:moderation")).content.decode()
    assert html.index("Urgent question") < html.index("Calm question")
    assert "Red flags: Chest pain, Suicidal thoughts" in html
    assert "<li>Red flags: Chest pain, Suicidal thoughts</li>" in html
    assert "chest_pain" not in html
    assert "<mark>chest tightness</mark>" in html
