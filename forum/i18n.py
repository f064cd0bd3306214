"""The interface in two languages: which language a URL is in, the same page's URL in the
other language, the visitor's preferred language, and the language switcher's view.

URL scheme (forum/urls.py): the pages are under `i18n_patterns(prefix_default_language=
False)`, so the default language (DJANGO_LANGUAGE_CODE) keeps the contract URLs as they
are (`/questions/<pk>/<slug>/`) and the other language lives under its prefix
(`/zh-hant/questions/<pk>/<slug>/`, or `/en/...` when the default is zh-hant). Each page
thus has one URL per language that a search engine can index and a person can share,
while no existing link or bookmark changes. The unprefixed URL is also the `x-default`
alternate: a first visit to it with a browser that prefers the other language, or by a
visitor who chose it, is redirected there (forum.middleware.LanguageRedirectMiddleware).

This module is in forum's bottom layer: the middleware, the page cache (questions) and the
header (forum.site.chrome) all use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from forum.redirects import local_path
from forum.reversing import fast_reverse


def html_lang(code: str) -> str:
    """The BCP 47 tag of a language code, for `lang` and `hreflang`: "zh-hant" ->
    "zh-Hant" (the script subtag capitalised), "en" -> "en"."""
    return translation.to_locale(code).replace("_", "-")


def language_of_path(path: str) -> str:
    """The language a path is served in: its prefix's, or the default when it has none."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def is_prefixed(path: str) -> bool:
    return translation.get_language_from_path(path) is not None


def _reverse(view_name: str, args: tuple, kwargs: dict) -> str:
    if args:
        return reverse(view_name, args=args, kwargs=kwargs)
    # The header's links go through fast_reverse already: its templates are per language.
    return fast_reverse(view_name, **kwargs)


def url_in_language(url: str, language: str) -> str | None:
    """The same page (path and query) in `language`, or None when the path is not one of
    the site's pages. A page that exists in one language only (admin) comes back as is."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    try:
        with translation.override(language_of_path(path)):
            match = resolve(path)
    except Resolver404:
        return None
    try:
        with translation.override(language):
            translated = _reverse(match.view_name, match.args, match.kwargs)
    except NoReverseMatch:
        return None
    return f"{translated}?{parts.query}" if parts.query else translated


@dataclass(frozen=True)
class Alternate:
    code: str  # Django's code: "zh-hant"
    lang: str  # for lang and hreflang: "zh-Hant"
    name: str  # the language's own name: "繁體中文"
    url: str  # this page's path in that language
    current: bool


def alternates(request: HttpRequest | None) -> list[Alternate]:
    """This page (its path: the hreflang links name pages, not one query's results) in
    each language, in the order of settings.LANGUAGES; empty for a page
    that exists in one language only (admin, robots.txt) or matched no URL (a 404)."""
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or not match.view_name:
        return []
    active = translation.get_language()
    found = []
    for code, name in settings.LANGUAGES:
        try:
            with translation.override(code):
                url = _reverse(match.view_name, match.args, match.kwargs)
        except NoReverseMatch:
            return []
        found.append(Alternate(code, html_lang(code), name, url, code == active))
    if len({alternate.url for alternate in found}) < len(found):
        return []  # not under i18n_patterns: one URL for every language
    return found


def switcher_next(request: HttpRequest) -> str:
    """The page the switcher comes back to: this path and its query, less any `next` of
    its own (a value the visitor's link brought, which the page must not echo)."""
    query = [
        (key, value)
        for key, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if key != "next"
    ]
    return f"{request.path}?{urlencode(query)}" if query else request.path


def x_default(alternates_: list[Alternate]) -> Alternate | None:
    """The alternate for browsers of any other language: the default language's
    unprefixed URL, which redirects a browser that prefers the other one."""
    for alternate in alternates_:
        if alternate.code == settings.LANGUAGE_CODE:
            return alternate
    return None


def preferred_language(request: HttpRequest, user=None) -> str:
    """The language this visitor asked for: the switcher's cookie, else the signed-in
    user's stored language, else the browser's Accept-Language (zh-TW, zh-HK and zh-Hant
    give zh-hant; so do zh-CN and zh-Hans, which the Traditional pages serve better than
    English), else the site's default."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in dict(settings.LANGUAGES):
        return cookie
    stored = getattr(user, "language", "") if getattr(user, "is_authenticated", False) else ""
    if stored in dict(settings.LANGUAGES):
        return stored
    return translation.get_language_from_request(request)


def language_redirect(request: HttpRequest, user=None) -> str | None:
    """Where a GET of an unprefixed page goes for a visitor who prefers the other language
    (see preferred_language), or None to serve it. Prefixed URLs are always served as
    they are: a shared or indexed link shows the language it names."""
    if request.method not in {"GET", "HEAD"} or is_prefixed(request.path_info):
        return None
    preferred = preferred_language(request, user)
    if preferred == settings.LANGUAGE_CODE:
        return None
    target = url_in_language(request.get_full_path(), preferred)
    if target is None or urlsplit(target).path == request.path:
        return None  # not a page of ours, or one that has no other-language URL
    return target


def vary_on_language(response: HttpResponse) -> None:
    """An unprefixed page (or its redirect) depends on Accept-Language and the language
    cookie: shared caches must keep one copy per combination, and a redirect none."""
    patch_vary_headers(response, ("Accept-Language", "Cookie"))


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return HttpResponse(status=403)


@csrf_exempt
@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The language switcher's form (POST language and next): remember the choice in the
    language cookie, and for a signed-in user in User.language (their e-mails follow it),
    then show the same page (`next`) in that language.

    Anonymous visitors post without a CSRF token: a token would give every public page a
    per-visitor cookie and defeat the anonymous page cache, and a forged post can only
    set the language cookie of the visitor's own browser. A signed-in user's form carries
    the token and is checked, since it also changes what is stored on the account."""
    user = getattr(request, "user", None)
    signed_in = getattr(user, "is_authenticated", False)
    if signed_in:
        refusal = _CsrfCheck(lambda request: None).process_view(request, None, (), {})
        if refusal is not None:
            return refusal
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        # The site's own 400 page (templates/400.html), in the visitor's language.
        return defaults.bad_request(request, None)
    target = None
    next_path = local_path(request.POST.get("next"))
    if next_path is not None:
        target = url_in_language(next_path, language)
    if target is None:
        with translation.override(language):
            target = reverse("forum:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if signed_in and user.language != language:
        get_user_model().objects.filter(pk=user.pk).update(language=language)
    return response
