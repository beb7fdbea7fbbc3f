from django.urls import path

from . import views

app_name = "skills"

urlpatterns = [
    path("<slug:slug>/", views.SkillDetailView.as_view(), name="detail"),
]
