from django.views.generic import DetailView, ListView

from .models import Role


class RoleListView(ListView):
    queryset = Role.objects.for_listing()
    context_object_name = "roles"


class RoleDetailView(DetailView):
    queryset = Role.objects.for_detail_page()
    context_object_name = "role"
