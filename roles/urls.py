from django.urls import path

from jobsite.cache import catalogue_page

from . import views

app_name = "roles"

urlpatterns = [
    path("", catalogue_page(views.HomeView.as_view()), name="home"),
    path("search/", catalogue_page(views.SearchView.as_view()), name="search"),
    path("roles/", catalogue_page(views.RoleListView.as_view()), name="list"),
    path("roles/<slug:slug>/", catalogue_page(views.RoleDetailView.as_view()), name="detail"),
    path("roles/<slug:slug>.md", catalogue_page(views.RoleMarkdownView.as_view()), name="markdown"),
]
