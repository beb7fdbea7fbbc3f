"""What every catalogue admin page shares: a history of changes that editors can restore,
deletes recorded in that history, refused deletes that say why, and search vectors kept
current after every save.

The module also holds what admin pages of catalogue records need beyond that: a "from
ESCO" list filter, inlines of links that stay cheap with hundreds of rows (LinkInline), and
the read-only record of ESCO imports (ImportRunAdmin).

History is django-reversion's: each save in admin stores a revision with the editor, the time,
Django's change message ("Changed overview. Added responsibility …") and the records as they
were. A role's revision holds the role with all of its rows (catalogue.history), so its
History page lists every change to any part of it and "Revert" restores the whole role."""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import F, Func, OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from reversion import add_to_revision, create_revision, is_active, set_comment, set_user
from reversion.admin import VersionAdmin

from .models import ImportRun
from .search import refresh_after_edit, roles_indexing

# What the ESCO import writes and no editor should: which version last held a record, the
# version that dropped it, whether the import made it. Shown, never edited.
ESCO_BOOKKEEPING = ["esco_version", "esco_retired_in", "created_by_import"]


class CatalogueAdmin(VersionAdmin):
    history_latest_first = True
    delete_confirmation_template = "admin/catalogue_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/catalogue_delete_selected_confirmation.html"
    recover_list_template = "admin/catalogue_recover_list.html"
    # Rows edited on their own pages (a salary band) name themselves in the history comment,
    # since that comment is read on their role's History page.
    name_record_in_history = False
    # Fields the ESCO import rewrites on every record it imported, whatever an editor made of
    # them (catalogue.esco.importing: "ESCO's alone"): read-only on those records, so that no
    # edit is silently undone by the next import. Editable on records editors made.
    esco_owned_fields: list[str] = []
    # Links typed without a scheme are taken as https (Django 6.0's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and getattr(obj, "is_from_esco", False):
            readonly += [name for name in self.esco_owned_fields if name not in readonly]
        return readonly

    # Keeping search current ------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        # What role vectors held of this record before the edit, for save_related. Kept on
        # the form, which lives for this request only: the admin object serves every request.
        form.roles_indexed_before = (
            roles_indexing(type(obj).objects.get(pk=obj.pk)) if change else set()
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The one admin hook for search: after the inlines, since a role's vector holds its
        # skills, responsibilities and FAQs. Restores from History save through here too.
        refresh_after_edit(
            form.instance,
            roles_before=form.roles_indexed_before,
            changed_fields=form.changed_data,
        )

    # Refusing deletes -----------------------------------------------------------------------

    def deletion_refusals(self, objs) -> list[str]:
        """Why PROTECT stops deleting some of ``objs``, one plain sentence per blocked record
        that says what to do instead. Empty: Django's list of the protected rows is shown."""
        return []

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            protected = self.deletion_refusals(objs) or protected
        return deleted, model_count, perms_needed, protected

    def _reversion_order_version_queryset(self, request, queryset):
        # reversion's recover list shows who deleted each record: fetch the users with it.
        queryset = super()._reversion_order_version_queryset(request, queryset)
        return queryset.select_related("revision__user")

    # Restoring -------------------------------------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        return self._restoring(request, super().revision_view, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        return self._restoring(request, super().recover_view, version_id, extra_context)

    def _restoring(self, request, view, *args):
        """Run reversion's restore view, but answer a version that names a record deleted
        since (a role listing a skill that is gone) with a message, not a 500: showing it
        fails on the missing record, and saving it would break a foreign key at commit."""
        alias = router.db_for_write(self.model)
        try:
            with transaction.atomic(using=alias):
                response = view(request, *args)
                connections[alias].check_constraints()  # the deferred foreign keys, now
        except (ObjectDoesNotExist, IntegrityError) as error:
            missing = _missing_model(error)
            messages.error(
                request,
                f"That version can’t be restored: it refers to {missing} deleted since. "
                "Recover it first (“Recover deleted …” on its list), then try again.",
            )
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        return response

    # Recording changes ----------------------------------------------------------------------

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._name_record(obj, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._name_record(obj, entry)
        return entry

    def _name_record(self, obj, entry):
        if self.name_record_in_history and is_active():
            verbose_name = capfirst(obj._meta.verbose_name)
            set_comment(f"{verbose_name} “{obj}”: {entry.get_change_message()}")

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin wraps the list page in one revision, for list_editable (unused here);
        # "Delete selected" must record one revision per record instead (_record_deletion).
        context = {"has_change_permission": self.has_change_permission(request)}
        return super(VersionAdmin, self).changelist_view(request, context | (extra_context or {}))

    def delete_model(self, request, obj):
        self._record_deletion(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_deletion(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _record_deletion(self, request, objs):
        """Store the records as they were just before the delete, by whom, so that "Recover
        deleted …" can bring them back even if no one had edited them in admin before. One
        revision each: recovering one record must not bring back the others deleted with it."""
        for obj in objs:
            with create_revision():
                set_user(request.user)
                set_comment(f"Deleted {self.model._meta.verbose_name} “{obj}”.")
                add_to_revision(obj)


class FromEscoFilter(admin.SimpleListFilter):
    """Records by where they come from: an ESCO import (still in ESCO, or dropped by a later
    version) or an editor."""

    title = "source"
    parameter_name = "from_esco"

    def lookups(self, request, model_admin):
        return [
            ("yes", "From ESCO"),
            ("retired", "Dropped by ESCO"),
            ("no", "Made by editors"),
        ]

    def queryset(self, request, queryset):
        from_esco = ~models.Q(esco_version="") & ~models.Q(esco_uri="")
        if self.value() == "yes":
            return queryset.filter(from_esco)
        if self.value() == "retired":
            return queryset.filter(from_esco).exclude(esco_retired_in="")
        if self.value() == "no":
            return queryset.exclude(from_esco)
        return queryset


# Inlines of links to records chosen by autocomplete ---------------------------------------


class RowRecordAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, handed the record its row already holds
    (``row_record``), which it then shows without a query: Django's own looks up each
    row's record by itself, 340 queries for the skills of one ESCO occupation."""

    row_record = None

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        record = self.row_record
        if record is None or selected != [str(record.pk)]:  # a changed row, sent back
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(record)
        options.append(self.create_option(name, record.pk, label, True, len(options)))
        return [(None, options, 0)]


class RowRecordsFormSet(BaseInlineFormSet):
    """Reads the records its saved rows point at in one query a field, not one a row: hands
    them to the rows' autocomplete widgets (RowRecordAutocompleteSelect) and to the rows
    themselves, whose titles in the table name them (RoleSkill's __str__: role and skill).

    A row pointing at a record deleted since (a version being restored) raises the record's
    DoesNotExist, as reading it row by row would: CatalogueAdmin refuses that restore."""

    def __init__(self, *args, **kwargs):
        self._records = {}  # by field name, then primary key
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = form.instance
        if row.pk is None:
            return
        self.fk.set_cached_value(row, self.instance)  # the rows are this record's
        for name, form_field in form.fields.items():
            widget = getattr(form_field.widget, "widget", form_field.widget)  # in the wrapper
            if not isinstance(widget, RowRecordAutocompleteSelect):
                continue
            field = self.model._meta.get_field(name)
            record_id = getattr(row, field.attname)
            if record_id is None:
                continue
            record = self._records_of(field).get(record_id)
            if record is None:
                raise field.related_model.DoesNotExist(
                    f"{field.related_model.__name__} {record_id}"
                )
            field.set_cached_value(row, record)
            widget.row_record = record

    def _records_of(self, field) -> dict:
        """The records ``field`` of the saved rows points at, by primary key."""
        if field.name not in self._records:
            ids = {getattr(row, field.attname) for row in self.get_queryset()} - {None}
            related = field.related_model._default_manager.defer(
                *_search_vectors(field.related_model)
            )
            self._records[field.name] = related.in_bulk(ids)
        return self._records[field.name]


def _search_vectors(model) -> list[str]:
    """``model``'s search vectors: kilobytes a record, which admin pages never show. (A
    skill's is a GeneratedField giving a search vector.)"""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(getattr(field, "output_field", field), SearchVectorField)
    ]


class LinkInline(admin.TabularInline):
    """An inline of rows that link records (a role and a skill), any number of them, with
    autocomplete for the records they point at: a fixed number of queries however many rows
    there are (RowRecordsFormSet), where Django's would run three a row."""

    formset = RowRecordsFormSet
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowRecordAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# The record of ESCO imports -----------------------------------------------------------------

# What an import did to each kind of record (catalogue.esco.importing.Tally), and of those
# the outcomes a run's one-line summary counts.
OUTCOMES = ["created", "updated", "unchanged", "retired", "removed", "left_alone", "skipped"]
CHANGES = ["created", "updated", "retired", "removed", "left_alone"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """What each ESCO import did, for editors to read (their view permission comes from
    catalogue.permissions) and for no one to change: the import writes it, all or nothing."""

    list_display = ["started_at", "esco_version", "run_by", "run_time", "summary"]
    list_filter = ["esco_version"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "esco_version",
                    "source",
                    "new_role_status",
                    "run_by",
                    "started_at",
                    "finished_at",
                    "run_time",
                ]
            },
        ),
        ("What it changed", {"fields": ["count_table"]}),
        ("Editors’ changes it kept", {"fields": ["left_alone_list"]}),
        ("Files read", {"fields": ["checksum_table"]}),
    ]
    readonly_fields = [name for _, options in fieldsets for name in options["fields"]]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="duration")
    def run_time(self, run):
        total = run.duration.total_seconds()
        if total < 60:
            return f"{total:.1f} s"
        minutes, seconds = divmod(round(total), 60)
        return f"{minutes} min {seconds} s"

    @admin.display(description="changes")
    def summary(self, run):
        totals = {
            outcome: sum(counts.get(outcome, 0) for counts in run.counts.values())
            for outcome in CHANGES
        }
        changes = [
            f"{total:,} {outcome.replace('_', ' ')}" for outcome, total in totals.items() if total
        ]
        return ", ".join(changes) if changes else "Nothing changed"

    @admin.display(description="counts")
    def count_table(self, run):
        header = format_html_join(
            "", "<th scope='col'>{}</th>", ((outcome.replace("_", " "),) for outcome in OUTCOMES)
        )
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th>{}</tr>",
            (
                (
                    capfirst(kind),
                    format_html_join(
                        "",
                        "<td>{}</td>",
                        ((f"{counts.get(outcome, 0):,}",) for outcome in OUTCOMES),
                    ),
                )
                for kind, counts in run.counts.items()
            ),
        )
        return format_html(
            "<table><thead><tr><td></td>{}</tr></thead><tbody>{}</tbody></table>", header, rows
        )

    @admin.display(description="left alone")
    def left_alone_list(self, run):
        if not run.left_alone:
            return "None: no editor had changed what this import would have changed."
        left_alone = sum(counts.get("left_alone", 0) for counts in run.counts.values())
        shown = len(run.left_alone)
        note = (
            f"The first {shown} of {left_alone:,}."
            if left_alone > shown
            else f"{shown} change{pluralize(shown)}."
        )
        items = format_html_join("", "<li>{}</li>", ((entry,) for entry in run.left_alone))
        return format_html("<p>{}</p><ul>{}</ul>", note, items)

    @admin.display(description="SHA-256 of each file")
    def checksum_table(self, run):
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td><code>{}</code></td></tr>",
            sorted(run.checksums.items()),
        )
        return format_html("<table><tbody>{}</tbody></table>", rows)


