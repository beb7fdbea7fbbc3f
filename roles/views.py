from django.views.generic import DetailView
from django_filters.views import FilterView

from catalogue.selectors import roles_for_detail_page, roles_for_listing
from jobsite.views import ForgivingPaginationMixin

from .filters import RoleFilterSet
from .forms import ExperienceForm
from .structured_data import occupation


class RoleListView(ForgivingPaginationMixin, FilterView):
    filterset_class = RoleFilterSet
    context_object_name = "roles"
    template_name = "roles/role_list.html"
    paginate_by = 20

    def get_queryset(self):
        # The filters and the salary sort work on the cards' read (its pay annotations)...
        return roles_for_listing()

    def get_row_queryset(self):
        # ...but cards are built for the page's 20 roles only (ForgivingPaginationMixin).
        return roles_for_listing()


class VisibleRoleMixin:
    """Published roles for visitors; every role for editors, who preview drafts from admin's
    "View on site" link."""

    context_object_name = "role"

    def get_queryset(self):
        roles = roles_for_detail_page()
        if self.request.user.has_perm("roles.view_role"):
            return roles
        return roles.published()


class RoleDetailView(VisibleRoleMixin, DetailView):
    def get_context_data(self, **kwargs):
        role = self.object
        experience_form = ExperienceForm(self.request.GET or None)
        years = experience_form.cleaned_data["experience"] if experience_form.is_valid() else None
        matching_bands = (
            [band for band in role.salary_bands.all() if band.holds(years)]
            if years is not None
            else []
        )
        return super().get_context_data(
            experience_form=experience_form,
            experience=years,
            matching_bands=matching_bands,
            structured_data=occupation(
                role, url=self.request.build_absolute_uri(role.get_absolute_url())
            ),
            **kwargs,
        )


class RoleMarkdownView(VisibleRoleMixin, DetailView):
    """The job description as a Markdown file, ready to paste into a job posting."""

    template_name = "roles/role_detail.md"
    content_type = "text/markdown; charset=utf-8"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["Content-Disposition"] = f'attachment; filename="{self.object.slug}.md"'
        return response
