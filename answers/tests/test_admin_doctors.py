"""The doctor profile admin: an edit refreshes the pages showing the doctor, and a
change of status is the moderation decision (answers/actions/moderation/doctors.py)."""

import pytest
from django.urls import reverse

from answers.tests.factories import ReplyFactory
from forum.models import DoctorProfile, ModerationEvent

pytestmark = pytest.mark.django_db


# Doctor profiles: the forum admin, re-registered with what an edit refreshes


def test_admin_edit_of_a_doctor_profile_invalidates_every_page_showing_them(
    client, login_with_two_factor, doctor
):
    from forum.tests.factories import UserFactory
    from questions.tests.changes import assert_pages_invalidated

    reply = ReplyFactory(doctor=doctor)
    login_with_two_factor(
        client, UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    )
    url = reverse("admin:forum_doctorprofile_change", args=[doctor.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["display_name"] = "Lin Mei-hua, MD"

    with assert_pages_invalidated(question_ids=[reply.question_id], all_pages=True):
        response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    doctor.refresh_from_db()
    assert doctor.display_name == "Lin Mei-hua, MD"


# Doctor profiles: a change of status is a moderation decision


@pytest.fixture
def root(db):
    from forum.tests.factories import UserFactory

    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def root_client(client, login_with_two_factor, root):
    login_with_two_factor(client, root)
    return client


def _post_doctor_change(client, doctor, **changes):
    url = reverse("admin:forum_doctorprofile_change", args=[doctor.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(changes)
    return client.post(url, data)


def test_verifying_in_the_admin_is_the_moderation_decision(
    root_client, root, applied_doctor, django_capture_on_commit_callbacks
):
    from django.core import mail

    from forum import roles

    with django_capture_on_commit_callbacks(execute=True):
        response = _post_doctor_change(root_client, applied_doctor, status="verified")

    assert response.status_code == 302, response.context["adminform"].form.errors
    applied_doctor.refresh_from_db()
    assert applied_doctor.status == DoctorProfile.Status.VERIFIED
    assert applied_doctor.verified_by == root
    assert applied_doctor.user.groups.filter(name=roles.DOCTORS).exists()
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target_id) == (
        "verify_doctor",
        root,
        applied_doctor.pk,
    )
    assert [m.to for m in mail.outbox] == [["applicant@example.org"]]


def test_suspending_in_the_admin_needs_a_reason_and_takes_the_doctor_role(root_client, doctor):
    from forum import roles

    refused = _post_doctor_change(root_client, doctor, status="suspended")
    assert refused.status_code == 200
    assert "This change of status needs a reason." in refused.content.decode()
    doctor.refresh_from_db()
    assert doctor.status == DoctorProfile.Status.VERIFIED
    assert not ModerationEvent.objects.exists()

    response = _post_doctor_change(
        root_client, doctor, status="suspended", status_reason="Licence lapsed"
    )
    assert response.status_code == 302
    doctor.refresh_from_db()
    assert (doctor.status, doctor.status_reason) == ("suspended", "Licence lapsed")
    assert not doctor.user.groups.filter(name=roles.DOCTORS).exists()
    event = ModerationEvent.objects.get()
    assert (event.action, event.reason) == ("suspend_doctor", "Licence lapsed")


def test_admin_refuses_a_status_change_no_decision_makes(root_client, applied_doctor):
    DoctorProfile.objects.filter(pk=applied_doctor.pk).update(status="rejected")
    response = _post_doctor_change(root_client, applied_doctor, status="verified")
    assert response.status_code == 200
    assert "A doctor account cannot go from Rejected to Verified." in response.content.decode()
    applied_doctor.refresh_from_db()
    assert applied_doctor.status == DoctorProfile.Status.REJECTED
    assert not ModerationEvent.objects.exists()
