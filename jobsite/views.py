import sys

from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.views import defaults
from django.views.generic import RedirectView

from api import problems

from .middleware import database_unavailable_response
from .text_search import SearchPaginator


class ForgivingPaginationMixin:
    """Pagination where a bad ?page= (text, 0, past the end) shows the nearest real page
    instead of a 404: a shared or hand-edited link should still land somewhere useful.

    Where a row costs more to build than to pick (pay spans, role counts, prefetched skills),
    a view returns the rows as shown from ``get_row_queryset``: the page is then picked from
    the view's queryset by primary key, and only its rows are built, in the page's order.
    Otherwise PostgreSQL builds every row it skips to reach a deep page (OFFSET rows are
    computed, then dropped), and a GROUP BY counts for every row before the LIMIT."""

    # Page links around the current page, and at each end (includes/pagination.html):
    # 1 … 41 42 [43] 44 45 … 650. The first and last pages are always one click away.
    PAGES_LINKED_EACH_SIDE = 2
    PAGES_LINKED_AT_EACH_END = 1
    paginator_class = SearchPaginator

    def get_row_queryset(self):
        """Hook: the rows as a page shows them, or None to show the view's rows as they are."""
        return None

    def page_asked(self):
        """The ?page= asked for, with 0 and negative numbers read as 1: Paginator.get_page
        shows the last page for any number out of range, but the page nearest to -3 is the
        first."""
        asked = self.request.GET.get(self.page_kwarg)
        try:
            return max(int(asked), 1)
        except (TypeError, ValueError):
            return asked  # not a number: get_page shows the first page

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.page_asked())
        # Worked out from the count the paginator already has: no query of its own.
        page.elided_page_range = list(
            paginator.get_elided_page_range(
                page.number,
                on_each_side=self.PAGES_LINKED_EACH_SIDE,
                on_ends=self.PAGES_LINKED_AT_EACH_END,
            )
        )
        rows = self.get_row_queryset()
        if rows is not None:
            picked = page.object_list
            rows = rows.filter(pk__in=picked.values("pk"))
            if picked.query.order_by:
                rows = rows.order_by(*picked.query.order_by)
            page.object_list = rows
        return paginator, page, page.object_list, page.has_other_pages()


class ReadOnlyRedirectView(RedirectView):
    """A redirect for reading only: other methods are answered 405, as the pages answer
    them, not sent on to the new address (RedirectView redirects a POST too)."""

    http_method_names = ["get", "head", "options"]


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
    if problems.is_api_request(request):
        return problems.server_error()
    return defaults.server_error(request)


def page_not_found(request, exception):
    """The 404 page; under /api/, a problem in the API's JSON, as its views answer."""
    if problems.is_api_request(request):
        return problems.not_found(request)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """The 400 page (a request Django refuses, such as one for another host); under /api/, a
    problem in the API's JSON."""
    if problems.is_api_request(request):
        return problems.problem_response(400, detail="This request cannot be answered.")
    return defaults.bad_request(request, exception)
