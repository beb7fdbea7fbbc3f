"""The catalogue files' format, which the loader reads and the export writes.

``families.yaml``, ``locations.yaml``, ``sources.yaml`` and ``skills.yaml`` hold lists of
shared records keyed by slug; ``roles/<slug>.yaml`` holds one role with its rows, each kind
under the key its RolePart names (``faqs``, ``salary.bands`` …). ``FILE_KEYS`` says what
each record holds, and both directions read it: a key is required exactly when its model
field is (no default, not blank, not null).
"""

import re
from pathlib import Path

from django.conf import settings
from django.db import models

from roles.models import ReviewEvent, Role, RoleFamily, Source
from salaries.models import Location, PaySpan
from skills.models import Skill, SkillGroup

from ..parts import ROLE_PARTS, as_is

DEFAULT_DIRECTORY: Path = settings.BASE_DIR / "content"


class CatalogueError(Exception):
    """The catalogue files are malformed or break a rule of the models."""


def clipped(text: str, *, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, for an error message: a file's value (or a
    validator's message quoting it) may be a megabyte long. Values go in as ``repr(value)``."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


# A role file's opening lines; each longer field after them gets a paragraph of its own.
ROLE_HEADLINE = as_is(
    "slug",
    "title",
    "family",
    "status",
    "featured",
    "reviewed_on",
    "isco_08",
    "onet_soc",
    "esco_uri",
    "esco_code",
    "broader",
)
# What each record holds, in the shipped files' order: file key -> model field. Foreign keys
# and many-to-many fields are written as slugs (as ESCO concept URIs for records an ESCO
# import made, which the export leaves out); a pair of fields as a [from, to] list. A
# role's rows follow its own fields, each kind under its part's key (catalogue.parts).
FILE_KEYS: dict[type[models.Model], dict[str, str | tuple[str, str]]] = {
    RoleFamily: as_is("slug", "name", "description", "code", "parent", "esco_uri"),
    Location: as_is("slug", "name", "country_code", "parent"),
    Source: as_is("slug", "title", "publisher", "url", "year", "cited_in", "note"),
    Skill: as_is("slug", "name", "kind", "esco_uri", "alternative_names", "description"),
    Role: {
        **ROLE_HEADLINE,
        **as_is("summary", "alternative_titles", "overview", "qualifications", "education"),
        **as_is("outlook", "salary_note"),
        **as_is("sources"),
    },
    **{part.model: part.file_keys for part in ROLE_PARTS},
}

# Fields the files leave out, and why. tests/catalogue/test_export.py checks that every
# other field of every content model is in FILE_KEYS, so that a new field cannot be forgotten.
NOT_IN_FILES = {
    "id": "records are named by slug; one database's ids mean nothing in another",
    "created_at": "bookkeeping, set when the record is loaded",
    "updated_at": "bookkeeping, set whenever the record is saved",
    "is_demo": "demo data is synthetic and regenerable: it is left out altogether",
    "search_vector": "derived from the text: generated, or rebuilt by load_catalogue",
    "title_vector": "derived from the titles: generated",
    "position": "implied by the order of a role's rows in its file",
    "role": "a role's rows are written in the role's own file",
    # What an ESCO import keeps of ESCO's concepts; the import writes it again from ESCO's files.
    "esco_version": "bookkeeping of the ESCO import",
    "esco_retired_in": "bookkeeping of the ESCO import",
    "esco_imported": "bookkeeping of the ESCO import",
    "created_by_import": "bookkeeping of the ESCO import",
    "esco_importance": "bookkeeping of the ESCO import",
    "esco_modified_at": "ESCO's own date, set by the import",
    "esco_type": "ESCO's own classification, set by the import",
    "reuse_level": "ESCO's own classification, set by the import",
    "groups": "ESCO's skills hierarchy, set by the import",
    "broader_skills": "ESCO's skills hierarchy, set by the import",
}


# Models the files leave out altogether, and why.
MODELS_NOT_IN_FILES = {
    SkillGroup: "ESCO's skills hierarchy, which only an ESCO import makes",
    PaySpan: "derived from a role's salary bands by the database, never written by hand",
    ReviewEvent: "the record of who submitted and published a role: admin's history, not content",
}

# The files of shared records, in the order they are loaded (each may name the ones before).
SHARED_FILES = {
    "families.yaml": RoleFamily,
    "locations.yaml": Location,
    "sources.yaml": Source,
    "skills.yaml": Skill,
}
ROLES_FOLDER = "roles"

# Role files are named by slug: nothing else may reach the file name.
SLUG_AS_FILE_NAME = re.compile(r"[-a-zA-Z0-9_]+")

EXPORT_HEADER = (
    "# Written by manage.py export_catalogue; "
    "load it with: manage.py load_catalogue --directory DIRECTORY --update\n"
)


def file_fields(model: type[models.Model]) -> set[str]:
    """The fields of ``model`` that the files hold. A role's collaborators (``works_with``)
    are its Collaboration rows."""
    names = {name for fields in FILE_KEYS[model].values() for name in _names(fields)}
    if model is Role:
        part_models = {part.model for part in ROLE_PARTS}
        names |= {
            field.name
            for field in model._meta.many_to_many
            if field.remote_field.through in part_models
        }
    return names


def required_keys(model: type[models.Model]) -> set[str]:
    """The keys a record of ``model`` must have: those whose field (any field of a pair)
    has no default and may not be left empty."""
    return {
        key
        for key, fields in FILE_KEYS[model].items()
        if any(_required(model._meta.get_field(name)) for name in _names(fields))
    }


def _required(field) -> bool:
    return not (field.blank or field.null or field.has_default())


def _names(fields: str | tuple[str, str]) -> tuple[str, ...]:
    return fields if isinstance(fields, tuple) else (fields,)


def in_role_file(part) -> tuple[str, ...]:
    """Where a role's file holds ``part``'s rows: ("faqs",) or ("salary", "bands")."""
    return tuple(part.file_key.split("."))
