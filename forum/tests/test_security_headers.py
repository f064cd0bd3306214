"""Every security header on every response of the main pages, for every role.

The walker takes its pages from PAGES, which also names pages still being built:
a name that does not resolve yet (NoReverseMatch) is skipped, so the same test
covers them once they land. Long because the walker, its HTML checker and the
error-page cases share the PAGES table and the role clients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware
from django.contrib import admin
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from forum.models import ModerationEvent
from forum.security import SitePolicyCSPMiddleware, admin_inline_style_hashes, csp_hash
from forum.tests.two_factor import give_totp, log_in_with_totp

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    name: str
    kwargs: str | None = None  # key of a function in KWARGS below
    query: str = ""


KWARGS = {
    "specialty": lambda d: {"slug": d["specialty"].slug},
    "doctor": lambda d: {"slug": d["doctor"].slug},
    "question": lambda d: {"pk": d["question"].pk, "slug": d["question"].slug},
    "question_pk": lambda d: {"pk": d["question"].pk},
    "tag": lambda d: {"slug": d["tag"].slug},
    "user_pk": lambda d: {"object_id": d["question"].author_id},
}

# The single list of pages to walk. Keep names of pages being built here.
PAGES = [
    Page("forum:home"),
    Page("forum:specialty", "specialty"),
    Page("forum:doctor", "doctor"),
    Page("forum:search", query="?q=headache"),
    Page("questions:detail", "question"),
    Page("questions:detail-short", "question_pk"),
    Page("questions:tag", "tag"),
    Page("questions:ask"),
    Page("questions:mine"),
    Page("answers:faqs"),
    Page("answers:dashboard"),
    Page("answers:apply"),
    Page("answers:reply", "question_pk"),
    Page("answers:moderation"),
    Page("account_login"),
    Page("account_signup"),
    Page("account_reset_password"),
    Page("account_email"),
    Page("account_change_password"),
    Page("mfa_index"),
    Page("admin:index"),
    Page("admin:login"),
    Page("admin:forum_specialty_changelist"),
    Page("admin:forum_specialty_add"),
    Page("admin:forum_moderationevent_changelist"),
    Page("admin:forum_user_change", "user_pk"),
    Page("admin:answers_article_changelist"),
    Page("admin:answers_article_add"),
    Page("healthz"),
    Page("robots-txt"),
]

# Names that exist on every branch: the walk must resolve at least these.
MUST_RESOLVE = {
    "forum:home",
    "forum:specialty",
    "questions:detail",
    "questions:tag",
    "account_login",
    "account_signup",
    "admin:index",
}

ROLES = ["anonymous", "patient", "doctor", "moderator", "editor", "superuser"]

JSON_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts and styles (with
    their text, so CSP hashes can be honoured), style attributes, event-handler
    attributes and javascript: URLs; and POST forms without a CSRF token."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.inline: list[tuple[str, str]] = []  # (tag, text) to check against hashes
        self.post_forms: list[dict] = []
        self._open: str | None = None
        self._text: list[str] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f'<{tag} style="{value}">')
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "style" or (
            tag == "script"
            and "src" not in attributes
            and (attributes.get("type") or "").lower() not in JSON_SCRIPT_TYPES
        ):
            self._open, self._text = tag, []
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self._form = {"action": attributes.get("action", ""), "csrf": False}
            self.post_forms.append(self._form)
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken" and self._form:
            self._form["csrf"] = True

    def handle_endtag(self, tag):
        if tag == self._open:
            self.inline.append((tag, "".join(self._text)))
            self._open = None
        if tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._open:
            self._text.append(data)


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def check_headers(url: str, response, *, authenticated: bool) -> list[str]:
    """What is missing or wrong in one response's security headers."""
    problems = []
    csp = response.get("Content-Security-Policy")
    if not csp:
        return [f"{url}: no Content-Security-Policy"]
    directives = parse_csp(csp)
    expected = {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    for directive, sources in expected.items():
        if directives.get(directive) != sources:
            problems.append(f"{url}: CSP {directive} is {directives.get(directive)}")
    for directive in ["script-src", "style-src"]:
        sources = directives.get(directive, [])
        if "'self'" not in sources:
            problems.append(f"{url}: CSP {directive} lacks 'self'")
        for unsafe in ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"]:
            if unsafe in sources:
                problems.append(f"{url}: CSP {directive} allows {unsafe}")
    wanted = {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    for header, value in wanted.items():
        if response.get(header) != value:
            problems.append(f"{url}: {header} is {response.get(header)!r}")
    permissions = response.get("Permissions-Policy", "")
    for feature in ["camera", "microphone", "geolocation", "interest-cohort", "payment"]:
        if f"{feature}=()" not in permissions:
            problems.append(f"{url}: Permissions-Policy does not turn off {feature}")
    if authenticated and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{url}: signed-in page may be cached: {response.get('Cache-Control')}")
    for name, morsel in response.cookies.items():
        if not morsel.value:
            continue  # a deletion
        if not (morsel["secure"] and morsel["samesite"]):
            problems.append(f"{url}: cookie {name} lacks Secure or SameSite")
        if name.endswith(("sessionid", "csrftoken")) and not morsel["httponly"]:
            problems.append(f"{url}: cookie {name} lacks HttpOnly")
    return problems


def check_html(url: str, response) -> list[str]:
    """Inline code a strict CSP blocks (unless its hash is allowed), and POST
    forms without a CSRF token."""
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    problems = [f"{url}: {problem}" for problem in finder.problems]
    directives = parse_csp(response["Content-Security-Policy"])
    for tag, text in finder.inline:
        allowed = directives.get("style-src" if tag == "style" else "script-src", [])
        if csp_hash(text) not in allowed:
            problems.append(f"{url}: inline <{tag}> {text.strip()[:60]!r}")
    for form in finder.post_forms:
        # The language switcher posts without a token for anonymous visitors, by design:
        # its view checks the token of signed-in users only (forum/i18n.py,
        # forum/tests/test_i18n_urls.py).
        if not form["csrf"] and form["action"] != "/language/":
            problems.append(f"{url}: POST form to {form['action']!r} without a CSRF token")
    return problems


@pytest.fixture
def data(db, question, doctor):
    from forum.tests.factories import UserFactory
    from questions.tests.factories import TagFactory

    tag = TagFactory(name="headache", slug="headache")
    question.tags.add(tag)
    return {
        "question": question,
        "specialty": question.specialty,
        "doctor": doctor,
        "tag": tag,
        "superuser": UserFactory(email="root@example.org", is_staff=True, is_superuser=True),
    }


def client_for(role: str, request, data) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    if role == "doctor":
        client.force_login(data["doctor"].user)
        return client
    user = data["superuser"] if role == "superuser" else request.getfixturevalue(role)
    if role in {"moderator", "editor", "superuser"}:
        give_totp(user)
        log_in_with_totp(client, user)  # the real log-in, with the two-factor step
    else:
        client.force_login(user)
    return client


def walk_urls(data) -> list[tuple[str, str]]:
    urls = []
    for page in PAGES:
        kwargs = KWARGS[page.kwargs](data) if page.kwargs else None
        try:
            urls.append((page.name, reverse(page.name, kwargs=kwargs) + page.query))
        except NoReverseMatch:
            continue  # not built yet on this branch
    return urls


def test_walker_resolves_the_pages_every_branch_has(data):
    resolved = {name for name, _ in walk_urls(data)}
    assert MUST_RESOLVE <= resolved


@pytest.mark.parametrize("role", ROLES)
def test_every_response_carries_every_security_header(role, request, data):
    client = client_for(role, request, data)
    problems, html_pages = [], 0
    for _, url in walk_urls(data):
        response = client.get(url, secure=True)
        problems += check_headers(url, response, authenticated=role != "anonymous")
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html_pages += 1
            problems += check_html(url, response)
    assert not problems, "\n".join(problems)
    assert html_pages >= 5


def test_staff_walk_reaches_the_admin_pages(request, data):
    client = client_for("superuser", request, data)
    for name in ["admin:index", "admin:forum_specialty_add", "admin:forum_user_change"]:
        kwargs = KWARGS["user_pk"](data) if name.endswith("_change") else None
        assert client.get(reverse(name, kwargs=kwargs), secure=True).status_code == 200


def test_admin_inline_style_is_allowed_by_its_hash_only_under_admin(request, data, monkeypatch):
    """Django's admin adds one inline <style> to change lists of model admins
    without actions; CSP allows exactly that text under /admin/ and nowhere else."""
    model_admin = admin.site._registry[ModerationEvent]
    monkeypatch.setattr(model_admin, "actions_on_top", False)
    monkeypatch.setattr(model_admin, "actions_on_bottom", False)
    client = client_for("superuser", request, data)
    url = reverse("admin:forum_moderationevent_changelist")
    response = client.get(url, secure=True)
    assert response.status_code == 200
    style = re.search(r"<style>(.*?)</style>", response.content.decode(), re.DOTALL).group(1)
    style_src = parse_csp(response["Content-Security-Policy"])["style-src"]
    assert style_src == ["'self'", csp_hash(style)]
    assert not check_html(url, response)
    home = client.get(reverse("forum:home"), secure=True)
    assert parse_csp(home["Content-Security-Policy"])["style-src"] == ["'self'"]


def test_hsts_only_on_https(client):
    assert "Strict-Transport-Security" not in client.get(reverse("forum:home"))
    assert "Strict-Transport-Security" in client.get(reverse("forum:home"), secure=True)


def test_post_without_csrf_token_is_refused_with_our_page(patient):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_login"), {"login": patient.email, "password": "x"}, secure=True
    )
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert not check_headers("csrf-403", response, authenticated=False)
    assert not check_html("csrf-403", response)


def test_error_pages_carry_the_headers(client):
    response = client.get("/no-such-page/", secure=True)
    assert response.status_code == 404
    assert not check_headers("404", response, authenticated=False)
    assert not check_html("404", response)


def test_inline_code_finder_catches_what_csp_blocks():
    """The walker's HTML check can fail: each of these is reported."""
    html = (
        '<div style="color:red"></div><a href="javascript:go()">x</a>'
        '<button onclick="go()">x</button><script>go()</script><style>p{}</style>'
        '<form method="post" action="/x/"></form>'
        '<script type="application/ld+json">{}</script><script src="/s.js"></script>'
    )
    finder = InlineCodeFinder()
    finder.feed(html)
    assert len(finder.problems) == 3
    assert [tag for tag, _ in finder.inline] == ["script", "style"]
    assert finder.post_forms == [{"action": "/x/", "csrf": False}]


@pytest.mark.parametrize("role", ["patient", "editor"])
def test_signed_in_pages_answer_503_when_database_is_unreachable(
    client, role, request, monkeypatch
):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    from forum.tests.two_factor import login_with_two_factor

    login_with_two_factor(client, request.getfixturevalue(role))

    def broken(*args, **kwargs):
        raise OperationalError("could not connect")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    for url in [reverse("forum:home"), reverse("admin:index")]:
        response = client.get(url, secure=True)
        assert response.status_code == 503, url
        assert b"right back" in response.content
        assert not check_headers(url, response, authenticated=False)


def _csp_headers(middleware_class, request, response) -> dict:
    response = middleware_class(lambda request: response).process_response(request, response)
    return {name: response.get(name) for name in (CSP_HEADER, CSP_HEADER_REPORT_ONLY)}


@pytest.mark.parametrize(
    "case", ["site policy", "updated", "replaced", "exempt", "nonce used", "header set"]
)
@pytest.mark.parametrize("report_only", [False, True])
def test_site_policy_middleware_gives_django_csp_headers(case, report_only, settings):
    """Away from its scoped exceptions, what SitePolicyCSPMiddleware sends is what
    django-csp's own middleware sends, whatever the response asks for."""
    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
            "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-report/"}
        }
    headers = []
    for middleware_class in (SitePolicyCSPMiddleware, CSPMiddleware):
        request = RequestFactory().get("/questions/1/a/")
        middleware_class(lambda request: None).process_request(request)
        response = HttpResponse("page")
        if case == "updated":
            response._csp_update = {"img-src": ["data:"]}
        elif case == "replaced":
            response._csp_replace = {"script-src": ["'none'"]}
        elif case == "exempt":
            response._csp_exempt = True
        elif case == "nonce used":
            str(request.csp_nonce)
            request._csp_nonce = "fixed-for-the-comparison"
        elif case == "header set":
            response[CSP_HEADER] = "default-src 'none'"
        headers.append(_csp_headers(middleware_class, request, response))
    assert headers[0] == headers[1]
    if case == "site policy":
        assert "default-src 'self'" in headers[0][CSP_HEADER]
        assert (headers[0][CSP_HEADER_REPORT_ONLY] is not None) is report_only


