"""Screening of what a patient types before it is posted publicly.

`screen(text)` is a plain function: it finds text that looks like personal data
(which blocks submission, so the patient can remove it) and red flags (which show an
emergency notice and mark the question urgent), in English and Traditional Chinese.

Red flags are data, not code: `questions/screening_rules/red_flags.*.toml` hold the
rules a clinician can review, each naming its category and its public source (NHS 111,
the Manchester Triage System's red flags, the Columbia suicide severity scale, Taiwan's
119 and 1925 lines, poison control), and `context.*.toml` the words that cancel a red
flag: negation ("no chest pain", "沒有胸痛") and a past or resolved episode ("years ago",
"三年前", "醫師說過沒事"). Chinese typed in Simplified characters is matched too: the
Simplified forms of the rules' own characters are folded to the Traditional ones first
(`simplified_fold()`, one character for one). The text is cut into tokens once (an
English word, a number, one Chinese character, a punctuation mark) and the rules are
matched on tokens through an index from each rule's first term, with bounded gaps: the
work at each token is bounded by the rules, so screening is linear in the length of the
text.

Personal data is found by the patterns below and the keyword lists in
`screening_rules/personal_data.toml`. Every pattern runs in time linear in the length of
the text (issue 14): no pattern nests quantifiers, unbounded runs are consumed
possessively (`*+`, `++`) and runs that every start position would scan are bounded. On
top of that `screen()` reads at most MAX_SCREENED_CHARACTERS characters: the forms check
every field's length first, far below that, so the cap only bounds the time of a caller
that forgot to.

It is one module (about 1,700 lines) on purpose: one screening for the ask form, the live
notice and the safety step, so the three can never disagree, with the rules as reviewed
data beside it; the sections below (categories, tokens, rules and matching, personal
data) are read in that order.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

# Twice the longest field of the ask form (the body, 5,000 characters), so that no
# length-checked text is cut, even after normalisation widens it ("½" becomes "1⁄2").
MAX_SCREENED_CHARACTERS = 10_000

RULES_DIRECTORY = Path(__file__).resolve().parent / "screening_rules"

PERSONAL_DATA_LABELS = {
    "email": _("e-mail address"),
    "phone": _("phone number"),
    "national_id": _("ID number"),
    "nhi_card": _("health insurance card number"),
    "address": _("street address"),
    "date_of_birth": _("date of birth"),
    "handle": _("messaging or social media account"),
    "name": _("full name"),
}


@dataclass(frozen=True)
class Category:
    """A red-flag category: what it is called, what the patient is told, whom to call."""

    key: str
    label: str
    notice: str
    # Names of settings holding the numbers to call, first the one to call first.
    numbers: tuple[str, ...] = ("EMERGENCY_NUMBER",)


_CALL_NOW = _("Call %(number)s now.")

CATEGORIES: dict[str, Category] = {
    c.key: c
    for c in [
        Category(
            "suicide",
            _("Suicidal thoughts"),
            _(
                "Thoughts of suicide or self-harm: call the suicide-prevention line now (free, "
                "day and night), or the emergency number if you are in danger right now. Stay "
                "with someone you trust and keep away from anything you could hurt yourself with."
            ),
            ("CRISIS_LINE_NUMBER", "EMERGENCY_NUMBER"),
        ),
        Category(
            "poisoning",
            _("Poisoning or overdose"),
            _(
                "Poisoning or overdose: call the emergency number now, or poison control for "
                "advice. Do not make the person vomit; keep the packet or bottle to show."
            ),
            ("EMERGENCY_NUMBER", "POISON_CONTROL_NUMBER"),
        ),
        Category(
            "anaphylaxis",
            _("Severe allergic reaction"),
            _(
                "Swelling of the throat or tongue, or trouble breathing after a food, sting or "
                "medicine: call the emergency number now. Use an adrenaline pen if there is one."
            ),
        ),
        Category(
            "breathing",
            _("Difficulty breathing"),
            _(
                "Severe difficulty breathing (blue lips, too breathless to speak): call the "
                "emergency number now. Sit upright and loosen tight clothing."
            ),
        ),
        Category(
            "chest_pain",
            _("Chest pain"),
            _(
                "Chest pain: call the emergency number now. Stop what you are doing and sit "
                "down; do not drive yourself to hospital."
            ),
        ),
        Category(
            "stroke",
            _("Signs of a stroke"),
            _(
                "Signs of a stroke (a drooping face, a weak arm or leg, slurred speech): call "
                "the emergency number now and note the time the signs started; treatment works "
                "best in the first hours."
            ),
        ),
        Category(
            "bleeding",
            _("Severe bleeding"),
            _(
                "Severe bleeding: call the emergency number. Press firmly on the wound with a "
                "clean cloth and keep pressing until help arrives."
            ),
        ),
        Category(
            "collapse",
            _("Collapse or unresponsiveness"),
            _(
                "Someone collapsed, is unconscious or does not respond: call the emergency "
                "number now and check whether they are breathing."
            ),
        ),
        Category(
            "seizure",
            _("Seizure that does not stop"),
            _(
                "A seizure that lasts more than five minutes, repeats, or is the first one: "
                "call the emergency number now. Move hard objects away; do not hold the person "
                "down or put anything in their mouth."
            ),
        ),
        Category(
            "abdominal",
            _("Severe abdominal pain"),
            _(
                "Severe abdominal pain with a hard belly or fainting: call the emergency number "
                "now. Do not eat or drink until a doctor has seen you."
            ),
        ),
        Category(
            "infant_fever",
            _("Fever in a baby under three months"),
            _(
                "A fever (38 °C or more) in a baby under three months: call the emergency "
                "number or go to an emergency department now."
            ),
        ),
        Category(
            "pregnancy",
            _("Heavy bleeding or severe pain in pregnancy"),
            _(
                "Heavy bleeding or severe pain in pregnancy: call the emergency number or go "
                "to the maternity emergency department now."
            ),
        ),
        Category(
            "head_injury",
            _("Head injury with warning signs"),
            _(
                "A head injury followed by vomiting, confusion or drowsiness: call the "
                "emergency number or go to an emergency department now."
            ),
        ),
        Category(
            "meningitis",
            _("Signs of meningitis"),
            _(
                "A stiff neck with fever, dislike of light, or a rash that does not fade under "
                "a pressed glass: call the emergency number now."
            ),
        ),
    ]
}

RED_FLAG_LABELS = {key: category.label for key, category in CATEGORIES.items()}


@dataclass(frozen=True)
class Finding:
    """One match: its kind (a key of the label dicts above) and the text matched."""

    kind: str
    text: str

    @property
    def label(self) -> str:
        return str(PERSONAL_DATA_LABELS.get(self.kind) or RED_FLAG_LABELS.get(self.kind, self.kind))


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


def red_flag_labels(kinds) -> list[str]:
    """'Chest pain', 'Suicidal thoughts'...: each known kind once, in the order given."""
    return [str(RED_FLAG_LABELS[kind]) for kind in dict.fromkeys(kinds) if kind in RED_FLAG_LABELS]


NUMBER_NAMES = {
    "EMERGENCY_NUMBER": _("Emergency (ambulance)"),
    "CRISIS_LINE_NUMBER": _("Suicide-prevention line"),
    "POISON_CONTROL_NUMBER": _("Poison control"),
}


def notices(kinds, numbers: dict[str, str]) -> list[dict]:
    """What the patient is told for each red-flag kind, with the numbers to call.

    `numbers` maps setting names (EMERGENCY_NUMBER...) to numbers."""
    result = []
    for kind in dict.fromkeys(kinds):
        category = CATEGORIES.get(kind)
        if category is None:
            continue
        result.append(
            {
                "category": kind,
                "label": str(category.label),
                "text": str(category.notice),
                "numbers": [
                    {"name": str(NUMBER_NAMES[name]), "number": numbers[name]}
                    for name in category.numbers
                    if numbers.get(name)
                ],
            }
        )
    return result


# --- text into tokens ----------------------------------------------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZH_NUMERALS = "零〇一二兩三四五六七八九十百千"
# One alternative per kind of token; no quantifier is nested, each `+` runs over a class
# that what follows it cannot start with, so each token is found in one pass.
_TOKEN = re.compile(
    r"(?P<n>[0-9]++(?:\.[0-9]++)?+)"
    rf"|(?P<w>[a-z]++(?:'[a-z]++)?+)"
    rf"|(?P<z>[{_ZH_NUMERALS}]++)"
    # A run of Chinese characters (numerals aside), cut into one token per character.
    rf"|(?P<r>(?:(?![{_ZH_NUMERALS}])[{_CJK}])++)"
    r"|(?P<s>[.!?;。！？；\n])"
    r"|(?P<p>[,，:：()（）\[\]「」\"]"
    # A space between two Chinese characters (numerals aside: "吞了 三十顆") ends a clause
    # as a comma does: "沒有發燒 胸口很痛", "藥都沒用 快吸不到氣了".
    rf"|(?<=[{_CJK}])(?<![{_ZH_NUMERALS}])[ \t]++(?=[{_CJK}])(?![{_ZH_NUMERALS}]))"
)
SENTENCE, CLAUSE, WORD, NUMBER, CHARACTER = "s", "p", "w", "n", "c"
# Units after a number that make it a dose or an amount rather than a count of tablets.
_DOSE_UNITS = frozenset(
    "mg mgs mcg ug g gram grams milligram milligrams microgram micrograms ml mls millilitre "
    "millilitres milliliter milliliters iu units mmol".split()
)
# Written without the apostrophe, or spelled out: one spelling for the rules.
_SPELLINGS = {
    "cannot": "can't",
    "cant": "can't",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "wont": "won't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "im": "i'm",
    "ive": "i've",
    "couldnt": "couldn't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "arent": "aren't",
}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12, "dozens": 24, "several": 5, "few": 3, "couple": 2,
}  # fmt: skip
_TENS = frozenset("twenty thirty forty fifty sixty seventy eighty ninety".split())
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5}
_ZH_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}


def _zh_number(text: str) -> float:
    """二十 = 20, 十二 = 12, 三百五十 = 350 (a run of Chinese numerals, at most a few)."""
    total, digit = 0, 0
    for ch in text[:8]:
        if ch in _ZH_UNITS:
            total += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        else:
            digit = digit * 10 + _ZH_DIGITS.get(ch, 0)
    return total + digit


@dataclass
class Tokens:
    texts: list[str]
    kinds: list[str]
    values: list[float | None]
    starts: list[int]
    ends: list[int]
    sentence: list[int]  # index of the sentence each token is in
    sentence_starts: list[int]  # first token of each sentence
    clause: list[int]  # index of the clause (between commas or sentence ends)
    clause_starts: list[int]


def tokenize(text: str) -> Tokens:
    texts, kinds, values, starts, ends, sentence, sentence_starts = [], [], [], [], [], [], [0]
    clause, clause_starts = [], [0]
    add_text, add_kind, add_value = texts.append, kinds.append, values.append
    add_start, add_end, add_sentence, add_clause = (
        starts.append,
        ends.append,
        sentence.append,
        clause.append,
    )
    spellings, number_words = _SPELLINGS, _NUMBER_WORDS
    current = current_clause = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        token = m.group()
        value = None
        if kind == "r":
            start, n = m.start(), len(token)
            texts.extend(token)
            kinds.extend([CHARACTER] * n)
            values.extend([None] * n)
            starts.extend(range(start, start + n))
            ends.extend(range(start + 1, start + n + 1))
            sentence.extend([current] * n)
            clause.extend([current_clause] * n)
            continue
        if kind == WORD:
            token = spellings.get(token, token)
            value = number_words.get(token)
            if value is not None and value < 10 and kinds and kinds[-1] == WORD:
                before = values[-1]
                if before is not None and texts[-1] in _TENS:
                    # "twenty three days old": one number, 23.
                    values[-1], ends[-1] = before + value, m.end()
                    continue
            if token in _DOSE_UNITS and kinds and kinds[-1] == NUMBER:
                # "500 mg" is a dose, not a count: no number range ("#10-") matches it.
                values[-1] = None
        elif kind == NUMBER:
            value = float(token)
        elif kind == "z":
            kind, value = NUMBER, _zh_number(token)
            if len(token) == 1 and token not in _ZH_UNITS:
                # One numeral is also a character of words (一直, 三明治): both.
                kind = CHARACTER
        if value is not None and value < 10 and len(texts) > 1 and texts[-1] == "point":
            before = values[-2]
            if before is not None and before == int(before) and kinds[-2] in (WORD, NUMBER):
                # "thirty eight point five", "38 point 5": 38.5.
                for column in (texts, kinds, values, starts, ends, sentence, clause):
                    column.pop()
                values[-1], ends[-1] = before + value / 10, m.end()
                continue
        add_text(token)
        add_kind(kind)
        add_value(value)
        start, end = m.span()
        add_start(start)
        add_end(end)
        add_sentence(current)
        add_clause(current_clause)
        if kind == SENTENCE or kind == CLAUSE:
            current_clause += 1
            clause_starts.append(len(texts))
            if kind == SENTENCE:
                current += 1
                sentence_starts.append(len(texts))
    return Tokens(
        texts, kinds, values, starts, ends, sentence, sentence_starts, clause, clause_starts
    )


# --- terms, phrases and rules ----------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One token of a phrase: a word, a word prefix ("swell*"), one Chinese character, or
    a number in a range ("#10-" is ten or more, "#0-2" zero to two)."""

    exact: str | None = None
    prefix: str | None = None
    low: float | None = None
    high: float | None = None

    def matches(self, text: str, kind: str, value) -> bool:
        if self.exact is not None:
            return text == self.exact
        if self.prefix is not None:
            return kind == WORD and text.startswith(self.prefix)
        if value is None:
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


