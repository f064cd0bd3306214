"""Editors' writes: articles and FAQs, with their Markdown rendered once on save.

A publication, an unpublication or a deletion refreshes the Q&A pages that list the
article or FAQ (questions/changes.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from answers.models import FAQ, Article, next_review_after
from forum.actions import log_moderation_event
from forum.markdown import render_markdown
from forum.models import ModerationEvent
from questions import changes
from questions.models import Question


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
    _date_next_review(article, before)
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
        changes.article_changed(old_question_ids | new_question_ids)
    return article


def _date_next_review(article: Article, before: Article | None) -> None:
    """A blank next review date, or one the editor left as it was while changing the
    review date, becomes a review interval after the review date."""
    if article.reviewed_on is None:
        return
    # (A date given as text, as a fixture or a script may, is read as the field reads it.)
    article.reviewed_on = Article._meta.get_field("reviewed_on").to_python(article.reviewed_on)
    review_moved = before is not None and before.reviewed_on != article.reviewed_on
    untouched = before is not None and before.next_review_on == article.next_review_on
    if article.next_review_on is None or (review_moved and untouched):
        article.next_review_on = next_review_after(article.reviewed_on)


@transaction.atomic
def confirm_article_review(*, article: Article, actor) -> Article:
    """The article was reviewed and is still accurate: last review today, next review a
    review interval from now; logged, and its pages refreshed if it is published."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    today = timezone.localdate()
    locked.reviewed_on = today
    locked.next_review_on = next_review_after(today)
    locked.save(update_fields=["reviewed_on", "next_review_on", "updated_at"])
    log_moderation_event(
        actor=actor, action=ModerationEvent.Action.CONFIRM_ARTICLE_REVIEW, target=locked
    )
    if locked.status == Article.Status.PUBLISHED:
        changes.article_changed(locked.questions.values_list("pk", flat=True))
    return locked


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
    changes.article_changed(locked.questions.values_list("pk", flat=True))
    return locked


@transaction.atomic
def delete_article(*, article: Article) -> None:
    """Delete an article and refresh the pages that showed it."""
    question_ids = list(article.questions.values_list("pk", flat=True))
    was_published = article.status == Article.Status.PUBLISHED
    article.delete()
    if was_published:
        changes.article_changed(question_ids)


@transaction.atomic
def save_faq(*, faq: FAQ) -> FAQ:
    """Write an FAQ with its answer rendered; any Q&A page sharing a tag may list it."""
    was_published = bool(faq.pk) and FAQ.objects.filter(pk=faq.pk, is_published=True).exists()
    faq.answer_html = render_markdown(faq.answer)
    faq.save()
    if was_published or faq.is_published:
        changes.faq_changed()
    return faq


@transaction.atomic
def delete_faq(*, faq: FAQ) -> None:
    """Delete an FAQ and refresh the pages that may have listed it."""
    was_published = faq.is_published
    faq.delete()
    if was_published:
        changes.faq_changed()
