"""Small data for the system tests, written with the ORM (run inside `manage.py shell`).

Plain model calls rather than the factories: importing factory_boy and Faker in every
server-side shell costs seconds.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from forum import roles
from forum.legal import record_consent
from forum.models import DoctorProfile, Specialty, User
from questions.cache import invalidate_all_pages, invalidate_question_page
from questions.models import Question


def patient(email: str, password: str) -> User:
    """A patient with a verified e-mail address who can log in, and who agreed to the
    current privacy notice and terms at sign-up (forum/legal.py)."""
    user = User.objects.create_user(email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    record_consent(user, "en")
    return user


def staff(email: str, password: str) -> User:
    """A staff member (admin access) without an authenticator yet."""
    user = patient(email, password)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def moderator(email: str, password: str, totp_secret: str | None = None) -> User:
    """A moderator, with a TOTP authenticator on this base32 secret when given."""
    user = patient(email, password)
    user.groups.add(Group.objects.get(name=roles.MODERATORS))
    if totp_secret:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.utils import encrypt

        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(totp_secret)}
        )
    return user


def question(title: str, author: User | None = None) -> Question:
    """A published, unanswered question in Neurology."""
    specialty, _ = Specialty.objects.get_or_create(slug="neurology", defaults={"name": "Neurology"})
    author = author or patient(f"asker{Question.objects.count()}@example.org", "not-used-pass-1")
    return Question.objects.create(
        author=author,
        nickname="Walker",
        age_range=Question.AgeRange.AGE_30,
        sex=Question.Sex.FEMALE,
        specialty=specialty,
        title=title,
        body="I would like to know more, please.",
        status=Question.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def doctor() -> DoctorProfile:
    """A verified doctor in Neurology."""
    user = User.objects.create_user(email="doctor@example.org", password="not-used-pass-2")
    user.groups.add(Group.objects.get(name=roles.DOCTORS))
    profile = DoctorProfile.objects.create(
        user=user,
        display_name="Lin Mei-hua",
        license_number="MD-100001",
        hospital="Harbour General Hospital",
        status=DoctorProfile.Status.VERIFIED,
        verified_at=timezone.now(),
    )
    profile.specialties.add(Specialty.objects.get(slug="neurology"))
    return profile


@transaction.atomic
def publish_reply(question_pk: int, body: str):
    """A published doctor reply, with the page-cache invalidation publishing does."""
    from answers.models import Reply

    target = Question.objects.select_for_update().get(pk=question_pk)
    profile = DoctorProfile.objects.first() or doctor()
    now = timezone.now()
    reply = Reply.objects.create(
        question=target, doctor=profile, body=body, status="published", published_at=now
    )
    if target.answered_at is None:
        target.answered_at = now
        target.save(update_fields=["answered_at"])
    transaction.on_commit(lambda: invalidate_question_page(target.pk))
    transaction.on_commit(invalidate_all_pages)
    return reply