Phrase = tuple[Term, ...]


def _term(text: str) -> Term:
    if text.startswith("#"):
        low, _sep, high = text[1:].partition("-")
        return Term(low=float(low) if low else None, high=float(high) if high else None)
    if text.endswith("*") and len(text) > 1:
        return Term(prefix=text[:-1])
    return Term(exact=text)


def parse_phrase(source: str) -> Phrase:
    """'took #10- pill*' or '吞了 #10- 顆': words and numbers split on spaces, Chinese
    written together split into characters."""
    terms: list[Term] = []
    for piece in source.lower().replace("\u2019", "'").split():
        if piece.startswith("#") or piece.endswith("*"):
            terms.append(_term(piece))
            continue
        for m in _TOKEN.finditer(piece):
            token = m.group()
            if m.lastgroup == "r":
                terms.extend(Term(exact=ch) for ch in token)
            else:
                terms.append(Term(exact=_SPELLINGS.get(token, token)))
    if not terms:
        raise ValueError(f"empty phrase: {source!r}")
    return tuple(terms)


def _slot(source) -> PhraseSet:
    alternatives = source if isinstance(source, list) else source.split("|")
    return PhraseSet(parse_phrase(a) for a in alternatives if a.strip())


@dataclass(frozen=True)
class Rule:
    category: str
    source: str
    language: str
    # Phrases in order, each from one slot of alternatives, at most `within` tokens
    # apart and in one clause.
    slots: tuple[PhraseSet, ...]
    within: int
    # Each of these must also be found, before or after, at most `near` tokens away.
    near_slots: tuple[PhraseSet, ...] = ()
    near: int = 20
    unless_before: PhraseSet | None = None
    unless_next: PhraseSet | None = None
    # Any of these in the red flag's sentence, at most `near` tokens away and not negated,
    # cancels it: chest pain "only when I press on my ribs", "按壓會痛" (chest-wall pain).
    unless_near: PhraseSet | None = None


@dataclass(frozen=True)
class Context:
    """Cue phrases of one language: negation and the past, see context.*.toml."""

    negation: PhraseSet
    not_negation: PhraseSet
    scope_ends: PhraseSet
    negation_window: int
    past: PhraseSet
    # A recent past ("last week", "上禮拜"): a past episode only in the red flag's own
    # clause, since symptoms of now are often told beside it ("7 weeks pregnant (positive
    # test last month), suddenly stabbing pain", "上禮拜打過疫苗，現在 38.6 度").
    recent: PhraseSet
    hypothetical: PhraseSet
    resolved: PhraseSet
    current: PhraseSet
    again: PhraseSet
    # The same thing back, anywhere in the sentence: "the same pain is back", "又是那種痛".
    relapse: PhraseSet
    # Right after a red flag, a past episode ("中風過"), unless what follows is one of
    # `past_after_not` ("暈過去", "過敏").
    past_after: PhraseSet = dataclasses.field(default_factory=lambda: PhraseSet(()))
    past_after_not: PhraseSet = dataclasses.field(default_factory=lambda: PhraseSet(()))
    # Right before a resolved cue, these say it is not over: "hasn't gone away", "還沒好".
    not_resolved_after: PhraseSet = dataclasses.field(default_factory=lambda: PhraseSet(()))
    # Right before "again", these say it is well again, not ill again: "pink again".
    not_again_after: PhraseSet = dataclasses.field(default_factory=lambda: PhraseSet(()))
    # A past cue with one of these at most BIRTH_REACH tokens after it is a date of birth,
    # not a past episode: "民國114年1月8日出生 才剛滿月".
    past_not_before: PhraseSet = dataclasses.field(default_factory=lambda: PhraseSet(()))
    # All cue phrases of the five sets above in one index, and the sets each belongs to,
    # so that a region's cues are found in one pass over its tokens.
    all_cues: PhraseSet | None = None
    cue_sets: dict | None = None


CUE_SETS = ("past", "recent", "hypothetical", "resolved", "current", "again", "relapse")
BIRTH_REACH = 8  # tokens: "年 1 月 8 日出生" is seven


def _with_cue_index(context: Context) -> Context:
    sets: dict[Phrase, set[str]] = {}
    for name in CUE_SETS:
        for phrase in getattr(context, name).phrases:
            sets.setdefault(phrase, set()).add(name)
    return dataclasses.replace(context, all_cues=PhraseSet(sets), cue_sets=sets)


