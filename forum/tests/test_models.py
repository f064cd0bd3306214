import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from forum.actions import log_moderation_event
from forum.models import DoctorProfile, ModerationEvent, Specialty, User
from forum.tests.factories import DoctorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_logs_in_by_email_and_has_no_username():
    user = User.objects.create_user(email="Someone@Example.ORG", password="x-long-password")
    assert user.email == "Someone@example.org"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username") or user.username is None
    assert user.check_password("x-long-password")


def test_user_email_is_unique():
    UserFactory(email="same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="same@example.org", password="another-pass-1")


def test_create_superuser_sets_staff_flags():
    admin = User.objects.create_superuser(email="root@example.org", password="pw-123456789")
    assert admin.is_staff and admin.is_superuser


def test_specialties_are_ordered_by_position_then_name():
    Specialty.objects.create(name="Neurology", slug="neurology", position=2)
    Specialty.objects.create(name="Cardiology", slug="cardiology", position=2)
    Specialty.objects.create(name="Pediatrics", slug="pediatrics", position=1)
    assert list(Specialty.objects.values_list("name", flat=True)) == [
        "Pediatrics",
        "Cardiology",
        "Neurology",
    ]


def test_doctor_profile_gets_a_unique_slug_and_dr_prefix():
    first = DoctorProfileFactory(display_name="Lin Mei-hua")
    second = DoctorProfileFactory(display_name="Lin Mei-hua")
    assert first.slug == "lin-mei-hua"
    assert second.slug == "lin-mei-hua-2"
    assert str(first) == "Dr. Lin Mei-hua"


def test_verified_queryset_excludes_applied_and_suspended_doctors():
    verified = DoctorProfileFactory()
    DoctorProfileFactory(status=DoctorProfile.Status.APPLIED)
    DoctorProfileFactory(status=DoctorProfile.Status.SUSPENDED)
    assert list(DoctorProfile.objects.verified()) == [verified]


def test_log_moderation_event_records_actor_target_and_reason(moderator, question):
    event = log_moderation_event(
        actor=moderator,
        action=ModerationEvent.Action.REJECT_QUESTION,
        target=question,
        reason="Contains a phone number",
    )
    event.refresh_from_db()
    assert event.actor == moderator
    assert event.target == question
    assert event.target_repr == question.title
    assert event.reason == "Contains a phone number"


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("Doctors", {"answers.add_reply", "answers.change_reply", "questions.view_question"}),
        ("Moderators", {"questions.change_question", "forum.change_doctorprofile"}),
        ("Editors", {"answers.add_article", "answers.change_faq", "questions.change_tag"}),
    ],
)
def test_role_groups_exist_with_their_permissions(group, expected):
    perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=group).permissions.select_related("content_type")
    }
    assert expected <= perms


def test_editors_cannot_manage_users_or_verify_doctors():
    perms = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert not perms & {"change_user", "add_user", "change_group", "change_doctorprofile"}
