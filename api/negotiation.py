from rest_framework.negotiation import BaseContentNegotiation


class JsonOnlyNegotiation(BaseContentNegotiation):
    """Each API address has one representation (JSON, or the docs page's HTML), whatever the
    Accept header asks: so a cached answer is right for every client, and an odd Accept
    gets the data rather than a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
