"""Writes that touch replies, articles, FAQs and the tags they share with questions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Min
from django.utils import timezone

from answers.models import (
    FAQ,
    Article,
    DigestDelivery,
    QuestionClaim,
    Reply,
    ReplyVersion,
    TaggedFAQ,
    Thank,
)
from answers.notifications import (
    notify_doctor_status,
    notify_reply_moderated,
    send_digest_after_commit,
)
from answers.permissions import can_edit_reply, can_reply_to
from forum import roles
from forum.actions import log_moderation_event
from forum.markdown import render_markdown
from forum.models import DoctorProfile, ModerationEvent, Specialty, User
from questions import changes
from questions.actions import approve_question, edit_question
from questions.models import Question, Tag, TaggedQuestion
from questions.notifications import notify_question_answered


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


def _check_publishable(article: Article) -> None:
    if article.status == Article.Status.PUBLISHED and (
        article.reviewer_id is None or article.reviewed_on is None
    ):
        raise ValueError("A published article needs a medical reviewer and a review date.")


def _log_status_change(*, article: Article, was_published: bool, actor) -> None:
    is_published = article.status == Article.Status.PUBLISHED
    if is_published and not was_published:
        log_moderation_event(
            actor=actor, action=ModerationEvent.Action.PUBLISH_ARTICLE, target=article
        )
    elif was_published and not is_published:
        log_moderation_event(
            actor=actor, action=ModerationEvent.Action.UNPUBLISH_ARTICLE, target=article
        )


@transaction.atomic
def save_article(*, article: Article, questions: Iterable[Question], actor) -> Article:
    """Write an article and its questions, caching its HTML; log and date a first publication."""
    before = None
    if article.pk:
        before = Article.objects.select_for_update().filter(pk=article.pk).first()
    was_published = before is not None and before.status == Article.Status.PUBLISHED
    old_question_ids = set(before.questions.values_list("pk", flat=True)) if before else set()

    _check_publishable(article)
    article.body_html = render_markdown(article.body)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    if article.author_id is None and getattr(actor, "pk", None):
        article.author = actor
    article.save()
    article.questions.set(questions)

    _log_status_change(article=article, was_published=was_published, actor=actor)
    if was_published or article.status == Article.Status.PUBLISHED:
        new_question_ids = set(article.questions.values_list("pk", flat=True))
        changes.article_changed(old_question_ids | new_question_ids)
    return article


@transaction.atomic
def set_article_status(*, article: Article, status: str, actor) -> Article:
    """Publish an article or take it back to draft; a no-op when it already has that status."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status == status:
        return locked
    was_published = locked.status == Article.Status.PUBLISHED
    locked.status = status
    _check_publishable(locked)
    if status == Article.Status.PUBLISHED:
        locked.body_html = render_markdown(locked.body)
        locked.published_at = locked.published_at or timezone.now()
    locked.save(update_fields=["status", "body_html", "published_at", "updated_at"])
    _log_status_change(article=locked, was_published=was_published, actor=actor)
    changes.article_changed(locked.questions.values_list("pk", flat=True))
    return locked


@transaction.atomic
def delete_article(*, article: Article) -> None:
    """Delete an article and refresh the pages that showed it."""
    question_ids = list(article.questions.values_list("pk", flat=True))
    was_published = article.status == Article.Status.PUBLISHED
    article.delete()
    if was_published:
        changes.article_changed(question_ids)


@transaction.atomic
def save_faq(*, faq: FAQ) -> FAQ:
    """Write an FAQ with its answer rendered; any Q&A page sharing a tag may list it."""
    was_published = bool(faq.pk) and FAQ.objects.filter(pk=faq.pk, is_published=True).exists()
    faq.answer_html = render_markdown(faq.answer)
    faq.save()
    if was_published or faq.is_published:
        changes.faq_changed()
    return faq


@transaction.atomic
def delete_faq(*, faq: FAQ) -> None:
    """Delete an FAQ and refresh the pages that may have listed it."""
    was_published = faq.is_published
    faq.delete()
    if was_published:
        changes.faq_changed()


