"""Who gets what on every doctor, application, moderation and log URL, for GET and POST.

Each case lists the exact outcome for each role: a page (200), a redirect after a
successful POST (302), the log-in page ("login"), 403, 404 or 405.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.models import DoctorProfile, ModerationEvent
from forum.tests.factories import DoctorProfileFactory
from forum.tests.two_factor import sign_in
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "patient", "applied", "verified", "suspended", "moderator", "editor"]

REPLY_TEXT = {
    "body": "Please keep a headache diary for two weeks and see your doctor.",
    "submit": "1",
}
APPLICATION = {
    "display_name": "Ho New-doctor",
    "hospital": "Harbour General Hospital",
    "bio": "Neurologist with ten years of clinic experience.",
}


def _only(role_result: dict, default) -> dict:
    return {role: role_result.get(role, default) for role in ROLES}


def doctor_page(verified=200):
    """Doctor pages: log in first; only a verified doctor gets through, everyone else 403."""
    return _only({"anonymous": "login", "verified": verified}, 403)


def moderator_page(moderator=200):
    return _only({"anonymous": "login", "moderator": moderator}, 403)


CASES = [
    # (case id, url name, url kwargs key, method, POST data, expected by role)
    ("dashboard-get", "answers:dashboard", None, "get", None, doctor_page()),
    ("dashboard-post", "answers:dashboard", None, "post", {}, doctor_page(405)),
    ("history-get", "answers:history", None, "get", None, doctor_page()),
    ("history-post", "answers:history", None, "post", {}, doctor_page(405)),
    ("digest-get", "answers:digest", None, "get", None, doctor_page(405)),
    ("digest-post", "answers:digest", None, "post", {"wants_digest": "on"}, doctor_page(302)),
    ("reply-get", "answers:reply", "question", "get", None, doctor_page()),
    ("reply-post", "answers:reply", "question", "post", REPLY_TEXT, doctor_page(302)),
    ("reply-edit-get", "answers:reply-edit", "own_reply", "get", None, doctor_page()),
    ("reply-edit-post", "answers:reply-edit", "own_reply", "post", REPLY_TEXT, doctor_page(302)),
    (
        "apply-get",
        "answers:apply",
        None,
        "get",
        None,
        _only({"anonymous": "login"}, 200),
    ),
    (
        "apply-post",
        "answers:apply",
        None,
        "post",
        "application",
        _only({"anonymous": "login", "verified": 403, "suspended": 403}, 302),
    ),
    ("moderation-get", "answers:moderation", None, "get", None, moderator_page()),
    ("moderation-post", "answers:moderation", None, "post", {}, moderator_page(405)),
    ("mod-replies-get", "answers:moderation-replies", None, "get", None, moderator_page()),
    ("mod-doctors-get", "answers:moderation-doctors", None, "get", None, moderator_page()),
    ("log-get", "answers:moderation-log", None, "get", None, moderator_page()),
    ("log-post", "answers:moderation-log", None, "post", {}, moderator_page(405)),
    ("question-edit-get", "answers:question-edit", "pending", "get", None, moderator_page()),
    (
        "question-edit-post",
        "answers:question-edit",
        "pending",
        "post",
        {"title": "A redacted title", "body": "A redacted text."},
        moderator_page(302),
    ),
    (
        "question-approve-get",
        "answers:question-approve",
        "pending",
        "get",
        None,
        moderator_page(405),
    ),
    ("question-approve", "answers:question-approve", "pending", "post", {}, moderator_page(302)),
    (
        "question-reject",
        "answers:question-reject",
        "pending",
        "post",
        {"reason": "Contains a full name"},
        moderator_page(302),
    ),
    ("reply-approve", "answers:reply-approve", "held_reply", "post", {}, moderator_page(302)),
    (
        "reply-return",
        "answers:reply-return",
        "held_reply",
        "post",
        {"reason": "Please add warning signs"},
        moderator_page(302),
    ),
    (
        "reply-hide",
        "answers:reply-hide",
        "own_reply",
        "post",
        {"reason": "Advice is out of date"},
        moderator_page(302),
    ),
    (
        "reply-restore",
        "answers:reply-restore",
        "hidden_reply",
        "post",
        {"reason": "Checked again, fine"},
        moderator_page(302),
    ),
    ("doctor-verify", "answers:doctor-verify", "applied", "post", {}, moderator_page(302)),
    (
        "doctor-reject",
        "answers:doctor-reject",
        "applied",
        "post",
        {"reason": "Licence not found"},
        moderator_page(302),
    ),
    (
        "doctor-suspend",
        "answers:doctor-suspend",
        "verified",
        "post",
        {"reason": "Under investigation"},
        moderator_page(302),
    ),
    ("doctor-restore", "answers:doctor-restore", "suspended", "post", {}, moderator_page(302)),
]


@pytest.fixture
def world(patient, moderator, editor, doctor, applied_doctor, suspended_doctor, question):
    """One user per role and one object in the right state for every URL."""
    other = DoctorProfileFactory(specialties=list(doctor.specialties.all()))
    own_reply = ReplyFactory(doctor=doctor, question=QuestionFactory(specialty=question.specialty))
    return {
        "users": {
            "anonymous": AnonymousUser(),
            "patient": patient,
            "applied": applied_doctor.user,
            "verified": doctor.user,
            "suspended": suspended_doctor.user,
            "moderator": moderator,
            "editor": editor,
        },
        "objects": {
            "question": question,
            "own_reply": own_reply,
            "pending": PendingQuestionFactory(specialty=question.specialty),
            "held_reply": ReplyFactory(doctor=other, status=Reply.Status.HELD, published_at=None),
            "hidden_reply": ReplyFactory(doctor=other, status=Reply.Status.HIDDEN),
            "applied": applied_doctor,
            "verified": DoctorProfileFactory(),
            "suspended": suspended_doctor,
        },
    }


def _outcome(response) -> int | str:
    if response.status_code == 302 and response.url.startswith(reverse("account_login")):
        return "login"
    return response.status_code


@pytest.mark.parametrize(
    "name,obj,method,data,expected", [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_url_gives_each_role_exactly_the_intended_result(
    client, world, specialty, name, obj, method, data, expected
):
    kwargs = {"pk": world["objects"][obj].pk} if obj else {}
    url = reverse(name, kwargs=kwargs)
    outcomes = {}
    for role in ROLES:
        client.logout()
        user = world["users"][role]
        if user.is_authenticated:
            sign_in(client, user)
        payload = data
        if data == "application":
            payload = {
                **APPLICATION,
                "license_number": f"MD-NEW-{role}",
                "specialties": [specialty.pk],
            }
        response = getattr(client, method)(url, payload) if method == "post" else client.get(url)
        outcomes[role] = _outcome(response)
    assert outcomes == expected


def test_doctor_cannot_open_or_change_another_doctors_reply(client, doctor, other_doctor):
    reply = ReplyFactory(doctor=other_doctor, question__specialty=doctor.specialties.first())
    sign_in(client, doctor.user)
    url = reverse("answers:reply-edit", kwargs={"pk": reply.pk})
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"body": "Taking over this reply with my own words.", "submit": "1"}
    )
    assert response.status_code == 404
    reply.refresh_from_db()
    assert reply.body.startswith("Morning headaches")
    assert not reply.versions.exists()


def test_doctor_cannot_edit_a_patients_question(client, doctor):
    pending = PendingQuestionFactory(specialty=doctor.specialties.first(), title="Original title")
    sign_in(client, doctor.user)
    url = reverse("answers:question-edit", kwargs={"pk": pending.pk})
    assert client.get(url).status_code == 403
    response = client.post(url, {"title": "Changed by a doctor", "body": "Changed."})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert (pending.title, pending.status) == ("Original title", Question.Status.PENDING)
    assert not ModerationEvent.objects.exists()


def test_doctor_cannot_reply_outside_their_specialties(client, doctor):
    elsewhere = QuestionFactory()  # in a specialty of its own
    sign_in(client, doctor.user)
    url = reverse("answers:reply", kwargs={"pk": elsewhere.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, REPLY_TEXT).status_code == 403
    assert not Reply.objects.exists()


def test_reply_page_is_404_for_a_question_that_is_not_published(client, doctor):
    pending = PendingQuestionFactory(specialty=doctor.specialties.first())
    sign_in(client, doctor.user)
    assert client.get(reverse("answers:reply", kwargs={"pk": pending.pk})).status_code == 404
    assert client.get(reverse("answers:reply", kwargs={"pk": 999999})).status_code == 404


def test_suspending_takes_every_doctor_page_away_at_once(client, doctor, moderator):
    sign_in(client, doctor.user)
    assert client.get(reverse("answers:dashboard")).status_code == 200
    moderator_client = client_class_for(moderator)
    moderator_client.post(
        reverse("answers:doctor-suspend", kwargs={"pk": doctor.pk}), {"reason": "Licence lapsed"}
    )
    assert DoctorProfile.objects.get(pk=doctor.pk).status == DoctorProfile.Status.SUSPENDED
    # The same session, without logging in again.
    assert client.get(reverse("answers:dashboard")).status_code == 403
    assert client.get(reverse("answers:history")).status_code == 403
    assert not doctor.user.groups.filter(name="Doctors").exists()


def client_class_for(user):
    from django.test import Client

    other = Client()
    sign_in(other, user)
    return other


@pytest.mark.parametrize("role", [*ROLES, "staff"])
def test_only_a_verified_doctor_can_start_answering_and_nobody_claims_by_opening(
    client, world, role, settings
):
    """Issue 14, finding 9: "Start answering" (a POST) is the doctor's claim; a GET of
    the reply page claims nothing, whoever opens it."""
    from answers.models import QuestionClaim
    from forum.tests.factories import UserFactory

    settings.CLAIM_MINUTES = 15
    user = world["users"].get(role) or UserFactory(email="staff@example.org", is_staff=True)
    if user.is_authenticated:
        sign_in(client, user)
    url = reverse("answers:reply", kwargs={"pk": world["objects"]["question"].pk})
    opened = _outcome(client.get(url))
    assert not QuestionClaim.objects.exists()
    started = _outcome(client.post(url, {"start": "1"}))
    expected = {"anonymous": ("login", "login"), "verified": (200, 302)}.get(role, (403, 403))
    assert (opened, started) == expected
    if role == "verified":
        assert QuestionClaim.objects.get().doctor.user == user
    else:
        assert not QuestionClaim.objects.exists()
