import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from forum import db_router
from forum.db_router import PIN_COOKIE, PinPrimaryMiddleware, PrimaryReplicaRouter
from forum.models import Specialty

ROOT = Path(__file__).resolve().parents[2]


def test_router_reads_from_replica_and_writes_to_primary():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Specialty) == "replica"
    assert router.db_for_write(Specialty) == "default"


def test_router_migrates_only_the_primary():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "forum") is True
    assert router.allow_migrate("replica", "forum") is False


def test_router_reads_from_primary_inside_a_transaction(transactional_db):
    router = PrimaryReplicaRouter()
    with transaction.atomic():
        assert router.db_for_read(Specialty) == "default"
    assert router.db_for_read(Specialty) == "replica"


def test_router_reads_from_primary_when_pinned():
    router = PrimaryReplicaRouter()
    with db_router.pinned_to_primary():
        assert router.db_for_read(Specialty) == "default"
    assert router.db_for_read(Specialty) == "replica"


def test_router_allows_relations_between_primary_and_replica_objects():
    first, second = Specialty(), Specialty()
    first._state.db, second._state.db = "default", "replica"
    assert PrimaryReplicaRouter().allow_relation(first, second) is True


def _middleware(settings, seen):
    settings.DATABASE_REPLICA_URL = "postgres://u:p@replica.internal:5432/forum"

    def view(request):
        seen.append(db_router.is_pinned())
        return HttpResponse("ok")

    return PinPrimaryMiddleware(view)


def test_pin_middleware_pins_a_post_and_sets_a_short_cookie(settings):
    seen = []
    response = _middleware(settings, seen)(RequestFactory().post("/questions/ask/"))
    assert seen == [True]
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    assert db_router.is_pinned() is False


def test_pin_middleware_reads_from_replica_on_a_plain_get(settings):
    seen = []
    response = _middleware(settings, seen)(RequestFactory().get("/"))
    assert seen == [False]
    assert PIN_COOKIE not in response.cookies


def test_pin_middleware_pins_a_get_right_after_a_write(settings):
    seen = []
    request = RequestFactory().get("/questions/mine/")
    request.COOKIES[PIN_COOKIE] = "1"
    _middleware(settings, seen)(request)
    assert seen == [True]


def test_pin_middleware_is_unused_without_a_replica(settings):
    from django.core.exceptions import MiddlewareNotUsed

    settings.DATABASE_REPLICA_URL = ""
    with pytest.raises(MiddlewareNotUsed):
        PinPrimaryMiddleware(lambda request: HttpResponse())


def test_replica_url_adds_a_mirrored_replica_router_and_pin_middleware():
    code = (
        "import forum.settings as s; r = s.DATABASES['replica'];"
        "print(r['HOST'], r['TEST']['MIRROR'], s.DATABASE_ROUTERS[0],"
        " s.MIDDLEWARE.index('forum.db_router.PinPrimaryMiddleware')"
        " < s.MIDDLEWARE.index('django.contrib.sessions.middleware.SessionMiddleware'))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://u:p@primary.internal:5432/forum",
        DATABASE_REPLICA_URL="postgres://u:p@replica.internal:5432/forum",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [
        "replica.internal",
        "default",
        "forum.db_router.PrimaryReplicaRouter",
        "True",
    ]


def test_no_replica_url_means_no_router():
    code = "import forum.settings as s; print(len(s.DATABASE_ROUTERS), sorted(s.DATABASES))"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DJANGO_DEBUG="1")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0 ['default']"