@transaction.atomic
def merge_tags(*, keep: Tag, merge: Iterable[Tag], actor) -> Tag:
    """Move every question and FAQ of the `merge` tags to `keep`, then delete those tags."""
    merged = sorted({tag.pk: tag for tag in merge if tag.pk != keep.pk}.values(), key=str)
    if not merged:
        return keep
    merged_ids = [tag.pk for tag in merged]
    # Lock every tag involved so a concurrent tagging cannot slip a link past the move.
    list(Tag.objects.select_for_update().filter(pk__in=[keep.pk, *merged_ids]).order_by("pk"))

    for through in (TaggedQuestion, TaggedFAQ):
        has_keep = through.objects.filter(tag=keep).values("content_object_id")
        # One link per object that lacks the kept tag is moved to it; every other link
        # to a merged tag would be a duplicate and is deleted with the merged tags.
        first_links = (
            through.objects.filter(tag_id__in=merged_ids)
            .exclude(content_object_id__in=has_keep)
            .values("content_object_id")
            .annotate(first=Min("pk"))
            .values("first")
        )
        through.objects.filter(pk__in=first_links).update(tag=keep)
        through.objects.filter(tag_id__in=merged_ids).delete()

    names = ", ".join(tag.name for tag in merged)
    log_moderation_event(
        actor=actor,
        action=ModerationEvent.Action.MERGE_TAGS,
        target=keep,
        reason=f"Merged {names} into {keep.name}.",
    )
    Tag.objects.filter(pk__in=merged_ids).delete()
    # Their questions now share the kept tag with one another: rank their lists anew.
    changes.tag_changed([keep.pk, *merged_ids], relinked=True)
    return keep


# ---------------------------------------------------------------------------
# Doctors and moderators: applications, claims, replies, moderation, digests.
# ---------------------------------------------------------------------------


class ActionNotAllowed(ValueError):
    """The object is not in a state this action applies to (the message is for the user)."""


def _doctors_group() -> Group:
    return Group.objects.get(name=roles.DOCTORS)


@transaction.atomic
def apply_as_doctor(
    *,
    user,
    display_name: str,
    license_number: str,
    hospital: str,
    bio: str,
    specialties: Iterable[Specialty],
) -> DoctorProfile:
    """Create or update the user's doctor application; it waits as `applied` for a moderator."""
    profile = DoctorProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = DoctorProfile(user=user)
    elif profile.status not in (DoctorProfile.Status.APPLIED, DoctorProfile.Status.REJECTED):
        raise ActionNotAllowed("Your doctor account has already been decided on.")
    profile.display_name = display_name
    profile.license_number = license_number
    profile.hospital = hospital
    profile.bio = bio
    profile.status = DoctorProfile.Status.APPLIED
    profile.status_reason = ""
    profile.save()
    profile.specialties.set(specialties)
    return profile


@transaction.atomic
def verify_doctor(*, doctor: DoctorProfile, moderator, reason: str = "") -> DoctorProfile:
    """Verify an applicant: they join the Doctors group and can answer. Idempotent."""
    locked = DoctorProfile.objects.select_for_update().select_related("user").get(pk=doctor.pk)
    if locked.status == DoctorProfile.Status.VERIFIED:
        return locked
    if locked.status != DoctorProfile.Status.APPLIED:
        raise ActionNotAllowed(f"Only applications can be verified; this one is {locked.status}.")
    locked.status = DoctorProfile.Status.VERIFIED
    locked.status_reason = ""
    locked.verified_by = moderator
    locked.verified_at = timezone.now()
    locked.save(update_fields=["status", "status_reason", "verified_by", "verified_at"])
    locked.user.groups.add(_doctors_group())
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.VERIFY_DOCTOR, target=locked, reason=reason
    )
    notify_doctor_status(doctor=locked)
    changes.doctor_changed(locked)
    return locked


@transaction.atomic
def reject_doctor(*, doctor: DoctorProfile, moderator, reason: str) -> DoctorProfile:
    """Turn down an application, telling the applicant why. Idempotent."""
    reason = _required(reason)
    locked = DoctorProfile.objects.select_for_update().select_related("user").get(pk=doctor.pk)
    if locked.status == DoctorProfile.Status.REJECTED:
        return locked
    if locked.status != DoctorProfile.Status.APPLIED:
        raise ActionNotAllowed(f"Only applications can be rejected; this one is {locked.status}.")
    locked.status = DoctorProfile.Status.REJECTED
    locked.status_reason = reason
    locked.save(update_fields=["status", "status_reason"])
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.REJECT_DOCTOR, target=locked, reason=reason
    )
    notify_doctor_status(doctor=locked)
    changes.doctor_changed(locked)
    return locked


