"""Screening benchmark: recall and false alarms on labelled texts, and screening time.

    .venv/bin/python bench/screening.py            # both splits, figures per language
    .venv/bin/python bench/screening.py --misses   # also list what each split got wrong

The texts (bench/screening_data/*.tsv, written for this project) are labelled with the
red-flag categories (rf:...) and personal-data kinds (pd:...) they contain, or "-".
`heldout.tsv` was written before the rules were tuned and is never tuned on (its last
round of handle texts was, see its header); `fresh.tsv` was written in one sitting
without looking at the rules or the other files and run once before the rules were
widened for what it missed (see its header); `unseen.tsv` (200 texts) was written by an
author who never saw the rules, for a blind check (its header has its first run);
`tuning.tsv` is what the rules were adjusted against.

`unseen.tsv`, `unseen2.tsv` and `unseen3.tsv` are no longer blind: after the one blind run
of each, the rules were widened for each kind of text it missed or alarmed on (see their
headers), so they are tuning sets like `fresh.tsv`, and their figures say nothing about
texts the rules have not seen. The next blind check is `unseen4.tsv`, written by someone
who has not seen the rules and supplied separately: it is not in the default run (so no
tuning run reads it by accident), and is meant to be run once, with `--split unseen4`,
before anything is changed for it. Until it is there, the default run goes on without it
and `--split unseen4` says so.

For each split and language it prints, for red flags and for personal data:
- recall: of the texts labelled with a category, the share where screening found it
  (per category, and over all labelled text-category pairs);
- false alarms: of the texts with no label of that family, the share where screening
  found something of it (per category: found that category);
- any red flag: of the texts labelled with at least one red flag, the share where
  screening found at least one red flag of any category, so that the emergency notice is
  shown (a text labelled "suicide" found only as "poisoning" still gets a notice and the
  help numbers, though the per-category recall counts it as a miss).
Then the time to screen a 5,000-character text (see timing()), p50 and p95 over --rounds
runs. Targets (issue 17) on the held-out split:
red-flag recall >= 95% and false alarms <= 5% per language, the same for personal data,
and 5,000 characters screened in under 5 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)

import django  # noqa: E402

django.setup()

from questions.screening import screen  # noqa: E402

DATA = Path(__file__).resolve().parent / "screening_data"
SPLITS = (
    "tuning",
    "heldout",
    "fresh",
    "unseen",
    "unseen2",
    "unseen3",
    "unseen4",
    "unseen5",
    "unseen6",
    "unseen7",
    "unseen8",
    "unseen9",
    "unseen10",
)
# Blind sets: run only when asked for by name, and not part of the timing sample.
BLIND_SPLITS = ("unseen11",)
# What each split is now, printed with its figures: only a blind set measures how well
# the rules do on texts nobody tuned them on.
STATUS = {
    "tuning": "tuning set",
    "heldout": "held out, though its last handle texts were tuned on",
    "fresh": "tuning set since its first run",
    "unseen": "tuning set: blind only for its first run",
    "unseen2": "tuning set: blind only for its first run",
    "unseen3": "tuning set: blind only for its first run",
    "unseen4": "tuning set: blind only for its first run",
    "unseen5": "tuning set: blind only for its first run",
    "unseen6": "tuning set: blind only for its first run",
    "unseen7": "tuning set: blind only for its first run",
    "unseen8": "tuning set: blind only for its first run",
    "unseen9": "tuning set: blind only for its first run",
    "unseen10": "tuning set: blind only for its first run",
    "unseen11": "blind run done (figures in its header); not tuned on yet",
}
FAMILIES = {"rf": "red flags", "pd": "personal data"}


def load(split: str) -> list[tuple[str, set[str], str]]:
    rows = []
    path = DATA / f"{split}.tsv"
    if not path.exists():
        where = path.relative_to(DATA.parent.parent)
        raise SystemExit(f"{where} is not there (yet): nothing to run for --split {split}.")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, labels, text = line.split("\t", 2)
        wanted = set() if labels == "-" else {label.strip() for label in labels.split(",")}
        rows.append((language, wanted, text))
    return rows


def found_labels(text: str) -> set[str]:
    result = screen(text)
    return {f"rf:{f.kind}" for f in result.red_flags} | {
        f"pd:{f.kind}" for f in result.personal_data
    }


def any_of(labels: set[str], family: str) -> bool:
    return any(label.startswith(family + ":") for label in labels)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}% ({part}/{whole})" if whole else "    - (0/0)"


def evaluate(split: str, show_misses: bool) -> None:
    rows = load(split)
    print(f"\n=== {split}: {len(rows)} texts ({STATUS.get(split, 'tuning set')}) ===")
    for language in sorted({r[0] for r in rows}):
        texts = [
            (wanted, text, found_labels(text)) for lang, wanted, text in rows if lang == language
        ]
        benign = sum(1 for wanted, *_ in texts if not wanted)
        print(f"\n[{language}] {len(texts)} texts, {benign} with no label")
        for family, name in FAMILIES.items():
            hits, labelled = Counter(), Counter()
            alarms, clean = Counter(), 0
            any_alarm = 0
            misses = []
            for wanted, text, found in texts:
                mine = {w for w in wanted if w.startswith(family + ":")}
                got = {f for f in found if f.startswith(family + ":")}
                for label in mine:
                    labelled[label] += 1
                    hits[label] += label in got
                    if label not in got:
                        misses.append(f"missed {label}: {text}")
                if not mine:
                    clean += 1
                    any_alarm += bool(got)
                    for label in got:
                        alarms[label] += 1
                        misses.append(f"false {label}: {text}")
            print(
                f"  {name:14} recall {percent(sum(hits.values()), sum(labelled.values()))}"
                f"   false alarms {percent(any_alarm, clean)}"
            )
            if family == "rf":
                flagged = [got for wanted, _t, got in texts if any_of(wanted, "rf")]
                noticed = sum(1 for got in flagged if any_of(got, "rf"))
                print(f"    {'any red flag':14} notice {percent(noticed, len(flagged))}")
            for label in sorted(set(labelled) | set(alarms)):
                short = label.split(":", 1)[1]
                print(
                    f"    {short:14} recall {percent(hits[label], labelled[label])}"
                    f"   false alarms {percent(alarms[label], clean)}"
                )
            if show_misses:
                for line in misses:
                    print("      " + line)


def _sample(texts: list[str]) -> str:
    sample = ""
    while len(sample) < 5000:
        for text in texts:
            sample += text + " "
    return sample[:5000]


def _time(sample: str, rounds: int, clock) -> tuple[float, float, float]:
    for _ in range(20):
        screen(sample)
    times = []
    for _ in range(rounds):
        start = clock()
        screen(sample)
        times.append((clock() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], times[-1]


def timing(rounds: int) -> None:
    """A question as patients write them (the texts without red flags, a red flag or
    two, English and Chinese) and the worst case of the set (every text, so every
    sentence holds a red flag or personal data), each cut to 5,000 characters. Wall-clock
    time and the process's CPU time, which a busy machine disturbs less."""
    rows = [row for split in SPLITS for row in load(split)]
    benign = [text for _lang, wanted, text in rows if not wanted]
    flagged = [text for _lang, wanted, text in rows if wanted]
    # Cut at 5,000 characters, both samples end within tuning.tsv: the sets added later
    # (unseen2.tsv) do not change what is timed.
    typical = _sample(benign[:40] + flagged[:1] + benign[40:] + flagged[100:101])
    dense = _sample([text for _lang, _w, text in rows])
    for name, sample in (("typical question", typical), ("every text (worst)", dense)):
        for clock_name, clock in (("wall", time.perf_counter), ("cpu", time.process_time)):
            p50, p95, most = _time(sample, rounds, clock)
            print(
                f"screen() on {len(sample)} characters, {name:18} {clock_name:4}: "
                f"p50 {p50:6.2f} ms, p95 {p95:6.2f} ms, max {most:6.2f} ms ({rounds} runs)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list each miss and false alarm")
    parser.add_argument("--split", choices=SPLITS + BLIND_SPLITS, help="only this split")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    for split in [args.split] if args.split else SPLITS:
        evaluate(split, args.misses)
    timing(args.rounds)


if __name__ == "__main__":
    main()
