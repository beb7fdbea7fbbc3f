"""Which cached pages an edit to catalogue content makes stale (jobsite.cache explains the
tags). Most edits touch one role's own content: only that role's pages, the skill pages
listing it and the lists need rendering again. What other pages' links and lists are made
of changes the catalogue's structure, which every single role's and skill's page shows."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from jobsite.cache import STRUCTURE, pages_changed, role_tag
from roles.models import Role
from skills.models import RoleSkill

# What other roles' pages show of a role (a link and its title, in its family, under its
# broader occupation) and what decides whether it is shown at all.
ROLE_FIELDS_SHOWN_ELSEWHERE = ("title", "slug", "status", "family_id", "broader_id")


def changed_tags(instance) -> set[str]:
    """The tags of the pages showing ``instance``, as saved or deleted."""
    if isinstance(instance, Role):
        if getattr(instance, "_changes_structure", True):
            return {STRUCTURE}
        return {role_tag(instance.pk)}
    if isinstance(instance, RoleSkill):
        # Every role page's next steps are ranked by the skills roles share.
        return {STRUCTURE}
    role_id = getattr(instance, "role_id", None)
    if role_id is not None:  # a row a role owns: responsibilities, FAQs, pay, ...
        return {role_tag(role_id)}
    return {STRUCTURE}


def _note_role_structure(sender, instance, raw=False, using="default", **kwargs):
    """Before a role is saved: does the save change what other pages show of it? One
    query, for editors' saves; a new role always does."""
    if raw or instance.pk is None:
        instance._changes_structure = True
        return
    before = (
        Role.objects.using(using)
        .filter(pk=instance.pk)
        .values_list(*ROLE_FIELDS_SHOWN_ELSEWHERE)
        .first()
    )
    after = tuple(getattr(instance, name) for name in ROLE_FIELDS_SHOWN_ELSEWHERE)
    instance._changes_structure = before != after


def _saved_or_deleted(sender, instance, raw=False, using="default", **kwargs):
    if raw:  # fixtures being loaded
        return
    pages_changed(changed_tags(instance), using=using)
    if isinstance(instance, Role):
        instance._changes_structure = True  # until the next pre_save says otherwise


def _links_changed(sender, instance, action, reverse, model, pk_set, using="default", **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Role) and not reverse:  # a role's sources
        tags = {role_tag(instance.pk)}
    elif model is Role and pk_set:  # a source's roles
        tags = {role_tag(pk) for pk in pk_set}
    else:
        tags = {STRUCTURE}
    pages_changed(tags, using=using)


def invalidate_pages_on_changes_to(app_labels) -> None:
    """Mark pages stale whenever a model of these apps is saved or deleted, or a
    many-to-many link between them changes."""
    pre_save.connect(_note_role_structure, sender=Role, dispatch_uid="catalogue-role-structure")
    for label in app_labels:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            uid = f"catalogue-changed:{model._meta.label}"
            if model._meta.auto_created:  # a many-to-many table, e.g. a role's sources
                m2m_changed.connect(_links_changed, sender=model, dispatch_uid=uid)
            else:
                post_save.connect(_saved_or_deleted, sender=model, dispatch_uid=uid)
                post_delete.connect(_saved_or_deleted, sender=model, dispatch_uid=f"{uid}:delete")
