"""Writes that touch replies, articles and FAQs."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from answers.models import FAQ, Article, Reply, Thank
from forum.markdown import render_markdown
from questions.cache import invalidate_question_page


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


@transaction.atomic
def thank_reply(*, reply: Reply, user) -> bool:
    """Record a question author's thanks for a reply, once; True if this call counted it."""
    _, created = Thank.objects.get_or_create(reply=reply, user=user)
    if created:
        Reply.objects.filter(pk=reply.pk).update(thanks_count=F("thanks_count") + 1)
        question_id = reply.question_id
        transaction.on_commit(lambda: invalidate_question_page(question_id))
    return created
