from django import template

from catalogue import attention

register = template.Library()


@register.inclusion_tag("admin/needing_attention.html", takes_context=True)
def needing_attention(context):
    """The editors' dashboard (catalogue.attention), for those who may change roles."""
    user = context["request"].user
    if not user.has_perm("roles.change_role"):
        return {"lists": []}
    return {"lists": attention.needing_attention()}
