from django.db import transaction
from django.http import HttpResponse


class ForgivingPaginationMixin:
    """Pagination where a bad ?page= (text, 0, past the end) shows the nearest real page
    instead of a 404: a shared or hand-edited link should still land somewhere useful."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


@transaction.non_atomic_requests
def benchmark_baseline(request):
    """The floor `make bench` compares pages against: Django, its middleware and gunicorn,
    with no database and no template. Routed only when JOBSITE_BENCHMARK is set."""
    return HttpResponse("ok", content_type="text/plain")
