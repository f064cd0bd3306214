"""Ask-time suggestions: answered questions whose titles share words with the title
being typed (English words or Chinese vocabulary words), in two bounded queries."""

import logging
import operator
from functools import reduce

from django.core.cache import cache
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from questions.models import Question

logger = logging.getLogger("questions.patients")


SIMILAR_TITLES_LIMIT = 5


SIMILAR_CANDIDATES = 200


SIMILAR_SCAN_WINDOW = 10_000


_STOP_WORDS = frozenset(
    "the and for with what why how can does did are was were have has had after from that "
    "this when should about been will any not but you your there its it's is my me our his "
    "her their they them who which where could would than then into also very much more "
    "still get got just some".split()
)


def _title_words(text: str) -> list[str]:
    """Up to six words of a title to look for: English words of three letters or more
    but common ones, and Chinese words (questions.search_text.title_words: as written,
    split by the vocabulary) of two characters or more but very general ones."""
    from questions.search_text import TITLE_STOP_WORDS, title_words

    words = []
    for written, word, chinese in title_words(text):
        if chinese:
            if len(word) < 2 or word in TITLE_STOP_WORDS:
                continue
            word = written
        elif len(word) < 3 or word in _STOP_WORDS:
            continue
        elif len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]  # "headaches" also finds "Headache after ..."
        if word not in words:
            words.append(word)
    return words[:6]


def _similar_titles_cutoff():
    """answered_at of the SIMILAR_SCAN_WINDOW-th newest answered question (cached), or None."""

    def compute():
        row = (
            Question.objects.published()
            .answered()
            .order_by("-answered_at")
            .values_list("answered_at", flat=True)[SIMILAR_SCAN_WINDOW : SIMILAR_SCAN_WINDOW + 1]
        )
        return next(iter(row), None) or False

    return cache.get_or_set("questions:similar-titles-cutoff", compute, 600) or None


def _similar_title_rows(words: list[str]) -> list[dict]:
    """Newest answered questions whose titles contain all the words, then those containing
    enough of them. Both reads walk the (status, answered_at) index newest first, stop at a
    LIMIT and look no further back than the newest SIMILAR_SCAN_WINDOW answered questions,
    so neither a common nor a rare word makes the database read the whole table.
    A Chinese word is looked for as written, in its folded (Simplified) form and in its
    Traditional form, so a word typed in either script finds titles written in the other."""
    from questions.search_text import fold, to_traditional

    def contains(word: str) -> Q:
        forms = dict.fromkeys([word, fold(word), to_traditional(word)])
        return reduce(operator.or_, (Q(title__icontains=form) for form in forms))

    answered = Question.objects.published().answered().order_by("-answered_at", "-id")
    cutoff = _similar_titles_cutoff()
    if cutoff is not None:
        answered = answered.filter(answered_at__gte=cutoff)
    fields = ("pk", "slug", "title", "specialty__name")
    every = reduce(operator.and_, (contains(w) for w in words))
    rows = list(answered.filter(every).values(*fields)[:SIMILAR_TITLES_LIMIT])
    if len(rows) < SIMILAR_TITLES_LIMIT and len(words) > 1:
        needed = max(1, (len(words) + 1) // 2)
        seen = {row["pk"] for row in rows}
        some = reduce(operator.or_, (contains(w) for w in words))
        candidates = answered.filter(some).exclude(pk__in=seen).values(*fields)[:SIMILAR_CANDIDATES]
        scored = []
        folded_words = [fold(w) for w in words]
        for position, row in enumerate(candidates):
            title = fold(row["title"])
            score = sum(w in title for w in folded_words)
            if score >= needed:
                scored.append((-score, position, row))
        rows += [row for *_, row in sorted(scored, key=lambda item: item[:2])]
    return rows[:SIMILAR_TITLES_LIMIT]


@require_GET
def similar_titles(request):
    """JSON: up to five published, answered questions whose titles share words with ?q=."""
    words = _title_words(request.GET.get("q", "")[:150])
    if not words:
        return JsonResponse({"results": []})
    key = "questions:similar-titles:" + "+".join(sorted(words))
    results = cache.get(key)
    if results is None:
        results = [
            {
                "title": row["title"],
                "specialty": row["specialty__name"],
                "url": reverse("questions:detail", kwargs={"pk": row["pk"], "slug": row["slug"]}),
            }
            for row in _similar_title_rows(words)
        ]
        cache.set(key, results, 300)
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "public, max-age=300"
    return response
