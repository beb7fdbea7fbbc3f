from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from jobsite.views import ForgivingPaginationMixin

from .filters import RoleFilter
from .forms import ExperienceForm
from .models import Role, RoleFamily
from .search import SearchForm, search
from .structured_data import occupation


class HomeView(TemplateView):
    template_name = "roles/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            families=RoleFamily.objects.with_published_role_counts(),
            featured_roles=Role.objects.for_listing().filter(featured=True)[:6],
            **kwargs,
        )


class RoleListView(ForgivingPaginationMixin, FilterView):
    filterset_class = RoleFilter
    queryset = Role.objects.for_listing()
    context_object_name = "roles"
    template_name = "roles/role_list.html"
    paginate_by = 20

    def paginate_queryset(self, queryset, page_size):
        paginator, page, roles, is_paginated = super().paginate_queryset(queryset, page_size)
        # Pick the page's roles by id first, then load cards for those 20 only: otherwise
        # PostgreSQL works out pay spans and top skills for every role it skips to reach a
        # deep page (OFFSET rows are computed before they are dropped).
        ids = list(roles.values_list("pk", flat=True))
        cards = {role.pk: role for role in Role.objects.for_listing().filter(pk__in=ids)}
        page.object_list = [cards[pk] for pk in ids]
        return paginator, page, page.object_list, is_paginated


class VisibleRoleMixin:
    """Published roles for visitors; every role for editors, who preview drafts from admin's
    "View on site" link."""

    context_object_name = "role"

    def get_queryset(self):
        roles = Role.objects.for_detail_page()
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


class SearchView(TemplateView):
    """Roles and skills matching the visitor's words, best first, with the matches marked.

    Without words (an empty box, or only punctuation) the page asks for some and searches
    nothing."""

    template_name = "roles/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        return super().get_context_data(
            form=form,
            query=query,
            results=search(query) if query else None,
            **kwargs,
        )
