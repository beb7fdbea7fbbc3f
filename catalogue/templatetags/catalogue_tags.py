from django import template

from catalogue.esco.attribution import ATTRIBUTION, esco_versions

register = template.Library()


@register.inclusion_tag("includes/esco_attribution.html")
def esco_attribution(*shown):
    """The attribution ESCO's licence asks for, under content it supplied: give the records
    the page shows (a role, a page of skills …); nothing is shown unless one came from ESCO.
    Reads only fields the records already hold: no query."""
    return {"attribution": ATTRIBUTION, "versions": esco_versions(*shown)}
