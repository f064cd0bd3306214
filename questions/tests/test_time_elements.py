"""Every <time datetime> value is one the HTML standard accepts, whatever the clock gave.

Timestamps written while the site runs carry microseconds; HTML allows at most three
digits of a fraction of a second, so the W3C checker refuses them if they reach a page.
"""

import re
from datetime import UTC, datetime

import pytest

from answers.tests.factories import ReplyFactory
from questions.models import Question

pytestmark = pytest.mark.django_db

# A valid date string, or a valid global date and time string (HTML, "dates and times").
VALID_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2}))?"
)
DATETIME_ATTRIBUTE = re.compile(r'<time datetime="([^"]*)"')

WITH_MICROSECONDS = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)


def time_values(html: str) -> list[str]:
    return DATETIME_ATTRIBUTE.findall(html)


def test_qa_page_times_have_whole_seconds_and_a_zone(client, question, doctor):
    Question.objects.filter(pk=question.pk).update(created_at=WITH_MICROSECONDS)
    ReplyFactory(question=question, doctor=doctor, published_at=WITH_MICROSECONDS)
    question.refresh_from_db()

    html = client.get(question.get_absolute_url()).content.decode()

    values = time_values(html)
    assert len(values) >= 2  # the ask date and the reply date
    for value in values:
        assert VALID_DATETIME.fullmatch(value), value
    # Shown in the site's zone (Asia/Taipei, UTC+8), to the second.
    assert "2026-03-04T13:06:07+08:00" in values
