"""Who gets what on the information-request URLs, for GET and POST, role by role, and
what each leaves in the database. Outcomes: a page (200), a redirect (302), the log-in
page ("login"), the two-factor step ("2fa": a moderator whose session used only a
password), 403, 404, 405 or 410."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from answers.actions import request_information
from answers.models import InformationRequest, QuestionClaim
from forum.models import DoctorProfile
from forum.tests.factories import DoctorProfileFactory, SpecialtyFactory, UserFactory
from forum.tests.two_factor import sign_in
from questions.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "author",
    "patient",
    "verified",
    "applied",
    "suspended",
    "other_specialty",
    "claim_elsewhere",
    "moderator",
    "moderator_password_only",
    "editor",
    "staff",
]
ASK = {"text": "How long has each headache lasted, and do you take any medicine?"}
ANSWER = {"answer": "About two hours each morning."}


@pytest.fixture
def world(patient, doctor, moderator, editor, specialty):
    """The requester `doctor` holds an open request on `asked`; `free` has none. The
    claim_elsewhere doctor practises the specialty, but `asked` is claimed by `doctor`."""
    asked = QuestionFactory(author=patient, specialty=specialty)
    info = request_information(question=asked, doctor=doctor, text=ASK["text"])
    free = QuestionFactory(author=patient, specialty=specialty)
    users = {
        "anonymous": AnonymousUser(),
        "author": patient,
        "patient": UserFactory(),
        "verified": doctor.user,
        "applied": DoctorProfileFactory(
            status=DoctorProfile.Status.APPLIED, verified_at=None, specialties=[specialty]
        ).user,
        "suspended": DoctorProfileFactory(
            status=DoctorProfile.Status.SUSPENDED, specialties=[specialty]
        ).user,
        "other_specialty": DoctorProfileFactory(specialties=[SpecialtyFactory()]).user,
        "claim_elsewhere": DoctorProfileFactory(specialties=[specialty]).user,
        "moderator": moderator,
        "moderator_password_only": moderator,
        "editor": editor,
        "staff": UserFactory(is_staff=True),
    }
    return {"users": users, "asked": asked, "free": free, "info": info}


def _outcome(response) -> int | str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("account_login")):
        return "login"
    if response.status_code == 302 and location.startswith("/accounts/2fa/"):
        return "2fa"
    return response.status_code


def _client_for(client, role, user):
    if role == "moderator_password_only":
        client.force_login(user)
    elif user.is_authenticated:
        sign_in(client, user)
    return client


def _expect(default, **by_role):
    base = {"anonymous": "login", "moderator_password_only": "2fa"}
    return {role: by_role.get(role, base.get(role, default)) for role in ROLES}


# (case id, url name, object, method, data, expected by role)
CASES = [
    (
        "request-get",
        "answers:information-request",
        "free",
        "get",
        None,
        _expect(403, verified=405, claim_elsewhere=405, other_specialty=405),
    ),
    (
        "request-post",
        "answers:information-request",
        "free",
        "post",
        ASK,
        _expect(403, verified=302, claim_elsewhere=302),
    ),
    (
        "request-post-claimed",
        "answers:information-request",
        "asked",
        "post",
        ASK,
        # Both get the reply page back with the refusal; neither sends a second request.
        _expect(403, verified=302, claim_elsewhere=302),
    ),
    (
        "withdraw-get",
        "answers:information-withdraw",
        "info",
        "get",
        None,
        _expect(403, verified=405, claim_elsewhere=405, other_specialty=405),
    ),
    (
        "withdraw-post",
        "answers:information-withdraw",
        "info",
        "post",
        {},
        _expect(403, verified=302, claim_elsewhere=404, other_specialty=404),
    ),
    (
        "answer-get",
        "answers:information-answer",
        "info",
        "get",
        None,
        _expect(404, author=200),
    ),
    (
        "answer-post",
        "answers:information-answer",
        "info",
        "post",
        ANSWER,
        _expect(404, author=302),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name,obj,method,data,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_information_url_gives_each_role_exactly_the_intended_result(
    client, world, role, name, obj, method, data, expected
):
    user = world["users"][role]
    _client_for(client, role, user)
    url = reverse(name, kwargs={"pk": world[obj].pk})
    response = client.post(url, data) if method == "post" else client.get(url)
    assert _outcome(response) == expected[role]
    info = InformationRequest.objects.get(pk=world["info"].pk)
    requests_on_free = InformationRequest.objects.filter(question=world["free"]).count()
    # What the database holds afterwards: only the intended role changed anything.
    changed = {
        ("request-post", "verified"): requests_on_free == 1,
        ("request-post", "claim_elsewhere"): requests_on_free == 1,
        ("withdraw-post", "verified"): info.status == "closed",
        ("answer-post", "author"): info.status == "answered",
    }
    case = next(c[0] for c in CASES if c[1] == name and c[2] == obj and c[3] == method)
    if (case, role) in changed:
        assert changed[(case, role)], f"{case} by {role} did not take effect"
    else:
        assert info.status == "open"
        assert info.answer == ""
        assert requests_on_free == 0
        assert InformationRequest.objects.filter(question=world["asked"]).count() == 1
        assert (
            QuestionClaim.objects.get(question=world["asked"]).doctor.user
            == world["users"]["verified"]
        )


def test_claim_elsewhere_doctor_cannot_ask_while_the_claim_runs(client, world):
    """On `free`, with a third doctor's claim running, the verified doctor is refused."""
    holder = DoctorProfileFactory(specialties=[world["free"].specialty])
    QuestionClaim.objects.create(
        question=world["free"], doctor=holder, expires_at=timezone.now() + timedelta(minutes=10)
    )
    sign_in(client, world["users"]["verified"])
    url = reverse("answers:information-request", kwargs={"pk": world["free"].pk})
    response = client.post(url, ASK, follow=True)
    assert "Another doctor is answering this question." in response.content.decode()
    assert not InformationRequest.objects.filter(question=world["free"]).exists()
