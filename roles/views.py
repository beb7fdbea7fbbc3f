from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from catalogue.changes import CHANGES_PER_PAGE, describe_changes, role_changes
from catalogue.comparing import next_steps
from catalogue.esco import ATTRIBUTION
from catalogue.postings import Posting, places_for_posting, render_posting, roles_for_posting
from catalogue.selectors import roles_for_detail_page, roles_for_listing
from catalogue.spelling import SpellingSuggestionMixin
from catalogue.structured_data import as_script, job_posting
from jobsite.cache import page_depends_on, role_tag
from jobsite.csv_exports import csv_chunks, invalid_filters_response
from jobsite.views import ForgivingPaginationMixin
from salaries.cells import salary_cells, sources_of_pay_span
from salaries.formatting import per_month_note
from salaries.forms import PayPeriodForm
from salaries.models import PayPeriod
from skills.models import skill_sections

from .exports import ROLE_CSV_CHUNK_SIZE, ROLE_CSV_HEADER, role_csv_rows
from .filters import RoleFilterSet
from .forms import ExperienceForm, PostingForm
from .models import Role, RoleFamily
from .preview import role_preview_png
from .structured_data import breadcrumb_list, faq_page, occupation

# How many other roles of its family a role page links to; the family's page lists them all.
ROLES_SHARING_FAMILY_SHOWN = 12


class RoleListView(SpellingSuggestionMixin, ForgivingPaginationMixin, FilterView):
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


