"""The moderation decision table and the doctor transitions: every decision URL has its
row, and every doctor decision refuses every status it does not apply to."""

import pytest
from django.urls import reverse

from answers import urls
from answers.actions import ActionNotAllowed, change_doctor_status
from answers.actions.moderation.doctors import DOCTOR_TRANSITIONS, transition_between
from answers.views.decisions import DECISIONS, decide
from forum import roles
from forum.models import DoctorProfile, ModerationEvent
from forum.tests.factories import DoctorProfileFactory

pytestmark = pytest.mark.django_db


def test_every_decision_url_names_its_row_and_every_row_has_a_url():
    routed = {
        pattern.name: pattern.default_args["decision"]
        for pattern in urls.urlpatterns
        if pattern.callback is decide
    }
    assert routed == {name: name for name in DECISIONS}
    for name in DECISIONS:
        assert reverse(f"answers:{name}", kwargs={"pk": 7}).startswith("/moderation/")


# Each decision with each status it neither applies to nor leads to.
REFUSED = [
    (name, status)
    for name, transition in DOCTOR_TRANSITIONS.items()
    for status in DoctorProfile.Status.values
    if status not in (transition.from_status, transition.to_status)
]


@pytest.mark.parametrize("name,status", REFUSED)
def test_doctor_decisions_from_other_statuses_are_refused_and_change_nothing(
    moderator, name, status
):
    profile = DoctorProfileFactory(status=status, status_reason="Earlier reason")
    in_group = profile.user.groups.filter(name=roles.DOCTORS).exists()
    with pytest.raises(ActionNotAllowed) as refused:
        change_doctor_status(
            doctor=profile, transition=name, moderator=moderator, reason="Some reason"
        )
    assert str(refused.value).endswith(f"this one is {status}.")
    profile.refresh_from_db()
    assert (profile.status, profile.status_reason) == (status, "Earlier reason")
    assert profile.user.groups.filter(name=roles.DOCTORS).exists() == in_group
    assert not ModerationEvent.objects.exists()


def test_each_pair_of_statuses_has_at_most_one_decision():
    pairs = [(t.from_status, t.to_status) for t in DOCTOR_TRANSITIONS.values()]
    assert len(pairs) == len(set(pairs))
    assert transition_between("suspended", "verified").name == "restore"
    assert transition_between("rejected", "verified") is None
