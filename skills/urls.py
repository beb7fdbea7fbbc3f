from django.urls import path

from jobsite.cache import catalogue_page

from . import views

app_name = "skills"

urlpatterns = [
    path("", catalogue_page(views.SkillListView.as_view()), name="list"),
    # Before <slug>: "suggest" would otherwise be read as a skill's slug.
    path("suggest/", catalogue_page(views.SkillSuggestionsView.as_view()), name="suggest"),
    path("<slug:slug>/", catalogue_page(views.SkillDetailView.as_view()), name="detail"),
]
