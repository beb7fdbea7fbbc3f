from django import template

from catalogue.postings import markdown_text

register = template.Library()


@register.filter(name="markdown_text")
def markdown_text_filter(text):
    """Text for a Markdown document, its marks escaped (catalogue.postings.markdown_text)."""
    return markdown_text(str(text))
