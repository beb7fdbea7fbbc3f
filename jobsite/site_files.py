"""The files browsers and crawlers ask every site for at its root. Class-based, so that
an unsafe method is answered 405 before the CSRF check (jobsite.middleware)."""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views import View

ONE_DAY = 24 * 60 * 60


class RobotsTxtView(View):
    """Crawlers may read every public page, not the admin, and learn where the sitemap is."""

    def get(self, request):
        sitemap = request.build_absolute_uri(reverse("catalogue:sitemap"))
        lines = ["User-agent: *", "Allow: /", "Disallow: /admin/", "", f"Sitemap: {sitemap}"]
        response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
        patch_cache_control(response, public=True, max_age=ONE_DAY)
        return response


@cache
def favicon_bytes() -> bytes:
    return (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()


class FaviconView(View):
    """Browsers ask for /favicon.ico whatever a page's <link rel="icon"> says (admin pages
    have none, and feed readers and crawlers ask too): the icon itself, not a 404."""

    def get(self, request):
        response = HttpResponse(favicon_bytes(), content_type="image/x-icon")
        patch_cache_control(response, public=True, max_age=ONE_DAY)
        return response
