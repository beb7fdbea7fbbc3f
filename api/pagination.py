from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from jobsite.text_search import SearchPaginator

from .serializers import ATTRIBUTION_SCHEMA, attribution


class CataloguePagination(PageNumberPagination):
    """Numbered pages of ``page_size`` rows (50, at most 100), with the count and links to
    the pages either side, and the ESCO attribution when a row on the page came from ESCO.

    As on the site's lists (jobsite.views.ForgivingPaginationMixin), a view whose rows cost
    more to build than to pick gives them from ``get_row_queryset``: the page is picked from
    the filtered queryset by primary key, and only its rows are built, in its order. So the
    number of queries is the same on any page, whatever its size or the catalogue's."""

    django_paginator_class = SearchPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        """``page_size`` when it is one whole number; refused otherwise, rather than quietly
        read as the default. Above the maximum it is read as the maximum."""
        asked = request.query_params.getlist(self.page_size_query_param)
        if not asked:
            return self.page_size
        if len(asked) > 1 or not _whole_number(asked[0]):
            raise ValidationError({self.page_size_query_param: ["Give one whole number."]})
        size = int(asked[0])
        return min(size, self.max_page_size) if size > 0 else self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        # One whole number (or "last"); a number with no such page is a 404, as DRF says.
        pages = request.query_params.getlist(self.page_query_param)
        if len(pages) > 1 or (pages and not _whole_number(pages[0]) and pages[0] != "last"):
            raise ValidationError({self.page_query_param: ["Give one page number."]})
        rows = view.get_row_queryset() if hasattr(view, "get_row_queryset") else None
        if rows is None:
            self.rows = super().paginate_queryset(queryset, request, view)
        else:
            picked = queryset.prefetch_related(None).values_list("pk", flat=True)
            primary_keys = super().paginate_queryset(picked, request, view)
            by_key = rows.in_bulk(primary_keys)
            self.rows = [by_key[key] for key in primary_keys]
        self.attributed = view.attributed_records(self.rows) if view else self.rows
        return self.rows

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
                "attribution": attribution(self.attributed),
            }
        )

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["attribution"] = ATTRIBUTION_SCHEMA
        paginated["required"] = [*paginated.get("required", []), "attribution"]
        return paginated


def _whole_number(text: str) -> bool:
    return text.removeprefix("-").isdigit()
