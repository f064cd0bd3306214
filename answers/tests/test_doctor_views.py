"""The doctors' pages (answers/views/doctors.py): application, header, dashboard, the
reply flow with claims and previews, and history. One file because they share the
doctor fixtures and the reply flow's cases build on one another; the sections follow
the pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from answers.actions import claim_question
from answers.models import QuestionClaim, Reply
from answers.tests.factories import FollowUpFactory, ReplyFactory
from forum.models import DoctorProfile, ModerationEvent
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory
from forum.tests.two_factor import sign_in
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Morning headaches are often linked to sleep; keep a diary and see your doctor if they go on."
)


def _ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


@pytest.fixture
def doctor_client(client, doctor):
    sign_in(client, doctor.user)
    return client


# --- Application -----------------------------------------------------------------------


def test_patient_applies_as_doctor_and_then_sees_the_status(client, patient, specialty):
    sign_in(client, patient)
    response = client.get(reverse("answers:apply"))
    assert 'for="id_display_name">Full name' in response.content.decode()
    response = client.post(
        reverse("answers:apply"),
        {
            "display_name": "Dr. Ho Kai-lin",
            "license_number": "md-12345",
            "hospital": "Harbour General Hospital",
            "specialties": [specialty.pk],
            "bio": "Neurologist with a headache clinic.",
        },
        follow=True,
    )
    profile = DoctorProfile.objects.get(user=patient)
    assert (profile.display_name, profile.license_number) == ("Ho Kai-lin", "MD-12345")
    assert profile.status == DoctorProfile.Status.APPLIED
    html = response.content.decode()
    assert "waiting for a moderator" in html
    assert "A moderator will review your application" in html


def test_application_errors_keep_what_was_typed(client, patient, doctor):
    sign_in(client, patient)
    response = client.post(
        reverse("answers:apply"),
        {
            "display_name": "Ho Kai-lin",
            "license_number": doctor.license_number,
            "hospital": "Harbour General Hospital",
            "bio": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Another account has already applied with this licence number." in html
    assert 'value="Ho Kai-lin"' in html
    assert not DoctorProfile.objects.filter(user=patient).exists()


def _application(specialty, **fields):
    return {
        "display_name": "Ho Kai-lin",
        "license_number": "MD-55501",
        "hospital": "Harbour General Hospital",
        "specialties": [specialty.pk],
        "bio": "Neurologist.",
        **fields,
    }


def test_application_stores_the_year_practice_began(client, patient, specialty):
    sign_in(client, patient)
    client.post(reverse("answers:apply"), _application(specialty, practising_since="2008"))
    assert DoctorProfile.objects.get(user=patient).practising_since == 2008


def test_application_leaves_the_practising_year_optional(client, patient, specialty):
    sign_in(client, patient)
    client.post(reverse("answers:apply"), _application(specialty, practising_since=""))
    assert DoctorProfile.objects.get(user=patient).practising_since is None


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1939", "Enter a year from 1940 on."),
        (str(timezone.localdate().year + 1), "Enter a year that is not in the future."),
        ("nineteen", "Enter a whole number."),
    ],
)
def test_application_refuses_an_impossible_practising_year(
    client, patient, specialty, year, message
):
    sign_in(client, patient)
    response = client.post(reverse("answers:apply"), _application(specialty, practising_since=year))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Ho Kai-lin"' in html
    assert not DoctorProfile.objects.filter(user=patient).exists()


def test_verified_doctor_sees_status_without_a_form(doctor_client):
    html = doctor_client.get(reverse("answers:apply")).content.decode()
    assert "<strong>verified</strong>" in html
    assert '<form method="post" class="stacked-form"' not in html


def test_apply_page_query_count(client, patient, django_assert_num_queries):
    sign_in(client, patient)
    # session, user, doctor profile, specialties for the checkboxes, header roles
    with django_assert_num_queries(5):
        client.get(reverse("answers:apply"))


# --- Header ----------------------------------------------------------------------------


def test_header_shows_dashboard_to_doctors_and_apply_to_other_users(
    client, doctor, patient, applied_doctor, moderator
):
    sign_in(client, doctor.user)
    html = client.get(reverse("forum:home")).content.decode()
    assert f'href="{reverse("answers:dashboard")}">Dashboard</a>' in html
    assert "Apply as a doctor" not in html
    for user in (patient, applied_doctor.user):
        sign_in(client, user)
        html = client.get(reverse("forum:home")).content.decode()
        assert f'href="{reverse("answers:apply")}">Apply as a doctor</a>' in html
        assert ">Moderation</a>" not in html
    sign_in(client, moderator)
    html = client.get(reverse("forum:home")).content.decode()
    assert f'href="{reverse("answers:moderation")}">Moderation</a>' in html
    assert f'href="{reverse("answers:moderation-log")}">Log</a>' in html
    client.logout()
    html = client.get(reverse("forum:home")).content.decode()
    assert "Apply as a doctor" not in html
    assert ">Dashboard</a>" not in html


# --- Dashboard -------------------------------------------------------------------------


def test_dashboard_lists_unanswered_questions_in_my_specialties_urgent_then_oldest(
    doctor_client, doctor, specialty
):
    newer = QuestionFactory(specialty=specialty, title="Newer question", published_at=_ago(hours=1))
    older = QuestionFactory(specialty=specialty, title="Older question", published_at=_ago(days=2))
    urgent = QuestionFactory(
        specialty=specialty, title="Urgent question", is_urgent=True, published_at=_ago(minutes=5)
    )
    answered = ReplyFactory(question__specialty=specialty, question__title="Answered one").question
    QuestionFactory(title="Other specialty question")
    PendingQuestionFactory(specialty=specialty, title="Pending question")
    held = ReplyFactory(
        question__specialty=specialty,
        question__title="Only a held reply",
        question__published_at=_ago(days=1),
        status=Reply.Status.HELD,
        published_at=None,
    )
    Question.objects.filter(pk=held.question_id).update(answered_at=None)
    html = doctor_client.get(reverse("answers:dashboard")).content.decode()
    titles = [urgent.title, older.title, "Only a held reply", newer.title]
    positions = [html.index(t) for t in titles]
    assert positions == sorted(positions)
    assert answered.title not in html
    assert "Other specialty question" not in html
    assert "Pending question" not in html
    assert "A reply from another doctor is waiting for a moderator." in html


def test_dashboard_filters_by_one_of_my_specialties(client, specialty):
    cardio = SpecialtyFactory(name="Cardiology", slug="cardiology")
    doctor = DoctorProfileFactory(specialties=[specialty, cardio])
    QuestionFactory(specialty=specialty, title="A neurology question")
    QuestionFactory(specialty=cardio, title="A cardiology question")
    sign_in(client, doctor.user)
    html = client.get(reverse("answers:dashboard"), {"specialty": "cardiology"}).content.decode()
    assert "A cardiology question" in html
    assert "A neurology question" not in html
    assert '<option value="cardiology" selected>Cardiology</option>' in html


def test_dashboard_with_an_unknown_specialty_shows_an_error_and_all_questions(
    doctor_client, specialty
):
    QuestionFactory(specialty=specialty, title="A neurology question")
    response = doctor_client.get(reverse("answers:dashboard"), {"specialty": "astrology"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html
    assert "A neurology question" in html


def test_dashboard_paginates_twenty_a_page(doctor_client, specialty):
    for n in range(23):
        QuestionFactory(
            specialty=specialty, title=f"Queue item {n:02d}", published_at=_ago(hours=50 - n)
        )
    first = doctor_client.get(reverse("answers:dashboard")).content.decode()
    second = doctor_client.get(reverse("answers:dashboard"), {"page": 2}).content.decode()
    assert "Queue item 00" in first and "Queue item 19" in first
    assert "Queue item 20" not in first
    assert "Queue item 22" in second
    assert "Page 2 of 2" in second


def test_dashboard_shows_another_doctors_claim_until_it_expires(
    doctor_client, other_doctor, specialty
):
    question = QuestionFactory(specialty=specialty)
    claim = claim_question(question=question, doctor=other_doctor)
    html = doctor_client.get(reverse("answers:dashboard")).content.decode()
    assert "Being answered by Dr. Kao Other" in html
    QuestionClaim.objects.filter(pk=claim.pk).update(expires_at=_ago(seconds=1))
    html = doctor_client.get(reverse("answers:dashboard")).content.decode()
    assert "Being answered by" not in html


def test_dashboard_query_count_does_not_grow_with_rows(
    doctor_client, doctor, other_doctor, specialty, django_assert_num_queries
):
    def add_rows():
        for _ in range(3):
            question = QuestionFactory(specialty=specialty, tags=["sleep", "headache"])
            claim_question(question=question, doctor=other_doctor)
            ReplyFactory(question=question, status=Reply.Status.HELD, published_at=None)
            FollowUpFactory(reply=ReplyFactory(doctor=doctor, question__specialty=specialty))

    add_rows()
    # session, user, doctor profile, its specialties, count, page, follow-ups waiting,
    # held check, header roles
    with django_assert_num_queries(9):
        doctor_client.get(reverse("answers:dashboard"))
    add_rows()
    with django_assert_num_queries(9):
        doctor_client.get(reverse("answers:dashboard"))


def test_digest_toggle_saves_the_preference(doctor_client, doctor):
    response = doctor_client.post(reverse("answers:digest"), {"wants_digest": "on"}, follow=True)
    doctor.refresh_from_db()
    assert doctor.wants_digest is True
    assert 'name="wants_digest" id="id_wants_digest" checked' in response.content.decode()
    doctor_client.post(reverse("answers:digest"), {})
    doctor.refresh_from_db()
    assert doctor.wants_digest is False


# --- Reply flow ------------------------------------------------------------------------


def test_opening_a_question_shows_it_with_start_answering_and_claims_nothing(
    doctor_client, question, settings
):
    settings.CLAIM_MINUTES = 15
    response = doctor_client.get(reverse("answers:reply", kwargs={"pk": question.pk}))
    html = response.content.decode()
    assert question.title in html
    assert "Heihei, 30~39 year old female." in html
    assert '<button type="submit" name="start" value="1">Start answering</button>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<textarea" not in html
    assert not QuestionClaim.objects.exists()


def test_start_answering_claims_the_question_and_opens_the_form(
    doctor_client, doctor, question, settings
):
    settings.CLAIM_MINUTES = 15
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    response = doctor_client.post(url, {"start": "1"})
    assert (response.status_code, response.url) == (302, url)
    claim = QuestionClaim.objects.get(question=question)
    assert claim.doctor == doctor
    assert timedelta(minutes=14) < claim.expires_at - timezone.now() <= timedelta(minutes=15)
    html = doctor_client.get(url).content.decode()
    assert '<textarea name="body"' in html
    assert "Start answering" not in html
    assert "Being answered by" not in html


def test_first_preview_claims_the_question(doctor_client, doctor, question, settings):
    settings.CLAIM_MINUTES = 15
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    response = doctor_client.post(url, {"body": BODY, "preview": "1"})
    assert '<h2 id="preview-title">Preview</h2>' in response.content.decode()
    assert QuestionClaim.objects.get(question=question).doctor == doctor


def test_a_cross_site_get_by_a_doctor_leaves_the_question_free_for_others(
    client, doctor, other_doctor, question, settings
):
    settings.CLAIM_MINUTES = 15
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    sign_in(client, doctor.user)
    response = client.get(
        url, HTTP_REFERER="https://evil.example/", HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 200
    assert not QuestionClaim.objects.exists()
    client.logout()
    sign_in(client, other_doctor.user)
    assert "Being answered by" not in client.get(reverse("answers:dashboard")).content.decode()
    html = client.get(url).content.decode()
    assert "Being answered by" not in html
    assert "Start answering" in html


def test_start_answering_needs_the_csrf_token(doctor, question, settings):
    from django.test import Client

    settings.CLAIM_MINUTES = 15
    forged = Client(enforce_csrf_checks=True)
    sign_in(forged, doctor.user)
    response = forged.post(reverse("answers:reply", kwargs={"pk": question.pk}), {"start": "1"})
    assert response.status_code == 403
    assert not QuestionClaim.objects.exists()


def test_start_answering_a_question_another_doctor_holds_opens_the_form_and_keeps_their_claim(
    client, doctor, other_doctor, question, settings
):
    settings.CLAIM_MINUTES = 15
    claim_question(question=question, doctor=other_doctor)
    sign_in(client, doctor.user)
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    html = client.get(url).content.decode()
    assert "Being answered by Dr. Kao Other" in html
    assert "Start answering" in html
    response = client.post(url, {"start": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Being answered by Dr. Kao Other" in html
    assert "You may still answer." in html
    assert '<textarea name="body"' in html
    assert "This field is required." not in html
    assert QuestionClaim.objects.get().doctor == other_doctor


def test_with_claims_off_the_form_opens_at_once(doctor_client, question, settings):
    settings.CLAIM_MINUTES = 0
    html = doctor_client.get(reverse("answers:reply", kwargs={"pk": question.pk})).content.decode()
    assert '<textarea name="body"' in html
    assert "Start answering" not in html
    assert not QuestionClaim.objects.exists()


def test_dashboard_says_the_doctor_started_answering_after_start(doctor_client, question, settings):
    settings.CLAIM_MINUTES = 15
    doctor_client.get(reverse("answers:reply", kwargs={"pk": question.pk}))
    html = doctor_client.get(reverse("answers:dashboard")).content.decode()
    assert "You started answering this question" not in html
    doctor_client.post(reverse("answers:reply", kwargs={"pk": question.pk}), {"start": "1"})
    html = doctor_client.get(reverse("answers:dashboard")).content.decode()
    assert "You started answering this question; it is yours until" in html


def test_second_doctor_sees_the_claim_and_may_still_answer(
    client, doctor, other_doctor, question, trusted
):
    claim_question(question=question, doctor=doctor)
    sign_in(client, other_doctor.user)
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    html = client.get(url).content.decode()
    assert "Being answered by Dr. Lin Mei-hua" in html
    assert QuestionClaim.objects.get().doctor == doctor
    client.post(url, {"body": BODY, "submit": "1"})
    assert Reply.objects.get().doctor == other_doctor


def test_preview_renders_the_reply_without_saving_it(doctor_client, question):
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    response = doctor_client.post(
        url, {"body": BODY + "\n\nSecond <b>paragraph</b>.", "preview": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="preview-title">Preview</h2>' in html
    assert "<p>Second &lt;b&gt;paragraph&lt;/b&gt;.</p>" in html
    assert "Second &lt;b&gt;paragraph&lt;/b&gt;.</textarea>" in html
    assert not Reply.objects.exists()


def test_too_short_reply_shows_an_error_and_keeps_the_text(doctor_client, question):
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    response = doctor_client.post(url, {"body": "See a doctor.", "submit": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at least" in html
    assert "See a doctor.</textarea>" in html
    assert not Reply.objects.exists()


def test_new_doctors_reply_is_held_and_a_moderator_publishes_it_end_to_end(
    client, doctor, moderator, question, django_capture_on_commit_callbacks
):
    sign_in(client, doctor.user)
    url = reverse("answers:reply", kwargs={"pk": question.pk})
    assert "checked by a moderator" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": BODY, "submit": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("answers:history")
    assert "once a moderator has approved it" in response.content.decode()
    reply = Reply.objects.get()
    assert reply.status == Reply.Status.HELD
    assert mail.outbox == []
    assert BODY not in client.get(question.get_absolute_url()).content.decode()

    sign_in(client, moderator)
    queue = client.get(reverse("answers:moderation-replies")).content.decode()
    assert BODY in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("answers:reply-approve", kwargs={"pk": reply.pk}))
    reply.refresh_from_db()
    question.refresh_from_db()
    assert reply.status == Reply.Status.PUBLISHED
    assert question.answered_at == reply.published_at
    assert mail.outbox[0].to == ["patient@example.org"]
    client.logout()
    assert BODY in client.get(question.get_absolute_url()).content.decode()


def test_trusted_doctors_reply_publishes_at_once_and_shows_on_the_qa_page(
    client, doctor, question, trusted, django_capture_on_commit_callbacks
):
    sign_in(client, doctor.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("answers:reply", kwargs={"pk": question.pk}), {"body": BODY, "submit": "1"}
        )
    reply = Reply.objects.get()
    assert response.url == reply.get_absolute_url()
    assert reply.status == Reply.Status.PUBLISHED
    assert len(mail.outbox) == 1
    client.logout()
    html = client.get(question.get_absolute_url()).content.decode()
    assert BODY in html
    assert "Dr. Lin Mei-hua" in html


def test_reopening_an_answered_question_goes_to_editing_the_reply(doctor_client, doctor, question):
    reply = ReplyFactory(doctor=doctor, question=question)
    response = doctor_client.get(reverse("answers:reply", kwargs={"pk": question.pk}))
    assert response.url == reverse("answers:reply-edit", kwargs={"pk": reply.pk})


def test_editing_a_reply_keeps_versions_and_shows_them(doctor_client, doctor, question):
    reply = ReplyFactory(doctor=doctor, question=question, body="The first text of my reply.")
    url = reverse("answers:reply-edit", kwargs={"pk": reply.pk})
    assert "The first text of my reply.</textarea>" in doctor_client.get(url).content.decode()
    response = doctor_client.post(url, {"body": BODY, "submit": "1"})
    assert response.url == reply.get_absolute_url()
    reply.refresh_from_db()
    assert reply.body == BODY
    assert reply.edited_at is not None
    html = doctor_client.get(url).content.decode()
    assert "Earlier versions" in html
    assert "The first text of my reply." in html


def test_reply_form_query_count(
    doctor_client, question, doctor, other_doctor, django_assert_num_queries
):
    ReplyFactory.create_batch(3, question=question, doctor=other_doctor)
    claim_question(question=question, doctor=other_doctor)
    # session, user, doctor, question, tags, specialty check, own reply, claim (read
    # only), held check, header roles, other replies, information requests
    with django_assert_num_queries(12):
        html = doctor_client.get(reverse("answers:reply", kwargs={"pk": question.pk})).content
    assert "Being answered by Dr. Kao Other" in html.decode()


def test_reply_edit_query_count_does_not_grow_with_versions(
    doctor_client, doctor, question, django_assert_num_queries
):
    reply = ReplyFactory(doctor=doctor, question=question)
    reply.versions.create(body="An older text.")
    url = reverse("answers:reply-edit", kwargs={"pk": reply.pk})
    # session, user, doctor, reply+question, header roles, tags, other replies, versions
    with django_assert_num_queries(8):
        doctor_client.get(url)
    for n in range(4):
        reply.versions.create(body=f"Older text {n}.")
    with django_assert_num_queries(8):
        doctor_client.get(url)


# --- History ---------------------------------------------------------------------------


def test_history_lists_my_replies_with_counts_median_and_thanks(doctor_client, doctor, specialty):
    now = timezone.now()
    for hours, thanks in [(1, 2), (3, 0), (5, 1)]:
        question = QuestionFactory(
            specialty=specialty, published_at=now - timedelta(hours=hours + 1)
        )
        reply = ReplyFactory(doctor=doctor, question=question, thanks_count=thanks)
        Reply.objects.filter(pk=reply.pk).update(
            created_at=question.published_at + timedelta(hours=hours)
        )
    old = ReplyFactory(
        doctor=doctor, question__specialty=specialty, published_at=now - timedelta(days=70)
    )
    Reply.objects.filter(pk=old.pk).update(
        created_at=old.question.published_at + timedelta(hours=9)
    )
    held = ReplyFactory(
        doctor=doctor, question__title="Still held", status=Reply.Status.HELD, published_at=None
    )
    ReplyFactory(question__specialty=specialty, thanks_count=7)  # another doctor's
    html = doctor_client.get(reverse("answers:history")).content.decode()
    assert "<dt>Published replies</dt><dd>4</dd>" in html
    assert "<dt>This month</dt><dd>3</dd>" in html
    # delays 1h, 3h, 5h, 9h: the median is 4 hours
    assert "<dd>4 hours</dd>" in html
    assert "<dt>Thanks received</dt><dd>3</dd>" in html
    assert old.get_absolute_url() in html
    assert "Still held" in html
    assert held.get_absolute_url() not in html
    assert reverse("answers:reply-edit", kwargs={"pk": held.pk}) in html


def test_history_query_count_does_not_grow_with_rows(
    doctor_client, doctor, specialty, django_assert_num_queries
):
    ReplyFactory.create_batch(2, doctor=doctor, question__specialty=specialty)
    # session, user, doctor, page count, totals, delays, header roles, page
    with django_assert_num_queries(8):
        doctor_client.get(reverse("answers:history"))
    ReplyFactory.create_batch(4, doctor=doctor, question__specialty=specialty)
    with django_assert_num_queries(8):
        doctor_client.get(reverse("answers:history"))


def test_moderation_reason_reaches_the_doctor(client, doctor, moderator, question):
    reply = ReplyFactory(
        doctor=doctor, question=question, status=Reply.Status.HELD, published_at=None
    )
    sign_in(client, moderator)
    client.post(
        reverse("answers:reply-return", kwargs={"pk": reply.pk}),
        {"reason": "Please mention when to go to the emergency room"},
    )
    assert ModerationEvent.objects.get().action == "return_reply"
    sign_in(client, doctor.user)
    html = client.get(reverse("answers:history")).content.decode()
    assert "Sent back" in html
    assert "Please mention when to go to the emergency room" in html
    edit = client.get(reverse("answers:reply-edit", kwargs={"pk": reply.pk})).content.decode()
    assert "Saving your changes sends it to the moderators again." in edit


def test_dashboard_says_why_a_question_is_urgent(doctor_client, specialty):
    QuestionFactory(specialty=specialty, title="Calm question", published_at=_ago(days=3))
    QuestionFactory(
        specialty=specialty,
        title="Urgent question",
        is_urgent=True,
        published_at=_ago(minutes=5),
        screening={"red_flags": [{"kind": "seizure", "text": "seizure"}], "personal_data": []},
    )
    html = doctor_client.get(reverse("answers:dashboard")).content.decode()
    assert html.index("Urgent question") < html.index("Calm question")
    assert "Red flags: Seizure that does not stop" in html
    assert "seizure</span>" not in html


def test_dashboard_says_what_became_of_my_reply(doctor_client, doctor, specialty):
    hidden = ReplyFactory(
        doctor=doctor,
        question__specialty=specialty,
        question__title="My reply was hidden here",
        status=Reply.Status.HIDDEN,
    )
    held = ReplyFactory(
        doctor=doctor,
        question__specialty=specialty,
        question__title="My reply waits here",
        status=Reply.Status.HELD,
        published_at=None,
    )
    Question.objects.filter(pk__in=[hidden.question_id, held.question_id]).update(answered_at=None)

    html = doctor_client.get(reverse("answers:dashboard")).content.decode()

    hidden_row = html.split("My reply was hidden here", 1)[1].split("</li>", 1)[0]
    held_row = html.split("My reply waits here", 1)[1].split("</li>", 1)[0]
    assert "You have replied" not in hidden_row
    assert "A moderator hid or sent back your reply" in hidden_row
    assert "Your reply is waiting for a moderator." in held_row
    assert "A reply from another doctor" not in held_row
