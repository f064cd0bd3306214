"""A follow-up is for every doctor who replied to the question (issue 19): each verified
doctor with a published reply is e-mailed once (the reply's doctor first), finds it in
"Follow-ups waiting for you" and may answer it; once one doctor's answer is published it
no longer waits for the others, who still see it and may add theirs."""

import pytest
from django.core import mail
from django.urls import reverse

from answers.actions.errors import ActionNotAllowed
from answers.actions.follow_ups import answer_follow_up, approve_follow_up, submit_follow_up
from answers.models import Reply, follow_up_doctors, follow_ups_waiting_for
from answers.tests.factories import FollowUpFactory, ReplyFactory
from forum import mail as outbox
from forum.models import DoctorProfile
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory
from forum.tests.two_factor import sign_in
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

TEXT = "Thank you, doctors. The headache comes back every evening: should I double the dose?"


@pytest.fixture
def moderated(settings):
    settings.TRUSTED_ASKER_APPROVED_POSTS = 0
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    return settings


@pytest.fixture
def replies(question, doctor, specialty):
    """Dr. Chen replied first, then Dr. Lin (the fixture's doctor), then Dr. Wu."""
    chen = DoctorProfileFactory(display_name="Chen First", specialties=[specialty])
    wu = DoctorProfileFactory(display_name="Wu Third", specialties=[specialty])
    return {
        "chen": ReplyFactory(question=question, doctor=chen),
        "lin": ReplyFactory(question=question, doctor=doctor),
        "wu": ReplyFactory(question=question, doctor=wu),
    }


