from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.text import slugify
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
    email = models.EmailField("e-mail address", unique=True)
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

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.email


class Specialty(models.Model):
    """A medical specialty. Its name is data, so it carries one per language: `name` in
    English and `name_zh_hant` in Traditional Chinese (plain fields: two languages, read
    with the page's own SQL, need no translation library); `localized_name` is the one
    for the active language."""

    name = models.CharField(max_length=80, unique=True)
    name_zh_hant = models.CharField(
        _("name in Traditional Chinese"),
        max_length=80,
        blank=True,
        help_text=_("As Taiwanese hospitals name the department, e.g. 神經內科."),
    )
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers are listed first.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return fast_reverse("forum:specialty", slug=self.slug)

    @property
    def localized_name(self) -> str:
        """The name in the active language (English when no Chinese name is set)."""
        return localized_specialty_name(self.name, self.name_zh_hant)


class DoctorProfileQuerySet(models.QuerySet):
    def verified(self) -> DoctorProfileQuerySet:
        """Doctors a moderator has verified and not suspended."""
        return self.filter(status=DoctorProfile.Status.VERIFIED)


class DoctorProfile(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"
        SUSPENDED = "suspended", "Suspended"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="doctor_profile"
    )
    display_name = models.CharField(
        max_length=120, help_text='Full name as shown publicly, without "Dr.", e.g. "Lin Mei-hua".'
    )
    slug = models.SlugField(max_length=140, unique=True)
    specialties = models.ManyToManyField(Specialty, related_name="doctors")
    license_number = models.CharField(max_length=40)
    hospital = models.CharField(max_length=160)
    bio = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    status_reason = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    wants_digest = models.BooleanField(
        default=False, help_text="E-mail a digest of new questions in my specialties."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DoctorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"Dr. {self.display_name}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(DoctorProfile, self.display_name or "doctor")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return fast_reverse("forum:doctor", slug=self.slug)

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class ModerationEvent(models.Model):
    """One entry of the audit log: who did what to which object, and why."""

    class Action(models.TextChoices):
        APPROVE_QUESTION = "approve_question", "Approved question"
        REJECT_QUESTION = "reject_question", "Rejected question"
        EDIT_QUESTION = "edit_question", "Edited question"
        REMOVE_QUESTION = "remove_question", "Removed question"
        VERIFY_DOCTOR = "verify_doctor", "Verified doctor"
        REJECT_DOCTOR = "reject_doctor", "Rejected doctor application"
        SUSPEND_DOCTOR = "suspend_doctor", "Suspended doctor"
        RESTORE_DOCTOR = "restore_doctor", "Restored doctor"
        APPROVE_REPLY = "approve_reply", "Approved reply"
        RETURN_REPLY = "return_reply", "Sent reply back"
        HIDE_REPLY = "hide_reply", "Hid reply"
        RESTORE_REPLY = "restore_reply", "Restored reply"
        PUBLISH_ARTICLE = "publish_article", "Published article"
        UNPUBLISH_ARTICLE = "unpublish_article", "Unpublished article"
        MERGE_TAGS = "merge_tags", "Merged tags"
        READ_UNPUBLISHED = "read_unpublished", "Read unpublished question"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_events",
    )
    # Who acted, as they were known then: kept when their account is gone (the
    # foreign key above becomes NULL), so every entry still names its actor.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target_repr}"


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
