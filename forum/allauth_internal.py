"""The site's one use of a private django-allauth function, kept behind one function.

Why: a session counts as two-factor authenticated when allauth's record of the
session's authentications holds an "mfa" entry (forum.security reads it with the
public ``allauth.account.authentication.get_authentication_records``). When someone
turns on an authenticator app, allauth adds the authenticator but writes no such
entry, so the person would be asked for a code right after proving the app works.
allauth offers no public way to add an entry (its public ``authentication`` module
exports only the reader and the session key), and writing the session ourselves would
need a second private name (the key of the user the records belong to) and skip the
``authentication_step_completed`` signal. So the entry is written by allauth's own
``record_authentication``, imported here at start-up: if a release moves or renames it,
the site fails to start, and forum/tests/test_allauth_internal.py says what changed.
"""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import record_authentication


def record_two_factor(request: Any, user: Any, authenticator: Any) -> None:
    """Record in the session that `user` just used `authenticator`, as allauth's
    own two-factor log-in step records it."""
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
    )