def test_approving_emails_each_doctor_who_replied_once_the_replys_doctor_first(
    patient, question, replies, moderator, specialty, moderated, django_capture_on_commit_callbacks
):
    # Not told: a suspended doctor's, a held reply's and a hidden reply's doctors, one
    # who turned the setting off, and a doctor of the specialty who did not reply.
    suspended = DoctorProfileFactory(
        display_name="Suspended", specialties=[specialty], status=DoctorProfile.Status.SUSPENDED
    )
    ReplyFactory(question=question, doctor=suspended)
    ReplyFactory(question=question, status=Reply.Status.HELD, published_at=None)
    ReplyFactory(question=question, status=Reply.Status.HIDDEN)
    muted = ReplyFactory(question=question).doctor
    outbox.set_topic(user=muted.user, topic=outbox.FOLLOW_UPS, wanted=False)
    DoctorProfileFactory(specialties=[specialty])
    follow_up = submit_follow_up(author=patient, reply=replies["lin"], body=TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        approve_follow_up(follow_up=follow_up, moderator=moderator)
        approve_follow_up(follow_up=follow_up, moderator=moderator)  # changes nothing
    lin, chen, wu = (replies[name].doctor for name in ("lin", "chen", "wu"))
    assert [message.to for message in mail.outbox] == [
        [lin.user.email],
        [chen.user.email],
        [wu.user.email],
    ]
    assert "has a follow-up to your reply" in mail.outbox[0].body
    assert "has a follow-up to Dr. Lin Mei-hua's reply" in mail.outbox[1].body
    assert all(TEXT in message.body for message in mail.outbox)
    # Each a one-click unsubscribe of their own setting.
    assert all("List-Unsubscribe" in message.extra_headers for message in mail.outbox)


def test_the_askers_stop_emails_about_the_question_does_not_silence_the_doctors(
    patient, question, replies, moderator, moderated, django_capture_on_commit_callbacks
):
    question.emails_muted = True
    question.save(update_fields=["emails_muted"])
    follow_up = submit_follow_up(author=patient, reply=replies["chen"], body=TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        approve_follow_up(follow_up=follow_up, moderator=moderator)
    assert len(mail.outbox) == 3


def test_the_follow_up_waits_for_every_doctor_who_replied_until_one_answer_is_published(
    question, replies, moderated
):
    follow_up = FollowUpFactory(reply=replies["lin"])
    lin, chen, wu = (replies[name].doctor for name in ("lin", "chen", "wu"))
    assert [d.pk for d in follow_up_doctors(follow_up)] == [lin.pk, chen.pk, wu.pk]
    for doctor in (lin, chen, wu):
        assert list(follow_ups_waiting_for(doctor)) == [follow_up]
    # A held answer (a new doctor's) does not answer it for the others yet.
    moderated.HELD_REPLIES_FOR_NEW_DOCTORS = 50
    held = answer_follow_up(follow_up=follow_up, doctor=wu, body="Keep the dose for now.")
    assert held.status == Reply.Status.HELD
    assert list(follow_ups_waiting_for(chen)) == [follow_up]
    assert list(follow_ups_waiting_for(wu)) == []  # in Dr. Wu's history
    moderated.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    answer = answer_follow_up(follow_up=follow_up, doctor=chen, body="No: keep the dose.")
    assert answer.is_published
    for doctor in (lin, chen, wu):
        assert list(follow_ups_waiting_for(doctor)) == []
    # Dr. Lin may still add an answer of their own.
    second = answer_follow_up(follow_up=follow_up, doctor=lin, body="I agree: keep it.")
    assert second.is_published


def test_a_doctor_who_did_not_reply_or_is_suspended_may_not_answer(
    question, replies, specialty, moderated
):
    follow_up = FollowUpFactory(reply=replies["lin"])
    colleague = DoctorProfileFactory(specialties=[specialty])
    elsewhere = DoctorProfileFactory(specialties=[SpecialtyFactory()])
    chen = replies["chen"].doctor
    chen.status = DoctorProfile.Status.SUSPENDED
    chen.save(update_fields=["status"])
    hidden = ReplyFactory(question=question, status=Reply.Status.HIDDEN).doctor
    for someone in (colleague, elsewhere, chen, hidden):
        with pytest.raises(ActionNotAllowed):
            answer_follow_up(follow_up=follow_up, doctor=someone, body="My own view of it.")
        assert list(follow_ups_waiting_for(someone)) == []
    assert not Reply.objects.filter(follow_up=follow_up).exists()


def test_the_dashboard_says_whose_reply_the_follow_up_is_under(client, question, replies):
    follow_up = FollowUpFactory(reply=replies["lin"], body="Is it fine to exercise?")
    url = reverse("answers:follow-up-answer", kwargs={"pk": follow_up.pk})
    sign_in(client, replies["chen"].doctor.user)
    html = client.get(reverse("answers:dashboard")).content.decode()
    assert "Follow-ups waiting for you" in html and url in html
    assert "to Dr. Lin Mei-hua&#x27;s reply" in html or "to Dr. Lin Mei-hua's reply" in html
    sign_in(client, replies["lin"].doctor.user)
    html = client.get(reverse("answers:dashboard")).content.decode()
    assert url in html and "to your reply" in html


def test_the_answer_page_shows_a_colleagues_published_answer_and_takes_another(
    client, question, replies, moderated
):
    follow_up = FollowUpFactory(reply=replies["lin"])
    answer_follow_up(follow_up=follow_up, doctor=replies["lin"].doctor, body="Keep the dose.")
    sign_in(client, replies["chen"].doctor.user)
    url = reverse("answers:follow-up-answer", kwargs={"pk": follow_up.pk})
    html = client.get(url).content.decode()
    assert "Already answered by" in html
    assert "Dr. Lin Mei-hua answers" in html and "Keep the dose." in html
    assert url not in client.get(reverse("answers:dashboard")).content.decode()
    response = client.post(
        url, {"body": "Keep it, and rest well tonight; see your doctor if it lasts.", "submit": "1"}
    )
    assert response["Location"] == follow_up.get_absolute_url()
    # The page names each answering doctor, read in its one statement.
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Dr. Lin Mei-hua</a> answers" in page
    assert "Dr. Chen First</a> answers" in page
    assert "Keep it, and rest well tonight; see your doctor if it lasts." in page


def test_the_dashboard_query_count_is_flat_in_follow_ups_and_doctors(
    client, doctor, specialty, django_assert_num_queries
):
    def add_rows():
        for _ in range(3):
            question = QuestionFactory(specialty=specialty)
            mine = ReplyFactory(question=question, doctor=doctor)
            colleague = ReplyFactory(question=question, doctor__specialties=[specialty])
            FollowUpFactory(reply=mine)
            FollowUpFactory(reply=colleague)
            ReplyFactory(question=question, doctor__specialties=[specialty])
            QuestionFactory(specialty=specialty)  # unanswered: the page's list

    add_rows()
    sign_in(client, doctor.user)
    url = reverse("answers:dashboard")
    # session, user, doctor profile, its specialties, count, page, follow-ups waiting,
    # held check, header roles
    with django_assert_num_queries(9):
        html = client.get(url).content.decode()
    assert html.count("to your reply") == 3
    add_rows()
    with django_assert_num_queries(9):
        html = client.get(url).content.decode()
    assert html.count("to your reply") == 6
    assert html.count("to Dr. ") == 6
