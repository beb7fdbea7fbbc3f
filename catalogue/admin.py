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

from functools import partial

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import F, Func, OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from reversion import (
    add_meta,
    add_to_revision,
    create_revision,
    is_active,
    set_comment,
    set_user,
)
from reversion.admin import VersionAdmin

from roles.models import Role

from .edit_conflicts import EditTokenField, Snapshot, find_conflict, rows_key
from .models import ImportRun, PublicChangeNote
from .parts import part_of
from .search import refresh_after_edit, roles_indexing
from .version_diffs import chosen_versions, compare_versions

# What the ESCO import writes and no editor should: which version last held a record, the
# version that dropped it, whether the import made it. Shown, never edited.
ESCO_BOOKKEEPING = ["esco_version", "esco_retired_in", "created_by_import"]


class TypedTextField(forms.CharField):
    """Text as the editor typed it, with line breaks as "\\n": browsers send a textarea's as
    "\\r\\n", which made every save look like a change of each long text, recorded in
    History, and went into the catalogue files as escaped "\\r\\n"."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


# Null characters and other values no key can be -------------------------------------------
# PostgreSQL text cannot hold a null character: a search, a filter or a chosen record's key
# holding one (pasted into the address, sent by a script) reached the database as a 500.

NULL_CHARACTER_REFUSED = (
    "Searches and filters cannot contain a null character: showing the whole list."
)


class RefusesNullCharacters:
    """For a ModelAdmin: a list whose search or filters hold a null character shows the
    whole list with a message, as Django does for other filters it cannot apply, and an
    autocomplete box typed one finds nothing. Put it first among the admin's bases."""

    def get_changelist_instance(self, request):
        sent = request.GET.lists()
        if any("\x00" in name + "".join(values) for name, values in sent):
            messages.error(request, NULL_CHARACTER_REFUSED)
            raise IncorrectLookupParameters(NULL_CHARACTER_REFUSED)
        return super().get_changelist_instance(request)

    def get_search_results(self, request, queryset, search_term):
        # The list's search box is checked by Django's form; autocomplete's term is not.
        if "\x00" in search_term:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


def _is_key(field: forms.ModelChoiceField, value) -> bool:
    """Whether ``value`` could be the key of one of ``field``'s records."""
    model = field.queryset.model
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    try:
        key.to_python(value)
    except ValidationError:
        return False
    return "\x00" not in str(value)


class RecordChoiceField(forms.ModelChoiceField):
    """A record chosen by key that, sent back with an invalid form, shows a value that is no
    key ("x", a null character: never what the widget sends) as nothing chosen, beside its
    error. Django's autocomplete widget looked it up to show it, and that lookup was a 500."""

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        return data if data in self.empty_values or _is_key(self, data) else None


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by key: RecordChoiceField's, for each of them."""

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        if not isinstance(data, list | tuple):
            return data
        return [value for value in data if _is_key(self, value)]


CATALOGUE_FORM_FIELDS = {
    models.TextField: {"form_class": TypedTextField},
    # Links typed without a scheme are taken as https (Django 6.0's default).
    models.URLField: {"assume_scheme": "https"},
    models.ForeignKey: {"form_class": RecordChoiceField},
    models.ManyToManyField: {"form_class": RecordsChoiceField},
}


class CatalogueInline:
    """What every inline of catalogue rows shares with CatalogueAdmin's own form: put it
    first among an inline's bases."""

    formfield_overrides = CATALOGUE_FORM_FIELDS


# Rows in the order an editor chooses (a role's responsibilities, skills, FAQs …) --------
# The page shows each row's place by where the row is, not by a number: static/js/
# admin-ordering.js lets editors drag rows, or move them with the arrow keys, and writes each
# row's place into its hidden position field as it moves. The positions are saved as any
# other field is, so edit conflicts (catalogue.edit_conflicts) and History see them.

