"""Real races: two threads with their own database connections act at the same moment."""

import threading
import time

import pytest
from django.db import OperationalError, connection

from answers.actions import approve_reply, submit_reply
from answers.models import Reply
from answers.tests.factories import ReplyFactory
from forum.models import ModerationEvent
from forum.tests.factories import DoctorProfileFactory, ModeratorFactory, SpecialtyFactory
from questions.models import Question
from questions.tests.factories import QuestionFactory

# Transactional (real threads); role_groups puts back the groups the flush drops.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("role_groups")]

BODY = "Sleep, fluids and a headache diary help; see your doctor if it persists or worsens."


def _waiting_for_locks(call):
    """Run call, retrying while SQLite reports a lock conflict.

    PostgreSQL makes the second transaction wait for the row lock. SQLite's in-memory
    test database (shared cache) reports "table is locked" at once instead of waiting
    as the file database's busy timeout does; the action's transaction has rolled back
    by then, so retrying is what the file database would do.
    """
    for _ in range(200):
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("still locked after 200 tries")


def _race(*calls):
    """Run the calls in parallel threads that start together; return their exceptions."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            _waiting_for_locks(call)
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_two_doctors_publishing_at_once_keep_both_replies_and_one_answered_at(settings):
    settings.HELD_REPLIES_FOR_NEW_DOCTORS = 0
    specialty = SpecialtyFactory()
    question = QuestionFactory(specialty=specialty)
    doctors = DoctorProfileFactory.create_batch(2, specialties=[specialty])
    errors = _race(
        *[(lambda d=d: submit_reply(question=question, doctor=d, body=BODY)) for d in doctors]
    )
    assert errors == []
    replies = list(Reply.objects.filter(question=question).order_by("published_at"))
    assert [r.status for r in replies] == ["published", "published"]
    question.refresh_from_db()
    assert question.answered_at == replies[0].published_at


def test_two_moderators_approving_the_same_reply_at_once_publish_it_once():
    reply = ReplyFactory(status=Reply.Status.HELD, published_at=None)
    Question.objects.filter(pk=reply.question_id).update(answered_at=None)
    moderators = ModeratorFactory.create_batch(2)
    errors = _race(*[(lambda m=m: approve_reply(reply=reply, moderator=m)) for m in moderators])
    assert errors == []
    reply.refresh_from_db()
    assert reply.status == Reply.Status.PUBLISHED
    assert ModerationEvent.objects.filter(action="approve_reply").count() == 1