def _phrases(values) -> PhraseSet:
    """Phrases from a list whose items may each hold alternatives ("food|blood")."""
    return PhraseSet(p for v in values for p in _slot(v).phrases)


def _load(name: str) -> dict:
    with open(RULES_DIRECTORY / name, "rb") as f:
        return tomllib.load(f)


LANGUAGES = ("en", "zh")


@dataclass
class Ruleset:
    rules: list[Rule]
    contexts: dict[str, Context]
    # First term of a rule's first slot -> (rule index, phrase): the index that keeps the
    # scan from trying every rule at every token.
    # Keyed by the first and the second token ((first, None) when the second term is not a
    # plain word or character), so that a common first token ("no", "沒", a number) does
    # not make every rule starting with it a candidate.
    by_exact: dict[tuple[str, str | None], list[tuple[int, Phrase]]]
    by_prefix: dict[str, list[tuple[int, Phrase]]]
    by_number: dict[str | None, list[tuple[Term, int, Phrase]]]
    prefix_lengths: tuple[int, ...]
    # What a rule can start from, to find the regions of a text worth matching.
    trigger_words: set[str]
    trigger_prefixes: set[str]
    trigger_lengths: tuple[int, ...]
    trigger_first_characters: set[str]
    # The Chinese strings rules start from, as one alternation of literals (no quantifier:
    # at each position at most one try per string).
    trigger_pattern: re.Pattern
    # First terms of the phrases indexed with their second token, and whether any phrase
    # starts with a number: a token that is neither, with no cached candidates, is passed
    # over without a look-up of its pair.
    pair_firsts: frozenset[str] = frozenset()
    # Phrases starting with a number and then a word prefix ("#0-2 month* old"), by that
    # prefix: without it every number of a text would be a candidate for them.
    by_number_prefix: dict[str, list[tuple[Term, int, Phrase]]] = dataclasses.field(
        default_factory=dict
    )
    number_prefix_lengths: tuple[int, ...] = ()


@cache
def ruleset() -> Ruleset:
    rules: list[Rule] = []
    contexts = {}
    for language in LANGUAGES:
        data = _load(f"red_flags.{language}.toml")
        default_within = data.get("within", 3)
        for item in data["rule"]:
            if item["category"] not in CATEGORIES:
                raise ValueError(f"unknown category {item['category']!r} in {language} rules")
            if not item.get("source"):
                raise ValueError(f"a {language} rule for {item['category']} names no source")
            rules.append(
                Rule(
                    category=item["category"],
                    source=item["source"],
                    language=language,
                    slots=tuple(_slot(s) for s in item["match"]),
                    within=item.get("within", default_within),
                    near_slots=tuple(_slot(s) for s in item.get("with", [])),
                    near=item.get("near", data.get("near", 20)),
                    # None when there are none: tested for each candidate, on the hot path.
                    unless_before=_phrases(item.get("unless_before", [])) or None,
                    unless_next=_phrases(item.get("unless_next", [])) or None,
                    unless_near=_phrases(item.get("unless_near", [])) or None,
                )
            )
        cues = _load(f"context.{language}.toml")
        contexts[language] = _with_cue_index(
            Context(
                negation=_phrases(cues["negation"]["cues"]),
                not_negation=_phrases(cues["negation"]["not_negation"]),
                scope_ends=_phrases(cues["negation"]["scope_ends"]),
                negation_window=cues["negation"]["window"],
                past=_phrases(cues["past"]["cues"]),
                recent=_phrases(cues["past"].get("recent", [])),
                hypothetical=_phrases(cues["hypothetical"]["cues"]),
                resolved=_phrases(cues["resolved"]["cues"]),
                current=_phrases(cues["current"]["cues"]),
                again=_phrases(cues["again"]["cues"]),
                relapse=_phrases(cues["again"].get("relapse", [])),
                past_after=_phrases(cues["past"].get("after", [])),
                past_after_not=_phrases(cues["past"].get("after_not_before", [])),
                not_resolved_after=_phrases(cues["resolved"].get("not_after", [])),
                not_again_after=_phrases(cues["again"].get("not_after", [])),
                past_not_before=_phrases(cues["past"].get("not_before_birth", [])),
            )
        )
    by_exact: dict[tuple, list] = {}
    by_prefix: dict[str, list] = {}
    by_number: dict[str | None, list] = {}
    by_number_prefix: dict[str, list] = {}
    for index, rule in enumerate(rules):
        for phrase in rule.slots[0].phrases:
            first = phrase[0]
            second = phrase[1].exact if len(phrase) > 1 else None
            if first.exact is not None:
                by_exact.setdefault((first.exact, second), []).append((index, phrase))
            elif first.prefix is not None:
                by_prefix.setdefault(first.prefix, []).append((index, phrase))
            elif len(phrase) > 1 and phrase[1].prefix is not None:
                by_number_prefix.setdefault(phrase[1].prefix, []).append((first, index, phrase))
            else:
                by_number.setdefault(second, []).append((first, index, phrase))
    lengths = tuple(sorted({len(p) for p in by_prefix}))
    words, prefixes, strings = set(), set(), {}
    for rule in rules:
        for phrase in rule.slots[0].phrases:
            terms = list(phrase)
            while terms and terms[0].exact is None and terms[0].prefix is None:
                terms.pop(0)  # a number first: start from what follows it
            if not terms:
                raise ValueError(f"a {rule.category} phrase has only numbers")
            first = terms[0]
            if first.prefix is not None:
                prefixes.add(first.prefix)
            elif first.exact.isascii():
                words.add(first.exact)
            else:
                literal = ""
                for term in terms:
                    if term.exact is None or term.exact.isascii():
                        break
                    literal += term.exact
                strings.setdefault(literal[0], set()).add(literal)
    return Ruleset(
        rules,
        contexts,
        by_exact,
        by_prefix,
        by_number,
        lengths,
        trigger_words=words,
        trigger_prefixes=prefixes,
        trigger_lengths=tuple(sorted({len(p) for p in prefixes})),
        trigger_first_characters=set(strings),
        pair_firsts=frozenset(first for first, second in by_exact if second is not None),
        by_number_prefix=by_number_prefix,
        number_prefix_lengths=tuple(sorted({len(p) for p in by_number_prefix})),
        trigger_pattern=re.compile(
            "|".join(
                re.escape(literal)
                for literal in sorted({x for group in strings.values() for x in group}, key=len)[
                    ::-1
                ]
            )
        ),
    )


def _phrase_at(tokens: Tokens, i: int, phrase: Phrase, limit: int) -> int:
    """The token after `phrase` if it starts at token i (and ends before `limit`), else -1."""
    if i + len(phrase) > limit:
        return -1
    texts = tokens.texts
    for k, term in enumerate(phrase):
        j = i + k
        exact = term.exact
        if exact is not None:  # most terms: compared here, without a call
            if texts[j] != exact:
                return -1
        elif not term.matches(texts[j], tokens.kinds[j], tokens.values[j]):
            return -1
    return i + len(phrase)


class PhraseSet:
    """Alternative phrases, indexed by their first term: finding which one starts at a
    token costs a dictionary look-up, not a try of every phrase."""

    def __init__(self, phrases):
        self.phrases = tuple(phrases)
        self.exact: dict[str, list[Phrase]] = {}
        self.prefix: dict[str, list[Phrase]] = {}
        self.numbers: list[Phrase] = []
        for phrase in self.phrases:
            first = phrase[0]
            if first.exact is not None:
                self.exact.setdefault(first.exact, []).append(phrase)
            elif first.prefix is not None:
                self.prefix.setdefault(first.prefix, []).append(phrase)
            else:
                self.numbers.append(phrase)
        self.prefix_lengths = tuple(sorted({len(p) for p in self.prefix}))
        # The lengths of the phrases, shortest first (for a look-up of what ends at a token).
        self.lengths = tuple(sorted({len(p) for p in self.phrases}))
        # Token text -> the phrases it may start (numbers aside), filled as texts are met:
        # a scan over every token of a region then costs one look-up per token.
        self._by_text: dict[str, tuple[Phrase, ...]] = {}

    def starting_text(self, text: str, kind: str) -> tuple[Phrase, ...]:
        """The phrases a token with this text may start, phrases starting with a number
        aside (a text is always of one kind, but for one Chinese numeral: the numbers
        are added by the caller from the token's value)."""
        found = self._by_text.get(text)
        if found is None:
            found = tuple(self.starting(text, kind, None))
            if len(self._by_text) > 50_000:
                self._by_text.clear()
            self._by_text[text] = found
        return found

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def __len__(self) -> int:
        return len(self.phrases)

    def starting(self, text: str, kind: str, value) -> list[Phrase]:
        found = self.exact.get(text, [])
        if self.prefix_lengths and kind == WORD:
            found = list(found)
            for n in self.prefix_lengths:
                if n > len(text):
                    break
                found += self.prefix.get(text[:n], ())
        if self.numbers and value is not None:
            found = list(found) + self.numbers
        return found

    def may_start_in(self, words: set[str]) -> bool:
        """Whether any phrase can start at one of these token texts (a quick test before
        a scan: most texts hold none of a rule's words)."""
        if self.numbers or not self.exact.keys().isdisjoint(words):
            return True
        if not self.prefix:
            return False
        by_text = self._by_text  # a word's phrases, cached as a scan would
        return any(
            by_text[w] if w in by_text else self.starting_text(w, WORD)
            for w in words
            if w.isascii()
        )

    def at(self, tokens: Tokens, i: int, limit: int) -> int:
        """The token after the longest phrase starting at token i, else -1."""
        if i >= limit:
            return -1
        text = tokens.texts[i]
        phrases = self._by_text.get(text)
        if phrases is None:
            phrases = self.starting_text(text, tokens.kinds[i])
        if self.numbers and tokens.values[i] is not None:
            phrases += tuple(self.numbers)
        best = -1
        for phrase in phrases:
            end = _phrase_at(tokens, i, phrase, limit)
            if end > best:
                best = end
        return best


