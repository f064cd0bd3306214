"""Translations cannot rot: the zh-Hant catalogues (django: Python files and both template
families; djangojs: static/js/) hold every string of the source, each translated, not
fuzzy, with the same placeholders, and the committed .mo files say what the .po files say
(the site runs on the .mo without GNU gettext; the check needs only polib).

The extraction runs `manage.py makemessages` (forum/management/commands/makemessages.py,
which also reads the Jinja2 templates) into a temporary folder, never into locale/. It
needs GNU gettext's xgettext: CI installs it (.ci/run) and sets REQUIRE_VALIDATORS=1, which
makes its absence a failure; elsewhere that test is reported as not run.

Each failure lists the entries by file:line, so whoever added a string sees where.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = "zh_Hant"
DOMAINS = ("django", "djangojs")
CATALOGUE = Path(settings.BASE_DIR) / "locale" / LOCALE / "LC_MESSAGES"
# %(name)s / %(count)d, positional %s / %d, and Python's {name} (brace-format).
# Not sources: the catalogues themselves, installed and generated files.
SKIPPED = {"locale", ".git", ".venv", "node_modules", "staticfiles", "artifacts", "bench"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _committed(domain: str) -> polib.POFile:
    return polib.pofile(str(CATALOGUE / f"{domain}.po"))


def _key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _where(entry) -> str:
    places = ", ".join(f"{path}:{line}" for path, line in entry.occurrences) or "(no reference)"
    return f"{places}: {entry.msgid!r}"


def _report(title: str, entries) -> str:
    lines = sorted(_where(entry) for entry in entries)
    return f"{title} ({len(lines)}):\n  " + "\n  ".join(lines)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, polib.POFile]:
    """The catalogues makemessages makes from the source as it is now, per domain."""
    if shutil.which("xgettext") is None:
        message = (
            "GNU gettext (xgettext) is not installed: the catalogue extraction check did not run"
        )
        if os.environ.get("REQUIRE_VALIDATORS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # makemessages writes beside any locale/ folder it finds under the current folder,
    # so it runs in a folder that links to the project's sources but not to locale/, and
    # writes into LOCALE_PATHS, pointed at a temporary folder.
    folder = tmp_path_factory.mktemp("locale")
    sources = tmp_path_factory.mktemp("sources")
    for item in Path(settings.BASE_DIR).iterdir():
        if item.name not in SKIPPED:
            (sources / item.name).symlink_to(item)
    cwd = os.getcwd()
    os.chdir(sources)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "LOCALE_PATHS", [str(folder)])
            for domain in DOMAINS:
                call_command(
                    "makemessages", locale=[LOCALE], domain=domain, symlinks=True, verbosity=0
                )
    finally:
        os.chdir(cwd)
    return {
        domain: polib.pofile(str(folder / LOCALE / "LC_MESSAGES" / f"{domain}.po"))
        for domain in DOMAINS
    }


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_of_the_source_is_in_the_catalogue(extracted, domain):
    committed = {_key(entry) for entry in _committed(domain)}
    missing = [entry for entry in extracted[domain] if _key(entry) not in committed]
    assert not missing, _report(
        f"Strings not in locale/{LOCALE}/LC_MESSAGES/{domain}.po: run "
        f"`manage.py makemessages -l {LOCALE}"
        + (" -d djangojs" if domain == "djangojs" else "")
        + "`, translate them, then `manage.py compilemessages`",
        missing,
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_entry_is_translated_and_not_fuzzy(domain):
    entries = [entry for entry in _committed(domain) if not entry.obsolete]
    untranslated = [
        entry for entry in entries if not entry.translated() and "fuzzy" not in entry.flags
    ]
    fuzzy = [entry for entry in entries if "fuzzy" in entry.flags]
    problems = []
    if untranslated:
        problems.append(_report(f"Empty zh-Hant entries in {domain}.po", untranslated))
    if fuzzy:
        problems.append(
            _report(f"Fuzzy zh-Hant entries in {domain}.po (check, then drop the flag)", fuzzy)
        )
    assert not problems, "\n".join(problems)


def _translations(catalogue) -> dict[tuple[str, str], tuple[str, ...]]:
    """What a compiled catalogue holds: translated, non-fuzzy entries, header left out."""
    found = {}
    for entry in catalogue:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            strings = tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
            if not all(strings):
                continue
        else:
            if not entry.msgstr:
                continue
            strings = (entry.msgstr,)
        found[_key(entry)] = strings
    return found


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_mo_matches_the_po(domain):
    mo_path = CATALOGUE / f"{domain}.mo"
    assert mo_path.exists(), f"{mo_path} is missing: run `manage.py compilemessages -l {LOCALE}`"
    po = _translations(_committed(domain))
    mo = _translations(polib.mofile(str(mo_path)))
    stale = sorted(f"{key[1]!r}" for key in po.keys() ^ mo.keys()) + sorted(
        f"{key[1]!r}" for key in po.keys() & mo.keys() if po[key] != mo[key]
    )
    assert not stale, (
        f"{domain}.mo differs from {domain}.po (run `manage.py compilemessages -l {LOCALE}`):\n  "
        + "\n  ".join(stale)
    )


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_the_placeholders(domain):
    wrong = []
    for entry in _committed(domain):
        if not entry.msgid or entry.obsolete:
            continue
        if entry.msgid_plural:
            # zh-Hant has one plural form, said like the English plural.
            expected = set(_placeholders(entry.msgid_plural))
            if any(
                set(_placeholders(text)) != expected
                for text in entry.msgstr_plural.values()
                if text
            ):
                wrong.append(entry)
        elif entry.msgstr and _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            wrong.append(entry)
    assert not wrong, _report(f"Placeholders differ between msgid and msgstr in {domain}.po", wrong)


def test_the_placeholder_check_sees_a_dropped_or_renamed_placeholder():
    assert _placeholders("Answered by %(name)s on %(date)s") == ["%(date)s", "%(name)s"]
    assert _placeholders("由 %(name)s 回覆") != _placeholders("Answered by %(name)s on %(date)s")
    assert _placeholders("%(nam)s 回覆") != _placeholders("%(name)s reply")
