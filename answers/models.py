from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase

from forum.language import detect_language, language_field
from forum.models import DoctorProfile, Specialty
from forum.reversing import fast_reverse
from questions.models import FollowUp, Question, Tag


class ReplyQuerySet(models.QuerySet["Reply"]):
    def published(self) -> ReplyQuerySet:
        """Replies visible on the Q&A page."""
        return self.filter(status=Reply.Status.PUBLISHED)

    def to_questions(self) -> ReplyQuerySet:
        """Replies to the question itself, not answers to a follow-up."""
        return self.filter(follow_up__isnull=True)

    def held(self) -> ReplyQuerySet:
        """Replies waiting for a moderator's approval."""
        return self.filter(status=Reply.Status.HELD)

    # Doctor dashboard and moderation queue (issue: doctors and moderators).
    def returned(self) -> ReplyQuerySet:
        """Held replies a moderator sent back to their doctor (hidden, never published)."""
        return self.filter(status=Reply.Status.HIDDEN, published_at__isnull=True)

    def hidden_after_publishing(self) -> ReplyQuerySet:
        """Published replies a moderator has since hidden."""
        return self.filter(status=Reply.Status.HIDDEN, published_at__isnull=False)

    def ever_published(self) -> ReplyQuerySet:
        """Replies a moderator approved or that published at once, hidden later or not."""
        return self.filter(published_at__isnull=False)

    def for_moderation(self) -> ReplyQuerySet:
        """Everything a moderation row shows: the question, its specialty, the doctor and
        the follow-up an answer is to."""
        return self.select_related("question__specialty", "doctor", "follow_up")

    def for_doctor_history(self) -> ReplyQuerySet:
        """A doctor's replies, newest first, with the question each answers and how many
        doctors agree with each (agreement_count)."""
        return (
            self.select_related("question__specialty")
            .with_agreement_counts()
            .order_by("-created_at", "-id")
        )

    def with_agreement_counts(self) -> ReplyQuerySet:
        """Each reply's `agreement_count`: the verified doctors who agree with it."""
        agreements = (
            Agreement.objects.filter(
                reply=models.OuterRef("pk"), doctor__status=DoctorProfile.Status.VERIFIED
            )
            .order_by()
            .values("reply")
            .annotate(n=models.Count("id"))
            .values("n")
        )
        return self.annotate(
            agreement_count=Coalesce(
                models.Subquery(agreements, output_field=models.IntegerField()), 0
            )
        )

    def history_stats(self, *, now: datetime) -> dict[str, Any]:
        """Published replies in total and this month, thanks and doctors' agreements
        received, and the median time
        from a question's publication to the reply (None without replies)."""
        published = self.published()
        month_start = timezone.localtime(now).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        stats = published.with_agreement_counts().aggregate(
            total=models.Count("id"),
            this_month=models.Count("id", filter=models.Q(published_at__gte=month_start)),
            thanks=models.Sum("thanks_count"),
            agreements=models.Sum("agreement_count"),
        )
        # (asked: never None, filtered out; median: of timedeltas, which typeshed omits)
        delays = sorted(
            created - asked  # type: ignore[operator]
            for created, asked in published.filter(
                question__published_at__isnull=False
            ).values_list("created_at", "question__published_at")
        )
        stats["thanks"] = stats["thanks"] or 0
        stats["agreements"] = stats["agreements"] or 0
        stats["median_delay"] = statistics.median(delays) if delays else None  # type: ignore[type-var]
        return stats