def _any_phrase_at(tokens: Tokens, i: int, phrases: PhraseSet, limit: int) -> int:
    return phrases.at(tokens, i, limit)


def _any_phrase_ending_at(tokens: Tokens, end: int, phrases: PhraseSet, start_limit: int) -> bool:
    """Whether a phrase of the set ends right before token `end` (and starts at or after
    `start_limit`): one look-up per phrase length, not a try of every phrase."""
    for length in phrases.lengths:
        start = end - length
        if start < start_limit:
            break
        if phrases.at(tokens, start, end) == end:
            return True
    return False


def _sentence_bounds(tokens: Tokens, i: int) -> tuple[int, int]:
    s = tokens.sentence[i]
    start = tokens.sentence_starts[s]
    end = (
        tokens.sentence_starts[s + 1] if s + 1 < len(tokens.sentence_starts) else len(tokens.texts)
    )
    return start, end


def _clause_end(tokens: Tokens, i: int, limit: int) -> int:
    """The clause or sentence mark ending the clause of token i (or `limit`)."""
    if i >= limit:
        return limit
    c = tokens.clause[i]
    end = tokens.clause_starts[c + 1] - 1 if c + 1 < len(tokens.clause_starts) else limit
    return min(end, limit)


def _is_negated(tokens: Tokens, start: int, floor: int, context: Context) -> bool:
    """Whether a negation cue stands in the few tokens before `start` (not before
    `floor`), in the same clause: "no chest pain", "沒有胸痛", "no fever, cough or chest
    pain" (a list ending in "or" goes on past its commas)."""
    through_commas = start > 0 and tokens.texts[start - 1] in ("or", "nor", "或", "和", "跟")
    window = context.negation_window * (2 if through_commas else 1)
    low = max(floor, start - window)
    if not context.negation.may_start_in(set(tokens.texts[low:start])):
        return False
    for j in range(start - 1, low - 1, -1):
        kind = tokens.kinds[j]
        if kind == SENTENCE or (kind == CLAUSE and not through_commas):
            return False
        if _any_phrase_at(tokens, j, context.scope_ends, start) != -1:
            return False
        if _any_phrase_at(tokens, j, context.negation, start) != -1:
            if any(
                context.not_negation.at(tokens, j - k, start) > j for k in range(0, 3) if j - k >= 0
            ):
                continue
            return True
    return False


def _sentence_cues(tokens: Tokens, context: Context, memo: dict, s: int) -> dict[str, list]:
    """Where each kind of cue phrase starts and ends in sentence s, as (start, end) token
    pairs; found when a red flag first asks, and kept in `memo`: only the sentences
    around a red flag are read (cue phrases hold no sentence mark, so none crosses one)."""
    per_sentence = memo.setdefault("cues", {})
    hits = per_sentence.get(s)
    if hits is None:
        hits = {}
        texts, kinds, values, n = tokens.texts, tokens.kinds, tokens.values, len(tokens.texts)
        starts = tokens.sentence_starts
        cues = context.all_cues
        by_text, numbers = cues._by_text, tuple(cues.numbers)
        for j in range(starts[s], starts[s + 1] if s + 1 < len(starts) else n):
            phrases = by_text.get(texts[j])
            if phrases is None:
                phrases = cues.starting_text(texts[j], kinds[j])
            if numbers and values[j] is not None:
                phrases += numbers
            if not phrases:
                continue
            following = texts[j + 1] if j + 1 < n else None
            for phrase in phrases:
                # Most cues start with a common word ("in", "was"): the second word, compared
                # here, rules out nearly all of them without a call.
                if len(phrase) > 1 and phrase[1].exact is not None and phrase[1].exact != following:
                    continue
                end = _phrase_at(tokens, j, phrase, n)
                if end != -1:
                    for name in context.cue_sets[phrase]:
                        if name == "resolved" and _any_phrase_ending_at(
                            tokens, j, context.not_resolved_after, starts[s]
                        ):
                            continue  # "it hasn't gone away", "還沒好"
                        if name == "again" and _any_phrase_ending_at(
                            tokens, j, context.not_again_after, starts[s]
                        ):
                            continue  # "pink again", "breathing normally again"
                        if name in ("past", "recent") and (
                            _born_after(tokens, context, end, n)
                            or _any_phrase_ending_at(tokens, j, context.negation, starts[s])
                        ):
                            # "民國114年1月8日出生": a birth date; "never had one before": a
                            # first episode; neither is a past one.
                            continue
                        hits.setdefault(name, []).append((j, end))
        per_sentence[s] = hits
    return hits


def _born_after(tokens: Tokens, context: Context, end: int, n: int) -> bool:
    if not context.past_not_before:
        return False
    stop = min(n, end + BIRTH_REACH)
    return any(
        _any_phrase_at(tokens, k, context.past_not_before, stop) != -1 for k in range(end, stop)
    )


def _has_cue(tokens: Tokens, context: Context, memo: dict, start: int, end: int, name: str) -> bool:
    """Whether a cue of that kind lies wholly within tokens start..end."""
    if start >= end:
        return False
    for s in range(tokens.sentence[start], tokens.sentence[min(end, len(tokens.texts)) - 1] + 1):
        for first, last in _sentence_cues(tokens, context, memo, s).get(name, ()):
            if first >= start and last <= end:
                return True
    return False


def _clause_bounds(tokens: Tokens, i: int) -> tuple[int, int]:
    return tokens.clause_starts[tokens.clause[i]], _clause_end(tokens, i, len(tokens.texts))


# Cues are looked for at most this many tokens from the red flag, however long the
# sentence (a text with no full stop is one sentence).
CUE_REACH = 40


def _in_the_past(tokens: Tokens, i: int, context: Context, memo: dict) -> bool:
    """Whether token i is in a sentence telling of a past or resolved episode ("three
    years ago", "醫師說過沒事", or the next sentence: "The doctor said it was reflux.")
    and its clause does not say it is happening now or again ("now", "again", "現在",
    "又"); or in a clause asking about it ("the signs of a stroke", "中風的徵兆")."""
    low, high = max(0, i - CUE_REACH), i + CUE_REACH
    clause = _clause_bounds(tokens, i)
    clause = (max(clause[0], low), min(clause[1], high))
    if clause in memo:
        return memo[clause]
    start, end = _sentence_bounds(tokens, i)
    next_end = end
    if end < len(tokens.texts):
        next_end = _sentence_bounds(tokens, end)[1]
    start, end, next_end = max(start, low), min(end, high), min(next_end, high)
    # The kinds of cue in the sentences read: a kind none of them holds is not looked for.
    present: set[str] = set()
    if start < next_end:
        for s in range(tokens.sentence[start], tokens.sentence[next_end - 1] + 1):
            present.update(_sentence_cues(tokens, context, memo, s))
    if not present:
        memo[clause] = False
        return False

    def has(first: int, last: int, name: str) -> bool:
        return name in present and _has_cue(tokens, context, memo, first, last, name)

    again = has(*clause, "again")
    current = again or has(*clause, "current")
    # Resolved in its own clause, or elsewhere in the sentence (or the next) unless its own
    # clause says it is happening now ("The ER found nothing, but now the pain is crushing.")
    # or the sentence says it came back ("had a fit, came round, now shaking again").
    resolved = has(*clause, "resolved") or (
        not current and has(start, next_end, "resolved") and not has(start, end, "again")
    )
    # A past cue tells of an earlier episode when the sentence says that the same is back
    # ("had stents in 2019, the same pain is back", "三年前裝過支架，現在又是那種痛"); a bare
    # "again" elsewhere may be about something else ("兩歲時有過熱痙攣，現在又發燒").
    past = not has(start, end, "relapse") and (has(start, end, "past") or has(*clause, "recent"))
    answer = has(*clause, "hypothetical") or (not again and (resolved or (not current and past)))
    memo[clause] = answer
    return answer


def _told_as_past(tokens: Tokens, i: int, end: int, context: Context, memo: dict) -> bool:
    """Whether the red flag at tokens i..end is followed by a mark of a past episode
    ("中風過", "昏倒過一次", "a stroke years ago") and its clause does not say it is
    happening again, nor say "now" before it ("剛剛昏倒過"): "had a stroke years ago and
    now lives with us" is a past stroke."""
    if not context.past_after or end >= len(tokens.texts):
        return False
    after = context.past_after.at(tokens, end, len(tokens.texts))
    if after == -1 or context.past_after_not.at(tokens, after, len(tokens.texts)) != -1:
        return False
    clause = _clause_bounds(tokens, i)
    return not (
        _has_cue(tokens, context, memo, *clause, "again")
        or _has_cue(tokens, context, memo, clause[0], i, "current")
    )


