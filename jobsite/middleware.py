import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Seconds a client or load balancer is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Answer 503 with a plain page, not a 500 with a logged traceback, while PostgreSQL
    cannot be reached.

    ``process_exception`` sees what views raise, including what ``ATOMIC_REQUESTS`` raises
    when it cannot open the view's transaction (admin) and what the page cache raises when
    it cannot read the catalogue revision (public pages), and what template rendering
    raises. The same errors for a live server that loses its connection mid-request
    (``InterfaceError``: "connection is closed") are answered the same way. Nothing else
    changes: the next request opens a fresh connection (``CONN_HEALTH_CHECKS`` drops a
    dead one), so the site is back as soon as the database is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # One line, not a traceback: during an outage every request would log one.
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable_response()


class MethodNotAllowedMiddleware:
    """Answer 405, with ``Allow``, a method that a class-based view has no handler for, as the
    view itself would, but before the CSRF check: that would answer a POST to a read-only
    page 403 for want of a token, though the page takes no POST at all. Views that do take
    one, admin and sign-in among them, keep the CSRF check's answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # as_view() records its class on the view (and functools.wraps keeps it on wrappers).
        view_class = getattr(view_func, "view_class", None)
        if view_class is None:  # a function view: only running it would tell
            return None
        # The API's views (Django REST framework's, exempt from CSRF: they take no writes)
        # answer 405 themselves, as problem details.
        if getattr(view_func, "csrf_exempt", False):
            return None
        allowed = handled_methods(view_class)
        if request.method in allowed:
            return None
        return HttpResponseNotAllowed(allowed)


def handled_methods(view_class) -> list[str]:
    """The methods a class-based view answers, as its dispatch() decides: those it has a
    handler for, and HEAD wherever it has GET."""
    handled = {name for name in view_class.http_method_names if hasattr(view_class, name)}
    if "get" in handled:
        handled.add("head")
    return [name.upper() for name in view_class.http_method_names if name in handled]


def database_unavailable_response():
    # Rendered without the request, so no context processor runs: nothing here may need
    # the database, or anything else that could be down.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Nor may a browser or CDN keep the outage page once the site is back.
    add_never_cache_headers(response)
    return response
