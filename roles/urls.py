from django.urls import path

from . import views

app_name = "roles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("roles/", views.RoleListView.as_view(), name="list"),
    path("roles/<slug:slug>/", views.RoleDetailView.as_view(), name="detail"),
    path("roles/<slug:slug>.md", views.RoleMarkdownView.as_view(), name="markdown"),
]