def _find_slots(tokens, rule, context, i, phrase, sentence_end) -> tuple[int, int] | None:
    """(first token, token after the last) of the rule matched from `phrase` at token i."""
    end = _phrase_at(tokens, i, phrase, sentence_end)
    if end == -1:
        return None
    for slot in rule.slots[1:]:
        limit = _clause_end(tokens, end, sentence_end)
        found = -1
        for j in range(end, min(end + rule.within, limit - 1) + 1):
            found = _any_phrase_at(tokens, j, slot, limit)
            if found != -1:
                if j > end and _is_negated(tokens, j, end, context):
                    return None
                break
        if found == -1:
            return None
        end = found
    unless_next = rule.unless_next
    if unless_next is not None and unless_next.at(tokens, end, len(tokens.texts)) != -1:
        return None
    # What stands right before the first phrase: one look-up per phrase length.
    if rule.unless_before is not None and _any_phrase_ending_at(tokens, i, rule.unless_before, 0):
        return None
    low = max(0, i - rule.near)
    high = min(len(tokens.texts), end + rule.near)
    nearby = set(tokens.texts[low:high]) if rule.near_slots else set()
    for slot in rule.near_slots:
        if not slot.may_start_in(nearby):
            return None
        if not _found_unnegated(tokens, slot, low, high, context):
            return None
    if rule.unless_near is not None:  # what stands around it, in its sentence
        first, last = _sentence_bounds(tokens, i)
        first, last = max(first, i - rule.near), min(last, end + rule.near)
        if _found_unnegated(tokens, rule.unless_near, first, last, context):
            return None
    if _is_negated(tokens, i, _sentence_bounds(tokens, i)[0], context):
        return None
    return i, end


def _found_unnegated(tokens: Tokens, slot: PhraseSet, low: int, high: int, context) -> bool:
    """Whether a phrase of `slot` stands in tokens low..high, not negated. The tokens where
    none can start are passed over with one look-up each."""
    texts, values, by_text = tokens.texts, tokens.values, slot._by_text
    numbers = tuple(slot.numbers)
    for j in range(low, high):
        phrases = by_text.get(texts[j])
        if phrases is None:
            phrases = slot.starting_text(texts[j], tokens.kinds[j])
        if numbers and values[j] is not None:
            phrases += numbers
        if not phrases:
            continue
        if any(_phrase_at(tokens, j, p, high) != -1 for p in phrases) and not _is_negated(
            tokens, j, _sentence_bounds(tokens, j)[0], context
        ):
            return True
    return False


_TERM_CACHE: dict[tuple[str, str], list[tuple[int, Phrase]]] = {}


def _candidates(rules: Ruleset, tokens: Tokens, i: int) -> list[tuple[int, Phrase]]:
    """Rules whose first slot may start at token i (what depends on this token alone is
    cached per token text)."""
    text, kind, value = tokens.texts[i], tokens.kinds[i], tokens.values[i]
    following = tokens.texts[i + 1] if i + 1 < len(tokens.texts) else None
    key = (text, kind)
    found = _TERM_CACHE.get(key)
    if found is None:
        found = list(rules.by_exact.get((text, None), ()))
        if kind == WORD:
            for n in rules.prefix_lengths:
                if n > len(text):
                    break
                found += rules.by_prefix.get(text[:n], ())
        if len(_TERM_CACHE) > 50_000:
            _TERM_CACHE.clear()
        _TERM_CACHE[key] = found
    pair = rules.by_exact.get((text, following)) if following is not None else None
    if pair:
        found = found + pair
    if value is not None:
        numbers = rules.by_number.get(None, []) + rules.by_number.get(following, [])
        if following is not None:
            for n in rules.number_prefix_lengths:
                if n > len(following):
                    break
                numbers = numbers + rules.by_number_prefix.get(following[:n], [])
        found = found + [(r, p) for term, r, p in numbers if term.matches(text, kind, value)]
    return found


def _rule_characters(data) -> set[str]:
    """The Chinese characters of the phrases in a loaded rule or cue file (not its
    sources)."""
    if isinstance(data, str):
        return {ch for ch in data if not ch.isascii()}
    if isinstance(data, dict):
        return set().union(
            *(_rule_characters(v) for k, v in data.items() if k not in ("source", "category"))
        )
    if isinstance(data, list):
        return set().union(*(_rule_characters(v) for v in data))
    return set()


# A Simplified character two characters of the rules share, read as the one a symptom
# means far more often: 发 as 發 (发烧, 发紫, 发作), not 髮 (洗髮精); 湿 as 濕 (溼 is a
# variant of it).
FOLD_PREFERRED = {"发": "發", "湿": "濕"}


@cache
def simplified_fold() -> tuple[re.Pattern, dict[int, int]]:
    """Simplified characters of the Chinese rules' words, to the Traditional ones the
    rules are written in (怀孕 -> 懷孕, 血压 -> 血壓), one character for one so offsets
    stay; and a pattern finding any of them, so that a text with none is not translated.

    Built from the rules themselves with search's Traditional-to-Simplified table
    (OpenCC): a Simplified form that is itself a character of the rules (后, 干, 里) or
    that two characters of the rules share is left alone, unless FOLD_PREFERRED names
    the one to read it as."""
    from questions.search_text import fold

    characters = set()
    for language_file in ("red_flags.zh.toml", "context.zh.toml"):
        characters |= _rule_characters(_load(language_file))
    targets: dict[str, set[str]] = {}
    for ch in characters:
        simplified = fold(ch)
        if len(simplified) == 1 and simplified != ch and simplified not in characters:
            targets.setdefault(simplified, set()).add(ch)
    table = {ord(s): ord(next(iter(t))) for s, t in targets.items() if len(t) == 1}
    for simplified, traditional in FOLD_PREFERRED.items():
        if traditional in targets.get(simplified, ()):
            table[ord(simplified)] = ord(traditional)
    # One character class (no quantifier); with no character to fold, one that matches none.
    pattern = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(table)) + "]")
    return (pattern if table else re.compile(r"[^\s\S]")), table


def _find_red_flags(text: str) -> list[Finding]:
    rules = ruleset()
    lower = text.lower()
    if len(lower) != len(text):  # a rare letter whose lower case is longer: keep offsets
        lower = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    simplified, to_traditional = simplified_fold()
    if not lower.isascii() and simplified.search(lower):
        lower = lower.translate(to_traditional)  # the rules match Simplified text too
    found: list[tuple[int, Finding]] = []
    # The whole text is tokenized once and matched: finding the stretches worth matching
    # first cost as much as tokenizing them, and a question's sentences nearly all hold a
    # word some rule starts from. A token no rule starts from costs one look-up.
    _match_region(rules, text, lower, 0, len(lower), found)
    found.sort(key=lambda item: item[0])
    return [finding for _start, finding in found]


def _match_region(rules: Ruleset, text: str, lower: str, offset: int, stop: int, found) -> None:
    tokens = tokenize(lower[offset:stop])
    seen: set[tuple[str, int]] = set()
    past_memo: dict[str, dict] = {language: {} for language in LANGUAGES}
    texts, values = tokens.texts, tokens.values
    term_cache, pair_firsts, by_exact = _TERM_CACHE, rules.pair_firsts, rules.by_exact
    last_token = len(texts) - 1
    for i, kind in enumerate(tokens.kinds):
        if kind in (SENTENCE, CLAUSE):
            continue
        if values[i] is None:
            token = texts[i]
            cached = term_cache.get((token, kind))
            if (
                cached is not None
                and not cached
                # A first word of two-word phrases ("my last", "今晚就是"): only its pairs.
                and (
                    token not in pair_firsts
                    or i == last_token
                    or (token, texts[i + 1]) not in by_exact
                )
            ):
                continue  # no rule starts at this token: most tokens
        candidates = _candidates(rules, tokens, i)
        if not candidates:
            continue
        sentence_end = _sentence_bounds(tokens, i)[1]
        for index, phrase in candidates:
            rule = rules.rules[index]
            if (rule.category, tokens.sentence[i]) in seen:
                continue
            context = rules.contexts[rule.language]
            span = _find_slots(tokens, rule, context, i, phrase, sentence_end)
            memo = past_memo[rule.language]
            if (
                span is None
                or _in_the_past(tokens, i, context, memo)
                or _told_as_past(tokens, i, span[1], context, memo)
            ):
                continue
            seen.add((rule.category, tokens.sentence[i]))
            first, last = offset + tokens.starts[span[0]], offset + tokens.ends[span[1] - 1]
            found.append((first, Finding(rule.category, text[first:last])))


# --- personal data -------------------------------------------------------------------


@cache
def _personal_data_words() -> dict:
    return _load("personal_data.toml")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# The local part is bounded (at most 64 characters, as in RFC 5321): unbounded, every
