"""Hooks for django-axes, the admin sign-in throttle (settings: the "Security" block), and
the log filter for requests the site refuses (settings: LOGGING)."""

import logging

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def client_ip_address(request) -> str | None:
    """The address failed sign-ins are counted against.

    Behind a proxy (DJANGO_SECURE_PROXY_SSL_HEADER) every request comes from the proxy's own
    address, which would lock out everyone at once; the proxy appends the address it saw to
    X-Forwarded-For, so the last entry is the one a client cannot forge (it can only add
    entries in front). Without a proxy, the connection's address is the truth."""
    if settings.BEHIND_PROXY:
        forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last_hop = forwarded_for.rsplit(",", 1)[-1].strip()
        if last_hop:
            return last_hop
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """429 Too Many Requests, in the site's design, saying when to try again."""
    cool_off = settings.AXES_COOLOFF_TIME
    response = render(
        request,
        "registration/lockout.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cool_off_minutes": int(cool_off.total_seconds() // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response


class RefusalsWithoutTraceback(logging.Filter):
    """Keep the one line Django logs for a request it refused with a 4xx (an editor opening an
    admin page their permissions do not cover, a malformed request), without the traceback
    Django attaches: the refusal is the code working as meant, not a fault to debug, and
    every such request would print one. Server errors keep theirs."""

    def filter(self, record):
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