class Reply(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Held for approval")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="replies", verbose_name=_("question")
    )
    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.PROTECT, related_name="replies", verbose_name=_("doctor")
    )
    body = models.TextField(_("text"))
    language = language_field()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.HELD, db_index=True
    )
    moderation_reason = models.TextField(
        _("moderator's reason"),
        blank=True,
        help_text=_("Why a moderator sent the reply back or hid it."),
    )
    thanks_count = models.PositiveIntegerField(_("thanks"), default=0)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    edited_at = models.DateTimeField(
        _("edited"),
        null=True,
        blank=True,
        help_text=_("Last time the doctor changed the text after publishing."),
    )
    confirmed_accurate_on = models.DateField(
        _("confirmed still accurate on"),
        null=True,
        blank=True,
        help_text=_("Last day its doctor confirmed that the reply is still accurate."),
    )
    # Set on a doctor's answer to the asker's follow-up (questions.FollowUp): shown under
    # the follow-up, not as a reply of its own; moderated like every reply.
    follow_up = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("answers the follow-up"),
    )

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "created_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [
            models.Index(fields=["question", "status", "published_at"], name="reply_q_status"),
            models.Index(fields=["doctor", "status", "published_at"], name="reply_doctor_status"),
        ]

    def __str__(self) -> str:
        return gettext("%(doctor)s on %(question)s") % {
            "doctor": self.doctor,
            "question": self.question_id,
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.language:
            self.language = detect_language(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#reply-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def answers_follow_up(self) -> bool:
        """A doctor's answer to a follow-up, not a reply to the question itself."""
        return self.follow_up_id is not None

    @property
    def is_returned(self) -> bool:
        """Sent back by a moderator before it was ever published."""
        return self.status == self.Status.HIDDEN and self.published_at is None

    def is_due_accuracy_check(self, now: datetime) -> bool:
        """Published, and published or last confirmed at least REPLY_ACCURACY_CHECK_DAYS
        ago: its doctor may confirm it as still accurate."""
        if not self.is_published or self.published_at is None:
            return False
        last = self.confirmed_accurate_on or timezone.localdate(self.published_at)
        return last <= timezone.localdate(now) - timedelta(days=settings.REPLY_ACCURACY_CHECK_DAYS)


def doctors_who_replied(question_id: int) -> models.QuerySet[DoctorProfile]:
    """The verified doctors (never a suspended one) with a published reply to the
    question itself: those who answer its follow-ups."""
    replied = (
        Reply.objects.to_questions()
        .published()
        .filter(question_id=question_id, doctor=models.OuterRef("pk"))
    )
    return DoctorProfile.objects.verified().filter(models.Exists(replied))


def follow_up_doctors(follow_up: FollowUp) -> list[DoctorProfile]:
    """Who a published follow-up is for: the doctors who replied to the question, the
    doctor of the reply it is under first, then by their first reply, with their users."""
    first_reply = (
        Reply.objects.to_questions()
        .published()
        .filter(question_id=follow_up.question_id, doctor=models.OuterRef("pk"))
        .order_by("published_at", "id")
        .values("id")[:1]
    )
    return list(
        doctors_who_replied(follow_up.question_id)
        .select_related("user")
        .annotate(
            is_reply_doctor=models.Case(
                models.When(pk=follow_up.reply.doctor_id, then=models.Value(0)),
                default=models.Value(1),
            ),
            first_reply_id=models.Subquery(first_reply),
        )
        .order_by("is_reply_doctor", "first_reply_id", "id")
    )


def follow_ups_waiting_for(doctor: DoctorProfile) -> models.QuerySet[FollowUp]:
    """Published follow-ups under a published reply to a published question the doctor
    replied to (a published reply of theirs), that no doctor's published answer has
    answered yet and the doctor has not answered (an answer of theirs held or sent back
    counts: it is in their history): urgent first, then the longest waiting, with the
    question and the doctor of the reply each is under (none for a doctor not verified)."""
    if not doctor.is_verified:
        return FollowUp.objects.none()
    replied = (
        Reply.objects.to_questions()
        .published()
        .filter(question=models.OuterRef("question_id"), doctor=doctor)
    )
    answered_by_me = Reply.objects.filter(follow_up=models.OuterRef("pk"), doctor=doctor)
    answered = Reply.objects.published().filter(follow_up=models.OuterRef("pk"))
    return (
        FollowUp.objects.published()
        .filter(
            models.Exists(replied),
            reply__status=Reply.Status.PUBLISHED,
            question__status=Question.Status.PUBLISHED,
        )
        .exclude(models.Exists(answered_by_me))
        .exclude(models.Exists(answered))
        .select_related("question__specialty", "reply__doctor")
        .order_by("-is_urgent", "published_at", "id")
    )


class ReplyVersion(models.Model):
    """An earlier text of a reply, kept when its doctor edits it."""

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="versions", verbose_name=_("reply")
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("replaced"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("earlier version of a reply")
        verbose_name_plural = _("earlier versions of replies")

    def __str__(self) -> str:
        return gettext("Version of reply %(reply)s from %(date)s") % {
            "reply": self.reply_id,
            "date": f"{self.created_at:%Y-%m-%d %H:%M}",
        }


class Thank(models.Model):
    """A question author's thanks for one reply (once per reply)."""

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="thanks", verbose_name=_("reply")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("thanked"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reply", "user"], name="unique_thank")]
        verbose_name = _("thanks")
        verbose_name_plural = _("thanks")

    def __str__(self) -> str:
        return gettext("Thanks for reply %(reply)s") % {"reply": self.reply_id}


class Agreement(models.Model):
    """A verified doctor's "I agree" with another doctor's published reply (once each)."""

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("reply")
    )
    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("doctor"),
    )
    created_at = models.DateTimeField(_("agreed"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "doctor"], name="one_agreement_per_doctor")
        ]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return gettext("%(doctor)s agrees with reply %(reply)s") % {
            "doctor": self.doctor,
            "reply": self.reply_id,
        }


class QuestionClaimQuerySet(models.QuerySet["QuestionClaim"]):
    def active(self) -> QuestionClaimQuerySet:
        """Claims that have not expired yet."""
        return self.filter(expires_at__gt=timezone.now())


class QuestionClaim(models.Model):
    """A doctor's soft, time-limited claim on a question they are answering."""

    question = models.OneToOneField(
        Question, on_delete=models.CASCADE, related_name="claim", verbose_name=_("question")
    )
    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.CASCADE, related_name="claims", verbose_name=_("doctor")
    )
    expires_at = models.DateTimeField(_("expires"))

    objects = QuestionClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("question being answered")
        verbose_name_plural = _("questions being answered")

    def __str__(self) -> str:
        return gettext("%(doctor)s answering %(question)s") % {
            "doctor": self.doctor,
            "question": self.question_id,
        }

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()


