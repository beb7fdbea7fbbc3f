from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView, TemplateView

from jobsite.views import ForgivingPaginationMixin
from roles.models import Role, RoleFamily

from .comparing import MAX_ROLES_COMPARED, compare, compare_url, next_steps, roles_for_comparison
from .forms import CompareForm, SearchForm
from .search import forgiving_search
from .selectors import roles_for_listing


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            # Editors' families and ISCO-08's ten major groups, not its 436 unit groups.
            families=[
                family
                for family in RoleFamily.objects.for_listing().counted_broadest()
                if family.published_roles_at_or_below
            ],
            featured_roles=roles_for_listing().filter(featured=True)[:6],
            **kwargs,
        )


class SearchView(TemplateView):
    """Roles and skills matching the visitor's words, best first, with the matches marked.

    Without words (an empty box, or only punctuation) the page asks for some and searches
    nothing. Typos are forgiven as a search engine forgives them (forgiving_search): words
    that find nothing are corrected, with a link to search for them as typed."""

    template_name = "catalogue/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        as_typed = form.is_valid() and form.cleaned_data["as_typed"]
        return super().get_context_data(
            form=form,
            query=query,
            results=forgiving_search(query, as_typed=as_typed) if query else None,
            **kwargs,
        )


class FamilyListView(TemplateView):
    """The ISCO-08 tree, major groups down to unit groups, and the editors' own families,
    each with its published roles counted (for a group, those of its subgroups too)."""

    template_name = "catalogue/family_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            major_groups=RoleFamily.objects.for_listing().isco_groups().counted_tree(),
            editorial_families=RoleFamily.objects.for_listing().editorial().counted_tree(),
            **kwargs,
        )


class FamilyDetailView(ForgivingPaginationMixin, ListView):
    """A family, where it sits in ISCO-08, its subgroups with their counts, and the published
    roles at or below it, a page at a time: a major group holds hundreds."""

    context_object_name = "roles"
    template_name = "catalogue/family_detail.html"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.family = get_object_or_404(RoleFamily, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        families = RoleFamily.objects.at_or_below(self.family)
        return Role.objects.published().filter(family__in=families).order_by("title")

    def get_row_queryset(self):
        # Cards (pay spans, top skills) are built for the page's roles only.
        return roles_for_listing()

    def get_context_data(self, **kwargs):
        # The family again, now with its subgroups and counts: the branch is one query.
        [family] = RoleFamily.objects.at_or_below(self.family).counted_tree()
        return super().get_context_data(
            family=family,
            broader_groups=RoleFamily.objects.isco_path(family.code[:-1]),
            **kwargs,
        )


class CompareView(TemplateView):
    """Up to four published roles side by side, in the order the address gives them; with
    fewer than two, a form to add roles and the roles the first one's skills lead to.

    A role typed by its title (the "add a role" box) is redirected to the address that names
    every role by its slug: that is the one to share."""

    template_name = "catalogue/compare.html"

    def get(self, request, *args, **kwargs):
        self.form = CompareForm(request.GET, roles=roles_for_comparison())
        if self.form.is_valid() and not self.form.canonical:
            return redirect(compare_url(self.form.roles))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        roles = self.form.roles
        room = len(roles) < MAX_ROLES_COMPARED
        return super().get_context_data(
            form=self.form,
            roles=roles,
            room_for_more=room,
            comparison=compare(roles) if len(roles) > 1 else None,
            # Roles to add: those sharing most skills with the first, not compared already.
            suggestions=next_steps(roles[0], compared=roles[1:]) if roles and room else [],
            **kwargs,
        )
