"""A question's "stop e-mails about this" (linked from each row of "My questions")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from questions.models import Question
from questions.views.asking import _author_question_or_404


@login_required
def question_emails(request, pk):
    """Only the author sees or changes it (anyone else: 404, as for their other pages)."""
    question = _author_question_or_404(request, pk)
    if request.method == "POST":
        muted = request.POST.get("emails") == "off"
        Question.objects.filter(pk=question.pk).update(emails_muted=muted)
        if muted:
            messages.success(request, gettext("You will get no more e-mails about this question."))
        else:
            messages.success(request, gettext("E-mails about this question are on again."))
        return redirect("questions:mine")
    return render(
        request,
        "questions/question_emails.html",
        {"question": question, "account_off": not request.user.email_question_updates},
    )
