"""Per-client rate limiting for the API, counted in Django's cache (shared by every worker
and server once REDIS_URL is set). It runs before the page cache, so that cached answers
count too."""

from functools import wraps

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from jobsite.security import client_ip_address

from .problems import problem_response


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


def throttled(view):
    """``view``, refusing a client over its rate with a 429 problem and ``Retry-After``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        throttle = ClientRateThrottle()
        if throttle.allow_request(request, None):
            return view(request, *args, **kwargs)
        wait = max(1, round(throttle.wait() or 1))
        return problem_response(
            429,
            detail=f"Too many requests from this address; try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )

    return wrapper