# position of a long run of letters scanned the whole run looking for an "@", which took
# quadratic time ("a" * 80_000 took a minute). A longer local part is still found, by its
# last 64 characters. Only the spelled-out words ignore case: the character classes name
# both cases already, and matching them case-insensitively made the scan six times slower.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}+@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)*\.[A-Za-z]{2,}")
# Spelled out to get past filters: "name at gmail dot com", "name(at)mail(dot)tw". Read
# from each " at ", "(at)" or "[at]" (SPELLED_AT) on: the domain, then the local part
# before it (at most 64 characters back). " at " is in most English sentences, and trying
# a local part at every word cost more than all the other personal data together.
SPELLED_AT = (" at ", "(at)", "[at]")
_EMAIL_SPELLED_DOMAIN = re.compile(
    r"(?:\s*+(?i:\(at\)|\[at\])|\s++(?i:at)\s)\s*+[A-Za-z0-9-]++"
    r"(?:\s*+(?i:\(dot\)|\[dot\]|\.)|\s++(?i:dot)\s)\s*+(?i:com|net|org|edu|gov|tw|io|me)\b"
)
# An address spelled in Chinese: 小老鼠 (or 老鼠) for "@", 點 for ".": "wu點ahbao 小老鼠
# gmail 點 com". Each part starts where a run of its letters starts, and no part can
# end where the next begins: one pass.
_ZH_DOT = r"\s*+(?:點|点|\.)\s*+"
_EMAIL_SPELLED_ZH = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}+(?:" + _ZH_DOT + r"[A-Za-z0-9_%+-]{1,64}+){0,4}+"
    r"\s*+(?:小老鼠|老鼠)\s*+(?:[A-Za-z0-9-]{1,63}+" + _ZH_DOT + r"){1,4}+"
    r"(?i:com|net|org|edu|gov|tw|io|me)(?![A-Za-z0-9])"
)
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
# "+886 912 345 678", "+1 (415) 555-2671", "0044 20 7946 0958"
# After the country code, digits are taken in groups of up to four and never split another
# way (`\d{1,4}+`): trying every split of "+" and 30 digits took 3 s for 20,000
# characters. One group is allowed (anything that short has fewer than the 8 digits of a
# phone number, see below).
_INTERNATIONAL_PHONE = re.compile(
    r"(?<![A-Za-z0-9_+])(?:\+|(?<![0-9])00)\s?+\d{1,3}(?:[\s.-]?+\(?+\d{1,4}+\)?){1,6}(?![\d/])"
)
# An extension after a number, kept with it: "02-2345-6789 轉 205", "ext. 12", "分機 3", "#205".
_EXTENSION = r"(?:\s?+(?:轉|分機|(?i:ext)\.?+|#)\s?+\d{1,6}+(?!\d))?+"
# Before a number: nothing a number, a word or a time runs on from, or a label's colon
# ("電話：02-2345-6789", "Tel:0912345678"), though not a time's ("10:30").
_PHONE_START = r"(?<![A-Za-z0-9/.-])(?<![0-9]:)"
# Taiwanese mobile and landline numbers: "0912-345-678", "(02) 2345-6789", "07-123-4567",
# also right after Chinese text ("電話0912345678"): only a Latin letter, a digit or a
# separator before it stops it. No "/" or "." separators, so dates, blood pressure and
# lab values never match.
_TAIWAN_PHONE = re.compile(
    _PHONE_START + r"(?P<number>\(?0\d{1,3}\)?[\s-]?\d{3,4}[\s-]?\d{3,4})"
    r"(?![A-Za-z0-9/:]|[.,]\d)" + _EXTENSION
)
# North American numbers written the US way: "(212) 555-0187", "212-555-0187".
_US_PHONE = re.compile(
    r"(?<![\w/.-])(?<![0-9]:)(?:\(\d{3}\)\s?+|\d{3}[-.\s])\d{3}[-.\s]\d{4}(?![\w/:-])" + _EXTENSION
)
# A number spelled out digit by digit to get past filters, from its leading zero: "zero
# nine one two three four five six seven eight", "零九一二三四五六七八". Every word is
# taken possessively, so a long run of numerals is read once.
_DIGIT_WORDS = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_PHONE_IN_WORDS = re.compile(
    r"\b(?:zero|oh)(?:[\s,.-]++" + _DIGIT_WORDS + r"){7,14}+\b(?![\s,.-]++" + _DIGIT_WORDS + r"\b)"
    r"|(?<![零〇一二三四五六七八九十])[零〇](?:[\s、，,.-]?+[零〇一二三四五六七八九]){8,9}+"
    r"(?![零〇一二三四五六七八九十])"
)
# Taiwanese national ID and resident certificate numbers: A123456789, AC01234567, A800000014.
_NATIONAL_ID = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][12ABCD89]\d{8}(?![A-Za-z0-9])")
_STREET = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Way|Court|Ct|Alley|"
    r"Terrace|Place|Pl)"
)
_ADDRESSES = [
    # "No. 12, Lane 5, Zhongshan N. Rd." (Taiwanese addresses written in English)
    re.compile(
        r"\bNo\.?\s?+\d++(?:-\d++)?\s*+,\s*+"
        r"(?:(?:Lane|Ln|Alley|Aly|Sec|Section)\.?\s*+\d++\s*+,\s*+)*+"
        r"(?:[A-Z][A-Za-z]*+\.?+\s++){1,4}" + _STREET + r"\b\.?"
    ),
    # "221B Baker Street", "45 Heping East Road", "742 Evergreen Terrace Road"
    re.compile(r"\b\d{1,5}[A-Za-z]?\s++(?:[A-Z][a-z]++\.?+\s++){1,4}" + _STREET + r"\b\.?"),
    # "中山北路二段45巷3號", "復興南路一段100號", "中山二路5巷3號", "民生街10號"
    re.compile(
        rf"[{_CJK}]{{1,10}}(?:路|街|大道)(?:[一二三四五六七八九十\d]{{1,3}}段)?"
        r"(?:[\d一二三四五六七八九十百]{1,4}巷)?(?:[\d一二三四五六七八九十百]{1,4}弄)?"
        r"[\d一二三四五六七八九十百]{1,5}(?:之\d{1,3})?[號号]"
    ),
]
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|"
    r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_ZH_NUMBER = r"[\d一二三四五六七八九十〇零]{1,4}"
_FULL_DATE = (
    r"(?:\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\.?,?\s+\d{4}"
    r"|" + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    rf"|(?:民國\s*)?{_ZH_NUMBER}\s*年\s*{_ZH_NUMBER}\s*月\s*{_ZH_NUMBER}\s*[日號])"
)
# A full date counts as a date of birth only next to words saying so: dates of
# symptoms ("since 2024/10/03") are what doctors need. Matched from where one of
# BIRTH_STARTS is found (str.find), not tried at every position.
_DATE_OF_BIRTH = re.compile(
    r"(?:\bborn|\bdate\s+of\s+birth|\bbirth\s*date|\bbirthday|\bd\.?o\.?b\b\.?|出生(?:日期|年月日)?|生日)"
    r"\s*+(?:is\s++|was\s++|on\s++|the\s++|:\s*+|-\s*+|是\s*+|於\s*+|為\s*+)*+" + _FULL_DATE,
    re.IGNORECASE,
)
BIRTH_STARTS = ("born", "date", "birth", "dob", "d.o", "出生", "生日")
# ... or written before them: "民國七十五年三月二日出生", "1992年8月15日生". Matched from each
# "年" on, then the year read back from it (_YEAR_BEFORE, on the few characters before):
# a Chinese text has numerals everywhere, and trying a year at each one cost ten times more.
_DATE_THEN_BIRTH = re.compile(
    rf"年\s*{_ZH_NUMBER}\s*月\s*{_ZH_NUMBER}\s*[日號]\s?(?:出生|生(?![病氣活理產]))"
)
_SLASH_DATE_BEFORE = re.compile(r"(?<!\d)\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\s?+\Z")
_YEAR_BEFORE = re.compile(rf"(?:民國\s*)?{_ZH_NUMBER}\s*\Z")
YEAR_REACH = 12  # characters: "民國 一百一十四 " is nine

