from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import DurationField, ExpressionWrapper, F
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase, NaturalKeyManager, TagBase

from forum.language import detect_language, language_field
from forum.models import Specialty
from forum.reversing import fast_reverse

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from forum.models import User


class TagQuerySet(models.QuerySet["Tag"]):
    def same_topic_as(self, tag_ids: Iterable[int]) -> TagQuerySet:
        """These tags and every tag linked with one of them as the same topic."""
        tag_ids = list(tag_ids)
        roots = self.model.objects.filter(pk__in=tag_ids).values("topic_id")
        return self.filter(
            models.Q(pk__in=tag_ids)
            | models.Q(topic_id__in=tag_ids)
            | models.Q(pk__in=roots)
            | models.Q(topic_id__in=roots)
        )


class Tag(TagBase):
    """A topic label shared by questions and FAQs.

    Tags in two languages can name one topic ("headache" and "頭痛"): an editor links
    the others to one of them (`topic`, one level deep), and Similar Q&A and Related
    FAQ count the tags of a topic as one shared tag."""

    description = models.TextField(_("description"), blank=True)
    topic = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_tags",
        limit_choices_to={"topic__isnull": True},  # one level: a topic is not linked itself
        verbose_name=_("same topic as"),
        help_text=_(
            "The tag (e.g. in the other language) this one names the same topic as. "
            "Similar Q&A and Related FAQ count linked tags as one."
        ),
    )

    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def get_absolute_url(self) -> str:
        return fast_reverse("questions:tag", slug=self.slug)


