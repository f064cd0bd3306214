"""Domain changes: the one place that knows which derived data each kind of write affects.

Three stores are derived from the tables and must follow every write:

- page-cache versions (`questions/cache.py`): the anonymous Q&A pages;
- the search document (`questions/search_index.py`): what search finds about a question;
- stored Similar Q&A lists (`questions/similar.py`): which questions a page lists.

Actions and admin screens never call those stores. After their write they call the
function named for what changed (`question_changed`, `reply_changed`, `follow_up_changed`,
`article_changed`, `faq_changed`, `doctor_changed`, `information_request_changed`,
`specialty_changed`, `tag_changed`, `tag_topic_changed`), which refreshes every store that
depends on it. A new kind of write adds a function here, not calls there.

When it runs: the search document and the Similar Q&A marks are rows in the database,
so they are written inside the caller's transaction and commit or roll back with the
write itself (an after-commit write would be a second transaction that could fail on
its own, leaving search stale with nothing to retry it). Page versions live outside the
database: they are bumped now and again after commit (`questions/cache.py`), so a page
rendered from the old rows by a concurrent request in between is never served.

Who sees what, which decides how wide a change reaches:
- a question's own page shows its question, replies (with their doctors), attached
  articles, specialty, tags and the FAQs sharing its tags;
- other pages' Similar Q&A show a published, answered question's title, specialty,
  excerpts and the doctor of its first published reply. A change to any of that
  refreshes every page (one site-wide generation bump): which pages list a question
  is stored per page and not indexed the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from questions.cache import invalidate_all_pages, invalidate_question_page
from questions.search_index import refresh_question_document
from questions.similar import mark_similar_stale, mark_tag_lists_stale

if TYPE_CHECKING:
    from forum.models import DoctorProfile, Specialty

# What changed about a question, for question_changed(what=...):
STATUS = "status"  # published, rejected, removed, deleted
TEXT = "text"  # title or body
SPECIALTY = "specialty"
TAGS = "tags"
ANSWER = "answer"  # its first published reply or answered_at (it enters or leaves lists)
REPLIES = "replies"  # a reply's text or visibility, other than the first one's
ARTICLES = "articles"  # an attached article's text or visibility
PAGE = "page"  # anything else only its own page shows (thanks, patient details)
DUPLICATE = "duplicate"  # closed as a duplicate of another question, or reopened
# A follow-up or a doctor's answer to one was published, rejected, hidden or edited. Only
# the question's own page shows them: search documents hold the question and its replies
# to the question, not these exchanges (answers/search_texts.py leaves the answers out),
# and Similar Q&A quotes the first reply to the question.
FOLLOW_UPS = "follow_ups"

KINDS = frozenset(
    {STATUS, TEXT, SPECIALTY, TAGS, ANSWER, REPLIES, ARTICLES, PAGE, DUPLICATE, FOLLOW_UPS}
)
_SEARCHED = {STATUS, TEXT, SPECIALTY, ANSWER, REPLIES, ARTICLES, DUPLICATE}
# What Similar Q&A ranks by (a duplicate is not ranked: it leaves lists or joins them).
_RANKED = {SPECIALTY, TAGS, ANSWER, DUPLICATE}
_LISTED = {STATUS, TEXT}  # what other pages' Similar Q&A show of a listed question


def question_changed(
    question_id: int,
    *,
    what: Iterable[str] | str,
    old_tag_ids: Iterable[int] = (),
    listed: bool = False,
) -> None:
    """Refresh what depends on one question after `what` changed about it.

    `listed`: the question is, or was until this change, shown in other pages' Similar
    Q&A (published and answered), so a change to its status or text reaches every page.
    Changes to its tags, specialty or answer always do. `old_tag_ids`: the tags it had
    before a retag, whose neighbours' lists may have ranked it."""
    kinds = {what} if isinstance(what, str) else set(what)
    unknown = kinds - KINDS
    if unknown or not kinds:
        raise ValueError(f"Unknown or no change: {sorted(unknown)}")
    invalidate_question_page(question_id)
    if kinds & _SEARCHED:
        refresh_question_document(question_id)
    if kinds & _RANKED:
        mark_similar_stale(question_id=question_id, tag_ids=old_tag_ids)
    if kinds & _RANKED or (listed and kinds & _LISTED):
        invalidate_all_pages()


