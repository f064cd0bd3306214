"""Merging tags: the questions and FAQs of several tags move to one, the others go."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from answers.models import TaggedFAQ
from forum.actions import log_moderation_event
from forum.models import ModerationEvent
from questions import changes
from questions.models import Tag, TaggedQuestion


@transaction.atomic
def merge_tags(*, keep: Tag, merge: Iterable[Tag], actor) -> Tag:
    """Move every question and FAQ of the `merge` tags to `keep`, then delete those tags."""
    merged = sorted({tag.pk: tag for tag in merge if tag.pk != keep.pk}.values(), key=str)
    if not merged:
        return keep
    merged_ids = [tag.pk for tag in merged]
    # Lock every tag involved so a concurrent tagging cannot slip a link past the move.
    list(Tag.objects.select_for_update().filter(pk__in=[keep.pk, *merged_ids]).order_by("pk"))

    for through in (TaggedQuestion, TaggedFAQ):
        has_keep = through.objects.filter(tag=keep).values("content_object_id")
        # One link per object that lacks the kept tag is moved to it; every other link
        # to a merged tag would be a duplicate and is deleted with the merged tags.
        first_links = (
            through.objects.filter(tag_id__in=merged_ids)
            .exclude(content_object_id__in=has_keep)
            .values("content_object_id")
            .annotate(first=Min("pk"))
            .values("first")
        )
        through.objects.filter(pk__in=first_links).update(tag=keep)
        through.objects.filter(tag_id__in=merged_ids).delete()

    names = ", ".join(tag.name for tag in merged)
    log_moderation_event(
        actor=actor,
        action=ModerationEvent.Action.MERGE_TAGS,
        target=keep,
        reason=_("Merged %(names)s into %(keep)s.") % {"names": names, "keep": keep.name},
    )
    # Tags linked as one topic with a merged tag now share the kept tag's topic.
    Tag.objects.filter(topic_id__in=merged_ids).exclude(pk=keep.pk).update(
        topic_id=keep.topic_id or keep.pk
    )
    Tag.objects.filter(pk__in=merged_ids).delete()
    # Their questions now share the kept tag with one another: rank their lists anew.
    changes.tag_changed([keep.pk, *merged_ids], relinked=True)
    return keep
