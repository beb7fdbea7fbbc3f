from django.urls import path

from . import views

app_name = "salaries"

urlpatterns = [
    path("", views.SalaryExplorerView.as_view(), name="explorer"),
    path("export.csv", views.SalaryExportView.as_view(), name="export"),
]