@transaction.atomic
def suspend_doctor(*, doctor: DoctorProfile, moderator, reason: str) -> DoctorProfile:
    """Take every doctor page and action away from a verified doctor at once. Idempotent."""
    reason = _required(reason)
    locked = DoctorProfile.objects.select_for_update().select_related("user").get(pk=doctor.pk)
    if locked.status == DoctorProfile.Status.SUSPENDED:
        return locked
    if locked.status != DoctorProfile.Status.VERIFIED:
        raise ActionNotAllowed(
            f"Only verified doctors can be suspended; this one is {locked.status}."
        )
    locked.status = DoctorProfile.Status.SUSPENDED
    locked.status_reason = reason
    locked.save(update_fields=["status", "status_reason"])
    locked.user.groups.remove(_doctors_group())
    QuestionClaim.objects.filter(doctor=locked).delete()
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.SUSPEND_DOCTOR, target=locked, reason=reason
    )
    notify_doctor_status(doctor=locked)
    changes.doctor_changed(locked)
    return locked


@transaction.atomic
def restore_doctor(*, doctor: DoctorProfile, moderator, reason: str = "") -> DoctorProfile:
    """Give a suspended doctor their account back. Idempotent."""
    locked = DoctorProfile.objects.select_for_update().select_related("user").get(pk=doctor.pk)
    if locked.status == DoctorProfile.Status.VERIFIED:
        return locked
    if locked.status != DoctorProfile.Status.SUSPENDED:
        raise ActionNotAllowed(
            f"Only suspended doctors can be restored; this one is {locked.status}."
        )
    locked.status = DoctorProfile.Status.VERIFIED
    locked.status_reason = ""
    locked.save(update_fields=["status", "status_reason"])
    locked.user.groups.add(_doctors_group())
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.RESTORE_DOCTOR, target=locked, reason=reason
    )
    notify_doctor_status(doctor=locked)
    changes.doctor_changed(locked)
    return locked


def set_digest_preference(*, doctor: DoctorProfile, wants_digest: bool) -> DoctorProfile:
    """Opt the doctor in to or out of the new-questions e-mail digest."""
    DoctorProfile.objects.filter(pk=doctor.pk).update(wants_digest=wants_digest)
    doctor.wants_digest = wants_digest
    return doctor


@transaction.atomic
def claim_question(*, question: Question, doctor: DoctorProfile) -> QuestionClaim | None:
    """Claim the question for CLAIM_MINUTES unless another doctor's claim is still running.

    Returns the claim now in force, which is another doctor's when they got there first
    (the claim is soft: the caller may still answer). CLAIM_MINUTES=0 turns claims off.
    """
    if settings.CLAIM_MINUTES <= 0:
        return None
    now = timezone.now()
    expires_at = now + timedelta(minutes=settings.CLAIM_MINUTES)
    claim = (
        QuestionClaim.objects.select_for_update()
        .select_related("doctor")
        .filter(question_id=question.pk)
        .first()
    )
    if claim is None:
        try:
            with transaction.atomic():
                return QuestionClaim.objects.create(
                    question_id=question.pk, doctor=doctor, expires_at=expires_at
                )
        except IntegrityError:
            # Another doctor opened the question at the same moment; theirs stands.
            return QuestionClaim.objects.select_related("doctor").get(question_id=question.pk)
    if claim.doctor_id == doctor.pk or claim.expires_at <= now:
        claim.doctor = doctor
        claim.expires_at = expires_at
        claim.save(update_fields=["doctor", "expires_at"])
    return claim


def replies_need_approval(doctor: DoctorProfile) -> bool:
    """New doctors' replies wait for approval until HELD_REPLIES_FOR_NEW_DOCTORS are approved."""
    limit = settings.HELD_REPLIES_FOR_NEW_DOCTORS
    return limit > 0 and doctor.replies.ever_published().count() < limit


@transaction.atomic
def submit_reply(*, question: Question, doctor: DoctorProfile, body: str) -> Reply:
    """Save a doctor's reply: held for a moderator while the doctor is new, else published.

    A doctor has one reply per question; submitting again (a double click) returns it.
    """
    locked = _lock_question(question.pk)
    if not can_reply_to(doctor, locked):
        raise ActionNotAllowed("This question is not open for your replies.")
    existing = Reply.objects.filter(question=locked, doctor=doctor).first()
    if existing is not None:
        return existing
    reply = Reply.objects.create(
        question=locked, doctor=doctor, body=body.strip(), status=Reply.Status.HELD
    )
    if not replies_need_approval(doctor):
        _publish_reply(reply, question=locked)
    QuestionClaim.objects.filter(question=locked, doctor=doctor).delete()
    return reply


