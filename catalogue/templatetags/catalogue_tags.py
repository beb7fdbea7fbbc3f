from collections.abc import Iterable

from django import template

from catalogue.esco import ATTRIBUTION

register = template.Library()


@register.inclusion_tag("includes/esco_attribution.html")
def esco_attribution(*shown):
    """The attribution ESCO's licence asks for, under content it supplied: give the records
    the page shows (a role, a page of skills …); nothing is shown unless one came from ESCO.
    Reads only fields the records already hold: no query."""
    versions = sorted(
        {
            record.esco_version
            for records in shown
            for record in (records if isinstance(records, Iterable) else [records])
            if getattr(record, "esco_version", "")
        }
    )
    return {"attribution": ATTRIBUTION, "versions": versions}