POSITION_NOT_UNDERSTOOD = (
    "This row’s place in the list was not understood. Reload the page and move the row again."
)


class OrderedRowForm(forms.ModelForm):
    """A row of an OrderedInline. A new row left without a place (no script ran, or the
    editor never moved it) goes after the others (OrderedRowsFormSet). A new row that was
    only moved, with nothing typed into it, stays an empty row that is not saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.initial["position"] = None  # not the model's 0: that is the top of the list

    def has_changed(self):
        if self.instance.pk is None:
            return any(name != "position" for name in self.changed_data)
        return super().has_changed()

    def _post_clean(self):
        super()._post_clean()  # after the model's own checks too (its largest number)
        # The position field is hidden, so its own error would show nowhere.
        if self.has_error("position"):
            self.add_error(None, POSITION_NOT_UNDERSTOOD)


class OrderedRowsFormSet:
    """For the formset of an OrderedInline: rows submitted without a place go last, in the
    order shown."""

    def clean(self):
        super().clean()
        # An empty new row has no cleaned data: it is not saved.
        kept = [
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not self._should_delete_form(form)
        ]
        placed = [form.cleaned_data["position"] for form in kept]
        last = max((position for position in placed if position is not None), default=0)
        for form in kept:
            if form.cleaned_data["position"] is None:
                last += 1
                form.cleaned_data["position"] = form.instance.position = last


class OrderedInline:
    """For an inline of OrderedModel rows: put it first among the inline's bases. The rows
    are ordered by dragging them or with the keyboard; their position numbers are hidden."""

    form = OrderedRowForm

    class Media:
        js = ["js/admin-ordering.js"]
        css = {"all": ["css/admin-ordering.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "position":
            kwargs["widget"] = forms.HiddenInput(attrs={"data-row-position": ""})
            kwargs["required"] = False  # new rows may come without one
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (OrderedRowsFormSet, formset), {})


# What an editor tells readers of a change (the role's public change log) -----------------


class NoteField(forms.CharField):
    """A field of the note kept with a save's revision, not of the record: typing in it
    alone changes nothing, so it makes no "Changed …" line and no save of its own."""

    def has_changed(self, initial, data):
        return False


NOTE_FIELDS = {
    "summary_for_readers": NoteField(
        label="Summary for readers",
        required=False,
        max_length=PublicChangeNote._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. What changed and why, in a sentence, shown with the date in the "
        "role's public change log.",
    ),
    "sign_as": NoteField(
        label="Sign this change as",
        required=False,
        max_length=PublicChangeNote._meta.get_field("signed_as").max_length,
        help_text="Optional. The name the change log shows for this change. Left empty, the "
        "change is shown unsigned: the log never shows who saved it.",
    ),
}
NOTE_FIELDSET = (
    "For the change log",
    {
        "fields": list(NOTE_FIELDS),
        "description": "Shown to readers of the role's change log; your account never is.",
    },
)


class CatalogueAdmin(RefusesNullCharacters, VersionAdmin):
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
    formfield_overrides = CATALOGUE_FORM_FIELDS
    # The hidden snapshot that tells a stale save (catalogue.edit_conflicts), and what
    # differs when one is refused.
    change_form_template = "admin/catalogue_change_form.html"
    # History with what editors told readers (PublicChangeNote) beside each change.
    object_history_template = "admin/catalogue_object_history.html"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and getattr(obj, "is_from_esco", False):
            readonly += [name for name in self.esco_owned_fields if name not in readonly]
        return readonly

    # Two editors at once (catalogue.edit_conflicts) -------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.takes_public_note:
            # The note's fields are the form's, not the model's: modelform_factory must not
            # look for them on the model. (None: every field, for get_fields.)
            if "fields" in kwargs:
                fields = kwargs["fields"]
            else:
                fields = flatten_fieldsets(self.get_fieldsets(request, obj))
            if fields is not None:
                kwargs["fields"] = [name for name in fields if name not in NOTE_FIELDS]
        form = super().get_form(request, obj, change, **kwargs)
        if self.takes_public_note:
            form = type(form.__name__, (form,), {**NOTE_FIELDS})
        if obj is None:
            return form
        check = partial(self._refuse_stale_save, request)

        class EditCheckedForm(form):
            edit_token = EditTokenField(required=False)

            def clean(self):
                cleaned_data = super().clean()
                check(self)
                return cleaned_data

        EditCheckedForm.__name__ = form.__name__
        return EditCheckedForm

    def get_fields(self, request, obj=None):
        # Admins without fieldsets list the form's fields: the snapshot is not one to show,
        # and the note's have a fieldset of their own (get_fieldsets).
        hidden = {"edit_token", *NOTE_FIELDS}
        return [name for name in super().get_fields(request, obj) if name not in hidden]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        return [*fieldsets, NOTE_FIELDSET] if self.takes_public_note else fieldsets

    @property
    def takes_public_note(self) -> bool:
        """Whether a save here shows in a role's public change log: a role's, or a row's
        that follows its role into the history (a salary band edited on its own page)."""
        part = part_of(self.model)
        return self.model is Role or bool(part and part.follows_role_in_history)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None and "edit_token" in form.fields and not form.is_bound:
            # From what the page shows: the inlines' rows are read here once, for both.
            rows = {
                rows_key(type(inline.formset)): list(inline.formset.get_queryset())
                for inline in context["inline_admin_formsets"]
            }
            edited = self._edited_values(form, obj, from_initial=True)
            form.initial["edit_token"] = Snapshot.of(obj, edited, rows).sign()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _edited_values(self, form, record, from_initial=False) -> dict:
        """The values of the record's fields that ``form`` edits (its many-to-many ones as
        the form read them, when ``from_initial``)."""
        names = {field.name for field in record._meta.get_fields() if field.concrete}
        return {
            name: (
                form.initial.get(name)
                if from_initial and record._meta.get_field(name).many_to_many
                else record._meta.get_field(name).value_from_object(record)
            )
            for name in form.fields
            if name in names
        }

    def _refuse_stale_save(self, request, form):
        """Refuse the save if the record, or a row its inlines show, changed since the form
        was opened: read both again locked, in the save's transaction (ATOMIC_REQUESTS and
        admin's own), so that a concurrent save waits for this one or this one for it."""
        token = form.data.get(form.add_prefix("edit_token"))
        if not token:  # a restore from History: reversion's form has no snapshot
            return
        opened = Snapshot.unsign(token)
        if opened is None:
            form.add_error(None, "This form was damaged in transit: reload the page.")
            return
        record = self.model._default_manager.select_for_update().get(pk=form.instance.pk)
        rows = {}
        for formset_class, inline in self.get_formsets_with_inlines(request, record):
            formset = formset_class(instance=record, queryset=inline.get_queryset(request))
            rows[rows_key(formset_class)] = list(
                formset.get_queryset().select_for_update(of=("self",))
            )
        current = Snapshot.of(record, self._edited_values(form, record), rows)
        conflict = find_conflict(form, opened, current, record, rows)
        if conflict is None:
            return
        form.edit_conflict = conflict
        form.data = form.data.copy()
        form.data[form.add_prefix("edit_token")] = conflict.fresh_token
        form.add_error(None, conflict.message)

    # Saving what changed, and only that --------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            form.roles_indexed_before = set()
            super().save_model(request, obj, form, change)
        # A change is saved in save_related, once the inlines tell whether anything changed.

    def save_related(self, request, form, formsets, change):
        if change:
            if not self._changes_anything(request, form, formsets):
                # Nothing to write, and so nothing for History or the admin log to record.
                request.catalogue_save_changed_nothing = True
                super().save_related(request, form, formsets, change)  # writes no row
                return
            # What role vectors held of this record before the edit, for the refresh below.
            # Kept on the form, which lives for this request only.
            obj = form.instance
            form.roles_indexed_before = roles_indexing(type(obj).objects.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
        super().save_related(request, form, formsets, change)
        self._keep_public_note(form)
        for warning in self._save_warnings(form, formsets):
            messages.warning(request, warning)
        # The one admin hook for search: after the inlines, since a role's vector holds its
        # skills, responsibilities and FAQs. Restores from History save through here too.
        refresh_after_edit(
            form.instance,
            roles_before=form.roles_indexed_before,
            changed_fields=form.changed_data,
        )

    def _save_warnings(self, form, formsets) -> list[str]:
        """The warnings of the record saved and of the inline rows this save wrote."""
        saved = [form.instance] + [
            row.instance
            for formset in formsets
            for row in formset.forms
            if row.has_changed() and row not in formset.deleted_forms
        ]
        # Models that have something to say define save_warnings() (Role, salary figures).
        return [warning for record in saved for warning in getattr(record, "save_warnings", list)()]

    def _keep_public_note(self, form) -> None:
        """Keep what the editor told readers with the revision this save records."""
        note = {
            "summary": form.cleaned_data.get("summary_for_readers", ""),
            "signed_as": form.cleaned_data.get("sign_as", ""),
        }
        if is_active() and any(note.values()):
            add_meta(PublicChangeNote, **note)

    def _changes_anything(self, request, form, formsets) -> bool:
        # A restore has written the version already: its save records it in History.
        return (
            getattr(request, "catalogue_restoring", False)
            or form.has_changed()
            or any(formset.has_changed() for formset in formsets)
        )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "catalogue_save_changed_nothing", False) and level == messages.SUCCESS:
            message, level = "Nothing was changed, so nothing was saved.", messages.INFO
        super().message_user(request, message, level, *args, **kwargs)

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
        # History shows each revision's note for readers: fetched with it, too.
        queryset = super()._reversion_order_version_queryset(request, queryset)
        return queryset.select_related("revision__user", "revision__public_change_note")

    # Comparing two versions (catalogue.version_diffs) ----------------------------------------

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        # reversion names each version only in its link; the Compare form sends its key.
        for action in getattr(response, "context_data", {}).get("action_list", []):
            action["version_id"] = resolve(action["url"]).args[1]
        return response

    def compare_view(self, request, object_id):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404("No such record.")
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        chosen = chosen_versions(record, request.GET.get("from"), request.GET.get("to"))
        if chosen is None:
            raise Http404("Choose two versions of this record from its History to compare.")
        before, after = chosen
        opts = self.model._meta
        restore = f"admin:{opts.app_label}_{opts.model_name}_revision"
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": record,
            "title": f"Compare versions of {record}",
            "diff": compare_versions(record, before, after),
            "side_by_side": request.GET.get("layout") == "side",
            "sides": [
                {"version": version, "restore_url": reverse(restore, args=[record.pk, version.pk])}
                for version in (before, after)
            ],
            "history_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[record.pk]
            ),
            "from_id": before.pk,
            "to_id": after.pk,
        }
        return TemplateResponse(request, "admin/catalogue_version_compare.html", context)

    # Restoring -------------------------------------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        return self._restoring(request, super().revision_view, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        return self._restoring(request, super().recover_view, version_id, extra_context)

    def _restoring(self, request, view, *args):
        """Run reversion's restore view, but answer a version that names a record deleted
        since (a role listing a skill that is gone) with a message, not a 500: showing it
        fails on the missing record, and saving it would break a foreign key at commit."""
        request.catalogue_restoring = True
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
        if getattr(request, "catalogue_save_changed_nothing", False):
            return None
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


class LinkInline(CatalogueInline, admin.TabularInline):
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
class ImportRunAdmin(RefusesNullCharacters, admin.ModelAdmin):
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