@transaction.atomic
def edit_reply(*, reply: Reply, doctor: DoctorProfile, body: str) -> Reply:
    """Change the text of the doctor's own reply, keeping the earlier text as a version.

    A reply sent back by a moderator goes back to the moderation queue when edited.
    """
    locked = Reply.objects.select_for_update().select_related("question").get(pk=reply.pk)
    if not can_edit_reply(doctor, locked):
        raise PermissionDenied("Doctors can only edit their own replies.")
    if not locked.question.is_published:
        raise ActionNotAllowed("The question is no longer published.")
    body = body.strip()
    if body == locked.body:
        return locked
    ReplyVersion.objects.create(reply=locked, body=locked.body)
    locked.body = body
    fields = ["body", "updated_at"]
    if locked.published_at is not None:
        locked.edited_at = timezone.now()
        fields.append("edited_at")
    if locked.is_returned:
        locked.status = Reply.Status.HELD
        locked.moderation_reason = ""
        fields += ["status", "moderation_reason"]
    locked.save(update_fields=fields)
    if locked.published_at is not None:
        _invalidate_reply_pages(locked, first_reply_changed=_is_first_published(locked))
    return locked


@transaction.atomic
def approve_reply(*, reply: Reply, moderator, reason: str = "") -> Reply:
    """Publish a held reply. Approving twice changes nothing."""
    question = _lock_question(reply.question_id)
    locked = Reply.objects.select_for_update().get(pk=reply.pk)
    if locked.status == Reply.Status.PUBLISHED:
        return locked
    if locked.status != Reply.Status.HELD:
        raise ActionNotAllowed("Only held replies can be approved; use restore for hidden ones.")
    if not question.is_published:
        raise ActionNotAllowed("The question is no longer published.")
    _publish_reply(locked, question=question)
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.APPROVE_REPLY, target=locked, reason=reason
    )
    return locked


@transaction.atomic
def return_reply(*, reply: Reply, moderator, reason: str) -> Reply:
    """Send a held reply back to its doctor with a reason; they can edit and resubmit it."""
    reason = _required(reason)
    _lock_question(reply.question_id)
    locked = Reply.objects.select_for_update().select_related("doctor__user").get(pk=reply.pk)
    if locked.is_returned:
        return locked
    if locked.status != Reply.Status.HELD:
        raise ActionNotAllowed("Only held replies can be sent back; hide published ones.")
    locked.status = Reply.Status.HIDDEN
    locked.moderation_reason = reason
    locked.save(update_fields=["status", "moderation_reason", "updated_at"])
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.RETURN_REPLY, target=locked, reason=reason
    )
    notify_reply_moderated(reply=locked)
    return locked


@transaction.atomic
def hide_reply(*, reply: Reply, moderator, reason: str) -> Reply:
    """Take a published reply off the Q&A page. Hiding twice changes nothing."""
    reason = _required(reason)
    question = _lock_question(reply.question_id)
    locked = Reply.objects.select_for_update().select_related("doctor__user").get(pk=reply.pk)
    if locked.status == Reply.Status.HIDDEN and locked.published_at is not None:
        return locked
    if locked.status != Reply.Status.PUBLISHED:
        raise ActionNotAllowed("Only published replies can be hidden.")
    locked.status = Reply.Status.HIDDEN
    locked.moderation_reason = reason
    locked.save(update_fields=["status", "moderation_reason", "updated_at"])
    _sync_answered_at(question)
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.HIDE_REPLY, target=locked, reason=reason
    )
    notify_reply_moderated(reply=locked)
    _invalidate_reply_pages(locked, first_reply_changed=True)
    return locked


@transaction.atomic
def restore_reply(*, reply: Reply, moderator, reason: str) -> Reply:
    """Show a hidden reply again (no second e-mail to the patient). Idempotent."""
    reason = _required(reason)
    question = _lock_question(reply.question_id)
    locked = Reply.objects.select_for_update().get(pk=reply.pk)
    if locked.status == Reply.Status.PUBLISHED:
        return locked
    if locked.status != Reply.Status.HIDDEN or locked.published_at is None:
        raise ActionNotAllowed("Only hidden replies that were published can be restored.")
    if not question.is_published:
        raise ActionNotAllowed("The question is no longer published.")
    locked.status = Reply.Status.PUBLISHED
    locked.moderation_reason = ""
    locked.save(update_fields=["status", "moderation_reason", "updated_at"])
    _sync_answered_at(question)
    log_moderation_event(
        actor=moderator, action=ModerationEvent.Action.RESTORE_REPLY, target=locked, reason=reason
    )
    _invalidate_reply_pages(locked, first_reply_changed=True)
    return locked


