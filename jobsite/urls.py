from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import site_files
from .health import liveness, readiness
from .views import ReadOnlyRedirectView, benchmark_baseline

# A database outage met in middleware is a 503, like one met in a view. Under /api/, errors
# are problem details (api.problems), not HTML pages.
handler400 = "jobsite.views.bad_request"
handler404 = "jobsite.views.page_not_found"
handler500 = "jobsite.views.server_error"

admin.site.site_header = "Jobsite catalogue"
admin.site.site_title = "Jobsite admin"
admin.site.index_title = "Catalogue content"

urlpatterns = [
    path("admin/", admin.site.urls),
    # For load balancers: the process answers; and the database is up and fully migrated.
    path("healthz", liveness, name="healthz"),
    path("readyz", readiness, name="readyz"),
    path("robots.txt", site_files.RobotsTxtView.as_view(), name="robots_txt"),
    path("favicon.ico", site_files.FaviconView.as_view(), name="favicon"),
    path("api/", ReadOnlyRedirectView.as_view(pattern_name="api:index"), name="api"),
    path("api/v1/", include("api.urls")),
    # A role's data beside its page's other formats (.md, .txt): the API's answer for it.
    path(
        "roles/<slug:slug>.json",
        ReadOnlyRedirectView.as_view(pattern_name="api:role"),
        name="role-json",
    ),
    path("", include("catalogue.urls")),
    path("roles/", include("roles.urls")),
    path("skills/", include("skills.urls")),
    path("salaries/", include("salaries.urls")),
]

if settings.BENCHMARK_BASELINE:
    urlpatterns.append(path("__baseline__/", benchmark_baseline, name="benchmark-baseline"))