def role_titles(roles) -> tuple[int, str]:
    """How many ``roles`` there are, and their first titles for a sentence: "A, B, C and 2
    more", "A and B", "A"."""
    titles = list(roles.order_by("title").values_list("title", flat=True)[:3])
    count = roles.count() if len(titles) == 3 else len(titles)
    if count > len(titles):
        return count, f"{', '.join(titles)} and {count - len(titles)} more"
    if count > 1:
        return count, f"{', '.join(titles[:-1])} and {titles[-1]}"
    return count, "".join(titles)


def row_count(model, related_name: str) -> Func:
    """How many ``related_name`` rows (a role's ``role_skills``) each record of ``model``
    has, as a subquery correlated with the record, for a list column: PostgreSQL works it
    out for the rows of the page alone, where a ``Count`` annotation joins and groups every
    record's rows before the page is cut (4 s for 13,000 roles and their 420,000 skills), and
    drags that join into the list's count and date queries too."""
    relation = model._meta.get_field(related_name)
    rows = relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
    count = Func(F("pk"), function="COUNT", output_field=models.IntegerField())
    return Subquery(rows.order_by().values(count=count), output_field=models.IntegerField())


def _missing_model(error: Exception) -> str:
    """ "a skill" for Skill.DoesNotExist; "a record" when the error does not say."""
    for model in apps.get_models():
        if type(error) is model.DoesNotExist:
            return f"a {model._meta.verbose_name}"
    return "a record"
