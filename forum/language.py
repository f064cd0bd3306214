"""The language a piece of content is written in: Traditional Chinese or English.

Content (questions, replies, articles, FAQs) records its language so pages can mark each
block with the right `lang` attribute whatever the interface language. Writers may choose
it; when they do not, `detect_language` guesses it from the text in one pass: the share
of Han characters among the letters. A Chinese sentence with a few English terms
("MRI 檢查") is Chinese; English text quoting one Chinese word stays English.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# An English word is about five letters, a Chinese one about two characters: text
# whose letters are a quarter Han or more reads as Chinese.
HAN_SHARE = 0.25
# Enough of a long text to decide by (the detector reads at most this many characters).
SAMPLE_CHARS = 4000


class Language(models.TextChoices):
    ZH_HANT = "zh-hant", _("Traditional Chinese")
    EN = "en", _("English")


LANGUAGE_HELP = _("The language it is written in; detected from the text if empty.")


def language_field(help_text=LANGUAGE_HELP) -> models.CharField:
    """The `language` field of a piece of content (questions, replies, articles, FAQs):
    chosen by its writer or, when left empty, detected on save."""
    return models.CharField(
        _("language"), max_length=7, choices=Language.choices, blank=True, help_text=help_text
    )


# Han ideographs: CJK Unified Ideographs, Extension A, Compatibility Ideographs, and the
# supplementary planes' extensions (B onwards).
_HAN_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)


def is_han(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _HAN_RANGES)


def han_share(text: str) -> float:
    """Han characters as a share of all letters (Han or other) in the text's start; 0.0
    for text without letters."""
    han = letters = 0
    for char in text[:SAMPLE_CHARS]:
        if is_han(char):
            han += 1
            letters += 1
        elif char.isalpha():
            letters += 1
    return han / letters if letters else 0.0


def detect_language(*texts: str) -> str:
    """Language.ZH_HANT when a quarter or more of the letters are Han, else Language.EN."""
    text = "\n".join(t for t in texts if t)
    return Language.ZH_HANT if han_share(text) >= HAN_SHARE else Language.EN


BACKFILL_BATCH = 2000


def backfill_languages(models_and_fields):
    """For data migrations: a RunPython function that records each row's language,
    detected from its text, in batches of primary keys (an UPDATE per language a batch)."""

    def run(apps, schema_editor):
        for label, fields in models_and_fields:
            model = apps.get_model(*label.split("."))
            rows = model.objects.filter(language="").order_by("pk")
            last = 0
            while True:
                batch = list(rows.filter(pk__gt=last).values_list("pk", *fields)[:BACKFILL_BATCH])
                if not batch:
                    break
                last = batch[-1][0]
                found = {}
                for pk, *texts in batch:
                    found.setdefault(detect_language(*texts), []).append(pk)
                for language, pks in found.items():
                    model.objects.filter(pk__in=pks).update(language=language)

    return run
