"""Who may do what with questions and replies: small predicates, checked on the server.

Roles themselves (moderator, verified doctor) are the predicates of forum/roles.py.
"""

from __future__ import annotations

from answers.models import Reply, doctors_who_replied
from forum.models import DoctorProfile
from questions.models import FollowUp, Question


def can_reply_to(doctor: DoctorProfile | None, question: Question) -> bool:
    """A verified doctor may answer a published question in one of their specialties."""
    return (
        doctor is not None
        and doctor.is_verified
        and question.is_published
        and doctor.specialties.filter(pk=question.specialty_id).exists()
    )


def can_edit_reply(doctor: DoctorProfile | None, reply: Reply) -> bool:
    """Only the verified doctor who wrote a reply may change it, never anyone else's."""
    return doctor is not None and doctor.is_verified and reply.doctor_id == doctor.pk


def can_thank_reply(user, reply: Reply) -> bool:
    """The question's author may thank a doctor for a published reply (not their own)."""
    if not getattr(user, "is_authenticated", False):
        return False
    question = reply.question
    return (
        reply.status == Reply.Status.PUBLISHED
        and question.is_published
        and question.author_id == user.pk
        and reply.doctor.user_id != user.pk
    )


def can_agree_with(
    doctor: DoctorProfile | None,
    reply: Reply,
    *,
    doctor_specialty_ids: set[int],
    author_specialty_ids: set[int],
) -> bool:
    """A verified doctor may agree with, or flag, another doctor's published reply on a
    published question when they practise a relevant specialty: the question's, or one
    of the replying doctor's own (`author_specialty_ids`)."""
    relevant = {reply.question.specialty_id, *author_specialty_ids}
    return (
        doctor is not None
        and doctor.is_verified
        and reply.doctor_id != doctor.pk
        and reply.status == Reply.Status.PUBLISHED
        and reply.question.is_published
        and bool(doctor_specialty_ids & relevant)
    )


def can_follow_up(user, reply: Reply) -> bool:
    """The asker may add a follow-up under a published reply to their published,
    answered question (not one closed as a duplicate); how many is the action's limit."""
    if not getattr(user, "is_authenticated", False):
        return False
    question = reply.question
    return (
        question.author_id == user.pk
        and question.is_published
        and question.is_answered
        and not question.is_duplicate
        and reply.is_published
        and not reply.answers_follow_up
    )


def can_answer_follow_up(doctor: DoctorProfile | None, follow_up: FollowUp) -> bool:
    """A verified doctor with a published reply to the question may answer its published
    follow-ups under a published reply, while the question is published (once another
    doctor's answer is published, the follow-up no longer waits for them, but they may
    still add theirs). `follow_up.reply` is read: select it with the follow-up."""
    return (
        doctor is not None
        and doctor.is_verified
        and follow_up.is_published
        and follow_up.question.is_published
        and follow_up.reply.is_published
        and (
            follow_up.reply.doctor_id == doctor.pk
            or doctors_who_replied(follow_up.question_id).filter(pk=doctor.pk).exists()
        )
    )
