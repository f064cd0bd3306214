"""Who may do what with replies: small predicates, checked on the server."""

from __future__ import annotations

from answers.models import Reply


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
