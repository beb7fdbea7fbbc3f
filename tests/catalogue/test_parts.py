"""The rows a role owns are declared once (catalogue.parts.ROLE_PARTS): a new kind of row
that points at roles fails here until it is declared, and what derives from the declaration
(history, admin inlines, the files, the role page's reads) covers every part."""

from django.contrib import admin
from reversion.revisions import _get_options

from catalogue.files.format import FILE_KEYS, file_fields
from catalogue.parts import NOT_ROLE_PARTS, ROLE_PARTS
from catalogue.selectors import roles_for_detail_page
from roles.models import Role


def test_every_relation_pointing_at_roles_is_a_part_or_left_out_with_a_reason():
    pointing_at_roles = {relation.get_accessor_name() for relation in Role._meta.related_objects}
    declared = {part.name for part in ROLE_PARTS}
    assert pointing_at_roles == declared | set(NOT_ROLE_PARTS)
    assert not declared & set(NOT_ROLE_PARTS)


def test_each_part_points_at_its_role_and_is_told_apart_within_it():
    for part in ROLE_PARTS:
        assert part.model._meta.get_field("role").related_model is Role, part
        assert part.natural_key, part  # the loader matches a file's rows on it
        assert set(part.natural_key) <= file_fields(part.model), part


def test_a_roles_history_holds_every_part():
    assert set(_get_options(Role).follow) == {part.name for part in ROLE_PARTS}
    for part in ROLE_PARTS:
        expected = ("role",) if part.follows_role_in_history else ()
        assert tuple(_get_options(part.model).follow) == expected, part


def test_the_role_admin_page_has_an_inline_for_every_part():
    role_admin = admin.site._registry[Role]
    assert {inline.model for inline in role_admin.inlines} == {part.model for part in ROLE_PARTS}


def test_the_files_hold_every_part_and_the_role_page_reads_every_part(db):
    for part in ROLE_PARTS:
        assert part.model in FILE_KEYS, part
    lookups = {
        lookup.prefetch_through if hasattr(lookup, "prefetch_through") else lookup
        for lookup in roles_for_detail_page()._prefetch_related_lookups
    }
    assert {part.name for part in ROLE_PARTS} <= lookups
