"""RSS and Atom feeds of newly answered questions, site-wide and per specialty.

Feeds are views of the site layer (forum/site/), which may read every app's models.
Only published, answered questions appear, newest answer first.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from forum.models import Specialty
from questions.models import Question
from questions.search_text import truncate

FEED_SIZE = 30


class AnsweredQuestionsFeed(Feed):
    """RSS 2.0: the latest answered questions of the whole site."""

    def title(self, obj=None) -> str:
        return f"{settings.SITE_NAME}: newly answered questions"

    def description(self, obj=None) -> str:
        return "Health questions from patients that a verified doctor has just answered."

    def link(self, obj=None) -> str:
        return reverse("forum:home")

    def feed_url(self, obj=None) -> str:
        return reverse("forum:feed-rss")

    def items(self, obj=None):
        return Question.objects.latest_answered().select_related("specialty")[:FEED_SIZE]

    def item_title(self, item: Question) -> str:
        return item.title

    def item_description(self, item: Question) -> str:
        return truncate(item.body, 400)

    def item_pubdate(self, item: Question):
        return item.answered_at

    def item_updateddate(self, item: Question):
        return max(item.updated_at, item.answered_at)

    def item_categories(self, item: Question) -> list[str]:
        return [item.specialty.name]


class AnsweredQuestionsAtomFeed(AnsweredQuestionsFeed):
    """Atom 1.0 version of the site-wide feed."""

    feed_type = Atom1Feed

    def subtitle(self, obj=None) -> str:
        return self.description(obj)

    def feed_url(self, obj=None) -> str:
        return reverse("forum:feed-atom")


class SpecialtyAnsweredFeed(AnsweredQuestionsFeed):
    """RSS 2.0: the latest answered questions of one specialty."""

    def get_object(self, request, slug: str) -> Specialty:
        return get_object_or_404(Specialty, slug=slug)

    def title(self, obj: Specialty) -> str:
        return f"{settings.SITE_NAME}: newly answered {obj.name} questions"

    def description(self, obj: Specialty) -> str:
        return f"{obj.name} questions from patients that a verified doctor has just answered."

    def link(self, obj: Specialty) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Specialty) -> str:
        return reverse("forum:specialty-feed-rss", kwargs={"slug": obj.slug})

    def items(self, obj: Specialty):
        return (
            Question.objects.latest_answered()
            .filter(specialty=obj)
            .select_related("specialty")[:FEED_SIZE]
        )


class SpecialtyAnsweredAtomFeed(SpecialtyAnsweredFeed):
    """Atom 1.0 version of a specialty's feed."""

    feed_type = Atom1Feed

    def subtitle(self, obj: Specialty) -> str:
        return self.description(obj)

    def feed_url(self, obj: Specialty) -> str:
        return reverse("forum:specialty-feed-atom", kwargs={"slug": obj.slug})
