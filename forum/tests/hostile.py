"""Hypothesis strategies for hostile input: arbitrary text with NUL bytes, lone surrogates,
right-to-left marks, SQL and HTML fragments, and how to put such text in a URL or a body."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded so the suite stays fast; any failure hypothesis finds is a real bug to fix.
hostile_settings = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FRAGMENTS = [
    "\x00",
    "%00",
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\ufeff",
    "\ud800",  # lone surrogate
    "\udfff",
    "' OR 1=1 --",
    "'; DROP TABLE questions_question; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "../../etc/passwd",
    "-1",
    "0",
    "9" * 40,
    "1e9999",
    "NaN",
    "\uff11\uff12",  # full-width digits
    " 2 ",
    "last",
    "\n\r\t",
    "\u0000\u200f<b>",
]

hostile_text = st.one_of(
    st.text(max_size=200),
    st.text(st.characters(codec=None, categories=["Cs", "Cc", "Cf", "Zs"]), max_size=40),
    st.sampled_from(FRAGMENTS),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=10), max_size=6).map("".join),
)


def url_quote(text: str) -> str:
    """Percent-encode any text, lone surrogates included, as a browser or a bot could send it."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def form_body(fields: dict[str, str]) -> bytes:
    """An application/x-www-form-urlencoded body from any text, lone surrogates included."""
    return "&".join(
        f"{url_quote(name)}={url_quote(value)}" for name, value in fields.items()
    ).encode()


def assert_not_a_server_error(response) -> None:
    assert response.status_code < 500, response.status_code
    assert b"<script>alert(1)</script>" not in response.content
    assert b"<img src=x onerror" not in response.content
