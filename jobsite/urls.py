from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Jobsite catalogue"
admin.site.site_title = "Jobsite admin"
admin.site.index_title = "Catalogue content"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("roles.urls")),
    path("skills/", include("skills.urls")),
    path("salaries/", include("salaries.urls")),
]
