"""Writes that touch replies, articles and FAQs."""

from __future__ import annotations

from answers.models import FAQ, Article
from forum.markdown import render_markdown


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
