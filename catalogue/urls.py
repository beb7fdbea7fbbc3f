from django.urls import path

from jobsite.cache import catalogue_page

from . import views
from .sitemaps import SitemapIndexView, SitemapSectionView

app_name = "catalogue"

urlpatterns = [
    path("", catalogue_page(views.HomeView.as_view()), name="home"),
    path("search/", catalogue_page(views.SearchView.as_view()), name="search"),
    path("compare/", catalogue_page(views.CompareView.as_view()), name="compare"),
    path("families/", catalogue_page(views.FamilyListView.as_view()), name="families"),
    path(
        "families/<slug:slug>/",
        catalogue_page(views.FamilyDetailView.as_view()),
        name="family",
    ),
    # Crawlers' map of the catalogue: an index of sections, each a page at a time (?p=2).
    path("sitemap.xml", catalogue_page(SitemapIndexView.as_view()), name="sitemap"),
    path(
        "sitemap-<section>.xml",
        catalogue_page(SitemapSectionView.as_view()),
        name="sitemap-section",
    ),
]
