"""Reading what the ask flow's screening stored on a question (Question.screening).

The ask flow owns the format; moderators only need to see what was found. So this
accepts any JSON: each top-level key with a non-empty value is one finding, and every
string inside it that also occurs in the question is marked in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Finding:
    label: str
    details: list[str] = field(default_factory=list)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def screening_findings(screening) -> list[Finding]:
    """One Finding per non-empty top-level entry, e.g. "Personal data: 0912 345 678"."""
    if not isinstance(screening, dict):
        return []
    findings = []
    for key, value in screening.items():
        if not value:
            continue
        label = str(key).replace("_", " ").capitalize()
        findings.append(Finding(label=label, details=[s for s in _strings(value) if s.strip()]))
    return findings


def screening_terms(findings: list[Finding]) -> list[str]:
    """The strings found by screening, longest first, to mark in the question's text."""
    terms = {d.strip() for f in findings for d in f.details if len(d.strip()) >= 3}
    return sorted(terms, key=lambda t: (-len(t), t))
