"""Screening of what a patient types before it is posted publicly.

`screen(text)` is a plain function: it finds text that looks like personal data
(which blocks submission, so the patient can remove it) and red-flag phrases
(which show an emergency notice and mark the question urgent). Patterns are
deliberately specific so that ordinary medical text (doses, blood pressure,
lab values, ages, times, dates of symptoms) passes untouched.

Every pattern runs in time linear in the length of the text (issue 14): Python's `re`
tries a match at every position, so each pattern is built to give up after a bounded
amount of work at any one position. Unbounded runs are consumed possessively (`*+`,
`++`: the text after them can never start with what they consume, so backtracking into
them could never succeed), and a run that every start position would otherwise scan to
its end is bounded (an e-mail address has at most 64 characters before the "@"). On top
of that `screen()` reads at most MAX_SCREENED_CHARACTERS characters: the forms check
every field's length first, far below that, so the cap only bounds the time of a caller
that forgot to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Twice the longest field of the ask form (the body, 5,000 characters), so that no
# length-checked text is cut, even after normalisation widens it ("½" becomes "1⁄2").
MAX_SCREENED_CHARACTERS = 10_000

PERSONAL_DATA_LABELS = {
    "email": "e-mail address",
    "phone": "phone number",
    "national_id": "ID number",
    "address": "street address",
    "date_of_birth": "date of birth",
}

RED_FLAG_LABELS = {
    "suicide": "thoughts of suicide or self-harm",
    "chest_pain": "chest pain",
    "stroke": "signs of a stroke",
    "bleeding": "severe bleeding",
    "breathing": "difficulty breathing",
    "poisoning": "poisoning or overdose",
}


@dataclass(frozen=True)
class Finding:
    """One match: its kind (a key of the label dicts above) and the text matched."""

    kind: str
    text: str

    @property
    def label(self) -> str:
        return PERSONAL_DATA_LABELS.get(self.kind) or RED_FLAG_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class ScreeningResult:
    personal_data: tuple[Finding, ...] = field(default=())
    red_flags: tuple[Finding, ...] = field(default=())

    @property
    def blocks_submission(self) -> bool:
        """Personal data must be removed before the question can be posted."""
        return bool(self.personal_data)

    @property
    def is_urgent(self) -> bool:
        return bool(self.red_flags)

    @property
    def red_flag_kinds(self) -> list[str]:
        """Distinct red-flag kinds, in the order first found."""
        return list(dict.fromkeys(f.kind for f in self.red_flags))

    def merge(self, other: ScreeningResult) -> ScreeningResult:
        return ScreeningResult(
            personal_data=_unique(self.personal_data + other.personal_data),
            red_flags=_unique(self.red_flags + other.red_flags),
        )

    def as_dict(self) -> dict:
        """What is stored on the question: red flags with the phrase, personal data by kind
        only (the matched text itself is never stored)."""
        return {
            "red_flags": [{"kind": f.kind, "text": f.text} for f in self.red_flags],
            "personal_data": [{"kind": f.kind} for f in self.personal_data],
        }


def _unique(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return tuple(dict.fromkeys(findings))


# --- personal data -------------------------------------------------------------

# The local part is bounded (at most 64 characters, as in RFC 5321): unbounded, every
# position of a long run of letters scanned the whole run looking for an "@", which took
# quadratic time ("a" * 80_000 took a minute). A longer local part is still found, by its
# last 64 characters. Only the spelled-out words ignore case: the character classes name
# both cases already, and matching them case-insensitively made the scan six times slower.
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]{1,64}+@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)*\.[A-Za-z]{2,}"
    # Spelled out to get past filters: "name at gmail dot com", "name(at)mail(dot)tw".
    r"|\b[A-Za-z0-9._%+-]{1,64}+(?:\s*+(?i:\(at\)|\[at\])|\s++(?i:at)\s)\s*+[A-Za-z0-9-]++"
    r"(?:\s*+(?i:\(dot\)|\[dot\]|\.)|\s++(?i:dot)\s)\s*+(?i:com|net|org|edu|gov|tw|io|me)\b"
)
# "+886 912 345 678", "+1 (415) 555-2671", "0044 20 7946 0958"
# After the country code, digits are taken in groups of up to four and never split another
# way (`\d{1,4}+`): trying every split of "+" and 30 digits took 3 s for 20,000
# characters. Another split only makes more groups and ends where the greedy one does;
# what it found that the greedy one misses is a single group, which the old two-group
# minimum refused until split, so one group is allowed (and anything that short has
# fewer than the 8 digits of a phone number, see below).
_INTERNATIONAL_PHONE = re.compile(
    r"(?<![\w+])(?:\+|\b00)\s?+\d{1,3}(?:[\s.-]?+\(?+\d{1,4}+\)?){1,6}(?![\d/])"
)
# Taiwanese mobile and landline numbers: "0912-345-678", "(02) 2345-6789", "07-123-4567".
# No "/" or "." separators, so dates, blood pressure and lab values never match.
_TAIWAN_PHONE = re.compile(
    r"(?<![\w/.:-])\(?0\d{1,3}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w/:]|[.,]\d)"
)
# Taiwanese national ID and resident certificate numbers: A123456789, AC01234567, A800000014.
_NATIONAL_ID = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][12ABCD89]\d{8}(?![A-Za-z0-9])")
_STREET = r"(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Way|Court|Ct|Alley)"
_ADDRESSES = [
    # "No. 12, Lane 5, Zhongshan N. Rd." (Taiwanese addresses written in English)
    re.compile(
        r"\bNo\.?\s?+\d++(?:-\d++)?\s*+,\s*+"
        r"(?:(?:Lane|Ln|Alley|Aly|Sec|Section)\.?\s*+\d++\s*+,\s*+)*+"
        r"(?:[A-Z][A-Za-z]*+\.?+\s++){1,4}" + _STREET + r"\b\.?"
    ),
    # "221B Baker Street", "45 Heping East Road"
    re.compile(r"\b\d{1,5}[A-Za-z]?\s++(?:[A-Z][a-z]++\.?+\s++){1,4}" + _STREET + r"\b\.?"),
    # "中山北路二段45巷3號"
    re.compile(
        r"[\u4e00-\u9fff]{1,10}(?:路|街|大道)(?:[一二三四五六七八九十\d]++段)?"
        r"(?:\d++巷)?(?:\d++弄)?\d++(?:之\d++)?號"
    ),
]
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|"
    r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_FULL_DATE = (
    r"(?:\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\.?,?\s+\d{4}"
    r"|" + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|(?:民國\s*)?\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
# A full date counts as a date of birth only next to words saying so: dates of
# symptoms ("since 2024/10/03") are what doctors need.
_DATE_OF_BIRTH = re.compile(
    r"(?:\bborn|\bdate\s+of\s+birth|\bbirth\s*date|\bbirthday|\bd\.?o\.?b\b\.?|出生(?:日期)?|生日)"
    r"\s*+(?:is\s++|was\s++|on\s++|:\s*+|-\s*+|是\s*+|於\s*+)*+" + _FULL_DATE,
    re.IGNORECASE,
)


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _find_personal_data(text: str) -> list[Finding]:
    found: list[tuple[Finding, int, int]] = []

    def add(kind: str, match: re.Match) -> None:
        found.append((Finding(kind, match.group().strip()), match.start(), match.end()))

    for m in _EMAIL.finditer(text):
        add("email", m)
    for m in _INTERNATIONAL_PHONE.finditer(text):
        if 8 <= _digits(m.group()) <= 15:
            add("phone", m)
    for m in _TAIWAN_PHONE.finditer(text):
        if 9 <= _digits(m.group()) <= 10:
            add("phone", m)
    for m in _NATIONAL_ID.finditer(text):
        add("national_id", m)
    for pattern in _ADDRESSES:
        for m in pattern.finditer(text):
            add("address", m)
    for m in _DATE_OF_BIRTH.finditer(text):
        add("date_of_birth", m)
    inside = _numbers_inside_other_findings(found)
    return [finding for finding, *span in found if (finding, *span) not in inside]


def _numbers_inside_other_findings(found: list[tuple[Finding, int, int]]) -> set:
    """The phone numbers found inside something else found (an e-mail, a longer number),
    so that each is reported once. One sweep over the sorted spans rather than comparing
    every pair: a text full of numbers has thousands of findings."""
    inside = set()
    furthest_end = -1
    # By start; at one start the longest first, and at one span anything before a phone
    # number (the same number found by both phone patterns is one entry).
    for item in sorted(set(found), key=lambda f: (f[1], -f[2], f[0].kind == "phone")):
        finding, _start, end = item
        if finding.kind == "phone" and furthest_end >= end:
            inside.add(item)
        furthest_end = max(furthest_end, end)
    return inside


# --- red flags -------------------------------------------------------------------

_RED_FLAGS: dict[str, re.Pattern] = {
    "suicide": re.compile(
        r"\bsuicid\w*"
        r"|\bkill(?:ing)?\s+(?:myself|himself|herself|themselves)"
        r"|\bend(?:ing)?\s+(?:my|his|her|their)\s+(?:own\s+)?life"
        r"|\btake\s+(?:my|his|her|their)\s+own\s+life"
        r"|(?<!n't\s)(?<!not\s)\b(?:want|wants|wanted|wanting)\s+to\s+die\b"
        r"|\b(?:don't|do\s+not|doesn't)\s+want\s+to\s+(?:live|be\s+alive|wake\s+up)"
        r"|\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|going\s+on)"
        r"|\bbetter\s+off\s+dead"
        r"|\bself[-\s]?harm\w*"
        r"|\b(?:hurt|hurting|cut|cutting|harm|harming)\s+myself"
        r"|自殺|輕生|想死|不想活",
        re.IGNORECASE,
    ),
    "chest_pain": re.compile(
        r"\bchest\s+(?:pains?|tightness|pressure|discomfort)"
        r"|\b(?:pain|pressure|tightness|squeezing)\s+in\s+(?:my|his|her|the)\s+chest"
        r"|\btight\s+chest"
        r"|\bcrushing\s+(?:pain|feeling|chest)"
        r"|胸痛|胸悶",
        re.IGNORECASE,
    ),
    "stroke": re.compile(
        r"\b(?:face|mouth|smile)\s+(?:is\s+|was\s+|has\s+|started\s+)?(?:droop\w*|drop\w*)"
        r"|\bdroop\w*\s+(?:face|mouth|smile|on\s+one\s+side)"
        r"|\bslurr\w*\s+(?:speech|words|talking)"
        r"|\bspeech\s+(?:is\s+|was\s+|became\s+|got\s+)?slurr\w*"
        r"|\bsudden(?:ly)?\s+(?:\w+\s+){0,3}?(?:weakness|numbness|paralys\w*|confus\w*|"
        r"can't\s+(?:speak|talk|see|move)|cannot\s+(?:speak|talk|see|move)|loss\s+of\s+vision)"
        r"|\b(?:weak|weakness|numb|numbness|paralys\w*)\s+(?:on|in|down)\s+one\s+side"
        r"|\bone\s+side\s+of\s+(?:my|his|her|the)\s+(?:face|body)\s+(?:is\s+|went\s+|feels\s+)?"
        r"(?:numb|weak|droop\w*|paralys\w*)"
        r"|\bworst\s+headache"
        r"|\bhaving\s+a\s+stroke"
        r"|中風",
        re.IGNORECASE,
    ),
    "bleeding": re.compile(
        r"\b(?:heavy|heavily|severe|severely|profuse|profusely|uncontrolled|massive|"
        r"a\s+lot\s+of)\s+bleed\w*"
        r"|\bbleed\w*\s+(?:very\s+)?(?:heavily|profusely|a\s+lot|badly|non-?stop|"
        r"(?:that\s+|and\s+it\s+)?(?:won't|will\s+not|doesn't|does\s+not|can't|cannot)\s+stop)"
        r"|\b(?:won't|can't|cannot|couldn't)\s+stop\s+(?:the\s+|his\s+|her\s+|my\s+)?bleed\w*"
        r"|\b(?:vomit\w*|throw\w*\s+up|cough\w*\s+up|spit\w*\s+up)\s+(?:a\s+lot\s+of\s+)?blood"
        r"|\bblood\s+(?:is\s+)?(?:pouring|gushing|spurting)"
        r"|大出血|血流不止|吐血",
        re.IGNORECASE,
    ),
    "breathing": re.compile(
        r"\b(?:can't|cannot|can\s+not|couldn't|unable\s+to)\s+(?:catch\s+(?:my|his|her)\s+)?"
        r"breath\w*"
        r"|\b(?:difficulty|trouble|struggling|struggles|problems?)\s+(?:with\s+)?breathing"
        r"|\b(?:hard|difficult)\s+to\s+breathe"
        r"|\bgasping"
        r"|\bshort(?:ness)?\s+of\s+breath\s+(?:even\s+)?(?:at\s+rest|while\s+resting|lying\s+down)"
        r"|\bsevere\s+(?:shortness\s+of\s+breath|breathlessness)"
        r"|\b(?:lips|face)\s+(?:(?:are|is|turning|turned|went|gone|going)\s+){0,2}(?:blue|purple)"
        r"|\bchoking"
        r"|呼吸困難|喘不過氣",
        re.IGNORECASE,
    ),
    "poisoning": re.compile(
        r"\boverdos\w*"
        r"|\b(?<!food\s)poison\w*"
        r"|\b(?:swallowed|drank|drunk|ate|took|ingested)\s+(?:some\s+|a\s+lot\s+of\s+|the\s+)?"
        r"(?:bleach|detergent|pesticide|weed\s?killer|antifreeze|drain\s+cleaner|"
        r"button\s+batter(?:y|ies)|batter(?:y|ies))"
        r"|\btook\s+(?:way\s+)?too\s+many\s+(?:pills|tablets|capsules|\w+\s+(?:pills|tablets))"
        r"|\b(?:whole|entire)\s+(?:bottle|box|pack|packet)\s+of\s+(?:pills|tablets|\w+)"
        r"|中毒|農藥",
        re.IGNORECASE,
    ),
}
# Red flags that a preceding "no", "not", "without"... cancels ("no chest pain").
_NEGATABLE = {"chest_pain", "stroke", "bleeding", "breathing"}
_NEGATOR = r"(?:\bno|\bnot|\bnever|\bwithout|\bdeni(?:es|ed)|\bnor|n't)"
_NEGATION = re.compile(
    # "no chest pain", "not having chest pain", and lists: "no swelling of the lips or
    # trouble breathing" (but not "no fever, now chest pain").
    _NEGATOR + r"(?:\s+\w+){0,2}\s*$|" + _NEGATOR + r"(?:[\s,]+[\w']+){1,5}[\s,]+(?:or|nor)\s+$",
    re.IGNORECASE,
)


def _is_negated(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    before = re.split(r"[.!?;\n]", before)[-1]
    return bool(_NEGATION.search(before))


def _find_red_flags(text: str) -> list[Finding]:
    found = []
    for kind, pattern in _RED_FLAGS.items():
        for m in pattern.finditer(text):
            if kind in _NEGATABLE and _is_negated(text, m.start()):
                continue
            found.append(Finding(kind, m.group()))
    return found


def normalise(text: str) -> str:
    """Full-width digits and letters to ASCII, curly apostrophes to straight ones."""
    text = unicodedata.normalize("NFKC", text or "")
    return text.replace("\u2019", "'").replace("\u2018", "'")


def screen(text: str) -> ScreeningResult:
    """What the text contains that needs attention: personal data and red flags.

    Reads at most MAX_SCREENED_CHARACTERS characters: callers screen length-checked
    text (the ask form's fields are far shorter), the cap only bounds the time."""
    text = normalise((text or "")[:MAX_SCREENED_CHARACTERS])[:MAX_SCREENED_CHARACTERS]
    return ScreeningResult(
        personal_data=_unique(tuple(_find_personal_data(text))),
        red_flags=_unique(tuple(_find_red_flags(text))),
    )


def describe_personal_data(findings: tuple[Finding, ...] | list[Finding]) -> str:
    """'"0912-345-678" (phone number), "a@b.tw" (e-mail address)' for a form error."""
    return ", ".join(f"\u201c{f.text}\u201d ({f.label})" for f in findings)
