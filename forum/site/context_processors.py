from django.conf import settings

from forum import roles


def site(request):
    """Site name and the viewer's roles (asked only when the header is drawn), for both
    engines: the header and footer (forum/site/chrome.py) read them from the context, where a
    view may put its own (questions.views' ask outage page does)."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        "CRISIS_LINE_NUMBER": settings.CRISIS_LINE_NUMBER,
        "viewer_is_moderator": lambda: roles.is_moderator(user),
        "viewer_doctor": lambda: roles.verified_doctor(user),
    }
