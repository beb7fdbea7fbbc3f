from django.views.generic import DetailView, ListView

from .models import Role


class RoleListView(ListView):
    queryset = Role.objects.for_listing()
    context_object_name = "roles"


class RoleDetailView(DetailView):
    context_object_name = "role"

    def get_queryset(self):
        roles = Role.objects.for_detail_page()
        # Editors may preview drafts from admin's "View on site" link; visitors may not.
        if self.request.user.has_perm("roles.view_role"):
            return roles
        return roles.published()
