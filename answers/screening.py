"""Reading what the ask flow's screening stored on a question (Question.screening).

The ask flow (questions/screening.py) stores `{"red_flags": [{"kind", "text"}, ...],
"personal_data": [{"kind"}, ...]}`. Moderators see each family once, in words: "Red
flags: Chest pain, Suicidal thoughts", never the internal keys, and each phrase found is
marked in the question's text. Anything else stored (older or hand-made entries) is still
shown: each top-level key with a non-empty value is one finding, and every string inside
it is both listed and marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from forum.language import is_han
from questions.screening import PERSONAL_DATA_LABELS, RED_FLAG_LABELS

FAMILIES = {
    "red_flags": (_("Red flags"), RED_FLAG_LABELS),
    "personal_data": (_("Personal data"), PERSONAL_DATA_LABELS),
}
# Keys of a stored finding that hold text found in the question (to mark, not to list).
_FOUND_TEXT_KEYS = ("text", "match")


@dataclass
class Finding:
    label: str
    details: list[str] = field(default_factory=list)
    # Text found in the question, marked there; by default what is listed.
    marks: list[str] | None = None

    def __post_init__(self):
        if self.marks is None:
            self.marks = list(self.details)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def _label(labels: dict, kind: str) -> str:
    label = str(labels.get(kind) or kind.replace("_", " "))
    return label[:1].upper() + label[1:]


def _family_finding(key: str, value: list) -> Finding | None:
    """'Red flags: Chest pain, Suicidal thoughts' from a list of {"kind": ...} entries, or
    None when the entries are not of that shape."""
    if not all(isinstance(item, dict) and isinstance(item.get("kind"), str) for item in value):
        return None
    name, labels = FAMILIES[key]
    details = list(dict.fromkeys(_label(labels, item["kind"]) for item in value))
    marks = [item[k] for item in value for k in _FOUND_TEXT_KEYS if isinstance(item.get(k), str)]
    return Finding(label=str(name), details=details, marks=marks)


def screening_findings(screening) -> list[Finding]:
    """One Finding per non-empty top-level entry, e.g. "Red flags: Chest pain"."""
    if not isinstance(screening, dict):
        return []
    findings = []
    for key, value in screening.items():
        if not value:
            continue
        if key in FAMILIES and isinstance(value, list):
            finding = _family_finding(key, value)
            if finding is not None:
                findings.append(finding)
                continue
        label = str(key).replace("_", " ").capitalize()
        findings.append(Finding(label=label, details=[s for s in _strings(value) if s.strip()]))
    return findings


def screening_terms(findings: list[Finding]) -> list[str]:
    """The strings found by screening, longest first, to mark in the question's text."""
    # Three letters at least (two Han characters: 胸痛 is a whole word), so a stray
    # short fragment does not light up the whole text.
    terms = {
        d.strip()
        for f in findings
        for d in (f.marks or [])
        if len(d.strip()) >= (2 if any(map(is_han, d)) else 3)
    }
    return sorted(terms, key=lambda t: (-len(t), t))
