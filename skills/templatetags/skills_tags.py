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


@register.filter
def skills_of_roles(roles):
    """The distinct top skills of ``roles`` (prefetched with skills.models.top_skills()), by
    name."""
    skills = {rs.skill.pk: rs.skill for role in roles for rs in role.top_skills}
    return sorted(skills.values(), key=lambda skill: skill.name)
