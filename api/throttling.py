"""Per-client rate limiting for the API, counted in Django's cache (shared by every worker
and server once REDIS_URL is set). A middleware, placed before the page cache's, so that
cached answers count too."""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from jobsite.security import client_ip_address

from .problems import problem_response

logger = logging.getLogger(__name__)


class ClientRateThrottle(SimpleRateThrottle):
    """API_THROTTLE_RATE requests per client address ("off": no limit). The address is read
    as sign-in throttling reads it, trusting X-Forwarded-For only behind our own proxy."""

    scope = "api"

    def get_rate(self):
        # Read at each request, not once at import as DRF does: tests and servers set it.
        rate = settings.API_THROTTLE_RATE
        return None if rate == "off" else rate

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip_address(request)}


class ApiThrottleMiddleware:
    """Refuse a client over its rate anywhere under /api/ with a 429 problem and
    ``Retry-After``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        throttle = ClientRateThrottle()
        try:
            allowed = throttle.allow_request(request, None)
        except Exception:  # the cache that counts is down: serve rather than refuse everyone
            logger.warning("API rate counts unavailable", exc_info=True)
            allowed = True
        if allowed:
            return self.get_response(request)
        wait = max(1, round(throttle.wait() or 1))
        return problem_response(
            429,
            detail=f"Too many requests from this address; try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
