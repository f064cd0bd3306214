"""Writes that touch replies, articles, FAQs and the tags they share with questions."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from answers.models import FAQ, Article, TaggedFAQ
from forum.actions import log_moderation_event
from forum.markdown import render_markdown
from forum.models import ModerationEvent
from questions.cache import invalidate_all_pages, invalidate_question_page
from questions.models import Question, Tag, TaggedQuestion


def render_article(*, article: Article) -> Article:
    """Store the sanitized HTML of the article's Markdown (pages never render Markdown)."""
    article.body_html = render_markdown(article.body)
    Article.objects.filter(pk=article.pk).update(body_html=article.body_html)
    return article


def render_faq(*, faq: FAQ) -> FAQ:
    """Store the sanitized HTML of the FAQ's Markdown answer."""
    faq.answer_html = render_markdown(faq.answer)
    FAQ.objects.filter(pk=faq.pk).update(answer_html=faq.answer_html)
    return faq


def _invalidate_pages(question_ids: Iterable[int]) -> None:
    for question_id in set(question_ids):
        invalidate_question_page(question_id)


def _check_publishable(article: Article) -> None:
    if article.status == Article.Status.PUBLISHED and (
        article.reviewer_id is None or article.reviewed_on is None
    ):
        raise ValueError("A published article needs a medical reviewer and a review date.")


def _log_status_change(*, article: Article, was_published: bool, actor) -> None:
    is_published = article.status == Article.Status.PUBLISHED
    if is_published and not was_published:
        log_moderation_event(
            actor=actor, action=ModerationEvent.Action.PUBLISH_ARTICLE, target=article
        )
    elif was_published and not is_published:
        log_moderation_event(
            actor=actor, action=ModerationEvent.Action.UNPUBLISH_ARTICLE, target=article
        )


@transaction.atomic
def save_article(*, article: Article, questions: Iterable[Question], actor) -> Article:
    """Write an article and its questions, caching its HTML; log and date a first publication."""
    before = None
    if article.pk:
        before = Article.objects.select_for_update().filter(pk=article.pk).first()
    was_published = before is not None and before.status == Article.Status.PUBLISHED
    old_question_ids = set(before.questions.values_list("pk", flat=True)) if before else set()

    _check_publishable(article)
    article.body_html = render_markdown(article.body)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    if article.author_id is None and getattr(actor, "pk", None):
        article.author = actor
    article.save()
    article.questions.set(questions)

    _log_status_change(article=article, was_published=was_published, actor=actor)
    if was_published or article.status == Article.Status.PUBLISHED:
        new_question_ids = set(article.questions.values_list("pk", flat=True))
        _invalidate_pages(old_question_ids | new_question_ids)
    return article


@transaction.atomic
def set_article_status(*, article: Article, status: str, actor) -> Article:
    """Publish an article or take it back to draft; a no-op when it already has that status."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status == status:
        return locked
    was_published = locked.status == Article.Status.PUBLISHED
    locked.status = status
    _check_publishable(locked)
    if status == Article.Status.PUBLISHED:
        locked.body_html = render_markdown(locked.body)
        locked.published_at = locked.published_at or timezone.now()
    locked.save(update_fields=["status", "body_html", "published_at", "updated_at"])
    _log_status_change(article=locked, was_published=was_published, actor=actor)
    _invalidate_pages(locked.questions.values_list("pk", flat=True))
    return locked


@transaction.atomic
def delete_article(*, article: Article) -> None:
    """Delete an article and refresh the pages that showed it."""
    question_ids = list(article.questions.values_list("pk", flat=True))
    was_published = article.status == Article.Status.PUBLISHED
    article.delete()
    if was_published:
        _invalidate_pages(question_ids)


@transaction.atomic
def save_faq(*, faq: FAQ) -> FAQ:
    """Write an FAQ with its answer rendered; any Q&A page sharing a tag may list it."""
    was_published = bool(faq.pk) and FAQ.objects.filter(pk=faq.pk, is_published=True).exists()
    faq.answer_html = render_markdown(faq.answer)
    faq.save()
    if was_published or faq.is_published:
        invalidate_all_pages()
    return faq


@transaction.atomic
def delete_faq(*, faq: FAQ) -> None:
    """Delete an FAQ and refresh the pages that may have listed it."""
    was_published = faq.is_published
    faq.delete()
    if was_published:
        invalidate_all_pages()


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
        reason=f"Merged {names} into {keep.name}.",
    )
    Tag.objects.filter(pk__in=merged_ids).delete()
    invalidate_all_pages()
    return keep
