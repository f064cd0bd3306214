from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from forum import i18n, roles


def site(request):
    """Site name, the page's language and its other-language URLs, and the viewer's roles
    (asked only when the header is drawn), for both engines: the header and footer
    (forum/site/chrome.py) read them from the context, where a view may put its own
    (questions.views' ask outage page does)."""
    user = getattr(request, "user", None)
    alternates = SimpleLazyObject(lambda: i18n.alternates(request))
    return {
        # <html lang>: the BCP 47 tag of the page's language ("zh-Hant").
        "PAGE_LANG": i18n.html_lang(translation.get_language() or settings.LANGUAGE_CODE),
        # The page in each language and the x-default one, for the <head>'s hreflang links
        # (absolute, on SITE_URL like the canonical link).
        "SITE_URL": settings.SITE_URL,
        "language_alternates": alternates,
        "language_x_default": SimpleLazyObject(lambda: i18n.x_default(list(alternates))),
        "SITE_NAME": settings.SITE_NAME,
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        "CRISIS_LINE_NUMBER": settings.CRISIS_LINE_NUMBER,
        "viewer_is_moderator": lambda: roles.is_moderator(user),
        "viewer_doctor": lambda: roles.verified_doctor(user),
    }
