"""Forms of the doctor dashboard, the reply flow and the moderation queue."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from answers.actions.errors import ActionNotAllowed
from answers.actions.moderation.duplicates import check_duplicate_original
from forum.language import Language, detect_language
from forum.models import (
    EARLIEST_PRACTISING_YEAR,
    DoctorProfile,
    ModerationEvent,
    Report,
    Specialty,
    User,
    current_year,
)
from questions.forms import personal_data_error
from questions.models import Question
from questions.screening import ScreeningResult, screen

REPLY_MIN_LENGTH = 40
REPLY_MAX_LENGTH = 8000


class DoctorApplicationForm(forms.ModelForm):
    """A signed-in user's application to answer as a doctor."""

    bio = forms.CharField(
        label=_("Short bio"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Two or three sentences about your training and interests (shown publicly)."),
    )

    class Meta:
        model = DoctorProfile
        fields = [
            "display_name",
            "license_number",
            "hospital",
            "practising_since",
            "specialties",
            "bio",
        ]
        labels = {
            "display_name": _("Full name"),
            "license_number": _("Medical licence number"),
            "hospital": _("Hospital or clinic"),
            "practising_since": _("In practice since (year)"),
        }
        help_texts = {
            "display_name": _('As patients will see it, without "Dr.", e.g. "Lin Mei-hua".'),
            "license_number": _("Moderators check it against the medical register."),
            "specialties": _("You will be shown questions in these specialties."),
        }
        widgets = {
            "specialties": forms.CheckboxSelectMultiple,
            "practising_since": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Specialties by their name in the page's language (神經內科 in Chinese).
        self.fields["specialties"].label_from_instance = lambda s: s.localized_name
        # The model's limits, for the browser's number field too.
        self.fields["practising_since"].widget.attrs.update(
            min=EARLIEST_PRACTISING_YEAR, max=current_year()
        )

    def clean_display_name(self) -> str:
        name = re.sub(r"^\s*dr\.?\s+", "", self.cleaned_data["display_name"], flags=re.I).strip()
        if len(name) < 3:
            raise forms.ValidationError(_("Enter your full name."))
        return name

    def clean_license_number(self) -> str:
        number = self.cleaned_data["license_number"].strip().upper()
        taken = DoctorProfile.objects.filter(license_number__iexact=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Another account has already applied with this licence number.")
            )
        return number


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        min_length=REPLY_MIN_LENGTH,
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Plain text; blank lines start a new paragraph. Explain, point out warning signs, "
            "and say when to see a doctor in person."
        ),
    )


# Shortest follow-up, by its language (as the ask form counts: questions/forms.py).
FOLLOW_UP_MIN = {Language.EN: 10, Language.ZH_HANT: 5}


class FollowUpForm(forms.Form):
    """The asker's follow-up: length checked first (FOLLOW_UP_MAX_LENGTH, then a minimum
    by language), then screened as the ask form screens a question: personal data is an
    error on the text, red flags are `screening` for the view's safety step."""

    # Sent by the "Are you safe right now?" step (the patient saw the help numbers).
    confirm_urgent = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        limit = settings.FOLLOW_UP_MAX_LENGTH
        self.fields = {
            "body": forms.CharField(
                label=_("Your follow-up"),
                max_length=limit,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_(
                    "What you want to ask the doctor about their reply, or what changed "
                    "since: at most %(limit)d characters. Leave out names, phone numbers, "
                    "e-mail and street addresses."
                )
                % {"limit": limit},
                error_messages={
                    "required": _("Please write your follow-up."),
                    "max_length": _(
                        "The follow-up is too long: please use at most %(limit_value)d "
                        "characters (it has %(show_value)d)."
                    ),
                },
            ),
            **self.fields,
        }
        self.screening = ScreeningResult()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        limit = FOLLOW_UP_MIN[detect_language(body)]
        if len(body) < limit:
            raise forms.ValidationError(
                _(
                    "Please write a little more: at least %(limit_value)d characters "
                    "(it has %(show_value)d)."
                ),
                code="min_length",
                params={"limit_value": limit, "show_value": len(body)},
            )
        # Screened only once its length is known to be acceptable.
        self.screening = screen(body)
        if self.screening.personal_data:
            raise personal_data_error(self.screening.personal_data)
        return body


INFORMATION_REQUEST_MIN_LENGTH = 10
INFORMATION_REQUEST_MAX_LENGTH = 500
INFORMATION_ANSWER_MAX_LENGTH = 2000


class InformationRequestForm(forms.Form):
    """A doctor's short question to the patient before answering."""

    text = forms.CharField(
        label=_("Your question to the patient"),
        min_length=INFORMATION_REQUEST_MIN_LENGTH,
        max_length=INFORMATION_REQUEST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One short question, e.g. how long it has lasted or what medicines they take. "
            "The patient is e-mailed and answers on their questions page."
        ),
    )


class InformationAnswerForm(forms.Form):
    """The patient's answer to a doctor's request, screened like the question: personal
    data blocks it, red flags put the help numbers first (confirm_urgent sends it anyway)."""

    answer = forms.CharField(
        label=_("Your answer"),
        min_length=2,
        max_length=INFORMATION_ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Do not include names, phone numbers, addresses or ID numbers."),
    )
    confirm_urgent = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_answer(self) -> str:
        # max_length was checked first, so screening reads a bounded text.
        answer = self.cleaned_data["answer"].strip()
        self.screening = screen(answer)
        if self.screening.personal_data:
            raise personal_data_error(self.screening.personal_data)
        return answer

    @property
    def red_flags(self) -> list[str]:
        screening = getattr(self, "screening", None)
        return list(screening.red_flag_kinds) if screening is not None else []


