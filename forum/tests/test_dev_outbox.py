"""make run's outbox: e-mails written as files and listed, links clickable, at
/dev/outbox/ - only with debug on and the file outbox configured."""

import importlib

import pytest
from django.core.mail import get_connection, send_mail
from django.http import Http404
from django.test import RequestFactory
from django.urls import NoReverseMatch, clear_url_caches, reverse

import forum.urls
from forum.site.dev_outbox import outbox, read_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_outbox(settings, tmp_path):
    settings.DEBUG = True
    settings.DEV_OUTBOX = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    yield tmp_path
    # Pages rendered meanwhile may have imported the URL map with the outbox routed.
    settings.DEV_OUTBOX = False
    _reload_urls()


def _reload_urls():
    importlib.reload(forum.urls)
    clear_url_caches()


def send(subject, body, to="patient@example.org"):
    backend = "django.core.mail.backends.filebased.EmailBackend"
    send_mail(subject, body, None, [to], connection=get_connection(backend))


def test_the_outbox_lists_messages_newest_first_with_clickable_links(file_outbox, rf):
    send("Confirm your e-mail", "Open http://127.0.0.1:8000/accounts/confirm-email/abc/ now.")
    send("A doctor answered", "Read it: http://127.0.0.1:8000/questions/7/x/ <b>bold</b>")

    messages = read_outbox(file_outbox)
    assert [m.subject for m in messages] == ["A doctor answered", "Confirm your e-mail"]

    request = rf.get("/dev/outbox/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    html = outbox(request).content.decode()
    link = "http://127.0.0.1:8000/accounts/confirm-email/abc/"
    assert f'<a href="{link}">{link}</a>' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html  # the message text is escaped
    assert html.index("A doctor answered") < html.index("Confirm your e-mail")


def test_no_outbox_page_with_debug_off(settings, tmp_path):
    settings.DEBUG = False
    settings.DEV_OUTBOX = True
    settings.EMAIL_FILE_PATH = str(tmp_path)
    with pytest.raises(Http404):
        outbox(RequestFactory().get("/dev/outbox/"))


def test_the_outbox_is_not_routed_outside_make_run(settings):
    assert settings.DEV_OUTBOX is False  # tests run with debug off
    _reload_urls()
    with pytest.raises(NoReverseMatch):
        reverse("dev-outbox")
