"""{% chrome "includes/header.html" %}: one of the site chrome's Jinja2 templates
(templates/jinja2/includes/) inside a Django template, with that template's context.

The chrome has one source, in Jinja2, because the Q&A page renders in Jinja2 whole
(forum/jinja.py); the Django templates' base.html draws the same header, messages and
footer through this tag."""

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.template.backends.utils import csrf_input_lazy
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def chrome(context, name: str) -> str:
    request = context.get("request")
    values = {
        # What the context processors give; a template rendered without a request
        # (none of ours) gets an anonymous header rather than an error.
        "SITE_NAME": settings.SITE_NAME,
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        "CRISIS_LINE_NUMBER": settings.CRISIS_LINE_NUMBER,
        "user": AnonymousUser(),
        "messages": (),
        "viewer_is_moderator": lambda: False,
        "viewer_doctor": lambda: None,
        **context.flatten(),
        "request": request,
        "csrf_input": csrf_input_lazy(request) if request is not None else "",
    }
    return mark_safe(engines["jinja2"].get_template(name).template.render(values))
