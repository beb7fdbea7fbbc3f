from django import template

from skills.models import SkillKind

register = template.Library()


@register.filter
def kind_label(kind):
    """The reader's name for a kind value: "database" -> "Database"; empty if unknown."""
    try:
        return SkillKind(kind).label
    except ValueError:
        return ""
