import json

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import pluralize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Characters that could close the <script> element or start an HTML comment inside it.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """Render ``data`` as a JSON-LD <script> element, safe to embed in HTML."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag
def family_entry(family):
    """A counted family (RoleFamilyQuerySet.counted_tree) as lists show it: its ISCO-08 code
    when it has one, its link, and its published roles at or below it ("1,234 roles").

    One place for what five loops on the family pages wrote out each, and cheaper than
    that template markup: the families page shows 636 of them."""
    count = family.published_roles_at_or_below
    words = f"{intcomma(count)} role{pluralize(count)}" if count else "no published roles"
    code = format_html('<span class="isco-code">{}</span> ', family.code) if family.code else ""
    return format_html(
        '{}<a href="{}">{}</a> <span class="count">{}</span>',
        code,
        family.get_absolute_url(),
        family.name,
        words,
    )