def reply_changed(question_id: int, *, first_reply_changed: bool) -> None:
    """A reply to the question was published, edited, hidden or restored: its page and the
    text search finds; when the first published reply (or answered_at) changed, also the
    lists that may rank the question anew and every page's Similar Q&A excerpt of it."""
    question_changed(question_id, what=ANSWER if first_reply_changed else REPLIES)


def follow_up_changed(question_id: int) -> None:
    """A follow-up to the question, or a doctor's answer to one, changed state or text:
    its page only (see FOLLOW_UPS)."""
    question_changed(question_id, what=FOLLOW_UPS)


def information_request_changed(question_id: int) -> None:
    """A patient answered a doctor's information request: the question's page shows the
    exchange under that doctor's published reply. Nothing else shows it (search and
    Similar Q&A hold no part of it)."""
    question_changed(question_id, what=PAGE)


def questions_removed(question_ids: Iterable[int]) -> None:
    """Published questions were deleted (with their rows, e.g. an account closed): their
    pages, and every page whose Similar Q&A may list them."""
    ids = set(question_ids)
    for question_id in ids:
        invalidate_question_page(question_id)
    if ids:
        invalidate_all_pages()


def article_changed(question_ids: Iterable[int]) -> None:
    """A published article was edited, published, unpublished, attached, detached or
    deleted: the pages of every question it is or was attached to, and what search finds
    there. (Similar Q&A lines show no article text.)"""
    for question_id in sorted(set(question_ids)):
        question_changed(question_id, what=ARTICLES)


def faq_changed() -> None:
    """A published FAQ changed or went: any page sharing one of its tags may list it
    (old and new tags alike), so every page."""
    invalidate_all_pages()


def doctor_changed(doctor: DoctorProfile) -> None:
    """A doctor's status (verified, suspended, restored, rejected) or profile changed.

    Their name, link and verified mark show on the page of every question they replied
    to and on every page whose Similar Q&A quotes a first reply of theirs: that is
    every page, with no index from a doctor to the pages listing them. Status changes
    are rare moderator decisions, so one site-wide generation bump costs little. Search
    documents hold no doctor data and lists are not ranked by doctor: neither changes."""
    invalidate_all_pages()


def specialty_changed(specialty: Specialty) -> None:
    """A specialty was renamed, re-slugged, reordered or deleted: its name and link show on
    every question of it and in Similar Q&A lines, so every page. Search documents and
    Similar Q&A hold the specialty's id, which does not change."""
    invalidate_all_pages()


def tag_changed(tag_ids: Iterable[int], *, relinked: bool = False) -> None:
    """Tags were renamed, merged or deleted: tag names and links show on many pages.

    `relinked`: the questions carrying these tags, or a tag of the same topic, now share
    a different set of tags with others (a merge, or a deletion: call it before the links
    go), so their Similar Q&A lists are ranked anew."""
    if relinked:
        mark_tag_lists_stale(tag_ids)
    invalidate_all_pages()


def tag_topic_changed(tag_id: int, *, old_topic_id: int | None) -> None:
    """An editor linked a tag to another as the same topic, moved or removed the link
    (call it after the save). Similar Q&A and Related FAQ count a topic's tags as one, so
    the questions carrying a tag of the old or the new topic share a different set of
    topics with others: their lists are ranked anew, and any page's Related FAQ may count
    differently, so every page."""
    tag_ids = [tag_id] if old_topic_id is None else [tag_id, old_topic_id]
    tag_changed(tag_ids, relinked=True)
