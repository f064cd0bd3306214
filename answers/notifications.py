"""E-mails to doctors and moderators, through the outbox (forum/mail.py) like
questions.notifications: queued in the transaction of the decision, in the recipient's
language. A moderator's decision about a doctor's account or reply is essential mail."""

from __future__ import annotations

from django.utils.translation import gettext

from answers.models import InformationRequest, Reply, follow_up_doctors
from forum.mail import FOLLOW_UPS, INFORMATION_REQUESTS, REPORT_OUTCOMES, send_template_email
from forum.models import DoctorProfile
from questions.models import FollowUp


def notify_doctor_status(*, doctor: DoctorProfile) -> None:
    """Tell a doctor a moderator verified, rejected, suspended or restored their account."""

    def subject() -> str:
        return gettext("Doctor account: %(status)s") % {"status": doctor.get_status_display()}

    send_template_email(
        recipient=doctor.user,
        template="emails/doctor_status.txt",
        subject=subject,
        context={"doctor": doctor},
    )


def notify_reply_moderated(*, reply: Reply) -> None:
    """Tell a doctor a moderator sent their reply back or hid it, and why."""

    def subject() -> str:
        if reply.is_returned:
            return gettext("Your reply was sent back")
        return gettext("Your reply was hidden")

    send_template_email(
        recipient=reply.doctor.user,
        template="emails/reply_moderated.txt",
        subject=subject,
        context={"reply": reply},
    )


def notify_report_outcome(*, report, item_url: str = "") -> None:
    """Tell a reporter what a moderator decided about what they reported (a setting of
    their e-mail settings), with a link to it while it is public; never who else
    reported it."""
    send_template_email(
        recipient=report.reporter,
        template="emails/report_outcome.txt",
        subject=lambda: gettext("Your report has been reviewed"),
        context={"report": report, "item_url": item_url},
        topic=REPORT_OUTCOMES,
    )


def notify_follow_up_published(*, follow_up: FollowUp) -> None:
    """Tell each verified doctor who replied to the question (the doctor of the reply it
    is under first) that a follow-up is published and waits for an answer: once each, as
    it is published once (their "follow-ups" setting, with one-click unsubscribe). The
    question's "stop e-mails about this question" is the asker's, about their own mail,
    so it does not silence the doctors they are asking."""
    for doctor in follow_up_doctors(follow_up):
        send_template_email(
            recipient=doctor.user,
            template="emails/follow_up_published.txt",
            subject=lambda: gettext("A follow-up to your reply is waiting for you"),
            context={
                "follow_up": follow_up,
                "doctor": doctor,
                "question": follow_up.question,
                "under_own_reply": doctor.pk == follow_up.reply.doctor_id,
                "reply_doctor": follow_up.reply.doctor,
            },
            topic=FOLLOW_UPS,
        )


def notify_information_requested(*, request: InformationRequest, question) -> None:
    """Tell the question's author a doctor asks for more information, with the question
    and where to answer it (their "a doctor asks me" setting; the question's own "stop
    e-mails about this question" too)."""
    if question.author_id is None:
        return
    send_template_email(
        recipient=question.author,
        template="emails/information_requested.txt",
        subject=lambda: gettext("A doctor asks for more information about your question"),
        context={"request": request, "question": question},
        topic=INFORMATION_REQUESTS,
        question_id=question.pk,
    )


def notify_information_answered(*, request: InformationRequest) -> None:
    """Tell the doctor the patient answered their request (about their own work in
    progress: essential, like the decisions on their replies)."""
    send_template_email(
        recipient=request.doctor.user,
        template="emails/information_answered.txt",
        subject=lambda: gettext("The patient answered your request for information"),
        context={"request": request, "question": request.question},
    )
