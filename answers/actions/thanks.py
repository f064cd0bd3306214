"""A question author's thanks for a reply."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from answers.models import Reply, Thank
from questions import changes


@transaction.atomic
def thank_reply(*, reply: Reply, user) -> bool:
    """Record a question author's thanks for a reply, once; True if this call counted it."""
    _, created = Thank.objects.get_or_create(reply=reply, user=user)
    if created:
        Reply.objects.filter(pk=reply.pk).update(thanks_count=F("thanks_count") + 1)
        changes.question_changed(reply.question_id, what=changes.PAGE)
    return created
