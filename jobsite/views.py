import sys

from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.views import defaults

from .middleware import database_unavailable_response


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


def server_error(request):
    """The 500 page, except for a database outage that surfaced outside a view (a session
    saved, a login throttled: middleware that DatabaseUnavailableMiddleware cannot see into),
    which gets the same 503 as one raised in a view. Django calls this while handling the
    exception, so ``sys.exc_info()`` holds it."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable_response()
    return defaults.server_error(request)
