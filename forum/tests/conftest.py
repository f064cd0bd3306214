"""Skip, with one summary line, tests whose outside program is missing (see external.py).

Browser tests carry the `browser` marker; process-level tests carry
`system(needs=[...])`. With REQUIRE_BROWSER=1, REQUIRE_POSTGRES=1 or REQUIRE_REDIS=1 a
missing program fails those tests instead of skipping them.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from forum.tests.external import NEEDS, missing

FAIL_REASON = pytest.StashKey[str]()
SKIPPED = pytest.StashKey[dict]()


def _needs(item: pytest.Item) -> list[str]:
    needs = []
    if item.get_closest_marker("browser"):
        needs.append("browser")
    system = item.get_closest_marker("system")
    if system:
        needs.extend(system.kwargs.get("needs", ()))
    return needs


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    skipped: dict[str, tuple[int, str]] = {}
    counts: Counter = Counter()
    for item in items:
        for need in _needs(item):
            reason = missing(need)
            if reason is None:
                continue
            if os.environ.get(NEEDS[need].require) == "1":
                item.stash[FAIL_REASON] = f"{NEEDS[need].require}=1 but {reason}"
            else:
                item.add_marker(pytest.mark.skip(reason=reason))
                counts[need] += 1
                skipped[need] = (counts[need], reason)
            break
    config.stash[SKIPPED] = skipped


def pytest_runtest_setup(item):
    reason = item.stash.get(FAIL_REASON, None)
    if reason:
        pytest.fail(reason, pytrace=False)


def pytest_terminal_summary(terminalreporter, config):
    for need, (count, reason) in config.stash.get(SKIPPED, {}).items():
        terminalreporter.write_line(
            f"SKIPPED {count} {NEEDS[need].tests} tests: {reason} "
            f"(install: {NEEDS[need].install}; {NEEDS[need].require}=1 makes this a failure)"
        )
