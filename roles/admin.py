from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Length
from django.forms.formsets import DEFAULT_MAX_NUM
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import get_text_list
from reversion import create_revision, set_user

from catalogue.admin import (
    ESCO_BOOKKEEPING,
    CatalogueAdmin,
    CatalogueInline,
    FromEscoFilter,
    LinkInline,
    NoteField,
    OrderedInline,
    role_titles,
    row_count,
)
from catalogue.attention import ROLE_PROBLEMS, roles_with
from catalogue.parts import part_of, role_part_inlines
from salaries.admin import HigherPayingLocationInline, SalaryBandInline, SalaryFigureInline
from skills.admin import RoleSkillInline
from skills.models import RoleSkill

from .models import Collaboration, FrequentlyAskedQuestion, Responsibility, Role, RoleFamily, Source
from .review import Action, may_publish, move, record_step, step_for


class ResponsibilityInline(OrderedInline, CatalogueInline, admin.TabularInline):
    model = Responsibility
    fields = ["position", "text"]
    extra = 0


class FrequentlyAskedQuestionInline(OrderedInline, CatalogueInline, admin.StackedInline):
    model = FrequentlyAskedQuestion
    fields = ["position", "question", "answer"]
    extra = 0


class CollaborationInline(OrderedInline, LinkInline):
    model = Collaboration
    fk_name = "role"
    fields = ["position", "collaborator", "note"]
    autocomplete_fields = ["collaborator"]
    verbose_name = "role it works with"
    verbose_name_plural = "roles it works with"


class NeedsAttentionFilter(admin.SimpleListFilter):
    """The roles an editors' dashboard list links to (catalogue.attention)."""

    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return list(ROLE_PROBLEMS.items())

    def queryset(self, request, queryset):
        if self.value() in ROLE_PROBLEMS:
            return queryset.filter(pk__in=roles_with(self.value()).values("pk"))
        return queryset


# Statuses whose roles have a page on the site: a live one, or a "gone" one.
PUBLIC_STATUSES = (Role.Status.PUBLISHED, Role.Status.ARCHIVED)
# A role's page lists its latest review steps, this many.
REVIEW_STEPS_SHOWN = 20


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# Formsets take no more rows than this by default (their absolute_max).
MAX_ROWS = 2 * DEFAULT_MAX_NUM


# The review buttons of a role's page (templates/admin/roles/role/submit_line.html): each
# saves the form with the role moved to its status.
REVIEW_BUTTONS = {
    "_submit_for_review": Role.Status.IN_REVIEW,
    "_publish": Role.Status.PUBLISHED,
    "_send_back": Role.Status.DRAFT,
}


class RoleAdminForm(forms.ModelForm):
    """Moves a role through its review only as far as its user may (roles.review), and
    refuses to publish a role whose page would be a stub, counting the responsibilities and
    skills as the page's inlines submit them (they are saved after this form)."""

    review_comment = NoteField(
        label="Comment for the review",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the review step this save makes, and shown on this page: what "
        "to check, or, when you send the role back, what the editor should change "
        "(required then).",
    )
    # Set for each request by RoleAdmin.get_form: who saves, and (restoring a version from
    # History, which writes the version before its form is shown) the status before.
    user = None
    status_before = None
    # What this save does to the role's review: a ReviewEvent action, or None.
    review_step = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            button = next((name for name in REVIEW_BUTTONS if name in self.data), None)
            if button:
                self.data = self.data.copy()
                self.data[self.add_prefix("status")] = REVIEW_BUTTONS[button]
        status = self.fields.get("status")
        if status is not None and self.user is not None and not may_publish(self.user):
            # Offer an editor only what they may choose; clean() refuses the rest anyway.
            current = self._status_before()
            allowed = {current}
            if current == Role.Status.DRAFT:
                allowed.add(Role.Status.IN_REVIEW)
            status.choices = [choice for choice in Role.Status.choices if choice[0] in allowed]

    def _status_before(self) -> str:
        return self.status_before or self.instance.status

    def clean(self):
        cleaned_data = super().clean()
        self._check_review_step(cleaned_data)
        if cleaned_data.get("status") != Role.Status.PUBLISHED:
            return cleaned_data
        # The role as it would be saved: the submitted text, or its own where not edited here.
        role = Role(
            **{
                name: cleaned_data.get(name, getattr(self.instance, name))
                for name in ("summary", "overview")
            }
        )
        missing = role.missing_for_publishing(
            responsibilities=_rows_submitted(self.data, part_of(Responsibility).name, "text"),
            skills=_rows_submitted(self.data, part_of(RoleSkill).name, "skill"),
        )
        if missing:
            raise forms.ValidationError(
                f"To publish this role, its page needs {get_text_list(missing, 'and')}. Add "
                f"{'them' if len(missing) > 1 else 'it'}, or keep the role as a draft.",
                code="stub",
            )
        return cleaned_data

    def _check_review_step(self, cleaned_data) -> None:
        status, comment = cleaned_data.get("status"), cleaned_data.get("review_comment", "")
        if not status or self.user is None:
            return
        try:
            self.review_step = step_for(
                user=self.user, before=self._status_before(), after=status, comment=comment
            )
        except PermissionDenied as refusal:
            self.add_error("status" if "status" in self.fields else None, str(refusal))
            return
        except ValidationError as error:
            self.add_error("review_comment", error)
            return
        if comment.strip() and self.review_step is None:
            self.add_error(
                "review_comment",
                "A comment is kept with a step of the review: submit the role for review, "
                "publish it or send it back with it (the status did not change).",
            )