# Keyword-led personal data: the keywords (personal_data.toml) are found with str.find on
# the lower-cased text, then a short anchored pattern reads what follows. Trying a long
# case-insensitive alternation at every position cost ten times as much.
# After the app's name: an ID word ("LINE ID", "微信號"), then what introduces the account
# ("is", ":", "是", ", my id is", "，帳號", " username is"), then the account name. A name
# after a bare comma or space must look like an account (a digit, "_" or "."), so that
# "on Facebook, which" is not one: see _find_personal_data.
_AFTER_APP = re.compile(
    r"(?:\s?+(?:id|ID|Id|號|号|帳號|账号|帐号|給我|给我|找我))?+"
    r"(?:[\s,，]{0,3}+(?:(?i:my|the)\s++)?+"
    r"(?i:id|user\s?name|handle|account|帳號|账号|帐号|號|号)(?:\s++(?i:is)\b)?+\s?+[:：]?+"
    r"|(?:\s?+(?:(?i:is)\b|[:：]|是|為|为|=|-)){1,2}+)?+"
    r"(?:\s?+[,，])?+\s?+@?+([A-Za-z][A-Za-z0-9_.-]{3,31}+)"
)
# Further on, within a few words of the app's name: "on WeChat too, my username is
# lily_wong_92". Searched only in the APP_REACH characters after the name.
APP_REACH = 40
_ACCOUNT_LATER = re.compile(
    r"(?i:user\s?name|handle|account|\bid)\s++(?i:is\b|:)\s*+@?+([A-Za-z][A-Za-z0-9_.-]{3,31}+)"
    r"|(?:帳號|账号|帐号|ID|id)\s?+(?:是|為|为|[:：])?+\s?+([A-Za-z][A-Za-z0-9_.-]{3,31}+)"
)
# "WhatsApp: +886 955 321 987": a messaging account that is a phone number.
_AFTER_APP_NUMBER = re.compile(
    r"(?:\s?+(?:id|ID|號|帳號))?+(?:\s?+(?:is|:|是|為|=|-|,))?+\s?+(\+?\d(?:[\s-]?\d){6,14})"
)
# ... or a few words on, for the apps whose account is a phone number: "on WhatsApp at
# +44 7700 900123", "用WhatsApp聯絡我嗎？+886 975 123 456". Searched only in the
# APP_REACH characters after the name.
_NUMBER_LATER = re.compile(r"(?<![\d+])(\+?\(?\d(?:\)?[\s-]?\d){6,14})(?!\d)")
_AFTER_LINK = re.compile(r"/@?+[A-Za-z0-9_.-]{2,64}+")
_AFTER_AT = re.compile(r"[A-Za-z][A-Za-z0-9_.]{3,29}+(?![\w@])")
_LABEL_GLUE = r"[^A-Za-z0-9\n]{0,8}+(?:(?i:is|number|no\.?|card)[^A-Za-z0-9\n]{0,4}+){0,3}+"
_AFTER_ID_LABEL = re.compile(_LABEL_GLUE + r"([A-Za-z][12ABCD89]\d{8})(?![A-Za-z0-9])")
_AFTER_NHI_LABEL = re.compile(_LABEL_GLUE + r"(\d{4}[\s-]?\d{4}[\s-]?\d{4})(?!\d)")
# Every card number starts 0000: "000012345678", "0000 4712 9386".
_NHI_BARE = re.compile(r"(?<![\d-])0000[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
# A local number without its area code, after a word saying it is one: "打2771-8151",
# "call me on 555-0187", "電話 2345 6789" (eight digits in Taipei and Taichung, seven
# elsewhere). Without the word, "2023-2024" or "1200-1500" are years and doses.
_AFTER_PHONE_LABEL = re.compile(
    r"[\s:：,，=]{0,3}+(?:(?:(?i:on|at|is|me|number|no\.?)|是|為|为)[\s:：,，=]{0,3}+){0,3}+"
    # Not a range of years ("2021-2022").
    r"(?!(?:19|20)\d\d[\s-]?(?:19|20)\d\d)"
    r"(\d{4}[\s-]?\d{4}|\d{3}[\s-]\d{4})(?![\d/.:%-])" + _EXTENSION
)
_AFTER_NAME_EN = re.compile(r"\s++([A-Z][a-z]++(?:[\s-][A-Z][a-z]++){1,2})")
_BIRTH_WORDS = ("born", "birth", "dob", "d.o.b", "出生", "生日")


def _spelled_emails(text: str, lower: str):
    """(start, end) of each e-mail address spelled out ("name at gmail dot com")."""
    seen_end = -1
    for at in _keyword_ends(lower, SPELLED_AT):
        local_end = at - 4  # back to the space or bracket the word starts with
        while local_end > 0 and text[local_end - 1].isspace():
            local_end -= 1
        if local_end < seen_end or not (m := _EMAIL_SPELLED_DOMAIN.match(text, local_end)):
            continue
        start = local_end
        while start > 0 and local_end - start < 64 and text[start - 1] in _EMAIL_LOCAL:
            start -= 1
        if start < local_end and (start == 0 or not text[start - 1].isalnum()):
            seen_end = m.end()
            yield start, m.end()


def _dates_of_birth(text: str, lower: str):
    """Matches of _DATE_OF_BIRTH, each read from a word that starts it."""
    last_end = -1
    for start in sorted({i for word in BIRTH_STARTS for i in _find_all(lower, word)}):
        if start >= last_end and (m := _DATE_OF_BIRTH.match(text, start)):
            last_end = m.end()
            yield m


def _dates_then_birth(text: str):
    """(start, end) of each date written before 出生 or 生 ("民國75年3月2日出生")."""
    year = text.find("年")
    while year != -1:
        if (m := _DATE_THEN_BIRTH.match(text, year)) and (
            head := _YEAR_BEFORE.search(text, max(0, year - YEAR_REACH), year)
        ):
            yield head.start(), m.end()
        year = text.find("年", year + 1)


def _find_all(lower: str, word: str):
    start = lower.find(word)
    while start != -1:
        yield start
        start = lower.find(word, start + 1)


@cache
def _keywords() -> dict:
    words = _personal_data_words()
    surnames = "".join(words["names"]["surnames"])
    return {
        "apps": [w.lower() for w in words["handles"]["apps"]],
        "number_apps": [w.lower() for w in words["handles"]["numbers_further_on"]],
        "links": [w.lower() for w in words["handles"]["profile_links"]],
        "id": [w.lower() for w in words["national_id"]["labels"]],
        "nhi": [w.lower() for w in words["nhi_card"]["labels"]],
        "phone": [w.lower() for w in words["phone"]["labels"]],
        "name_en": [w.lower() for w in words["names"]["english_intro"]],
        "name_zh": list(words["names"]["chinese_intro"]),
        # "我叫陳美玲": a known surname and one or two characters, not "我叫了救護車".
        "after_name_zh": re.compile(rf"\s?+([{surnames}][{_CJK}]{{1,2}})(?![了他她過救醫])"),
        # "我是林志明 55歲": a surname and one or two characters, then not a character.
        "name_zh_alone": list(words["names"]["chinese_intro_alone"]),
        "alone_name_zh": re.compile(rf"\s?+([{surnames}][{_CJK}]{{1,2}}+)(?![{_CJK}])"),
        "not_names_zh": frozenset(words["names"]["not_names"]),
        "not_names_en": frozenset(words["names"]["english_not_names"]),
    }


def _keyword_ends(lower: str, keywords) -> list[int]:
    """Where each keyword occurrence ends; a keyword starting with a Latin letter must
    start a word ("line", not "gasoline")."""
    ends = []
    for word in keywords:
        start = lower.find(word)
        while start != -1:
            before = lower[start - 1] if start else " "
            if not (
                word[0].isascii() and word[0].isalpha() and before.isascii() and before.isalpha()
            ):
                ends.append(start + len(word))
            start = lower.find(word, start + 1)
    return sorted(set(ends))


def _looks_like_account(name: str) -> bool:
    return any(ch.isdigit() or ch in "_." for ch in name)


_ID_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"  # A=10 ... in the order of their codes


def _national_id_checksum_ok(number: str) -> bool:
    """The check digit of a Taiwanese ID or resident certificate number (both formats)."""
    number = number.upper()
    first = _ID_LETTERS.find(number[0])
    if first < 0:
        return False
    code = first + 10
    second = number[1]
    second_digit = int(second) if second.isdigit() else (_ID_LETTERS.find(second) + 10) % 10
    digits = [code // 10, code % 10, second_digit] + [int(d) for d in number[2:]]
    weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1]
    return sum(d * w for d, w in zip(digits, weights, strict=True)) % 10 == 0


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _is_phone_like(number: str) -> bool:
    """A number a messaging account could be: international ("+44..."), Taiwanese
    ("09..."), or ten digits or more; not a date ("2024-10-03") or a count."""
    digits = _digits(number)
    return 8 <= digits <= 15 and (number[0] in "+0" or digits >= 10)


# Toll-free numbers belong to organisations, never to a patient: Taiwan's 0800 and 0809
# lines (the quitline 0800-636-363) and North America's 800, 888, 877, 866, 855, 844, 833.
_TOLL_FREE = re.compile(r"(?:886)?080[09]\d{6}|1?8(?:00|88|77|66|55|44|33)\d{7}")


def _is_toll_free(number: str) -> bool:
    return _TOLL_FREE.fullmatch("".join(ch for ch in number if ch.isdigit())) is not None


# A number named as a public line a few characters before it is the line's, not the
# patient's: "毒藥物諮詢專線是 (02)2871-7121", "the poison control line (02) 2871 7121".
PUBLIC_LINE_REACH = 24
PUBLIC_LINES = ("專線", "专线", "諮詢中心", "咨询中心", "服務中心", "hotline", "helpline",
  "quitline", "poison control", "poison centre", "poison center", "crisis line",
  "public line", "main line", "switchboard", "總機", "总机", "語音掛號", "语音挂号",
  "掛號專線", "掛號電話", "automated booking line", "booking line")  # fmt: skip


def _after_public_line(lower: str, start: int) -> bool:
    before = lower[max(0, start - PUBLIC_LINE_REACH) : start]
    return any(word in before for word in PUBLIC_LINES)


def _find_personal_data(text: str) -> list[Finding]:
    found: list[tuple[Finding, int, int]] = []

    def add(kind: str, match: re.Match, group: int = 0) -> None:
        if kind == "phone" and (
            _is_toll_free(match.group(group)) or _after_public_line(lower, match.start(group))
        ):
            return
        found.append(
            (Finding(kind, match.group(group).strip()), match.start(group), match.end(group))
        )

    lower = text.lower()
    if len(lower) != len(text):  # a rare letter whose lower case is longer: keep offsets
        lower = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    has_digit = any(ch in text for ch in "0123456789")
    if "@" in text:
        for m in _EMAIL.finditer(text):
            add("email", m)
    for start, end in _spelled_emails(text, lower):
        found.append((Finding("email", text[start:end].strip()), start, end))
    if "老鼠" in text:
        for m in _EMAIL_SPELLED_ZH.finditer(text):
            add("email", m)
    if has_digit:
        if "+" in text or "00" in text:
            for m in _INTERNATIONAL_PHONE.finditer(text):
                if 8 <= _digits(m.group()) <= 15:
                    add("phone", m)
        if "0" in text:
            for m in _TAIWAN_PHONE.finditer(text):
                if 9 <= _digits(m.group("number")) <= 10:
                    add("phone", m)
        for m in _US_PHONE.finditer(text):
            add("phone", m)
        for m in _NATIONAL_ID.finditer(text):
            if _national_id_checksum_ok(m.group()):
                add("national_id", m)
        for pattern in _ADDRESSES[:2]:
            for m in pattern.finditer(text):
                add("address", m)
        if any(word in lower for word in _BIRTH_WORDS):
            for m in _dates_of_birth(text, lower):
                add("date_of_birth", m)
        if "0000" in text:
            for m in _NHI_BARE.finditer(text):
                add("nhi_card", m)
    if "zero" in lower or "oh " in lower or "零" in text or "〇" in text:
        for m in _PHONE_IN_WORDS.finditer(lower):
            add("phone", m)
    # The Chinese address needs 路, 街 or 大道 (without them its scan of every Chinese
    # character is skipped), and its numbers may be Chinese numerals: "福星路二十五號".
    if "路" in text or "街" in text or "大道" in text:
        for m in _ADDRESSES[2].finditer(text):
            add("address", m)
    if has_digit and "出生" in text:  # "2024/05/02出生": a date written before 出生
        for birth in _find_all(text, "出生"):
            if m := _SLASH_DATE_BEFORE.search(text, max(0, birth - 12), birth):
                found.append((Finding("date_of_birth", m.group()), m.start(), m.end()))
    if "年" in text:  # the year may be written in Chinese numerals
        for start, end in _dates_then_birth(text):
            found.append((Finding("date_of_birth", text[start:end].strip()), start, end))
        if not has_digit and any(word in lower for word in _BIRTH_WORDS):
            for m in _dates_of_birth(text, lower):
                add("date_of_birth", m)
    keywords = _keywords()
    if has_digit:
        for end in _keyword_ends(lower, keywords["id"]):
            if m := _AFTER_ID_LABEL.match(text, end):
                add("national_id", m, 1)
        for end in _keyword_ends(lower, keywords["nhi"]):
            if m := _AFTER_NHI_LABEL.match(text, end):
                add("nhi_card", m, 1)
        for end in _keyword_ends(lower, keywords["phone"]):
            if m := _AFTER_PHONE_LABEL.match(text, end):
                add("phone", m, 1)
    for end in _keyword_ends(lower, keywords["apps"]):
        m = _AFTER_APP.match(text, end)
        if (
            m
            and text[end : m.start(1)].strip(" ,，").lower() in ("", "is")
            and not _looks_like_account(m.group(1))
        ):
            m = None  # "on Facebook, which ...", "the line is fine": a word, not an account
        if m := m or _AFTER_APP_NUMBER.match(text, end):
            if _after_public_line(lower, m.start(1)):
                continue  # "the hospital's public line 02-2312-3456": not an account
            found.append((Finding("handle", m.group(1)), m.start(1), m.end()))
        elif later := _ACCOUNT_LATER.search(text, end, end + APP_REACH):
            group = 1 if later.group(1) else 2
            found.append((Finding("handle", later.group(group)), later.start(group), later.end()))
    if has_digit:
        for end in _keyword_ends(lower, keywords["number_apps"]):
            if (
                (m := _NUMBER_LATER.search(text, end, end + APP_REACH))
                and _is_phone_like(m.group(1))
                and not _after_public_line(lower, m.start(1))
            ):
                found.append((Finding("handle", m.group(1)), m.start(1), m.end(1)))
    for end in _keyword_ends(lower, keywords["links"]):
        if m := _AFTER_LINK.match(text, end):
            found.append(
                (Finding("handle", text[text.rfind(" ", 0, end) + 1 : m.end()]), end, m.end())
            )
    at = text.find("@")
    while at != -1:
        if not (at and (text[at - 1].isalnum() or text[at - 1] in "._@")):
            if m := _AFTER_AT.match(text, at + 1):
                found.append((Finding("handle", text[at : m.end()]), at, m.end()))
        at = text.find("@", at + 1)
    for end in _keyword_ends(lower, keywords["name_en"]):
        m = _AFTER_NAME_EN.match(text, end)
        if m and m.group(1).split(None, 1)[0].split("-", 1)[0] not in keywords["not_names_en"]:
            add("name", m, 1)
    for end in _keyword_ends(lower, keywords["name_zh"]):
        if m := keywords["after_name_zh"].match(text, end):
            add("name", m, 1)
    for end in _keyword_ends(lower, keywords["name_zh_alone"]):
        m = keywords["alone_name_zh"].match(text, end)
        if m and m.group(1) not in keywords["not_names_zh"]:
            add("name", m, 1)
    inside = _numbers_inside_other_findings(found)
    return [finding for finding, *span in found if (finding, *span) not in inside]


# Found inside another finding, these are reported once, as that one: a phone number in an
# e-mail or a messaging handle, an ID number the labelled pattern also found.
_REPORTED_ONCE = {"phone", "national_id", "nhi_card"}
# At one span, the more telling kind is kept: an NHI card number is not also a phone number.
_REPORT_ORDER = {"national_id": 1, "nhi_card": 1, "phone": 2}


def _numbers_inside_other_findings(found: list[tuple[Finding, int, int]]) -> set:
    """The numbers found inside something else found (an e-mail, a longer number),
    so that each is reported once. One sweep over the sorted spans rather than comparing
    every pair: a text full of numbers has thousands of findings."""
    inside = set()
    furthest_end = -1
    # By start; at one start the longest first, and at one span anything before a number
    # (the same number found by two patterns is one entry).
    for item in sorted(set(found), key=lambda f: (f[1], -f[2], _REPORT_ORDER.get(f[0].kind, 0))):
        finding, _start, end = item
        if finding.kind in _REPORTED_ONCE and furthest_end >= end:
            inside.add(item)
        if finding.kind != "handle":  # "WhatsApp +886 955 321 987" is both
            furthest_end = max(furthest_end, end)
    return inside


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


def patterns() -> dict[str, re.Pattern]:
    """Every regular expression screening applies to a text, by name (for the tests that
    prove each runs in linear time)."""
    return {
        "token": _TOKEN,
        "email": _EMAIL,
        "email_spelled_domain": _EMAIL_SPELLED_DOMAIN,
        "email_spelled_zh": _EMAIL_SPELLED_ZH,
        "phone_in_words": _PHONE_IN_WORDS,
        "international_phone": _INTERNATIONAL_PHONE,
        "taiwan_phone": _TAIWAN_PHONE,
        "us_phone": _US_PHONE,
        "national_id": _NATIONAL_ID,
        **{f"address_{i}": pattern for i, pattern in enumerate(_ADDRESSES)},
        "date_of_birth": _DATE_OF_BIRTH,
        "date_then_birth": _DATE_THEN_BIRTH,
        "year_before": _YEAR_BEFORE,
        "after_app": _AFTER_APP,
        "account_later": _ACCOUNT_LATER,
        "after_app_number": _AFTER_APP_NUMBER,
        "number_later": _NUMBER_LATER,
        "after_link": _AFTER_LINK,
        "after_at": _AFTER_AT,
        "after_id_label": _AFTER_ID_LABEL,
        "after_nhi_label": _AFTER_NHI_LABEL,
        "after_phone_label": _AFTER_PHONE_LABEL,
        "simplified_fold": simplified_fold()[0],
        "nhi_bare": _NHI_BARE,
        "after_name_en": _AFTER_NAME_EN,
        "after_name_zh": _keywords()["after_name_zh"],
        "alone_name_zh": _keywords()["alone_name_zh"],
    }


def describe_personal_data(findings: tuple[Finding, ...] | list[Finding]) -> str:
    """'"0912-345-678" (phone number), "a@b.tw" (e-mail address)' for a form error."""
    return ", ".join(f"\u201c{f.text}\u201d ({f.label})" for f in findings)
