"""What the pieces every page shares show: the header (the site's name, the links for the
viewer's role, the search box's words), the footer, the pager of a list page.

Each engine has one copy of each piece's markup (templates/includes/ for the Django
family, templates/jinja2/includes/ for the Jinja2 one, see forum/site/jinja.py), and both
copies draw it from these functions - Django through forum/site/templatetags/site_chrome.py,
Jinja2 through the globals of forum/site/jinja.py - so the two families cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum import i18n
from forum.reversing import fast_reverse


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    current: bool = False  # the page shown is this link's: aria-current="page"
    icon: str = ""  # the name of its icon in forum/site/icons.py, if it has one


@dataclass(frozen=True)
class SearchBox:
    url: str
    label: str  # the form's aria-label
    field_label: str
    placeholder: str
    button: str


@dataclass(frozen=True)
class LanguageOption:
    code: str  # the form's value: "zh-hant"
    lang: str  # the option's own lang attribute: "zh-Hant"
    name: str  # in its own language: "繁體中文"
    current: bool  # the page's language: aria-current


@dataclass(frozen=True)
class LanguageSwitcher:
    """A form POSTing `language` and `next` (this page) to forum.i18n.switch_language,
    which remembers the choice and shows the same page in that language: it works
    without JavaScript. Signed-in viewers' forms carry a CSRF token (`signed_in`)."""

    url: str
    next: str
    label: str
    options: list[LanguageOption]
    signed_in: bool


@dataclass(frozen=True)
class Header:
    home: Link  # the site's name
    links: list[Link]
    logout: Link | None  # the log-out form's action and button, for a signed-in viewer
    search: SearchBox
    languages: LanguageSwitcher | None = None


def language_switcher(request, user) -> LanguageSwitcher:
    """The header's language switcher for this page."""
    active = translation.get_language()
    next_path = i18n.switcher_next(request) if request is not None else fast_reverse("forum:home")
    return LanguageSwitcher(
        url=fast_reverse("switch-language"),
        next=next_path,
        label=_("Language"),
        options=[
            LanguageOption(code, i18n.html_lang(code), name, code == active)
            for code, name in settings.LANGUAGES
        ],
        signed_in=bool(getattr(user, "is_authenticated", False)),
    )


@dataclass(frozen=True)
class Footer:
    disclaimer_title: str
    disclaimer: str
    links: list[Link]
    copyright: str


@dataclass(frozen=True)
class Pager:
    label: str
    position: str
    previous: Link | None
    next: Link | None


def header(request, user, *, doctor, moderator) -> Header:
    """The main navigation for this viewer. `doctor` and `moderator` are called (once
    each) only for a signed-in user: the context processor's lazy role checks, or a
    view's own when the database may be down (questions.views' ask outage page)."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""

    def link(text: str, name: str, *, marks_current: bool = False, icon: str = "") -> Link:
        return Link(text, fast_reverse(name), marks_current and view_name == name, icon)

    home = Link(settings.SITE_NAME, fast_reverse("forum:home"))
    search = SearchBox(
        url=fast_reverse("forum:search"),
        label=_("Site search"),
        field_label=_("Search questions and answers"),
        placeholder=_("Symptoms, conditions, medicines"),
        button=_("Search"),
    )
    links = [link(_("Ask a doctor"), "questions:ask", marks_current=True, icon="ask")]
    if not getattr(user, "is_authenticated", False):
        links += [link(_("Log in"), "account_login"), link(_("Sign up"), "account_signup")]
        return Header(
            home=home,
            links=links,
            logout=None,
            search=search,
            languages=language_switcher(request, user),
        )
    links.append(link(_("My questions"), "questions:mine", marks_current=True))
    if doctor():
        links.append(link(_("Dashboard"), "answers:dashboard"))
    else:
        links.append(link(_("Apply as a doctor"), "answers:apply"))
    if moderator():
        links += [
            link(_("Moderation"), "answers:moderation"),
            link(_("Log"), "answers:moderation-log"),
        ]
    if user.is_staff:
        links.append(link(_("Admin"), "admin:index"))
    links += [
        link(_("Account"), "account_email"),
        link(_("E-mail settings"), "forum:email-settings", marks_current=True),
    ]
    return Header(
        home=home,
        links=links,
        logout=link(_("Log out"), "account_logout"),
        search=search,
        languages=language_switcher(request, user),
    )


def _no_one():
    return None


def page_header(context) -> Header:
    """header() for a template's context, Django's or Jinja2's (both have .get): the
    request, the user and the role checks of the context processor, or a view's own."""
    return header(
        context.get("request"),
        context.get("user"),
        doctor=context.get("viewer_doctor", _no_one),
        moderator=context.get("viewer_is_moderator", _no_one),
    )


def footer() -> Footer:
    """The medical disclaimer, the footer's links (home, FAQ and the legal texts every
    page must lead to) and the copyright line."""
    return Footer(
        disclaimer_title=_("Medical disclaimer:"),
        disclaimer=_(
            "answers on this site are general information from doctors who have not "
            "examined you. They do not replace a diagnosis or treatment by your own doctor. "
            "If your symptoms are severe, sudden or getting worse, seek care in person. "
            "In an emergency call %(emergency)s now; if you are thinking about suicide, "
            "call %(crisis)s."
        )
        % {"emergency": settings.EMERGENCY_NUMBER, "crisis": settings.CRISIS_LINE_NUMBER},
        links=[
            Link(_("Home"), fast_reverse("forum:home")),
            Link(_("FAQ"), fast_reverse("answers:faqs")),
            Link(_("Privacy notice"), fast_reverse("forum:privacy")),
            Link(_("Terms of use"), fast_reverse("forum:terms")),
            Link(_("Accessibility"), fast_reverse("forum:accessibility")),
        ],
        copyright=f"{timezone.localdate().year} {settings.SITE_NAME}",
    )


def pager(
    page: Page, query_string: str = "", *, newest_first: bool = False, label: str = ""
) -> Pager | None:
    """Links to the pages before and after `page`, keeping `query_string` (already
    URL-encoded); None when there is only one page. Lists sorted newest first say
    "Newer" and "Older", the others "Previous" and "Next"."""
    if page.paginator.num_pages <= 1:
        return None
    before, after = (_("Newer"), _("Older")) if newest_first else (_("Previous"), _("Next"))
    prefix = f"?{query_string}&page=" if query_string else "?page="
    return Pager(
        label=label or _("Pages"),
        position=_("Page %(number)s of %(count)s")
        % {"number": page.number, "count": page.paginator.num_pages},
        previous=Link(before, f"{prefix}{page.previous_page_number()}")
        if page.has_previous()
        else None,
        next=Link(after, f"{prefix}{page.next_page_number()}") if page.has_next() else None,
    )
