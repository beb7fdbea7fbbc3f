import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
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


def database_unavailable_response():
    # Rendered without the request, so no context processor runs: nothing here may need
    # the database, or anything else that could be down.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Nor may a browser or CDN keep the outage page once the site is back.
    add_never_cache_headers(response)
    return response
