"""Who may do what with questions: small predicates, checked on the server."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from forum import roles
from forum.models import DoctorProfile
from questions.models import Question


def has_verified_email(user) -> bool:
    """Patients ask only once they have confirmed an e-mail address."""
    if not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def is_question_author(user, question: Question) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and question.author_id == user.pk


def can_edit_question(user, question: Question) -> bool:
    """The author may edit a question until a moderator has reviewed it."""
    return is_question_author(user, question) and question.status == Question.Status.PENDING


def can_delete_own_account(user) -> bool:
    """Patients close their own accounts. Moderator, editor, staff and doctor accounts are
    closed by the team: their audit-log entries and replies must keep their author."""
    if not getattr(user, "is_authenticated", False) or roles.needs_two_factor(user):
        return False
    return not DoctorProfile.objects.filter(user=user).exists()
