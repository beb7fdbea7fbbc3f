import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from salaries.models import format_years
from salaries.templatetags.salaries_tags import money

register = template.Library()

# Characters that could close the <script> element or start an HTML comment inside it.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def pay_span(role):
    """A role's yearly pay from its lowest band to its highest: "₹3,00,000 – ₹25,00,000+",
    where "+" marks an open top band.

    Needs the annotations of RoleQuerySet.with_pay_summary()."""
    if role.pay_minimum is None:
        return ""
    low = money(role.pay_minimum, settings.CATALOGUE_CURRENCY)
    top = role.pay_maximum if role.pay_maximum and role.pay_maximum > role.pay_minimum else None
    span = f"{low} – {money(top, settings.CATALOGUE_CURRENCY)}" if top else low
    return f"{span}+" if role.open_topped_bands else span


@register.filter
def experience_span(role):
    """The experience the role's bands cover: "0–10+ years", "2–5 years"."""
    if role.experience_from is None:
        return ""
    low = format_years(role.experience_from)
    if role.open_ended_bands:
        top = role.experience_to
        return f"{low}–{format_years(top)}+ years" if top else f"{low}+ years"
    return f"{low}–{format_years(role.experience_to)} years"


@register.filter
def skills_of_roles(roles):
    """The distinct top skills of ``roles`` (RoleQuerySet.with_top_skills()), by name."""
    skills = {rs.skill.pk: rs.skill for role in roles for rs in role.top_skills}
    return sorted(skills.values(), key=lambda skill: skill.name)


@register.filter
def json_ld(data):
    """Render ``data`` as a JSON-LD <script> element, safe to embed in HTML."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
