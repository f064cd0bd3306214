"""The paths the security layer guards or exempts, found by URL name at request time."""

from __future__ import annotations

from django.urls import NoReverseMatch

from forum.reversing import fast_reverse


def path_of(name: str, fallback: str | None = None) -> str | None:
    """The path of a URL name, resolved at request time so features that land
    later are guarded by name; the fallback keeps the guard on before they do."""
    try:
        return fast_reverse(name)  # reverse() once per process: this runs on every request
    except NoReverseMatch:
        return fallback


def paths_of(names: list[str]) -> list[str]:
    """The paths of those URL names that resolve."""
    return [path for path in (path_of(name) for name in names) if path]
