from django.views.generic import TemplateView

from roles.models import RoleFamily

from .forms import SearchForm
from .search import search
from .selectors import roles_for_listing


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            families=RoleFamily.objects.with_published_role_counts(),
            featured_roles=roles_for_listing().filter(featured=True)[:6],
            **kwargs,
        )


class SearchView(TemplateView):
    """Roles and skills matching the visitor's words, best first, with the matches marked.

    Without words (an empty box, or only punctuation) the page asks for some and searches
    nothing."""

    template_name = "catalogue/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        return super().get_context_data(
            form=form,
            query=query,
            results=search(query) if query else None,
            **kwargs,
        )
