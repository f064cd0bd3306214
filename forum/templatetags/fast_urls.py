"""{% fast_url "name" key=value %}: {% url %} through forum.reversing's cache."""

from django import template

from forum.reversing import fast_reverse

register = template.Library()


@register.simple_tag
def fast_url(name: str, **kwargs) -> str:
    return fast_reverse(name, **kwargs)