class ReasonForm(forms.Form):
    """The reason a moderator gives for a decision (required unless the form says otherwise).

    Where to go afterwards (`next`) is not a field: the view vets it with forum.redirects,
    so a hostile value can neither fail the form nor reach the page unvetted.
    """

    reason = forms.CharField(label=_("Reason"), max_length=1000)

    def __init__(self, *args, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class QuestionRedactForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(label=_("Question text"), widget=forms.Textarea(attrs={"rows": 12}))
    reason = forms.CharField(
        label=_("What was redacted"),
        max_length=1000,
        required=False,
        help_text=_("For the audit log, e.g. “removed a phone number”, not the data."),
    )


# A Q&A page's address, in any language: /questions/<pk>/..., /zh-hant/questions/<pk>/...
QUESTION_ADDRESS = re.compile(r"/questions/(\d{1,18})(?:[/?#]|$)")


class DuplicateForm(forms.Form):
    """Which answered question a question duplicates: its number or its page's address."""

    original = forms.CharField(
        label=_("Original question"),
        max_length=500,
        help_text=_("The number or the address of a published, answered question."),
        error_messages={"required": _("Enter the number or the address of the original.")},
    )

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question

    def clean_original(self) -> Question:
        text = self.cleaned_data["original"].strip()
        match = re.fullmatch(r"#?(\d{1,18})", text) or re.search(
            r"/questions/(\d{1,18})(?:/|$|\?|#)", text
        )
        if not match:
            raise forms.ValidationError(
                _("Enter a question number (e.g. 1234) or a question page's address.")
            )
        original = Question.objects.filter(pk=int(match.group(1))).first()
        if original is None:
            raise forms.ValidationError(
                _("There is no question number %(id)s.") % {"id": match.group(1)}
            )
        try:
            check_duplicate_original(question=self.question, original=original)
        except ActionNotAllowed as error:
            raise forms.ValidationError(str(error)) from error
        return original


class DashboardFilterForm(forms.Form):
    specialty = forms.ChoiceField(label=_("Specialty"), required=False)

    def __init__(self, *args, specialties, **kwargs):
        super().__init__(*args, **kwargs)
        # The doctor's specialties are already loaded: the choices need no query.
        self.specialties = {s.slug: s for s in specialties}
        self.fields["specialty"].choices = [("", _("All my specialties"))] + [
            (s.slug, s.localized_name) for s in specialties
        ]

    def selected(self) -> Specialty | None:
        """The chosen specialty, or None for all of the doctor's specialties."""
        if not self.is_valid():
            return None
        return self.specialties.get(self.cleaned_data["specialty"])


class DigestForm(forms.Form):
    wants_digest = forms.BooleanField(
        label=_("E-mail me a digest of new questions in my specialties"), required=False
    )


class ModerationLogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *ModerationEvent.Action.choices],
    )
    actor = forms.ModelChoiceField(
        label=_("Moderator"),
        required=False,
        queryset=User.objects.filter(moderation_events__isnull=False).distinct().order_by("email"),
        empty_label=_("Anyone"),
    )


REPORT_TEXT_MAX_LENGTH = 1000


class ReportForm(forms.Form):
    """A reader's report of a question or reply. The doctor's flag ("medically
    questionable") is offered only to doctors who may flag the reply (`doctor_flag`)."""

    reason = forms.ChoiceField(label=_("What is wrong?"), widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Details"),
        max_length=REPORT_TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Needed for “Other”. Moderators read it; please do not repeat personal data."),
    )

    def __init__(self, *args, doctor_flag: bool = False, author: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = Report.Reason
        if author:
            # The question's author asks for a correction (or for their personal data
            # to be taken out): the other reasons are about someone else's post.
            choices = [
                (reasons.CORRECTION, reasons.CORRECTION.label),
                (reasons.PERSONAL_DATA, reasons.PERSONAL_DATA.label),
            ]
            self.fields["reason"].label = _("What should the moderators do?")
            self.fields["text"].help_text = _(
                "Say what to correct, for example the age range or a sentence to change. "
                "Moderators read it; please do not add personal data."
            )
        else:
            choices = [
                (value, label)
                for value, label in reasons.choices
                if value != reasons.CORRECTION and (doctor_flag or value != reasons.QUESTIONABLE)
            ]
        self.fields["reason"].choices = choices

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("reason")
        if not cleaned.get("text", "").strip():
            if reason == Report.Reason.OTHER:
                self.add_error("text", _("Please say what is wrong."))
            elif reason == Report.Reason.CORRECTION:
                self.add_error("text", _("Please say what to correct."))
        return cleaned


class ReportDecisionForm(forms.Form):
    """A moderator's decision on an item's open reports; the text fields only for "edit"."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("dismiss", _("Dismiss: nothing wrong (shown again if the reports hid it)")),
            ("hide", _("Hide it from the public pages")),
            ("remove", _("Remove it")),
            ("redact", _("Edit to redact, then show it")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to hide or remove. For the audit log and the author."),
    )
    title = forms.CharField(label=_("Title"), max_length=150, required=False)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, has_title: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_title = has_title
        if not has_title:
            del self.fields["title"]

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision in ("hide", "remove") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("A reason is required."))
        if decision == "redact":
            body, title = cleaned.get("body", "").strip(), cleaned.get("title", "").strip()
            if not body:
                self.add_error("body", _("The text cannot be empty."))
            if self.has_title and not title:
                self.add_error("title", _("The title cannot be empty."))
            unchanged = body == self.initial.get("body", "").strip() and (
                not self.has_title or title == self.initial.get("title", "").strip()
            )
            if body and unchanged:
                # An edit that changes nothing would leave no trace in the audit log.
                self.add_error("body", _("Nothing was changed: edit the text, or dismiss."))
        return cleaned