# --- Responses refused before the header middleware ran (issue 14, finding 11) ----------

EARLY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
@pytest.mark.parametrize("path_of", ["home", "qa", "admin", "login-post"])
def test_disallowed_host_400_carries_every_security_header(data, host, path_of):
    client = Client()
    question = data["question"]
    url = {
        "home": reverse("forum:home"),
        "qa": reverse("questions:detail", kwargs={"pk": question.pk, "slug": question.slug}),
        "admin": reverse("admin:index"),
        "login-post": reverse("account_login"),
    }[path_of]
    if path_of == "login-post":
        response = client.post(url, {"login": "x@example.org"}, HTTP_HOST=host, secure=True)
    else:
        response = client.get(url, HTTP_HOST=host, secure=True)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    for header, value in EARLY_HEADERS.items():
        assert response.get(header) == value, header
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert not check_headers("400", response, authenticated=False)
    assert not check_html("400", response)


def test_a_400_from_a_view_gets_the_headers_once(client):
    """A 400 raised after the header middleware ran (an oversized form body, read by
    the CSRF check) is left to that middleware: one of each header, as on any page."""
    response = client.post(reverse("account_login"), {"login": "x" * 3_000_000}, secure=True)
    assert response.status_code == 400
    assert not check_headers("400-late", response, authenticated=False)
    assert response.headers["Content-Security-Policy"].count("default-src") == 1


def test_error_page_made_before_the_header_middleware_ran_carries_the_headers(rf):
    from forum.service_views import server_error

    request = rf.get("/")
    try:
        raise RuntimeError("raised in a middleware's body")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_scoped_exception_adds_to_what_the_view_asked_for(rf):
    """The admin's style hash is added on top of a view's csp_update (django-csp's
    public decorator), without changing the decorator's own policy for later responses."""
    asked = {"style-src": "https://styles.example"}

    @csp_update(asked)
    def view(request):
        return HttpResponse("page")

    middleware = SitePolicyCSPMiddleware(view)
    for _ in range(2):
        request = rf.get(reverse("admin:index"))
        middleware.process_request(request)
        response = middleware.process_response(request, view(request))
        style_src = parse_csp(response[CSP_HEADER])["style-src"]
        assert style_src == ["'self'", "https://styles.example", *admin_inline_style_hashes()]
    assert asked == {"style-src": "https://styles.example"}