class QuestionQuerySet(models.QuerySet["Question"]):
    def published(self) -> QuestionQuerySet:
        """Questions a moderator has approved and nobody has removed."""
        return self.filter(status=Question.Status.PUBLISHED)

    def answered(self) -> QuestionQuerySet:
        """Questions with at least one published doctor reply."""
        return self.filter(answered_at__isnull=False)

    def unanswered(self) -> QuestionQuerySet:
        """Questions no doctor has published a reply to yet."""
        return self.filter(answered_at__isnull=True)

    def not_duplicate(self) -> QuestionQuerySet:
        """Questions not closed as a duplicate of another."""
        return self.filter(duplicate_of__isnull=True)

    def pending(self) -> QuestionQuerySet:
        """Questions waiting for a moderator."""
        return self.filter(status=Question.Status.PENDING)

    def for_list(self) -> QuestionQuerySet:
        """Everything a list row shows, fetched up front."""
        return self.select_related("specialty").prefetch_related("tags")  # type: ignore[misc]

    def latest_answered(self) -> QuestionQuerySet:
        """Published, answered questions, newest answer first."""
        return self.published().answered().order_by("-answered_at", "-id")

    # Doctor dashboard and moderation queue (issue: doctors and moderators).
    def moderation_queue(self) -> QuestionQuerySet:
        """Pending questions for moderators: urgent ones first, then the longest waiting."""
        return (
            self.pending()
            .not_duplicate()
            .select_related("specialty")
            .order_by("-is_urgent", "created_at", "id")
        )

    def awaiting_reply(self, specialty_ids: Iterable[int]) -> QuestionQuerySet:
        """Published, unanswered questions in these specialties: urgent first, then oldest."""
        return (
            self.published()
            .unanswered()
            .not_duplicate()
            .filter(specialty_id__in=specialty_ids)
            .select_related("specialty")
            .order_by("-is_urgent", "published_at", "id")
        )

    # Patients: asking and following their own questions.
    def by_author(self, user: User | AnonymousUser | None) -> QuestionQuerySet:
        """Questions the user asked, in any state."""
        return self.filter(author=user) if getattr(user, "pk", None) else self.none()  # type: ignore[misc]

    def created_since(self, since: datetime) -> QuestionQuerySet:
        """Questions asked at or after `since`."""
        return self.filter(created_at__gte=since)

    def answered_since(self, since: datetime) -> QuestionQuerySet:
        """Questions whose first reply was published at or after `since`."""
        return self.filter(answered_at__gte=since)

    def median_answer_time(self) -> timedelta | None:
        """Median of published_at -> answered_at over these questions, or None if none.

        The database computes the waits and sorts them (portable to SQLite and
        PostgreSQL); only the one or two middle values are fetched.
        """
        wait = ExpressionWrapper(F("answered_at") - F("published_at"), output_field=DurationField())
        waits = self.filter(published_at__isnull=False, answered_at__isnull=False).annotate(
            wait=wait
        )
        count = waits.count()
        if not count:
            return None
        middle = list(
            waits.order_by("wait").values_list("wait", flat=True)[(count - 1) // 2 : count // 2 + 1]
        )
        return sum(middle, timedelta()) / len(middle)


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")

    # The Chinese labels carry the unit ("10~19歲"), as the patient line reads.
    class AgeRange(models.TextChoices):
        AGE_0 = "0~9", pgettext_lazy("age range", "0~9")
        AGE_10 = "10~19", pgettext_lazy("age range", "10~19")
        AGE_20 = "20~29", pgettext_lazy("age range", "20~29")
        AGE_30 = "30~39", pgettext_lazy("age range", "30~39")
        AGE_40 = "40~49", pgettext_lazy("age range", "40~49")
        AGE_50 = "50~59", pgettext_lazy("age range", "50~59")
        AGE_60 = "60~69", pgettext_lazy("age range", "60~69")
        AGE_70 = "70~79", pgettext_lazy("age range", "70~79")
        AGE_80 = "80~89", pgettext_lazy("age range", "80~89")
        AGE_90 = "90+", pgettext_lazy("age range", "90+")

    class Sex(models.TextChoices):
        FEMALE = "female", pgettext_lazy("sex", "female")
        MALE = "male", pgettext_lazy("sex", "male")
        OTHER = "other", pgettext_lazy("sex", "other")
        UNDISCLOSED = "undisclosed", pgettext_lazy("sex", "undisclosed")

    class Subject(models.TextChoices):
        SELF = "self", _("Myself")
        CHILD = "child", _("My child")
        PARENT = "parent", _("My parent")
        PARTNER = "partner", _("My partner")
        OTHER = "other", _("Someone else")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("author"),
        help_text=_("Empty once the author deleted their account but left the question online."),
    )
    nickname = models.CharField(_("nickname"), max_length=40)
    subject = models.CharField(
        _("who the question is about"),
        max_length=10,
        choices=Subject.choices,
        default=Subject.SELF,
    )
    age_range = models.CharField(_("age range"), max_length=6, choices=AgeRange.choices)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("specialty"),
    )
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, allow_unicode=True)
    body = models.TextField(_("question text"))
    language = language_field(
        _("The language the question is written in; detected from the text if empty.")
    )
    tags = TaggableManager(through="TaggedQuestion", blank=True, verbose_name=_("tags"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    is_urgent = models.BooleanField(
        _("urgent"),
        default=False,
        help_text=_("Red-flag words were found; shown first to moderators and doctors."),
    )
    screening = models.JSONField(
        _("screening"),
        default=dict,
        blank=True,
        help_text=_("What screening found when the question was asked."),
    )
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    answered_at = models.DateTimeField(
        _("answered at"),
        null=True,
        blank=True,
        help_text=_("When the first doctor reply was published."),
    )
    # Closed by a moderator as a duplicate of an answered question (answers/actions/
    # moderation/duplicates.py): its page links the original, search and Similar Q&A
    # leave it out, and doctors and moderators no longer see it in their queues.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    closed_at = models.DateTimeField(
        _("closed as a duplicate at"), null=True, blank=True, editable=False
    )
    # The author's "stop e-mails about this" on "My questions" (forum/mail.py).
    emails_muted = models.BooleanField(
        _("no e-mails about this question"), default=False, editable=False
    )
    similar_ids = models.JSONField(
        null=True,
        editable=False,
        help_text="Ids of the Similar Q&A, best first; empty (null) until computed "
        "(questions/similar.py).",
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["status", "answered_at"], name="question_status_answered"),
            models.Index(
                fields=["specialty", "status", "answered_at"], name="question_spec_answered"
            ),
            models.Index(fields=["author", "created_at"], name="question_author_created"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = question_slug(self.title)
        if not self.language:
            self.language = detect_language(self.title, self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return fast_reverse("questions:detail", pk=self.pk, slug=self.slug)

    @property
    def urgent_reasons(self) -> list[str]:
        """Why the question is urgent, in words and each once ("Chest pain")."""
        from questions.screening import red_flag_labels

        flags = self.screening.get("red_flags") if isinstance(self.screening, dict) else None
        if not isinstance(flags, list):
            return []
        return red_flag_labels(f.get("kind") for f in flags if isinstance(f, dict))

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def patient_description(self) -> str:
        """Who asked and whom about, in the active language: "Heihei, 30~39 year old
        female" when asking for themselves, else "Asked by New Dad about their child, 0~9
        year old female" (「New Dad 為孩子發問，0~9歲女性」); the age and sex are those of
        the person the question is about."""
        age = self.get_age_range_display()
        values = {"nickname": self.nickname, "age": age}
        if self.subject in (self.Subject.SELF, ""):
            if self.sex == self.Sex.FEMALE:
                return gettext("%(nickname)s, %(age)s year old female") % values
            if self.sex == self.Sex.MALE:
                return gettext("%(nickname)s, %(age)s year old male") % values
            return gettext("%(nickname)s, %(age)s year old person") % values
        if self.sex == self.Sex.FEMALE:
            person = gettext("%(age)s year old female") % values
        elif self.sex == self.Sex.MALE:
            person = gettext("%(age)s year old male") % values
        else:
            person = gettext("%(age)s year old person") % values
        whom = {
            self.Subject.CHILD.value: pgettext("asked about", "their child"),
            self.Subject.PARENT.value: pgettext("asked about", "their parent"),
            self.Subject.PARTNER.value: pgettext("asked about", "their partner"),
        }.get(self.subject) or pgettext("asked about", "someone else")
        return gettext("Asked by %(nickname)s about %(whom)s, %(person)s") % {
            "nickname": self.nickname,
            "whom": whom,
            "person": person,
        }

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of_id is not None

    def is_waiting_for_answer(self) -> bool:
        """Published, not yet answered and not closed as a duplicate."""
        return self.is_published and not self.is_answered and not self.is_duplicate

    def is_answer_overdue(self, now: datetime) -> bool:
        """Waiting for an answer for longer than the target, ANSWER_REMINDER_HOURS."""
        return (
            self.is_waiting_for_answer()
            and self.published_at is not None
            and now - self.published_at > timedelta(hours=settings.ANSWER_REMINDER_HOURS)
        )


def question_slug(title: str) -> str:
    """A readable slug for a title in any language: "頭痛-三天" for "頭痛 三天"."""
    return slugify(title, allow_unicode=True)[:160].strip("-") or "question"


class TaggedQuestion(ItemBase):
    """Question-tag link with real foreign keys, indexed for tag-overlap look-ups."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="question_links")
    content_object = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tag_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_question_tag")
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_question_tag_q")]

    def __str__(self) -> str:
        return f"{self.content_object_id}:{self.tag_id}"


# Follow-ups (issue 19): the asker's further questions under a doctor's reply.


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def published(self) -> FollowUpQuerySet:
        """Follow-ups shown on the Q&A page."""
        return self.filter(status=FollowUp.Status.PUBLISHED)

    def pending(self) -> FollowUpQuerySet:
        """Follow-ups waiting for a moderator."""
        return self.filter(status=FollowUp.Status.PENDING)

    def counted_towards_limit(self) -> FollowUpQuerySet:
        """Follow-ups that use up one of a question's FOLLOW_UPS_PER_QUESTION: all but
        rejected ones (a rejected follow-up can be written again, without what was wrong)."""
        return self.exclude(status=FollowUp.Status.REJECTED)

    def moderation_queue(self) -> FollowUpQuerySet:
        """Pending follow-ups on published questions for moderators: urgent first, then
        the longest waiting, with what a row shows."""
        return (
            self.pending()
            .filter(question__status=Question.Status.PUBLISHED)
            .select_related("question__specialty", "reply__doctor")
            .order_by("-is_urgent", "created_at", "id")
        )


class FollowUp(models.Model):
    """The asker's follow-up question under one doctor's reply to their answered
    question: screened like the question, moderated like it (a trusted asker's is
    published at once), answered by that reply's doctor with a Reply whose `follow_up`
    is this one (answers.models.Reply), moderated like every reply."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("question")
    )
    # The reply it follows up on. A string reference: the reply lives in answers, the
    # layer above, which also holds every read and write that joins the two.
    reply = models.ForeignKey(
        "answers.Reply",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("reply it follows up on"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"))
    language = language_field()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    is_urgent = models.BooleanField(_("urgent"), default=False)
    screening = models.JSONField(_("screening"), default=dict, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            models.Index(fields=["reply", "status", "published_at"], name="follow_up_reply_status"),
            models.Index(fields=["question", "status"], name="follow_up_question_status"),
        ]

    def __str__(self) -> str:
        return gettext("Follow-up %(id)s on question %(question)s") % {
            "id": self.pk,
            "question": self.question_id,
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.language:
            self.language = detect_language(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#follow-up-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def urgent_reasons(self) -> list[str]:
        """Why the follow-up is urgent, in words and each once."""
        from questions.screening import red_flag_labels

        flags = self.screening.get("red_flags") if isinstance(self.screening, dict) else None
        if not isinstance(flags, list):
            return []
        return red_flag_labels(f.get("kind") for f in flags if isinstance(f, dict))


# Search (issue 7): the denormalized document behind forum.site.search.


class SearchDocument(models.Model):
    """What search reads for one published question besides its own title and text.

    Holds the text of the question's published replies and published articles, and on
    PostgreSQL a weighted tsvector (title A, question text B, replies C, articles D)
    behind a GIN index. Only published questions have one. Kept current by
    `questions.search_index.refresh_question_document()` (through questions/changes.py);
    never edit it by hand.
    """

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    reply_text = models.TextField(blank=True)
    article_text = models.TextField(blank=True)
    # Other databases than PostgreSQL: the title, question text, replies and articles
    # folded (questions.search_text.fold), which their plain search looks in. Empty on
    # PostgreSQL, which searches `vector`.
    folded_text = models.TextField(blank=True, default="", editable=False)
    vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["specialty", "question"], name="search_doc_specialty")]

    def __str__(self) -> str:
        return f"Search document of question {self.question_id}"


class SearchWord(models.Model):
    """A word found in published questions, replies or articles: the vocabulary that
    search suggests corrections from when a query matches nothing (PostgreSQL only,
    through a trigram index on `word`). Filled by `questions.search_index`."""

    word = models.CharField(max_length=40, primary_key=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.word
