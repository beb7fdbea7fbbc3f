from django.urls import path

from jobsite.cache import catalogue_page

from . import views

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
]
