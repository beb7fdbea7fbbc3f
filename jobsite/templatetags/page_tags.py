"""Tags for the site's base template."""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def repeat_block(context, name):
    """Render the block ``name`` again, as the page that extends this template fills it.

    A page says its title and description once, in blocks; the base template uses them in
    <title> and the meta description, and again in the Open Graph and Twitter card tags
    (Django renders a block only once)."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    if block_context is not None:
        block = block_context.get_block(name)
    else:  # the base template rendered on its own
        blocks = context.template.nodelist.get_nodes_by_type(BlockNode)
        block = next((node for node in blocks if node.name == name), None)
    if block is None:
        return ""
    return mark_safe(block.render(context).strip())  # rendered, so escaped, already
