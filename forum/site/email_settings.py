"""The account's e-mail settings and the one-click unsubscribe of forum/mail.py.

The unsubscribe page needs no log-in: the signed token in its URL names the account and
the mail to stop. GET shows a confirm button (a link scanner that follows links must not
unsubscribe anyone); POST unsubscribes, and a POST whose body is RFC 8058's
`List-Unsubscribe=One-Click` (what a mail client sends from the List-Unsubscribe header)
does so at once. It is CSRF-exempt because a mail client has no CSRF cookie: the token,
which only the recipient's mailbox holds, is what authorises the request.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from forum import mail, roles
from forum.models import DoctorProfile


class EmailSettingsForm(forms.Form):
    question_updates = forms.BooleanField(
        label=_("E-mail me when my question is published or a doctor answers it"),
        required=False,
    )
    information_requests = forms.BooleanField(
        label=_("E-mail me when a doctor asks me for more information about my question"),
        required=False,
    )
    digest = forms.BooleanField(
        label=_("E-mail me a digest of new questions in my specialties"), required=False
    )
    answer_reminders = forms.BooleanField(
        label=_(
            "E-mail me at once when a question in my specialties waits too long for an answer "
            "(with the digest on, they come in the digest instead)"
        ),
        required=False,
    )
    moderation_alerts = forms.BooleanField(
        label=_("E-mail me when questions wait too long for moderation"), required=False
    )
    report_outcomes = forms.BooleanField(
        label=_("E-mail me what moderators decided about what I reported"), required=False
    )
    review_reminders = forms.BooleanField(
        label=_("E-mail me when articles I edit or reviewed are past their review date"),
        required=False,
    )
    follow_ups = forms.BooleanField(
        label=_("E-mail me when an asker follows up on one of my replies"), required=False
    )

    def __init__(self, *args, user, doctor: DoctorProfile | None, reviews_articles: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Each person sees only the settings of mail they can get.
        if doctor is None:
            del self.fields["digest"]
            del self.fields["follow_ups"]
            del self.fields["answer_reminders"]
        if not roles.is_moderator(user):
            del self.fields["moderation_alerts"]
        if not (roles.is_editor(user) or reviews_articles):
            del self.fields["review_reminders"]


@login_required
def email_settings(request):
    user = request.user
    doctor = DoctorProfile.objects.filter(user=user).first()
    initial = {
        "question_updates": user.email_question_updates,
        "digest": bool(doctor and doctor.wants_digest),
        "moderation_alerts": user.email_moderation_alerts,
        "report_outcomes": user.email_report_outcomes,
        "review_reminders": user.email_review_reminders,
        "follow_ups": user.email_follow_ups,
        "information_requests": user.email_information_requests,
        "answer_reminders": user.email_answer_reminders,
    }
    # A doctor who is an article's medical reviewer gets that article's review reminders.
    reviews_articles = doctor is not None and doctor.reviewed_articles.exists()
    form = EmailSettingsForm(
        request.POST or None,
        initial=initial,
        user=user,
        doctor=doctor,
        reviews_articles=reviews_articles,
    )
    if request.method == "POST" and form.is_valid():
        topics = {
            "question_updates": mail.QUESTION_UPDATES,
            "digest": mail.DIGEST,
            "moderation_alerts": mail.MODERATION_ALERTS,
            "report_outcomes": mail.REPORT_OUTCOMES,
            "review_reminders": mail.REVIEW_REMINDERS,
            "follow_ups": mail.FOLLOW_UPS,
            "information_requests": mail.INFORMATION_REQUESTS,
            "answer_reminders": mail.ANSWER_REMINDERS,
        }
        for field, wanted in form.cleaned_data.items():
            mail.set_topic(user=user, topic=topics[field], wanted=wanted)
        messages.success(request, gettext("Your e-mail settings are saved."))
        return redirect("forum:email-settings")
    return render(request, "forum/email_settings.html", {"form": form})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    named = mail.read_unsubscribe_token(token)
    if named is None:
        return render(request, "forum/unsubscribe_invalid.html", status=400)
    user, topic, question_id = named
    context = {"topic": topic, "topic_label": mail.TOPICS.get(topic, ""), "token": token}
    if request.method == "GET":
        return render(request, "forum/unsubscribe.html", context)
    if not mail.unsubscribe(user=user, topic=topic, question_id=question_id):
        return render(request, "forum/unsubscribe_invalid.html", status=400)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        # The mail client's one-click POST: nobody reads a page.
        return HttpResponse(status=200)
    return render(request, "forum/unsubscribe.html", {**context, "done": True})
