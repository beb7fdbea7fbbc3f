from django.urls import path

from jobsite.cache import catalogue_page

from . import views

app_name = "skills"

urlpatterns = [
    path("", catalogue_page(views.SkillListView.as_view()), name="list"),
    path("<slug:slug>/", catalogue_page(views.SkillDetailView.as_view()), name="detail"),
]
