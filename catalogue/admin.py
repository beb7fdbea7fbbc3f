"""What every catalogue admin page shares: a history of changes that editors can restore,
deletes recorded in that history, refused deletes that say why, and search vectors kept
current after every save.

History is django-reversion's: each save in admin stores a revision with the editor, the time,
Django's change message ("Changed overview. Added responsibility …") and the records as they
were. A role's revision holds the role with all of its rows (catalogue.history), so its
History page lists every change to any part of it and "Revert" restores the whole role."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connections, router, transaction
from django.shortcuts import redirect
from django.utils.text import capfirst
from reversion import add_to_revision, create_revision, is_active, set_comment, set_user
from reversion.admin import VersionAdmin

from .search import refresh_after_edit, roles_indexing


class CatalogueAdmin(VersionAdmin):
    history_latest_first = True
    delete_confirmation_template = "admin/catalogue_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/catalogue_delete_selected_confirmation.html"
    recover_list_template = "admin/catalogue_recover_list.html"
    # Rows edited on their own pages (a salary band) name themselves in the history comment,
    # since that comment is read on their role's History page.
    name_record_in_history = False

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


def _missing_model(error: Exception) -> str:
    """ "a skill" for Skill.DoesNotExist; "a record" when the error does not say."""
    for model in apps.get_models():
        if type(error) is model.DoesNotExist:
            return f"a {model._meta.verbose_name}"
    return "a record"