def _rows_submitted(data, prefix: str, field: str) -> int:
    """How many rows of the inline ``prefix`` the form submits with ``field`` filled in and
    not marked for deletion."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS)
    except ValueError:
        return 0  # the inline's own management form reports this
    return sum(
        1
        for index in range(total)
        if str(data.get(f"{prefix}-{index}-{field}", "")).strip()
        and not data.get(f"{prefix}-{index}-DELETE")
    )


@admin.register(Role)
class RoleAdmin(CatalogueAdmin):
    form = RoleAdminForm
    list_display = [
        "title",
        "family",
        "status",
        "featured",
        "skill_count",
        "band_count",
        "reviewed_on",
    ]
    # Last changed as a filter, not a date hierarchy: that runs the search twice more, for
    # the first and last dates and for the days between.
    list_filter = [
        "status",
        NeedsAttentionFilter,
        "featured",
        FromEscoFilter,
        "family",
        "reviewed_on",
        "updated_at",
    ]
    list_select_related = ["family"]
    search_fields = [
        "title",
        "alternative_titles",
        "slug",
        "summary",
        "isco_08",
        "esco_code",
        "onet_soc",
    ]
    # Not "13 results (13,014 total)": that counts every role again on each searched page.
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    # ESCO has 3,007 occupations: never a <select> of all of them.
    autocomplete_fields = ["family", "broader"]
    esco_owned_fields = ["isco_08", "esco_code", "broader"]
    readonly_fields = [*ESCO_BOOKKEEPING, "esco_modified_at", "review_history"]
    filter_horizontal = ["sources"]
    actions = ["submit_for_review", "publish", "archive"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "alternative_titles",
                    "slug",
                    "family",
                    "status",
                    "featured",
                    "reviewed_on",
                    "summary",
                ]
            },
        ),
        (
            "Review",
            {
                "fields": ["review_comment", "review_history"],
                "description": "Editors submit a draft for review; a reviewer publishes it "
                "or sends it back with a comment. Every step is listed here.",
            },
        ),
        ("Description", {"fields": ["overview", "qualifications", "education"]}),
        ("Pay and market", {"fields": ["outlook", "salary_note"]}),
        (
            "Occupation codes and ESCO",
            {
                "fields": [
                    "isco_08",
                    "onet_soc",
                    "esco_code",
                    "broader",
                    "esco_uri",
                    *ESCO_BOOKKEEPING,
                    "esco_modified_at",
                ],
                "classes": ["collapse"],
                "description": "The ISCO-08 group, ESCO code and broader occupation of an "
                "occupation ESCO holds are rewritten by every import, so they are shown, not "
                "edited, here.",
            },
        ),
        ("Sources", {"fields": ["sources"], "classes": ["collapse"]}),
    ]
    # One inline for each kind of row a role owns (catalogue.parts), in the page's order.
    inlines = role_part_inlines(
        ResponsibilityInline,
        RoleSkillInline,
        FrequentlyAskedQuestionInline,
        CollaborationInline,
        SalaryBandInline,
        SalaryFigureInline,
        HigherPayingLocationInline,
    )

    class Media:
        # Fits the tables of skills, salary bands and figures in the window.
        css = {"all": ["css/admin-inlines.css"]}

    def get_inline_instances(self, request, obj=None):
        # Each kind of row folds under its heading, so the page opens short (a role of ESCO's
        # has hundreds of skills); Django opens a section by itself when it holds an error.
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.classes = [*(inline.classes or []), "collapse"]
        return inlines

    # The review workflow (roles.review) ------------------------------------------------------

    def has_publish_permission(self, request):
        return may_publish(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        status_before = getattr(request, "role_status_before_restore", None)
        return type(form.__name__, (form,), {"user": request.user, "status_before": status_before})

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring writes the version before the form is shown: the form must judge the
        # status it sets against the role's status now, not the version's.
        role = Role.objects.filter(pk=unquote(object_id)).only("status").first()
        request.role_status_before_restore = role.status if role else Role.Status.DRAFT
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        # A deleted role comes back as a new one: to come back published is a reviewer's call.
        request.role_status_before_restore = Role.Status.DRAFT
        return super().recover_view(request, version_id, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["review_buttons"] = self.review_buttons(request, obj)
        if obj is not None:
            # Read once, for the message and the "review steps" field both.
            obj.review_steps_shown = list(
                obj.review_events.select_related("by")[:REVIEW_STEPS_SHOWN]
            )
            if request.method == "GET":
                self._tell_why_sent_back(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_buttons(self, request, role) -> list[dict]:
        """The review steps this user may take from the role's page, as submit buttons."""
        if role is not None and not self.has_change_permission(request, role):
            return []
        status = role.status if role is not None else Role.Status.DRAFT
        buttons = []
        if status == Role.Status.DRAFT:
            buttons.append({"name": "_submit_for_review", "label": "Save and submit for review"})
        if may_publish(request.user) and status in (Role.Status.DRAFT, Role.Status.IN_REVIEW):
            buttons.append({"name": "_publish", "label": "Save and publish"})
        if may_publish(request.user) and status == Role.Status.IN_REVIEW:
            buttons.append({"name": "_send_back", "label": "Save and send back"})
        return buttons

    def _tell_why_sent_back(self, request, role) -> None:
        """A draft a reviewer sent back says why, at the top of its page."""
        steps = role.review_steps_shown
        if role.status == Role.Status.DRAFT and steps and steps[0].action == Action.SENT_BACK:
            step = steps[0]
            messages.warning(
                request, f"{step.by} sent this role back on {_when(step.at)}: {step.comment}"
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.review_step:
            step = record_step(
                role=form.instance,
                action=form.review_step,
                by=request.user,
                comment=form.cleaned_data.get("review_comment", ""),
            )
            messages.info(request, f"“{form.instance}”: {step.get_action_display().lower()}.")

    @admin.display(description="review steps")
    def review_history(self, role):
        steps = getattr(role, "review_steps_shown", [])
        if not steps:
            return "None yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((_when(step.at), step.get_action_display(), step.by, step.comment) for step in steps),
        )
        return format_html(
            '<table><thead><tr><th scope="col">When</th><th scope="col">Step</th>'
            '<th scope="col">By</th><th scope="col">Comment</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )

    @admin.action(description="Submit selected roles for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move_selected(request, queryset, to=Role.Status.IN_REVIEW)

    @admin.action(description="Publish selected roles", permissions=["publish"])
    def publish(self, request, queryset):
        self._move_selected(request, queryset, to=Role.Status.PUBLISHED)

    @admin.action(description="Archive selected roles", permissions=["publish"])
    def archive(self, request, queryset):
        self._move_selected(request, queryset, to=Role.Status.ARCHIVED)

    def _move_selected(self, request, queryset, *, to: str) -> None:
        """Move each selected role that may be moved, each in a revision of its own (History
        lists the step), and say which were not and why."""
        roles = queryset.annotate(responsibility_count=row_count(Role, "responsibilities"))
        moved, refusals = 0, []
        for role in roles:
            if to == Role.Status.PUBLISHED:
                missing = role.missing_for_publishing(
                    responsibilities=role.responsibility_count, skills=role.skill_count
                )
                if missing:
                    refusals.append(f"“{role}” needs {get_text_list(missing, 'and')}.")
                    continue
            try:
                with create_revision():
                    set_user(request.user)
                    step = move(role=role, to=to, by=request.user)
                    if step is not None:
                        self.log_change(request, role, f"{step.get_action_display()}.")
            except PermissionDenied as refusal:
                refusals.append(f"“{role}”: {refusal}")
                continue
            moved += step is not None
        label = Role.Status(to).label.lower()
        if moved:
            self.message_user(request, f"{moved} role{pluralize(moved)} now {label}.")
        if refusals:
            self.message_user(request, f"Not {label}: {' '.join(refusals)}", level=messages.WARNING)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Deleting a public (or "gone") role takes its page off the site, as archiving does:
        # a reviewer's decision. Told after any other reason, which comes first.
        public = [role for role in objs if role.status in PUBLIC_STATUSES]
        if public and not protected and not may_publish(request.user):
            perms_needed = {*perms_needed, "published or archived roles (ask a reviewer)"}
        return deleted, model_count, perms_needed, protected

    def deletion_refusals(self, roles):
        refusals = []
        for role in roles:
            bands, figures = role.salary_bands.count(), role.salary_figures.count()
            if bands or figures:
                refusals.append(
                    f"“{role}” has salary data ({bands} salary band{pluralize(bands)} and "
                    f"{figures} salary figure{pluralize(figures)}) that deleting it would lose. "
                    "To take it off the site, set its status to Archived or Draft instead; to "
                    "delete it, remove its salary bands and figures on its page first."
                )
            count, titles = role_titles(Role.objects.filter(collaborations__collaborator=role))
            if count:
                refusals.append(
                    f"“{role}” is listed as a role that {titles} "
                    f"{'works' if count == 1 else 'work'} with. Remove it from "
                    f"{'that role' if count == 1 else 'those roles'} first."
                )
        return refusals

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("search_vector")
            .annotate(
                skill_count=row_count(Role, "role_skills"),
                band_count=row_count(Role, "salary_bands"),
            )
        )

    @admin.display(description="skills", ordering="skill_count")
    def skill_count(self, role):
        return role.skill_count

    @admin.display(description="salary bands", ordering="band_count")
    def band_count(self, role):
        return role.band_count


@admin.register(RoleFamily)
class RoleFamilyAdmin(CatalogueAdmin):
    list_display = ["code", "name", "level", "role_count"]
    list_filter = [FromEscoFilter]
    search_fields = ["code", "name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # ISCO-08 has 619 groups.
    autocomplete_fields = ["parent"]
    esco_owned_fields = ["code", "parent"]
    readonly_fields = [*ESCO_BOOKKEEPING]
    fields = ["name", "slug", "code", "parent", "description", "esco_uri", *ESCO_BOOKKEEPING]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(role_count=row_count(RoleFamily, "roles"))

    @admin.display(description="ISCO-08 level", ordering=Length("code"))
    def level(self, family):
        return family.isco_level

    @admin.display(description="roles", ordering="role_count")
    def role_count(self, family):
        return family.role_count


@admin.register(Source)
class SourceAdmin(CatalogueAdmin):
    list_display = ["title", "publisher", "year", "cited_in", "url"]
    list_filter = ["publisher", "year"]
    list_select_related = ["cited_in"]
    # What an editor types to find a source: who published it, its title, the year.
    search_fields = ["publisher", "title", "year__exact", "slug", "note"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["cited_in"]

    def get_search_results(self, request, queryset, search_term):
        # The list's own column sorting wins on the change list; pickers keep this order.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.best_matches_first(search_term), may_have_duplicates