class InformationRequestQuerySet(models.QuerySet["InformationRequest"]):
    def open(self) -> InformationRequestQuerySet:
        """Requests waiting for the patient's answer, within their hold."""
        return self.filter(status=InformationRequest.Status.OPEN, expires_at__gt=timezone.now())

    def lapsed(self, *, now: datetime) -> InformationRequestQuerySet:
        """Requests still marked open whose hold has passed without an answer."""
        return self.filter(status=InformationRequest.Status.OPEN, expires_at__lte=now)

    def answered(self) -> InformationRequestQuerySet:
        """Requests the patient has answered."""
        return self.filter(status=InformationRequest.Status.ANSWERED)


class InformationRequest(models.Model):
    """A doctor's short question to the patient before answering, and the patient's
    answer. While it is open the doctor's claim on the question holds (at most
    INFORMATION_REQUEST_HOLD_HOURS); the exchange shows on the Q&A page under that
    doctor's reply once the reply is published."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the patient")
        ANSWERED = "answered", _("Answered by the patient")
        CLOSED = "closed", _("Closed without an answer")

    class Closed(models.TextChoices):
        WITHDRAWN = "withdrawn", _("The doctor withdrew it and released the question")
        REPLIED = "replied", _("The doctor replied without waiting")
        SUSPENDED = "suspended", _("The doctor's account was suspended")
        EXPIRED = "expired", _("The patient did not answer in time")

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="information_requests",
        verbose_name=_("question"),
    )
    doctor = models.ForeignKey(
        DoctorProfile,
        on_delete=models.CASCADE,
        related_name="information_requests",
        verbose_name=_("doctor"),
    )
    text = models.TextField(_("doctor's question"))
    language = language_field()
    answer = models.TextField(_("patient's answer"), blank=True)
    answer_is_urgent = models.BooleanField(
        _("answer has red flags"),
        default=False,
        help_text=_("The patient's answer mentioned warning signs and they confirmed sending."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    closed_because = models.CharField(
        _("closed because"), max_length=10, choices=Closed.choices, blank=True
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    expires_at = models.DateTimeField(_("answer expected by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(status="open"),
                name="one_open_information_request",
            )
        ]
        indexes = [
            models.Index(fields=["question", "doctor", "status"], name="info_request_q_doctor")
        ]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")

    def __str__(self) -> str:
        # No text: the audit log keeps this after the question is withdrawn.
        return gettext("Information request %(pk)s on question %(question)s") % {
            "pk": self.pk,
            "question": self.question_id,
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.language:
            self.language = detect_language(self.text)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        """Waiting for an answer, and still within its hold."""
        return self.status == self.Status.OPEN and self.expires_at > timezone.now()


class AnswerReminder(models.Model):
    """A published question that waited past an answer-time threshold, reminded once:
    to the doctors of its specialty, or (the second threshold) to the moderators."""

    class Kind(models.TextChoices):
        DOCTORS = "doctors", _("Sent to the doctors of its specialty")
        MODERATORS = "moderators", _("Sent to the moderators")

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="answer_reminders",
        verbose_name=_("question"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "kind"], name="one_reminder_per_threshold")
        ]
        verbose_name = _("answer-time reminder")
        verbose_name_plural = _("answer-time reminders")

    def __str__(self) -> str:
        return f"{self.kind}:{self.question_id}"


class DigestDelivery(models.Model):
    """A question already sent to a recipient in a digest, so it is never sent twice."""

    class Kind(models.TextChoices):
        DOCTOR = "doctor", _("New question for a doctor")
        MODERATOR = "moderator", _("Question waiting for moderation")
        REMINDER = "reminder", _("Question waiting long for an answer, to a doctor")
        ESCALATION = "escalation", _("Question waiting too long for an answer, to a moderator")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("question")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "question", "kind"], name="unique_digest_delivery"
            )
        ]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")

    def __str__(self) -> str:
        return gettext("%(kind)s digest: question %(question)s") % {
            "kind": self.kind,
            "question": self.question_id,
        }


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        """Articles editors have published."""
        return self.filter(status=Article.Status.PUBLISHED)

    def review_overdue(self, *, today: date) -> ArticleQuerySet:
        """Published articles whose next review date has passed, most overdue first."""
        return self.published().filter(next_review_on__lt=today).order_by("next_review_on", "id")

    def review_due_soon(self, *, today: date) -> ArticleQuerySet:
        """Published articles due for review today or within ARTICLE_REVIEW_DUE_SOON_DAYS."""
        soon = today + timedelta(days=settings.ARTICLE_REVIEW_DUE_SOON_DAYS)
        return (
            self.published()
            .filter(next_review_on__gte=today, next_review_on__lte=soon)
            .order_by("next_review_on", "id")
        )


def next_review_after(reviewed: date) -> date:
    """The default next review date of an article reviewed on `reviewed`."""
    return reviewed + timedelta(days=settings.ARTICLE_REVIEW_INTERVAL_DAYS)


class Article(models.Model):
    """A "More Info" explainer written by an editor and attached to questions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    language = language_field()
    body_html = models.TextField(blank=True, editable=False)
    questions = models.ManyToManyField(
        Question, related_name="articles", blank=True, verbose_name=_("questions")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="articles",
        verbose_name=_("author"),
    )
    reviewer = models.ForeignKey(
        DoctorProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_articles",
        verbose_name=_("medical reviewer"),
        help_text=_("The verified doctor who medically reviewed the article."),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    next_review_on = models.DateField(
        _("next review"),
        null=True,
        blank=True,
        help_text=_("Left blank, it is set a review interval after the review date."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.language:
            self.language = detect_language(self.title, self.body)
        super().save(*args, **kwargs)

    def is_review_overdue(self, today: date) -> bool:
        """Its next review date has passed (editors see "review due")."""
        return self.next_review_on is not None and self.next_review_on < today

    def reader_notice_from(self) -> date | None:
        """The first day readers are told the article is past its review date: the grace
        period after the next review date."""
        if self.next_review_on is None:
            return None
        return self.next_review_on + timedelta(days=settings.ARTICLE_REVIEW_GRACE_DAYS + 1)

    def shows_reader_notice(self, today: date) -> bool:
        """Readers see the "past its review date" notice today."""
        start = self.reader_notice_from()
        return start is not None and start <= today


class ReviewReminder(models.Model):
    """An overdue article already named to a recipient in a review reminder, for that
    next review date: never sent twice, sent again once re-confirmed and overdue anew."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    due_on = models.DateField(_("review due on"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "article", "due_on"], name="unique_review_reminder"
            )
        ]
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")

    def __str__(self) -> str:
        return f"{self.recipient_id}:{self.article_id}:{self.due_on}"


class TaggedFAQ(ItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="faq_links")
    content_object = models.ForeignKey("FAQ", on_delete=models.CASCADE, related_name="tag_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_faq_tag")
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_faq_tag_faq")]

    def __str__(self) -> str:
        return f"{self.content_object_id}:{self.tag_id}"


class FAQQuerySet(models.QuerySet["FAQ"]):
    def published(self) -> FAQQuerySet:
        """FAQs shown to readers."""
        return self.filter(is_published=True)


class FAQ(models.Model):
    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(_("answer"), help_text=_("Markdown."))
    language = language_field()
    answer_html = models.TextField(blank=True, editable=False)
    specialty = models.ForeignKey(
        Specialty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faqs",
        verbose_name=_("specialty"),
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedFAQ, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are listed first.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FAQQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")

    def __str__(self) -> str:
        return self.question

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.language:
            self.language = detect_language(self.question, self.answer)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{fast_reverse('answers:faqs')}#faq-{self.pk}"
