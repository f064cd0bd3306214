"""The Django family's side of forum/site/chrome.py, for templates/includes/:
{% site_header as header %}, {% site_footer as footer %} and
{% pager newest_first=True as pager %}, and the icons of forum/site/icons.py:
{% icon "search" %}, {% specialty_icon specialty.slug %}. The Jinja2 family calls the
same functions as globals (forum/site/jinja.py)."""

from django import template

from forum.site import chrome, icons

register = template.Library()


@register.simple_tag(takes_context=True)
def site_header(context) -> chrome.Header:
    # A view's own role checks (in its context) win over the context processor's.
    return chrome.page_header(context)


@register.simple_tag
def site_footer() -> chrome.Footer:
    return chrome.footer()


@register.simple_tag(takes_context=True)
def pager(context, *, newest_first: bool = False, label: str = "") -> chrome.Pager | None:
    """The pager of the context's page_obj, keeping its query_string if it has one."""
    return chrome.pager(
        context["page_obj"],
        context.get("query_string") or "",
        newest_first=newest_first,
        label=label,
    )


@register.simple_tag(name="icon")
def icon_tag(name: str, css_class: str = ""):
    return icons.icon(name, css_class)


@register.simple_tag(name="specialty_icon")
def specialty_icon_tag(slug: str, css_class: str = ""):
    return icons.specialty_icon(slug, css_class)
