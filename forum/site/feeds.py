"""RSS and Atom feeds of newly answered questions, site-wide and per specialty.

Feeds are views of the site layer (forum/site/), which may read every app's models.
Only published, answered questions appear, newest answer first. Each feed has a URL per
language (forum/urls.py's prefixes): its titles, links and <language> element are the
active language's, its specialty names that language's.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from forum.i18n import html_lang
from forum.models import Specialty
from questions.models import Question
from questions.search_text import truncate

FEED_SIZE = 30


class AnsweredQuestionsFeed(Feed):
    """RSS 2.0: the latest answered questions of the whole site."""

    @property
    def language(self) -> str:  # Feed reads the attribute, per request
        return html_lang(translation.get_language() or settings.LANGUAGE_CODE)

    def title(self, obj=None) -> str:
        return _("%(site)s: newly answered questions") % {"site": settings.SITE_NAME}

    def description(self, obj=None) -> str:
        return _("Health questions from patients that a verified doctor has just answered.")

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
        return [item.specialty.localized_name]


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
        return _("%(site)s: newly answered %(specialty)s questions") % {
            "site": settings.SITE_NAME,
            "specialty": obj.localized_name,
        }

    def description(self, obj: Specialty) -> str:
        return _(
            "%(specialty)s questions from patients that a verified doctor has just answered."
        ) % {"specialty": obj.localized_name}

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
