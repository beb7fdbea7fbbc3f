from django.urls import path

from jobsite.cache import catalogue_page

from . import views

app_name = "salaries"

urlpatterns = [
    path("", catalogue_page(views.SalaryExplorerView.as_view()), name="explorer"),
    # Streamed, so not kept in the page cache; revalidated with the same ETags.
    path("export.csv", catalogue_page(views.SalaryExportView.as_view()), name="export"),
]
