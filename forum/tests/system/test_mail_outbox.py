"""The e-mail outbox survives a dead worker and a mail server outage.

A local SMTP server (aiosmtpd) that the test starts and stops, a real `db_worker` process
on its own PostgreSQL, and replies published through the site's own action: one worker
is killed (-9) in the middle of a send, the mail server goes down while more replies are
published, and when both come back every expected e-mail arrives exactly once and none
reaches the patient who unsubscribed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from forum.tests.system.processes import ROOT, app_env, free_port, manage, shell, wait_until

pytestmark = pytest.mark.system(needs=["postgres"])

PATIENTS = ["ana@example.org", "bo@example.org", "unsubscribed@example.org"]

SETUP = f"""
from forum import mail
from forum.models import User
from forum.tests.system import seed
for email in {PATIENTS!r}:
    seed.question("Question of " + email, author=seed.patient(email, "a-long-system-password"))
seed.doctor()
quitter = User.objects.get(email="unsubscribed@example.org")
# What the one-click link in an earlier e-mail does (forum/site/email_settings.py).
user, topic, _ = mail.read_unsubscribe_token(
    mail.unsubscribe_token(user=quitter, topic=mail.QUESTION_UPDATES)
)
mail.unsubscribe(user=user, topic=topic)
print("ready")
"""

PUBLISH = """
from django.db import transaction
from answers.actions.replying import lock_question, publish_reply
from answers.models import Reply
from forum.models import DoctorProfile
from questions.models import Question
question = Question.objects.get(author__email={email!r})
with transaction.atomic():
    locked = lock_question(question.pk)
    reply = Reply.objects.create(
        question=locked, doctor=DoctorProfile.objects.get(), body="Rest and drink water."
    )
    publish_reply(reply, question=locked)
print("published")
"""

STATUSES = """
from forum.models import OutgoingEmail
print(sorted(OutgoingEmail.objects.values_list("status", flat=True)))
"""


class Mailbox:
    """The SMTP server's handler: counts what it accepts; `stall` holds senders at RCPT."""

    def __init__(self):
        self.received: list[str] = []
        self.stall = threading.Event()
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stall.is_set():
            self.stalled.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2",
         "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_every_email_arrives_once_after_a_killed_worker_and_a_mail_server_outage(
    postgres, tmp_path
):
    port = free_port()
    env = app_env(
        database_url=postgres.url,
        static_root=str(tmp_path),
        EMAIL_URL=f"smtp://127.0.0.1:{port}?tls=0",
        EMAIL_RETRY_BASE_SECONDS="1",
        EMAIL_RETRY_MAX_SECONDS="2",
        EMAIL_MAX_ATTEMPTS="100",
        EMAIL_SEND_LEASE_SECONDS="3",
    )
    assert shell(env, SETUP, migrate=True) == "ready"
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
    smtp.start()
    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        # 1. The worker is killed in the middle of sending Ana's e-mail.
        mailbox.stall.set()
        assert shell(env, PUBLISH.format(email="ana@example.org")) == "published"
        wait_until(mailbox.stalled.is_set, 30, "the worker to start sending")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        mailbox.stall.clear()
        mailbox.release.set()
        # 2. The mail server goes down; replies are published meanwhile, and a new
        # worker keeps failing to connect (it retries with back-off).
        smtp.stop()
        worker = start_worker(env, log)
        for email in ("bo@example.org", "unsubscribed@example.org", "ana@example.org"):
            assert shell(env, PUBLISH.format(email=email)) == "published"
        time.sleep(3)
        assert mailbox.received == []
        # 3. Both come back: the mail server on its address, and cron's requeue_email
        # for the message the killed worker held.
        smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
        smtp.start()

        def all_arrived() -> bool:
            manage(env, "requeue_email")
            return len(mailbox.received) >= 3

        wait_until(all_arrived, 60, "the queued e-mails to arrive")
        time.sleep(4)  # room for any duplicate to show up
        assert Counter(mailbox.received) == {"ana@example.org": 2, "bo@example.org": 1}
        assert shell(env, STATUSES) == "['sent', 'sent', 'sent']"
        assert "could not be sent" in log.read_text()
    finally:
        worker.kill()
        worker.wait()
        smtp.stop()
