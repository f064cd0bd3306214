"""Follow-up pages (issue 19): who gets what on every follow-up URL, the asker's form
and its screening, the moderators' list, the doctor's dashboard and answer form, and
the Q&A page showing follow-ups and answers in a fixed number of queries."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse

from answers.models import Reply
from answers.tests.factories import FollowUpFactory, ReplyFactory
from forum.models import DoctorProfile, ModerationEvent
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory, UserFactory
from forum.tests.two_factor import give_totp, sign_in
from questions.models import FollowUp
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "author",
    "patient",
    "verified",
    "co_replier",
    "colleague",
    "elsewhere",
    "applied",
    "suspended",
    "moderator",
    "editor",
    "staff",
]
TEXT = "Thank you, doctor. The headache comes back every evening: should I double the dose?"
ANSWER = {"body": "No. Keep the dose, and see your doctor if it lasts another week.", "submit": "1"}


def _only(results: dict, default) -> dict:
    return {role: results.get(role, default) for role in ROLES}


def moderator_page(moderator=200):
    return _only({"anonymous": "login", "moderator": moderator}, 403)


CASES = [
    # (case id, url name, object, method, POST data, expected by role)
    (
        "new-get",
        "answers:follow-up-new",
        "reply",
        "get",
        None,
        _only({"anonymous": "login", "author": 200}, 404),
    ),
    (
        "new-post",
        "answers:follow-up-new",
        "reply",
        "post",
        {"body": TEXT},
        _only({"anonymous": "login", "author": 302}, 404),
    ),
    (
        "answer-get",
        "answers:follow-up-answer",
        "follow_up",
        "get",
        None,
        _only({"anonymous": "login", "verified": 200, "co_replier": 200}, 403),
    ),
    (
        "answer-post",
        "answers:follow-up-answer",
        "follow_up",
        "post",
        ANSWER,
        _only({"anonymous": "login", "verified": 302, "co_replier": 302}, 403),
    ),
    ("list-get", "answers:moderation-follow-ups", None, "get", None, moderator_page()),
    ("list-post", "answers:moderation-follow-ups", None, "post", {}, moderator_page(405)),
    ("approve-get", "answers:follow-up-approve", "pending", "get", None, moderator_page(405)),
    ("approve", "answers:follow-up-approve", "pending", "post", {}, moderator_page(302)),
    (
        "reject",
        "answers:follow-up-reject",
        "pending",
        "post",
        {"reason": "Contains a name"},
        moderator_page(302),
    ),
]


@pytest.fixture
def world(patient, moderator, editor, doctor, question, settings):
    settings.TRUSTED_ASKER_APPROVED_POSTS = 0
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    settings.FOLLOW_UPS_PER_QUESTION = 50  # every role's POST may succeed
    specialty = question.specialty
    reply = ReplyFactory(question=question, doctor=doctor)
    doctors = {
        # Replied to the question too, under their own reply: may answer its follow-ups.
        "co_replier": DoctorProfileFactory(specialties=[specialty]),
        # A verified doctor of the specialty who did not reply.
        "colleague": DoctorProfileFactory(specialties=[specialty]),
        "elsewhere": DoctorProfileFactory(specialties=[SpecialtyFactory()]),
        "applied": DoctorProfileFactory(
            specialties=[specialty], status=DoctorProfile.Status.APPLIED, verified_at=None
        ),
        "suspended": DoctorProfileFactory(
            specialties=[specialty], status=DoctorProfile.Status.SUSPENDED
        ),
    }
    # A second doctor's reply; the applicant's and the suspended doctor's replies to the
    # question (published before) do not let them answer. The other specialty's doctor
    # did not reply.
    for role in ("co_replier", "applied", "suspended"):
        ReplyFactory(question=question, doctor=doctors[role])
    return {
        "users": {
            "anonymous": AnonymousUser(),
            "author": patient,
            "patient": UserFactory(),
            "verified": doctor.user,
            **{role: profile.user for role, profile in doctors.items()},
            "moderator": moderator,
            "editor": editor,
            "staff": UserFactory(is_staff=True),
        },
        "objects": {
            "reply": reply,
            "follow_up": FollowUpFactory(reply=reply),
            "pending": FollowUpFactory(
                reply=reply, status=FollowUp.Status.PENDING, published_at=None
            ),
        },
    }


def _outcome(response) -> int | str:
    if response.status_code == 302 and response.url.startswith(reverse("account_login")):
        return "login"
    return response.status_code


@pytest.mark.parametrize(
    "name,obj,method,data,expected", [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_follow_up_url_gives_each_role_exactly_the_intended_result(
    client, world, name, obj, method, data, expected
):
    kwargs = {"pk": world["objects"][obj].pk} if obj else {}
    url = reverse(name, kwargs=kwargs)
    outcomes = {}
    for role in ROLES:
        client.logout()
        user = world["users"][role]
        if user.is_authenticated:
            sign_in(client, user)
        response = client.post(url, data) if method == "post" else client.get(url)
        outcomes[role] = _outcome(response)
    assert outcomes == expected


@pytest.mark.parametrize(
    "name,obj", [("answers:moderation-follow-ups", None), ("answers:follow-up-approve", "pending")]
)
def test_a_moderators_password_only_session_must_confirm_a_code_first(
    client, world, moderator, name, obj
):
    kwargs = {"pk": world["objects"][obj].pk} if obj else {}
    url = reverse(name, kwargs=kwargs)
    # No authenticator yet: sent to set one up.
    client.force_login(moderator)
    response = client.post(url) if obj else client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # An authenticator, but a session that never used it.
    give_totp(moderator)
    response = client.post(url) if obj else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    world["objects"]["pending"].refresh_from_db()
    assert world["objects"]["pending"].status == FollowUp.Status.PENDING
    assert not ModerationEvent.objects.exists()


# --- The asker's form --------------------------------------------------------------------


@pytest.fixture
def reply(question, doctor):
    return ReplyFactory(question=question, doctor=doctor)


@pytest.fixture
def asker(client, patient, settings):
    settings.TRUSTED_ASKER_APPROVED_POSTS = 0
    client.force_login(patient)
    return client


def _new(reply):
    return reverse("answers:follow-up-new", kwargs={"pk": reply.pk})


def test_the_qa_page_offers_the_asker_a_follow_up_under_each_reply(asker, client, reply):
    html = asker.get(reply.question.get_absolute_url()).content.decode()
    assert f'href="{_new(reply)}"' in html
    assert "Ask Dr. Lin Mei-hua a follow-up" in html
    client.logout()
    assert _new(reply) not in client.get(reply.question.get_absolute_url()).content.decode()


def test_sending_a_follow_up_puts_it_to_the_moderators_and_shows_the_asker_it_waits(asker, reply):
    response = asker.post(_new(reply), {"body": TEXT}, follow=True)
    html = response.content.decode()
    assert "Your follow-up will appear once a moderator has approved it." in html
    assert "Your follow-up is waiting for a moderator; only you can see it." in html
    assert TEXT in html
    assert FollowUp.objects.get().status == FollowUp.Status.PENDING


def test_personal_data_keeps_the_follow_up_with_the_ask_forms_message(asker, reply):
    body = f"{TEXT} Call me on 0912-345-678."
    response = asker.post(_new(reply), {"body": body})
    assert response.status_code == 200
    html = response.content.decode()
    assert "To protect your privacy, please remove what looks like personal details:" in html
    assert "“0912-345-678” (phone number)" in html
    assert "0912-345-678.</textarea>" in html  # nothing typed is lost
    assert not FollowUp.objects.exists()


def test_red_flags_show_the_help_numbers_first_then_send_when_confirmed(asker, reply, settings):
    body = "Since last night I have crushing chest pain again, worse than before."
    response = asker.post(_new(reply), {"body": body})
    html = response.content.decode()
    assert "Are you safe right now?" in html
    assert html.index("Are you safe right now?") < html.index('id="follow-up-form"')
    assert f'href="tel:{settings.EMERGENCY_NUMBER}"' in html
    assert "I am safe: send my follow-up" in html
    assert not FollowUp.objects.exists()
    asker.post(_new(reply), {"body": body, "confirm_urgent": "1"})
    follow_up = FollowUp.objects.get()
    assert follow_up.is_urgent


@pytest.mark.parametrize(
    "body,message",
    [
        ("", "Please write your follow-up."),
        ("Why?", "Please write a little more: at least 10 characters (it has 4)."),
        ("x" * 1001, "at most 1000 characters (it has 1001)"),
    ],
)
def test_length_is_checked_with_a_clear_message(asker, reply, body, message):
    response = asker.post(_new(reply), {"body": body})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FollowUp.objects.exists()


def test_past_the_limit_the_form_says_so(asker, reply, settings):
    settings.FOLLOW_UPS_PER_QUESTION = 1
    FollowUpFactory(reply=reply)
    html = asker.get(_new(reply)).content.decode()
    assert "This question has its 1 follow-up already." in html
    assert 'id="follow-up-form"' not in html
    assert _new(reply) not in asker.get(reply.question.get_absolute_url()).content.decode()
    asker.post(_new(reply), {"body": TEXT})
    assert FollowUp.objects.count() == 1


def test_a_rejected_follow_up_shows_its_reason_to_the_asker_only(asker, client, reply):
    FollowUpFactory(
        reply=reply,
        status=FollowUp.Status.REJECTED,
        published_at=None,
        rejection_reason="It names a nurse",
        body="Nurse Wang said I should wait, is that right?",
    )
    html = asker.get(reply.question.get_absolute_url()).content.decode()
    assert "A moderator did not publish your follow-up: It names a nurse" in html
    client.logout()
    assert "It names a nurse" not in client.get(reply.question.get_absolute_url()).content.decode()


# --- The Q&A page ----------------------------------------------------------------------


def test_the_page_shows_a_follow_up_under_its_reply_with_dates_and_the_answer(client, reply):
    other = ReplyFactory(question=reply.question)
    follow_up = FollowUpFactory(reply=reply)
    answer = ReplyFactory(
        question=reply.question,
        doctor=reply.doctor,
        follow_up=follow_up,
        body="Keep the dose; see your doctor if it lasts.",
    )
    FollowUpFactory(reply=reply, status=FollowUp.Status.PENDING, body="Not public yet, please")
    html = client.get(reply.question.get_absolute_url()).content.decode()
    # Under the reply it follows up on, before the next reply; the answer not a reply.
    section = html[html.index(f'id="reply-{reply.pk}"') : html.index(f'id="reply-{other.pk}"')]
    assert f'id="follow-up-{follow_up.pk}"' in section
    assert "Follow-up from Heihei" in section
    assert follow_up.body in section
    assert "Keep the dose; see your doctor if it lasts." in section
    assert "Dr. Lin Mei-hua</a> answers" in section
    assert html.count('class="reply"') == 2
    assert f'id="reply-{answer.pk}"' in section
    assert "Not public yet, please" not in html
    dates = re.findall(r'<time datetime="([^"]+)">', section)
    assert dates and all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", d) for d in dates
    )
    assert "Follow-up Date: <time" in section


def test_a_follow_up_waiting_for_an_answer_says_so(client, reply):
    FollowUpFactory(reply=reply)
    html = client.get(reply.question.get_absolute_url()).content.decode()
    assert "Waiting for a doctor&#39;s answer." in html or "Waiting for a doctor's answer." in html


# The one statement: the question with its replies, their follow-ups and answers, tags,
# Similar Q&A items and Related FAQ (no article attached, so no second query).
QA_PAGE_QUERIES = 1


def _page_queries(client, question, django_assert_num_queries):
    client.get(question.get_absolute_url())  # ranks and stores Similar Q&A
    cache.clear()
    with django_assert_num_queries(QA_PAGE_QUERIES):
        response = client.get(question.get_absolute_url())
    return response.content.decode()


def test_page_query_count_is_the_same_with_no_or_many_follow_ups(
    client, reply, specialty, django_assert_num_queries
):
    similar = QuestionFactory(specialty=specialty)
    ReplyFactory(question=similar)
    html = _page_queries(client, reply.question, django_assert_num_queries)
    assert 'class="follow-up"' not in html
    second = ReplyFactory(question=reply.question)
    for target in [reply, reply, second]:
        follow_up = FollowUpFactory(reply=target)
        ReplyFactory(question=reply.question, doctor=target.doctor, follow_up=follow_up)
    FollowUpFactory(reply=second)
    html = _page_queries(client, reply.question, django_assert_num_queries)
    assert html.count('class="follow-up"') == 4
    assert html.count('class="follow-up-answer"') == 3


def test_the_askers_page_costs_one_query_more_whatever_the_follow_ups(
    client, patient, reply, django_assert_num_queries
):
    client.force_login(patient)
    url = reply.question.get_absolute_url()
    client.get(url)
    for _ in range(2):
        FollowUpFactory(reply=reply)
        FollowUpFactory(reply=reply, status=FollowUp.Status.PENDING, published_at=None)
        # session, user, viewer roles (2), the page's statement, thanked replies, the
        # asker's own follow-ups
        with django_assert_num_queries(7):
            html = client.get(url).content.decode()
    assert html.count("Your follow-up is waiting for a moderator") == 2


# --- Moderators --------------------------------------------------------------------------


def test_moderators_list_pending_follow_ups_urgent_first_and_approve_one(client, moderator, reply):
    calm = FollowUpFactory(reply=reply, status=FollowUp.Status.PENDING, published_at=None)
    urgent = FollowUpFactory(
        reply=reply,
        status=FollowUp.Status.PENDING,
        published_at=None,
        is_urgent=True,
        body="Crushing chest pain since this morning, and sweating.",
    )
    sign_in(client, moderator)
    html = client.get(reverse("answers:moderation-follow-ups")).content.decode()
    assert html.index(f"follow-up-{urgent.pk}-title") < html.index(f"follow-up-{calm.pk}-title")
    assert 'Follow-ups <span class="count">(2)</span>' in html
    response = client.post(
        reverse("answers:follow-up-approve", kwargs={"pk": calm.pk}), follow=True
    )
    assert (
        "Follow-up approved and published; the doctors who replied are told."
        in response.content.decode()
    )
    calm.refresh_from_db()
    assert calm.status == FollowUp.Status.PUBLISHED


def test_rejecting_without_a_reason_asks_for_one_and_keeps_the_follow_up(client, moderator, reply):
    pending = FollowUpFactory(reply=reply, status=FollowUp.Status.PENDING, published_at=None)
    sign_in(client, moderator)
    response = client.post(reverse("answers:follow-up-reject", kwargs={"pk": pending.pk}), {})
    assert response.status_code == 200
    assert "A reason is needed" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == FollowUp.Status.PENDING


def test_moderation_list_query_count_does_not_grow_with_rows(
    client, moderator, reply, django_assert_num_queries
):
    sign_in(client, moderator)

    def add():
        for _ in range(3):
            FollowUpFactory(
                reply=ReplyFactory(question__specialty=reply.question.specialty),
                status=FollowUp.Status.PENDING,
                published_at=None,
            )

    add()
    # session, user, roles, count, page, 4 tab counts, header doctor check
    with django_assert_num_queries(10):
        client.get(reverse("answers:moderation-follow-ups"))
    add()
    with django_assert_num_queries(10):
        client.get(reverse("answers:moderation-follow-ups"))


# --- Doctors -----------------------------------------------------------------------------


def test_the_dashboard_shows_follow_ups_waiting_first_and_only_the_doctors_own(
    client, doctor, reply, other_doctor
):
    mine = FollowUpFactory(reply=reply, body="Is it fine to exercise with this headache?")
    FollowUpFactory(reply=ReplyFactory(doctor=other_doctor), body="For the other doctor only")
    answered = FollowUpFactory(reply=reply, body="Already answered by me")
    ReplyFactory(question=reply.question, doctor=doctor, follow_up=answered)
    QuestionFactory(specialty=doctor.specialties.first(), title="An unanswered question")
    sign_in(client, doctor.user)
    html = client.get(reverse("answers:dashboard")).content.decode()
    assert "Follow-ups waiting for you" in html
    assert html.index("Follow-ups waiting for you") < html.index("An unanswered question")
    assert reverse("answers:follow-up-answer", kwargs={"pk": mine.pk}) in html
    assert "Is it fine to exercise" in html
    assert "For the other doctor only" not in html
    assert "Already answered by me" not in html


def test_answering_with_a_preview_then_submitting(client, doctor, reply, settings):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    follow_up = FollowUpFactory(reply=reply)
    sign_in(client, doctor.user)
    url = reverse("answers:follow-up-answer", kwargs={"pk": follow_up.pk})
    html = client.get(url).content.decode()
    assert follow_up.body in html and reply.body in html
    preview = client.post(url, {"body": ANSWER["body"], "preview": "1"}).content.decode()
    assert "Preview" in preview and not Reply.objects.filter(follow_up=follow_up).exists()
    response = client.post(url, ANSWER)
    answer = Reply.objects.get(follow_up=follow_up)
    assert answer.is_published
    assert response["Location"] == follow_up.get_absolute_url()
    # Answered: off the dashboard, and the form now leads to editing the answer.
    assert url not in client.get(reverse("answers:dashboard")).content.decode()
    again = client.get(url)
    assert again["Location"] == reverse("answers:reply-edit", kwargs={"pk": answer.pk})


def test_a_new_doctors_answer_waits_in_the_held_replies(client, doctor, reply, moderator, settings):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 5
    follow_up = FollowUpFactory(reply=reply)
    sign_in(client, doctor.user)
    url = reverse("answers:follow-up-answer", kwargs={"pk": follow_up.pk})
    assert "checked by a moderator" in client.get(url).content.decode()
    client.post(url, ANSWER)
    answer = Reply.objects.get(follow_up=follow_up)
    assert answer.status == Reply.Status.HELD
    sign_in(client, moderator)
    html = client.get(reverse("answers:moderation-replies")).content.decode()
    assert ANSWER["body"] in html


def test_answer_form_query_count(client, doctor, reply, django_assert_num_queries):
    follow_up = FollowUpFactory(reply=reply)
    sign_in(client, doctor.user)
    url = reverse("answers:follow-up-answer", kwargs={"pk": follow_up.pk})
    # session, user, doctor, follow-up with question and reply, own answer, held check,
    # tags, header roles
    with django_assert_num_queries(8):
        client.get(url)


def test_a_password_only_session_of_a_moderator_who_is_a_doctor_cannot_answer(
    client, world, moderator, doctor
):
    """A doctor who replied and is also a moderator: their role needs two-factor, so a
    password-only session is sent to it before the answer form, and nothing is saved."""
    doctor.user.groups.add(*moderator.groups.all())
    url = reverse("answers:follow-up-answer", kwargs={"pk": world["objects"]["follow_up"].pk})
    client.force_login(doctor.user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    give_totp(doctor.user)
    response = client.post(url, ANSWER)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not Reply.objects.filter(follow_up=world["objects"]["follow_up"]).exists()
