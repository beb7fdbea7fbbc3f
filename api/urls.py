from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from jobsite.cache import catalogue_page

from . import views

app_name = "api"


def endpoint(view_class, **initkwargs):
    """An API view as the site serves its pages (jobsite.cache.catalogue_page: ETag,
    Last-Modified and 304s, Cache-Control, the page cache); the per-client rate limit is
    api.throttling.ApiThrottleMiddleware's."""
    return catalogue_page(view_class.as_view(**initkwargs))


urlpatterns = [
    path("", endpoint(views.ApiIndexView), name="index"),
    path("roles/", endpoint(views.RoleListView), name="roles"),
    path("roles/<slug:slug>/", endpoint(views.RoleDetailView), name="role"),
    path("skills/", endpoint(views.SkillListView), name="skills"),
    path("skills/<slug:slug>/", endpoint(views.SkillDetailView), name="skill"),
    path("salary-bands/", endpoint(views.SalaryBandListView), name="salary-bands"),
    path("families/", endpoint(views.FamilyListView), name="families"),
    path("search/", endpoint(views.SearchView), name="search"),
    # Generated from the views above on each new catalogue revision, never written by hand.
    path("schema/", endpoint(SpectacularJSONAPIView), name="schema"),
    # Swagger UI from our own static files, its initialiser a script of its own (?script=),
    # so it runs under the site's Content-Security-Policy, which allows no inline script.
    # Only its icons need more: they are data: URLs in its style sheet (images, never code).
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            endpoint(
                SpectacularSwaggerSplitView,
                url_name="api:schema",
                template_name="api/swagger_ui.html",
            )
        ),
        name="docs",
    ),
]
