"""Every moderation decision goes back through forum.redirects (issue 14, finding 7).

A `next=foo` used to pass the host check and then be looked up as a URL name: a 500
answered a decision that had already been committed. Each decision view is posted with
a hostile, a local and a foreign `next`; the decision takes effect and the moderator
lands on a page of the site.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.models import DoctorProfile, ModerationEvent
from forum.redirects import local_path
from forum.tests.factories import DoctorProfileFactory
from forum.tests.two_factor import sign_in
from questions.models import Question
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

QUESTIONS = "/moderation/"
REPLIES = "/moderation/replies/"
DOCTORS = "/moderation/doctors/"


@dataclass(frozen=True)
class Decision:
    url_name: str
    make: Callable  # () -> the object in the state the decision applies to
    data: dict
    took_effect: Callable  # (object, refreshed) -> bool
    default: str


def _status_is(value):
    return lambda obj: type(obj).objects.get(pk=obj.pk).status == value


DECISIONS = {
    "question-approve": Decision(
        "answers:question-approve",
        PendingQuestionFactory,
        {},
        _status_is(Question.Status.PUBLISHED),
        QUESTIONS,
    ),
    "question-reject": Decision(
        "answers:question-reject",
        PendingQuestionFactory,
        {"reason": "Not a medical question"},
        _status_is(Question.Status.REJECTED),
        QUESTIONS,
    ),
    "question-edit": Decision(
        "answers:question-edit",
        PendingQuestionFactory,
        {"title": "A redacted title", "body": "A redacted question text.", "reason": "name"},
        lambda q: Question.objects.filter(
            pk=q.pk, status=Question.Status.PUBLISHED, title="A redacted title"
        ).exists(),
        QUESTIONS,
    ),
    "reply-approve": Decision(
        "answers:reply-approve",
        lambda: ReplyFactory(status=Reply.Status.HELD, published_at=None),
        {},
        _status_is(Reply.Status.PUBLISHED),
        REPLIES,
    ),
    "reply-return": Decision(
        "answers:reply-return",
        lambda: ReplyFactory(status=Reply.Status.HELD, published_at=None),
        {"reason": "Please add warning signs"},
        lambda r: Reply.objects.get(pk=r.pk).is_returned,
        REPLIES,
    ),
    "reply-hide": Decision(
        "answers:reply-hide",
        ReplyFactory,
        {"reason": "Advice is out of date"},
        _status_is(Reply.Status.HIDDEN),
        REPLIES,
    ),
    "reply-restore": Decision(
        "answers:reply-restore",
        lambda: ReplyFactory(status=Reply.Status.HIDDEN),
        {"reason": "Checked again, fine"},
        _status_is(Reply.Status.PUBLISHED),
        REPLIES,
    ),
    "doctor-verify": Decision(
        "answers:doctor-verify",
        lambda: DoctorProfileFactory(status=DoctorProfile.Status.APPLIED, verified_at=None),
        {},
        _status_is(DoctorProfile.Status.VERIFIED),
        DOCTORS,
    ),
    "doctor-reject": Decision(
        "answers:doctor-reject",
        lambda: DoctorProfileFactory(status=DoctorProfile.Status.APPLIED, verified_at=None),
        {"reason": "Licence not found"},
        _status_is(DoctorProfile.Status.REJECTED),
        DOCTORS,
    ),
    "doctor-suspend": Decision(
        "answers:doctor-suspend",
        DoctorProfileFactory,
        {"reason": "Under investigation"},
        _status_is(DoctorProfile.Status.SUSPENDED),
        DOCTORS,
    ),
    "doctor-restore": Decision(
        "answers:doctor-restore",
        lambda: DoctorProfileFactory(status=DoctorProfile.Status.SUSPENDED),
        {},
        _status_is(DoctorProfile.Status.VERIFIED),
        DOCTORS,
    ),
}

FOREIGN = ["https://evil.example", "https://evil.example/moderation/", "//evil.example/"]


@pytest.fixture
def mod_client(client, moderator):
    sign_in(client, moderator)
    return client


def _decide(mod_client, decision: Decision, next_value: str):
    target = decision.make()
    url = reverse(decision.url_name, kwargs={"pk": target.pk})
    response = mod_client.post(url, {**decision.data, "next": next_value})
    return target, response


@pytest.mark.parametrize("name", DECISIONS)
@pytest.mark.parametrize("next_value", ["foo", "answers:moderation", "javascript:alert(1)"])
def test_decision_with_a_next_that_is_not_a_path_goes_to_its_list_after_taking_effect(
    mod_client, name, next_value
):
    decision = DECISIONS[name]
    target, response = _decide(mod_client, decision, next_value)
    assert (response.status_code, response["Location"]) == (302, decision.default)
    assert decision.took_effect(target)
    assert ModerationEvent.objects.exists()


@pytest.mark.parametrize("name", DECISIONS)
def test_decision_with_a_local_next_goes_back_to_that_page(mod_client, name):
    decision = DECISIONS[name]
    target, response = _decide(mod_client, decision, f"{decision.default}?page=2")
    assert (response.status_code, response["Location"]) == (302, f"{decision.default}?page=2")
    assert decision.took_effect(target)


@pytest.mark.parametrize("name", DECISIONS)
@pytest.mark.parametrize("next_value", FOREIGN)
def test_decision_with_a_foreign_next_goes_to_its_list(mod_client, name, next_value):
    decision = DECISIONS[name]
    target, response = _decide(mod_client, decision, next_value)
    assert (response.status_code, response["Location"]) == (302, decision.default)
    assert decision.took_effect(target)


def test_refused_decision_with_next_foo_goes_to_the_list_and_says_why(mod_client):
    published = QuestionFactory()
    url = reverse("answers:question-reject", kwargs={"pk": published.pk})
    response = mod_client.post(url, {"reason": "Too late", "next": "foo"}, follow=True)
    assert response.redirect_chain == [(QUESTIONS, 302)]
    assert "Only pending questions can be rejected." in response.content.decode()
    assert Question.objects.get(pk=published.pk).status == Question.Status.PUBLISHED


@pytest.mark.parametrize("next_value", ["javascript:alert(1)", "https://evil.example/", "foo"])
def test_reason_page_cancel_link_and_hidden_next_are_vetted(mod_client, next_value):
    reply = ReplyFactory(status=Reply.Status.HELD, published_at=None)
    url = reverse("answers:reply-return", kwargs={"pk": reply.pk})
    response = mod_client.post(url, {"reason": "", "next": next_value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "A reason is needed" in html
    assert f'value="{escape(next_value)}"' not in html
    assert f'href="{escape(next_value)}"' not in html
    assert f'<a class="button button-secondary" href="{REPLIES}">Cancel</a>' in html
    assert f'<input type="hidden" name="next" value="{REPLIES}">' in html
    assert Reply.objects.get(pk=reply.pk).status == Reply.Status.HELD


def test_reason_page_keeps_a_local_next_for_the_cancel_link(mod_client):
    doctor = DoctorProfileFactory(status=DoctorProfile.Status.APPLIED, verified_at=None)
    url = reverse("answers:doctor-reject", kwargs={"pk": doctor.pk})
    back = "/moderation/doctors/?status=applied&page=2"
    html = mod_client.post(url, {"reason": " ", "next": back}).content.decode()
    assert 'href="/moderation/doctors/?status=applied&amp;page=2">Cancel</a>' in html
    assert 'name="next" value="/moderation/doctors/?status=applied&amp;page=2"' in html


def test_a_null_character_in_next_does_not_block_the_decision(mod_client):
    question = PendingQuestionFactory()
    url = reverse("answers:question-reject", kwargs={"pk": question.pk})
    response = mod_client.post(url, {"reason": "Duplicate", "next": "/moderation/\x00"})
    assert (response.status_code, response["Location"]) == (302, QUESTIONS)
    assert Question.objects.get(pk=question.pk).status == Question.Status.REJECTED


def test_edit_page_carries_the_queue_page_it_came_from(mod_client):
    for _ in range(20):
        PendingQuestionFactory()
    question = PendingQuestionFactory(title="Edit from page two")  # the newest: page 2
    queue = mod_client.get(QUESTIONS, {"page": 2}).content.decode()
    edit = reverse("answers:question-edit", kwargs={"pk": question.pk})
    assert f'href="{edit}?next=/moderation/%3Fpage%3D2"' in queue
    html = mod_client.get(edit, {"next": "/moderation/?page=2"}).content.decode()
    assert '<input type="hidden" name="next" value="/moderation/?page=2">' in html
    assert 'href="/moderation/?page=2">Cancel</a>' in html
    html = mod_client.get(edit, {"next": "https://evil.example/"}).content.decode()
    assert "evil.example" not in html
    assert f'href="{QUESTIONS}">Cancel</a>' in html


NEXT_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(max_size=300).map(lambda text: "/" + text),
    st.sampled_from(["foo", "//evil.example", "/\\evil", "https://evil", "/ok?x=1"]),
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(next_value=NEXT_TEXT, with_reason=st.booleans())
def test_any_text_as_next_never_gives_an_error_page(mod_client, next_value, with_reason):
    question = PendingQuestionFactory()
    url = reverse("answers:question-reject", kwargs={"pk": question.pk})
    reason = "Duplicate" if with_reason else ""
    response = mod_client.post(url, {"reason": reason, "next": next_value})
    vetted = iri_to_uri(local_path(next_value)) if local_path(next_value) else QUESTIONS
    if with_reason:
        assert (response.status_code, response["Location"]) == (302, vetted)
        assert Question.objects.get(pk=question.pk).status == Question.Status.REJECTED
    else:
        assert response.status_code == 200
        assert "A reason is needed" in response.content.decode()
        assert Question.objects.get(pk=question.pk).status == Question.Status.PENDING