@transaction.atomic
def redact_and_approve_question(
    *, question: Question, moderator, title: str, body: str, reason: str = ""
) -> Question:
    """Edit a pending question (e.g. remove personal data), then publish it; logs both steps."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.status == Question.Status.PUBLISHED:
        return locked  # submitted twice: the first submission edited and approved it
    if locked.status != Question.Status.PENDING:
        raise ActionNotAllowed("Only pending questions can be edited and approved.")
    edited = edit_question(
        question=locked, moderator=moderator, title=title, body=body, reason=reason
    )
    return approve_question(question=edited, moderator=moderator)


@transaction.atomic
def deliver_digest(
    *,
    recipient,
    kind: str,
    questions: Sequence[Question],
    subject: str,
    template: str,
    context: dict | None = None,
) -> list[Question]:
    """E-mail the recipient the questions they were not sent before, and remember them.

    Returns the questions sent (none when all were sent before). The recipient's row is
    locked so two overlapping runs cannot send the same question twice.
    """
    list(User.objects.select_for_update().filter(pk=recipient.pk).values_list("pk", flat=True))
    already = set(
        DigestDelivery.objects.filter(
            recipient=recipient, kind=kind, question__in=[q.pk for q in questions]
        ).values_list("question_id", flat=True)
    )
    new = [q for q in questions if q.pk not in already]
    if not new or not recipient.email:
        return []
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(recipient=recipient, question=q, kind=kind) for q in new]
    )
    new_ids = [q.pk for q in new]

    def forget() -> None:
        DigestDelivery.objects.filter(
            recipient=recipient, kind=kind, question_id__in=new_ids
        ).delete()

    send_digest_after_commit(
        to=recipient.email,
        subject=subject,
        template=template,
        context={**(context or {}), "questions": new},
        on_failure=forget,
    )
    return new


def _required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ActionNotAllowed("A reason is required.")
    return reason


def _lock_question(question_id: int) -> Question:
    # Every change to a question's replies locks the question row first, so answered_at
    # is always computed from committed replies (two doctors publishing, a hide racing a
    # publish) and locks are always taken in the same order.
    return Question.objects.select_for_update().get(pk=question_id)


def _publish_reply(reply: Reply, *, question: Question) -> None:
    """Make a held reply public; the first public reply marks the question answered."""
    now = timezone.now()
    reply.status = Reply.Status.PUBLISHED
    reply.published_at = now
    reply.moderation_reason = ""
    reply.save(update_fields=["status", "published_at", "moderation_reason", "updated_at"])
    # Conditional update: of two replies published at once, only the first sets answered_at.
    first = (
        Question.objects.filter(pk=question.pk, answered_at__isnull=True).update(answered_at=now)
        == 1
    )
    if first:
        question.answered_at = now
    notify_question_answered(question=question)
    _invalidate_reply_pages(reply, first_reply_changed=first)


def _sync_answered_at(question: Question) -> None:
    """answered_at follows the first reply still published (None when every one is hidden)."""
    first = (
        Reply.objects.published()
        .filter(question_id=question.pk)
        .aggregate(first=Min("published_at"))["first"]
    )
    if first != question.answered_at:
        Question.objects.filter(pk=question.pk).update(answered_at=first)
        question.answered_at = first


def _is_first_published(reply: Reply) -> bool:
    first = (
        Reply.objects.published()
        .filter(question_id=reply.question_id)
        .order_by("published_at", "id")
        .values_list("pk", flat=True)
        .first()
    )
    return first == reply.pk


def _invalidate_reply_pages(reply: Reply, *, first_reply_changed: bool) -> None:
    # first_reply_changed: answered (or not any more, or answered_at moved), and other
    # pages' Similar Q&A show an excerpt of the first reply.
    changes.reply_changed(reply.question_id, first_reply_changed=first_reply_changed)


@transaction.atomic
def thank_reply(*, reply: Reply, user) -> bool:
    """Record a question author's thanks for a reply, once; True if this call counted it."""
    _, created = Thank.objects.get_or_create(reply=reply, user=user)
    if created:
        Reply.objects.filter(pk=reply.pk).update(thanks_count=F("thanks_count") + 1)
        changes.question_changed(reply.question_id, what=changes.PAGE)
    return created
