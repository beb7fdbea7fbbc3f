from django.urls import path

from jobsite.cache import catalogue_page

from . import views

app_name = "roles"

urlpatterns = [
    path("", catalogue_page(views.RoleListView.as_view()), name="list"),
    # Streamed, so not kept in the page cache; revalidated with the same ETags.
    path("export.csv", catalogue_page(views.RoleExportView.as_view()), name="export"),
    path("<slug:slug>/", catalogue_page(views.RoleDetailView.as_view()), name="detail"),
    path("<slug:slug>.md", catalogue_page(views.RoleMarkdownView.as_view()), name="markdown"),
    path("<slug:slug>/posting/", catalogue_page(views.RolePostingView.as_view()), name="posting"),
    path("<slug:slug>/changes/", catalogue_page(views.RoleChangesView.as_view()), name="changes"),
    path("<slug:slug>.txt", catalogue_page(views.RolePlainTextView.as_view()), name="text"),
    path(
        "<slug:slug>/preview.png",
        catalogue_page(views.RolePreviewImageView.as_view()),
        name="preview",
    ),
]
