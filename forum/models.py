from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from forum.reversing import fast_reverse


class UserManager(BaseUserManager):
    """Manager for a user model whose log-in is the e-mail address."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A site account. Its e-mail and name are never shown on public pages."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # The interface language the person uses the site in (set when they sign up or
    # switch language): their e-mails go out in it. Blank: the site's default.
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, blank=True, default=""
    )
    # Notification settings (the account's "E-mail settings" page, and the one-click
    # unsubscribe links of forum/mail.py). A doctor's digest is DoctorProfile.wants_digest.
    email_question_updates = models.BooleanField(
        _("e-mail me when my question is published or answered"), default=True
    )
    email_moderation_alerts = models.BooleanField(
        _("e-mail me when questions wait too long for moderation"), default=True
    )
    email_report_outcomes = models.BooleanField(
        _("e-mail me what moderators decided about what I reported"), default=True
    )
    email_review_reminders = models.BooleanField(
        _("e-mail me when articles are past their review date"), default=True
    )
    email_follow_ups = models.BooleanField(
        _("e-mail me when an asker follows up on my reply"), default=True
    )
    email_information_requests = models.BooleanField(
        _("e-mail me when a doctor asks me for more information"), default=True
    )
    email_answer_reminders = models.BooleanField(
        _("e-mail me at once about questions waiting too long in my specialties"), default=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


class Specialty(models.Model):
    """A medical specialty. Its name is data, so it carries one per language: `name` in
    English and `name_zh_hant` in Traditional Chinese (plain fields: two languages, read
    with the page's own SQL, need no translation library); `localized_name` is the one
    for the active language."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_zh_hant = models.CharField(
        _("name in Traditional Chinese"),
        max_length=80,
        blank=True,
        help_text=_("As Taiwanese hospitals name the department, e.g. 神經內科."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_zh_hant = models.TextField(_("description in Traditional Chinese"), blank=True)
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Lower numbers are listed first.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return fast_reverse("forum:specialty", slug=self.slug)

    @property
    def localized_name(self) -> str:
        """The name in the active language (English when no Chinese name is set)."""
        return localized_specialty_name(self.name, self.name_zh_hant)

    @property
    def localized_description(self) -> str:
        """The description in the active language (English when no Chinese one is set)."""
        return localized_specialty_name(self.description, self.description_zh_hant)


# Before it, a year of first practice is a typing error rather than a career.
EARLIEST_PRACTISING_YEAR = 1940


def current_year() -> int:
    """This year in the site's time zone (a validator's limit: no practice from the future)."""
    return timezone.localdate().year


class DoctorProfileQuerySet(models.QuerySet):
    def verified(self) -> DoctorProfileQuerySet:
        """Doctors a moderator has verified and not suspended."""
        return self.filter(status=DoctorProfile.Status.VERIFIED)


class DoctorProfile(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("doctor status", "Applied")
        VERIFIED = "verified", pgettext_lazy("doctor status", "Verified")
        REJECTED = "rejected", pgettext_lazy("doctor status", "Rejected")
        SUSPENDED = "suspended", pgettext_lazy("doctor status", "Suspended")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="doctor_profile",
        verbose_name=_("user"),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=120,
        help_text=_('Full name as shown publicly, without "Dr.", e.g. "Lin Mei-hua".'),
    )
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    specialties = models.ManyToManyField(
        Specialty, related_name="doctors", verbose_name=_("specialties")
    )
    license_number = models.CharField(_("licence number"), max_length=40)
    hospital = models.CharField(_("hospital"), max_length=160)
    practising_since = models.PositiveSmallIntegerField(
        _("practising since"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(
                EARLIEST_PRACTISING_YEAR,
                message=_("Enter a year from %(limit_value)s on."),
            ),
            MaxValueValidator(current_year, message=_("Enter a year that is not in the future.")),
        ],
        help_text=_("The year you started practising medicine, e.g. 2008 (optional)."),
    )
    bio = models.TextField(_("bio"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    wants_digest = models.BooleanField(
        _("e-mail digest"),
        default=False,
        help_text=_("E-mail a digest of new questions in my specialties."),
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    objects = DoctorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("doctor profile")
        verbose_name_plural = _("doctor profiles")

    def __str__(self) -> str:
        return gettext("Dr. %(name)s") % {"name": self.display_name}

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(DoctorProfile, self.display_name or "doctor")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return fast_reverse("forum:doctor", slug=self.slug)

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def years_in_practice(self) -> int | None:
        """Whole calendar years since `practising_since` (None when not given)."""
        if self.practising_since is None:
            return None
        return max(current_year() - self.practising_since, 0)

    @property
    def initials(self) -> str:
        """One or two characters for the avatar: a CJK name's first character (the
        family name), otherwise the first letters of the first two words."""
        name = self.display_name.strip()
        if not name:
            return ""
        if not name[0].isascii() and not name[0].isspace() and " " not in name:
            return name[0]
        words = name.replace("-", " ").split()
        return "".join(word[0] for word in words[:2]).upper()


class ModerationEvent(models.Model):
    """One entry of the audit log: who did what to which object, and why."""

    class Action(models.TextChoices):
        APPROVE_QUESTION = "approve_question", _("Approved question")
        REJECT_QUESTION = "reject_question", _("Rejected question")
        EDIT_QUESTION = "edit_question", _("Edited question")
        REMOVE_QUESTION = "remove_question", _("Removed question")
        CLOSE_DUPLICATE = "close_duplicate", _("Closed question as a duplicate")
        REOPEN_DUPLICATE = "reopen_duplicate", _("Reopened question closed as a duplicate")
        VERIFY_DOCTOR = "verify_doctor", _("Verified doctor")
        REJECT_DOCTOR = "reject_doctor", _("Rejected doctor application")
        SUSPEND_DOCTOR = "suspend_doctor", _("Suspended doctor")
        RESTORE_DOCTOR = "restore_doctor", _("Restored doctor")
        APPROVE_REPLY = "approve_reply", _("Approved reply")
        RETURN_REPLY = "return_reply", _("Sent reply back")
        HIDE_REPLY = "hide_reply", _("Hid reply")
        RESTORE_REPLY = "restore_reply", _("Restored reply")
        PUBLISH_ARTICLE = "publish_article", _("Published article")
        UNPUBLISH_ARTICLE = "unpublish_article", _("Unpublished article")
        CONFIRM_ARTICLE_REVIEW = "confirm_article_review", _("Re-confirmed article review")
        CONFIRM_REPLY_ACCURACY = "confirm_reply_accuracy", _("Confirmed reply still accurate")
        MERGE_TAGS = "merge_tags", _("Merged tags")
        READ_UNPUBLISHED = "read_unpublished", _("Read unpublished question")
        HIDE_QUESTION = "hide_question", _("Hid question pending review")
        RESTORE_QUESTION = "restore_question", _("Restored question")
        EDIT_REPLY = "edit_reply", _("Edited reply")
        DISMISS_REPORTS = "dismiss_reports", _("Dismissed reports")
        WITHDRAW_QUESTION = "withdraw_question", _("Question withdrawn by its author")
        APPROVE_FOLLOW_UP = "approve_follow_up", _("Approved follow-up")
        REJECT_FOLLOW_UP = "reject_follow_up", _("Rejected follow-up")
        HIDE_FOLLOW_UP = "hide_follow_up", _("Hid follow-up")
        RESTORE_FOLLOW_UP = "restore_follow_up", _("Restored follow-up")
        EDIT_FOLLOW_UP = "edit_follow_up", _("Edited follow-up")
        PUBLISH_TRUSTED_FOLLOW_UP = (
            "publish_trusted_follow_up",
            _("Published a trusted asker's follow-up without moderation"),
        )
        REQUEST_INFORMATION = "request_information", _("Doctor asked the patient for information")
        ANSWER_INFORMATION = "answer_information", _("Patient answered a doctor's request")
        CLOSE_INFORMATION = "close_information", _("Information request closed")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_events",
        verbose_name=_("who"),
    )
    # Who acted, as they were known then: kept when their account is gone (the
    # foreign key above becomes NULL), so every entry still names its actor.
    actor_label = models.CharField(_("who, as then known"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of target")
    )
    target_id = models.PositiveBigIntegerField(_("target ID"))
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("target, as then named"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return gettext("%(action)s: %(target)s") % {
            "action": self.get_action_display(),
            "target": self.target_repr,
        }


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> ReportQuerySet:
        """Reports no moderator has decided on yet."""
        return self.filter(status=Report.Status.OPEN)

    def about(self, kind: str, target_id: int) -> ReportQuerySet:
        """The reports on one item."""
        return self.filter(target_kind=kind, target_id=target_id)


class Report(models.Model):
    """A signed-in person's report of one question, reply or follow-up (by
    `target_kind`) to the moderators, with a reason. One per person and item. Enough
    open reports hide the item pending review (settings.REPORT_HIDE_THRESHOLD); a
    moderator's decision closes every open report of the item with one outcome."""

    class Kind(models.TextChoices):
        # What can be reported; answers/reports.py says how each kind is found, hidden,
        # restored and redacted.
        QUESTION = "question", _("question")
        REPLY = "reply", _("reply")
        FOLLOW_UP = "follow_up", _("follow-up")

    class Reason(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("My personal data is in it")
        DANGEROUS = "dangerous", _("Dangerous or wrong medical advice")
        NOT_A_DOCTOR = "not_a_doctor", _("Not a real doctor")
        SPAM = "spam", _("Spam or advertising")
        QUESTIONABLE = "questionable", _("Medically questionable (a doctor's flag)")
        # The question's own author asks the moderators to correct it (a published
        # question; a pending one its author edits). Never counts towards hiding it.
        CORRECTION = "correction", _("Please correct my question")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided")

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", _("dismissed")
        HIDDEN = "hidden", _("hidden")
        REMOVED = "removed", _("removed")
        REDACTED = "redacted", _("edited")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("reported by"),
    )
    target_kind = models.CharField(_("kind of item"), max_length=20, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField(_("item ID"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("details"), blank=True)
    # A verified doctor of a relevant specialty flagged it: listed first in the queue.
    from_doctor = models.BooleanField(_("from a doctor"), default=False)
    # This report reached the threshold and hid the item: dismissing restores it.
    hid_item = models.BooleanField(_("hid the item"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_kind", "target_id"], name="one_report_per_item"
            )
        ]
        indexes = [
            models.Index(fields=["status", "target_kind", "target_id"], name="report_open_item")
        ]

    def __str__(self) -> str:
        return gettext("Report of %(kind)s %(id)s") % {
            "kind": self.get_target_kind_display(),
            "id": self.target_id,
        }


def localized_specialty_name(name: str, name_zh_hant: str, language: str | None = None) -> str:
    """`name_zh_hant` when the language (by default the active one) is Chinese and the
    name is set, else the English `name`."""
    language = (language or translation.get_language() or "").lower()
    if name_zh_hant and language.startswith("zh"):
        return name_zh_hant
    return name


def unique_slug(model: type[models.Model], text: str, field: str = "slug", max_length=None) -> str:
    """A slug for `text` that no row of `model` uses yet."""
    max_length = max_length or model._meta.get_field(field).max_length
    base = slugify(text)[: max_length - 8].strip("-") or "item"
    slug, n = base, 2
    while model._default_manager.filter(**{field: slug}).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


class Consent(models.Model):
    """A person's agreement to one version of one of the site's documents (the privacy
    notice or the terms of use: forum/legal.py), with when and in which language they
    read it. A new version of a document asks again; the old rows stay as the record of
    what was agreed to until the account is deleted (they go with it)."""

    class Document(models.TextChoices):
        PRIVACY = "privacy", _("Privacy notice")
        TERMS = "terms", _("Terms of use")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    document = models.CharField(_("document"), max_length=16, choices=Document.choices)
    version = models.CharField(_("version"), max_length=20)
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES)
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "version"], name="one_consent_per_version"
            )
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.user_id} {self.document} {self.version}"


class OutgoingEmail(models.Model):
    """One e-mail in the durable outbox (forum/mail.py). The row is written in the
    transaction of the change that caused it, with the task that sends it, so a commit
    means the message will go out and a rollback means it never existed; the worker marks
    it sent once, so a retried or recovered task never sends it twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        # The recipient unsubscribed between the change and the send.
        CANCELLED = "cancelled", _("cancelled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to = models.EmailField()
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # What the message is (a template name), for the logs: never the address.
    kind = models.CharField(max_length=100)
    # Non-essential mail names the setting that lets it be sent (forum/mail.py, TOPICS),
    # checked again when it is sent; blank for essential mail (account security, decisions).
    topic = models.CharField(max_length=20, blank=True)
    question_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker holds the message until then; past it, a worker that died mid-send is
    # presumed gone and `requeue_email` gives the message a new task.
    claimed_until = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"e-mail #{self.pk} ({self.kind}, {self.status})"