class RoleExportView(View):
    """The roles list as CSV: every role it lists for the same query string, in its order,
    from the same FilterSet, so the two cannot drift apart. Streamed as it is read: the
    unfiltered file is the whole catalogue."""

    def get(self, request):
        filterset = RoleFilterSet(
            request.GET or None, queryset=roles_for_listing(), request=request
        )
        if filterset.is_bound and not filterset.is_valid():
            return invalid_filters_response(filterset)
        rows = role_csv_rows(
            filterset.qs,
            url_of=lambda slug: request.build_absolute_uri(reverse("roles:detail", args=[slug])),
        )
        response = StreamingHttpResponse(
            csv_chunks(ROLE_CSV_HEADER, rows, chunk_size=ROLE_CSV_CHUNK_SIZE),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="roles.csv"'
        return response


class VisibleRoleMixin:
    """Published roles for visitors; every role for editors, who preview drafts from admin's
    "View on site" link. A visitor asking for an archived role (one ESCO retired, say) is
    told it is gone (410), with where to look instead; a draft is not found (404)."""

    context_object_name = "role"
    # The period pay is shown in: per year in downloads, the visitor's choice on the page.
    pay_period = PayPeriod.YEAR

    def shows_every_status(self) -> bool:
        return self.request.user.has_perm("roles.view_role")

    def roles(self):
        """What the page reads of a role: everything its page shows, by default."""
        return roles_for_detail_page()

    def get_queryset(self):
        roles = self.roles()
        return roles if self.shows_every_status() else roles.published()

    def get_object(self, queryset=None):
        role = super().get_object(queryset)
        # Other roles appear only by their titles and links (part of the structure).
        page_depends_on(self.request, role_tag(role.pk))
        return role

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            role = Role.objects.gone().filter(slug=self.kwargs["slug"]).first()
            if role is None:
                raise
            return TemplateResponse(request, "roles/role_gone.html", {"role": role}, status=410)

    def get_context_data(self, **kwargs):
        role = self.object
        return super().get_context_data(
            skill_sections=skill_sections([*role.technical_skills, *role.soft_skills]),
            # The bands a cell at a time (one band per source), and what the key facts cite.
            salary_cells=salary_cells(role.salary_bands.all(), period=self.pay_period),
            pay_span_sources=sources_of_pay_span(role.salary_bands.all()),
            **kwargs,
        )


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
        # ?pay=month shows pay per month; any other value is ignored, with a message.
        pay_form = PayPeriodForm(self.request.GET)
        self.pay_period = pay_form.chosen_period()
        # Breadcrumbs through ISCO-08, major group down to unit group, when the role's family
        # is one of its groups: an editor's family has no place in it.
        code = role.family.code
        isco_path = list(RoleFamily.objects.isco_path(code)) if code else []
        context = super().get_context_data(
            experience_form=experience_form,
            experience=years,
            matching_bands=matching_bands,
            pay_period=self.pay_period,
            pay_period_problems=pay_form.errors.get("pay", []),
            per_month_note=per_month_note() if self.pay_period == PayPeriod.MONTH else "",
            isco_path=isco_path,
            roles_sharing_family=Role.objects.sharing_family_with(role)[
                :ROLES_SHARING_FAMILY_SHOWN
            ],
            next_steps=next_steps(role),
            structured_data=occupation(
                role, url=self.request.build_absolute_uri(role.get_absolute_url())
            ),
            faq_structured_data=faq_page(role),
            breadcrumb_structured_data=breadcrumb_list(self.breadcrumb_trail(isco_path)),
            **kwargs,
        )
        context["matching_cells"] = [
            cell for cell in context["salary_cells"] if years is not None and cell.holds(years)
        ]
        return context

    def breadcrumb_trail(self, isco_path) -> list[tuple[str, str]]:
        """The visible breadcrumbs (the template's), as names and absolute URLs."""
        absolute = self.request.build_absolute_uri
        return [
            ("Home", absolute(reverse("catalogue:home"))),
            ("Roles", absolute(reverse("roles:list"))),
            *[(group.name, absolute(group.get_absolute_url())) for group in isco_path],
            (self.object.title, absolute(self.object.get_absolute_url())),
        ]


class RoleDownloadView(VisibleRoleMixin, DetailView):
    """The whole job description as a text file, ready to paste into a job posting."""

    extension = ""
    disposition = "attachment"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            # ESCO's licence asks for its attribution wherever its content goes, pasted text too.
            esco_attribution=ATTRIBUTION,
            # Pasted elsewhere, links must say which site they lead to.
            site_root=self.request.build_absolute_uri("/").removesuffix("/"),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        filename = f"{self.object.slug}.{self.extension}"
        response["Content-Disposition"] = f'{self.disposition}; filename="{filename}"'
        return response


class RoleMarkdownView(RoleDownloadView):
    template_name = "roles/role_detail.md"
    content_type = "text/markdown; charset=utf-8"
    extension = "md"


class RolePlainTextView(RoleDownloadView):
    """What "Copy as plain text" copies: no Markdown marks, for forms that take plain text."""

    template_name = "roles/role_detail.txt"
    content_type = "text/plain; charset=utf-8"
    extension = "txt"
    disposition = "inline"


class RoleChangesView(VisibleRoleMixin, DetailView):
    """A role's public change log (catalogue.changes), newest first, a page at a time."""

    template_name = "roles/role_changes.html"

    def roles(self):
        # The page names the role; its rows are read as the history holds them.
        return Role.objects.select_related("family").defer("search_vector", "esco_imported")

    def get_context_data(self, **kwargs):
        paginator = Paginator(role_changes(self.object), CHANGES_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        # Past VisibleRoleMixin's: this page shows no skills, so reads none.
        return super(VisibleRoleMixin, self).get_context_data(
            page_obj=page,
            changes=describe_changes(self.object, page.object_list),
            **kwargs,
        )


class RolePreviewImageView(View):
    """A published role's link-preview card (its page's og:image), a PNG."""

    def get(self, request, slug):
        role = get_object_or_404(roles_for_listing(), slug=slug)
        page_depends_on(request, role_tag(role.pk))
        return HttpResponse(role_preview_png(role), content_type="image/png")


class RolePostingView(VisibleRoleMixin, DetailView):
    """A job posting for the role, written from the catalogue with the recruiter's choices
    (a GET form, so that the address holds them), as plain text, Markdown, HTML and
    JobPosting JSON-LD."""

    template_name = "roles/role_posting.html"

    def get_queryset(self):
        # Only what a posting is written from: none of the role page's other reads.
        roles = roles_for_posting()
        return roles if self.shows_every_status() else roles.published()

    def get_context_data(self, **kwargs):
        form = PostingForm(
            self.request.GET,
            role=self.object,
            locations=places_for_posting(),
            today=timezone.localdate(),
        )
        context = {"form": form}
        if form.is_valid():
            posting = Posting(self.object, form.options())
            rendered = render_posting(posting)
            data = job_posting(posting, description_html=rendered.html)
            context.update(posting=posting, rendered=rendered, json_ld=as_script(data))
        return super().get_context_data(**context, **kwargs)

    def render_to_response(self, context, **kwargs):
        if "date_posted" not in self.request.GET:
            return self.dated_redirect()
        return super().render_to_response(context, **kwargs)

    def dated_redirect(self):
        """The same address with today's date as the date posted. Pages are cached by their
        address until the catalogue changes: a date left out would stay the day's it was
        cached on, for days. This answer itself is never cached."""
        query = self.request.GET.copy()
        query["date_posted"] = timezone.localdate().isoformat()
        response = HttpResponseRedirect(f"{self.request.path}?{query.urlencode()}")
        add_never_cache_headers(response)
        return response
