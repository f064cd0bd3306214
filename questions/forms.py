"""Forms of the ask flow: validation and cleaning only; writes live in questions/actions.py."""

from __future__ import annotations

import re

from django import forms
from django.db.models.functions import Lower
from django.forms.utils import ErrorDict
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from forum.language import Language, detect_language
from forum.legal import consent_field, has_current_consent
from forum.models import Specialty
from questions.models import Question, Tag
from questions.screening import (
    ScreeningResult,
    describe_personal_data,
    normalise,
    screen,
)

TAG_LIMIT = 5
TAG_MAX_LENGTH = 40
TAG_MAX_WORDS = 3
# Words of letters and digits in any script ("headache", "頭痛", "b12"), joined by single
# spaces or hyphens; no underscores or symbols. Each character has one role: linear time.
_TAG_PATTERN = re.compile(r"^[^\W_]+(?:[ -][^\W_]+)*$")


# --- tags ------------------------------------------------------------------------


def normalise_tag(name: str) -> str:
    """Lower-case, trimmed, single-spaced, without a leading '#'."""
    name = normalise(name).strip().lower().lstrip("#").strip()
    name = re.sub(r"\s+", " ", name)
    return re.sub(r"\s*-\s*", "-", name)


def _singular_forms(word: str) -> set[str]:
    """The word and what it could be the plural of ('headaches' -> 'headache')."""
    forms = {word}
    if len(word) > 4 and word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if len(word) > 4 and word.endswith("es"):
        forms.add(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        forms.add(word[:-1])
    return forms


def tag_forms(name: str) -> set[str]:
    """Spellings that count as the same tag: singular/plural of the last word."""
    head, _, last = name.rpartition(" ")
    prefix = f"{head} " if head else ""
    return {prefix + form for form in _singular_forms(last)}


def _spellings_to_look_up(name: str) -> set[str]:
    head, _, last = name.rpartition(" ")
    prefix = f"{head} " if head else ""
    plurals = {last + "s", last + "es"}
    if last.endswith("y"):
        plurals.add(last[:-1] + "ies")
    return tag_forms(name) | {prefix + p for p in plurals}


def parse_tags(text: str) -> list[str]:
    """Tag names from comma-separated input, normalised, duplicates (incl. plurals) dropped."""
    names: list[str] = []
    seen: list[set[str]] = []
    for raw in re.split(r"[,;\n、]", normalise(text or "")):
        name = normalise_tag(raw)
        if not name:
            continue
        forms = tag_forms(name)
        if any(forms & other for other in seen):
            continue
        seen.append(forms)
        names.append(name)
    return names


def match_existing_tags(names: list[str]) -> list[str]:
    """Each name replaced by the existing tag it is a spelling of, if any (one query)."""
    if not names:
        return []
    wanted = set().union(*(_spellings_to_look_up(n) for n in names))
    existing = list(
        Tag.objects.annotate(lower_name=Lower("name"))
        .filter(lower_name__in=wanted)
        .order_by("id")
        .values_list("name", "lower_name")
    )
    result = []
    for name in names:
        exact = [stored for stored, lower in existing if lower == name]
        similar = [stored for stored, lower in existing if tag_forms(lower) & tag_forms(name)]
        match = (exact or similar or [name])[0]
        if match not in result:
            result.append(match)
    return result


# --- the ask form ------------------------------------------------------------------


def _quoted_list(names: list[str]) -> str:
    """Tag names quoted for an error message: “a”, “b” in English, 「a」、「b」 in Chinese."""
    return gettext(", ").join(gettext("“%(name)s”") % {"name": n} for n in names)


# Labels stay lazy (capfirst keeps them so): the form reads in the language of each request.
SEX_CHOICES = [(value, capfirst(label)) for value, label in Question.Sex.choices]


def _tag_help_text() -> str:
    return ngettext(
        "Up to %(limit)d topic, separated by commas, e.g. headache, sleep.",
        "Up to %(limit)d topics, separated by commas, e.g. headache, sleep.",
        TAG_LIMIT,
    ) % {"limit": TAG_LIMIT}


TAG_HELP_TEXT = lazy(_tag_help_text, str)()


def personal_data_error(personal_data) -> forms.ValidationError:
    """The one message for text that holds personal data, naming what was found: the
    ask form's, the follow-up's and the answer to a doctor's request."""
    return forms.ValidationError(
        gettext(
            "To protect your privacy, please remove what looks like personal details: %(found)s."
        ),
        code="personal_data",
        params={"found": describe_personal_data(personal_data)},
    )


class SpecialtyChoiceField(forms.ModelChoiceField):
    """Specialties named in the page's language (神經內科 on the Chinese form)."""

    def label_from_instance(self, obj: Specialty) -> str:
        return obj.localized_name


class AskForm(forms.Form):
    """A patient's question; `author` for the nickname check, `question` when editing."""

    nickname = forms.CharField(
        max_length=40,
        min_length=2,
        label=_("Nickname"),
        help_text=_("Shown with your question instead of any name. Do not use your real name."),
        error_messages={
            "required": _("Please choose a nickname."),
            "min_length": _("The nickname needs at least %(limit_value)d characters."),
            "max_length": _(
                "The nickname can have at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    subject = forms.ChoiceField(
        label=_("Who is the question about?"),
        choices=Question.Subject.choices,
        initial=Question.Subject.SELF,
        widget=forms.RadioSelect,
        help_text=_("The age range and sex below are that person's."),
        error_messages={
            "required": _("Please choose who the question is about."),
            "invalid_choice": _("Please choose who the question is about from the list."),
        },
    )
    age_range = forms.ChoiceField(
        label=_("Age range"),
        choices=[("", _("Choose an age range")), *Question.AgeRange.choices],
        error_messages={
            "required": _("Please choose an age range."),
            "invalid_choice": _("Please choose an age range from the list."),
        },
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=SEX_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose the sex (you may choose “Undisclosed”)."),
            "invalid_choice": _("Please choose the sex from the list."),
        },
    )
    specialty = SpecialtyChoiceField(
        queryset=Specialty.objects.all(),
        label=_("Specialty"),
        empty_label=_("Choose a specialty"),
        help_text=_("The closest one is fine; a moderator can change it."),
        error_messages={
            "required": _("Please choose a specialty."),
            "invalid_choice": _("Please choose a specialty from the list."),
        },
    )
    title = forms.CharField(
        max_length=150,
        label=_("Title"),
        help_text=_("A one-line summary, 10 to 150 characters (in Chinese, at least 5)."),
        error_messages={
            "required": _("Please write a title."),
            "max_length": _(
                "The title is too long: please use at most %(limit_value)d "
                "characters (it has %(show_value)d)."
            ),
        },
    )
    body = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Symptoms, since when, medicines and doses, test results: 30 to 5,000 "
            "characters (in Chinese, at least 15). Leave out names, phone numbers, e-mail and "
            "street addresses."
        ),
        error_messages={
            "required": _("Please write your question."),
            "max_length": _(
                "The question is too long: please use at most %(limit_value)d "
                "characters (it has %(show_value)d)."
            ),
        },
    )
    tags = forms.CharField(
        required=False,
        max_length=300,
        label=_("Tags"),
        help_text=TAG_HELP_TEXT,
        error_messages={"max_length": _("Please use at most %(limit_value)d characters of tags.")},
    )
    consent = forms.BooleanField(
        widget=forms.CheckboxInput(attrs={"aria-describedby": "consent-note"}),
        label=_(
            "I agree that my question and doctors' answers are published on this site "
            "under my nickname."
        ),
        error_messages={
            "required": _("Please agree to public posting, or your question cannot be published.")
        },
    )

    # Sent by the "Are you safe right now?" step: the patient saw the help numbers for the
    # red flags in the question and chose to send it (questions.views.asking.ask).
    confirm_urgent = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, author=None, question: Question | None = None, **kwargs):
        self.author = author
        self.question = question
        if question is not None:
            kwargs.setdefault(
                "initial",
                {
                    "nickname": question.nickname,
                    "subject": question.subject,
                    "age_range": question.age_range,
                    "sex": question.sex,
                    "specialty": question.specialty_id,
                    "title": question.title,
                    "body": question.body,
                    "tags": ", ".join(tag.name for tag in question.tags.all()),
                },
            )
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if question is not None:
            # Consent was given when the question was asked.
            del self.fields["consent"]
        elif author is not None and not has_current_consent(author):
            # Signed up before the privacy notice and terms had versions, or they changed
            # since: agree to the current ones before this question (forum/legal.py).
            self.fields["privacy_consent"] = consent_field()
        self.screening = ScreeningResult()

    def clean_nickname(self) -> str:
        nickname = re.sub(r"\s+", " ", self.cleaned_data["nickname"]).strip()
        email = getattr(self.author, "email", "") or ""
        local_part = email.split("@")[0].lower()
        if local_part and nickname.lower() in {local_part, email.lower()}:
            raise forms.ValidationError(
                gettext("Please choose a nickname that is not your e-mail address or part of it.")
            )
        return nickname

    def clean_tags(self) -> list[str]:
        names = parse_tags(self.cleaned_data.get("tags", ""))
        bad = [n for n in names if not _TAG_PATTERN.match(n)]
        if bad:
            raise forms.ValidationError(
                gettext("Tags may contain only letters, numbers, spaces and hyphens: %(tags)s."),
                params={"tags": _quoted_list(bad)},
            )
        long = [n for n in names if len(n) > TAG_MAX_LENGTH or n.count(" ") >= TAG_MAX_WORDS]
        if long:
            raise forms.ValidationError(
                gettext(
                    "Each tag should be a short topic of at most %(words)d words and %(chars)d "
                    "characters; separate tags with commas: %(tags)s."
                ),
                params={
                    "words": TAG_MAX_WORDS,
                    "chars": TAG_MAX_LENGTH,
                    "tags": _quoted_list(long),
                },
            )
        if len(names) > TAG_LIMIT:
            raise forms.ValidationError(
                gettext("Please use at most %(limit)d tags (you entered %(count)d)."),
                params={"limit": TAG_LIMIT, "count": len(names)},
            )
        return match_existing_tags(names)

    def clean_title(self):
        return _long_enough(
            self.cleaned_data["title"],
            MIN_TITLE,
            gettext(
                "The title is too short: please use at least %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        )

    def clean_body(self):
        return _long_enough(
            self.cleaned_data["body"],
            MIN_BODY,
            gettext(
                "Please tell the doctors a little more: at least %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        )

    def clean(self):
        cleaned = super().clean()
        combined = ScreeningResult()
        # cleaned_data holds only fields that passed their checks, length included: no
        # text is screened before it is known to be short enough (issue 14).
        for name in ("nickname", "title", "body", "tags"):
            value = cleaned.get(name)
            if not value:
                continue
            result = screen(", ".join(value) if name == "tags" else value)
            combined = combined.merge(result)
            if result.personal_data:
                self.add_error(name, personal_data_error(result.personal_data))
        self.screening = combined
        return cleaned

    def question_data(self) -> dict:
        """Keyword arguments for submit_question / edit_pending_question."""
        fields = ("nickname", "subject", "age_range", "sex", "specialty", "title", "body", "tags")
        return {name: self.cleaned_data[name] for name in fields}


# Shortest title and question text, by the language they are written in: a Chinese
# character carries about what a short English word does, so Chinese needs half as many
# (頭痛三天怎麼辦 is a full title in seven).
MIN_TITLE = {Language.EN: 10, Language.ZH_HANT: 5}
MIN_BODY = {Language.EN: 30, Language.ZH_HANT: 15}


def _long_enough(value: str, minimums: dict, message: str) -> str:
    """`value` if it is long enough for its language (max_length was checked first, so
    the detector reads a bounded text), else the form error."""
    limit = minimums[detect_language(value)]
    if len(value) < limit:
        raise forms.ValidationError(
            message, code="min_length", params={"limit_value": limit, "show_value": len(value)}
        )
    return value


class KeptAskForm(AskForm):
    """The ask form exactly as posted, to show again while the database is unreachable.
    Never validated: validation reads the database (specialties, existing tags)."""

    def full_clean(self):
        self._errors = ErrorDict()
        self.cleaned_data = {}


def screen_submitted_text(data) -> ScreeningResult:
    """Red flags in the title and text of a bound form, even when it is invalid.

    Only as much of each as the form accepts is read: a text too long to post still gets
    the emergency notice for what its first 5,000 characters say, and however much was
    posted, screening reads no more than that."""
    fields = AskForm.base_fields
    title = str(data.get("title") or "")[: fields["title"].max_length]
    body = str(data.get("body") or "")[: fields["body"].max_length]
    return screen(f"{title}\n{body}")


class DeleteAccountForm(forms.Form):
    """Closing one's account: what happens to published questions, confirmed by password."""

    KEEP = "keep"
    REMOVE = "remove"

    published_questions = forms.ChoiceField(
        label=_("What should happen to your published questions?"),
        choices=[
            (KEEP, _("Keep them online, with no link to me (the nickname stays)")),
            (REMOVE, _("Remove them, and the doctors' answers to them, with my account")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what happens to your published questions.")},
    )
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("That is not your current password."))
        return password

    @property
    def keep_published_questions(self) -> bool:
        return self.cleaned_data["published_questions"] == self.KEEP
