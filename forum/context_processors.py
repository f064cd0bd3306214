from django.conf import settings

from forum import roles


def site(request):
    """Site name and the viewer's roles, for the header and footer."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        "CRISIS_LINE_NUMBER": settings.CRISIS_LINE_NUMBER,
        "viewer_is_moderator": lambda: roles.is_moderator(user),
        "viewer_is_editor": lambda: roles.is_editor(user),
        "viewer_doctor": lambda: roles.verified_doctor(user),
    }
