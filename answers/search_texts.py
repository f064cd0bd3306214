"""What questions' search documents (questions/search_index.py) take from answers: the
text of each question's published replies and published articles.

Search documents belong to questions; replies and articles to answers, which reads them
here and hands the text over: AnswersConfig.ready installs `published_texts` as the
search index's reader (use_texts_reader).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from answers.models import Article, Reply
from questions.search_index import DocumentTexts


def published_texts(
    ids: Iterable[int] | None = None, *, range_: tuple[int, int] | None = None
) -> DocumentTexts:
    """Published reply and article text per question id, for the given ids or id range."""
    if range_ is not None:
        reply_filter = {"question_id__gte": range_[0], "question_id__lte": range_[1]}
        article_filter = {"questions__id__gte": range_[0], "questions__id__lte": range_[1]}
    else:
        ids = list(ids or [])
        reply_filter = {"question_id__in": ids}
        article_filter = {"questions__id__in": ids}

    replies: dict[int, list[str]] = defaultdict(list)
    for question_id, body in (
        Reply.objects.published()
        .to_questions()  # answers to follow-ups are not searched (questions/changes.py)
        .filter(**reply_filter)
        .order_by("question_id", "published_at", "id")
        .values_list("question_id", "body")
    ):
        replies[question_id].append(body)
    articles: dict[int, list[str]] = defaultdict(list)
    for question_id, title, body in (
        Article.objects.published()
        .filter(**article_filter)
        .order_by("questions__id", "id")
        .values_list("questions__id", "title", "body")
    ):
        articles[question_id].append(f"{title}\n{body}")

    texts = DocumentTexts()
    texts.replies = {pk: "\n\n".join(parts) for pk, parts in replies.items()}
    texts.articles = {pk: "\n\n".join(parts) for pk, parts in articles.items()}
    return texts
