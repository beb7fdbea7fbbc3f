"""Guards for the project's layout (STYLE.md, "Where code lives"): which files may import which,
and what filter classes are called.

The import rules are read from the source with ast, so that an import inside a function counts
as much as one at the top; the model and filter rules ask Django and the imported classes.
Packages are found, not listed, so a new app is guarded as soon as it has an __init__.py.
None of these tests needs a database.
"""

import ast
import importlib
from collections import deque
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import django_filters
import pytest
from django.apps import apps

from catalogue.apps import CATALOGUE_APPS

ROOT = Path(__file__).resolve().parent.parent
# Top-level folders whose imports are checked by the template-tag rule but which are not part
# of the project's own code (nothing imports them).
NOT_PROJECT = ("tests", "bench")


def project_packages() -> list[Path]:
    """The top-level folders that are Python packages: jobsite, the content apps and later the
    catalogue app (catalogue/ is a data folder without an __init__.py until then)."""
    return sorted(
        folder
        for folder in ROOT.iterdir()
        if (folder / "__init__.py").is_file() and folder.name not in NOT_PROJECT
    )


def python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


def module_name(path: Path) -> str:
    """roles/models.py -> roles.models; a package's __init__.py is the package itself."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def project_modules() -> dict[str, Path]:
    """Every module of the project packages (migrations included) by its dotted name."""
    return {
        module_name(path): path for package in project_packages() for path in python_files(package)
    }


@dataclass(frozen=True)
class Import:
    """One name taken by an import statement, with relative imports made absolute."""

    line: int
    # The module read: "skills.models" for `from skills.models import RoleSkill`, and also for
    # `from skills import models` (a submodule is imported as a module, not as a name).
    module: str
    # "RoleSkill"; None when the statement takes the module itself.
    name: str | None


def _absolute(path: Path, level: int, module: str | None) -> str:
    """The module a `from` import reads: `from ..models import X` in roles/management/x.py
    reads roles.models."""
    if level == 0:
        return module
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    package = package[: len(package) - (level - 1)]
    return ".".join([*package, module] if module else package)


@cache
def imports_in(path: Path) -> tuple[Import, ...]:
    """Every import in the file, at the top or inside a function: an import that runs only
    when a function is called ties the two files together as much as one at the top (and is
    where circles hide)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [Import(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(path, node.level, node.module)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in project_modules():
                    found.append(Import(node.lineno, submodule, None))
                else:
                    found.append(Import(node.lineno, source, alias.name))
    return tuple(sorted(found, key=lambda imported: imported.line))


def fail_listing(heading: str, problems) -> None:
    problems = list(dict.fromkeys(problems))  # one line per problem, in the order found
    if problems:
        pytest.fail("\n".join([heading, *(f"  {problem}" for problem in problems)]), pytrace=False)


# 1. No import circle between files.


def import_graph() -> dict[Path, dict[Path, int]]:
    """Which project file imports which, with the line of the first such import.

    An import is an edge to the module it names only. Python also runs the __init__.py of each
    package on the way (`import roles.models` runs roles/__init__.py first), but counting those
    would make every package look circular with its own modules. The price: a circle closed
    only by an __init__.py that imports its package's modules is not seen."""
    modules = project_modules()
    graph = {}
    for path in modules.values():
        edges = graph.setdefault(path, {})
        for imported in imports_in(path):
            if imported.module in modules:
                edges.setdefault(modules[imported.module], imported.line)
    return graph


def _reachable(graph, start) -> set:
    """The files that ``start`` imports, directly or through others."""
    seen, todo = set(), list(graph[start])
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph[node])
    return seen


def _path(graph, start, end, within) -> list:
    """The shortest chain of imports from ``start`` to ``end`` (which may be ``start``) through
    files of ``within``, without ``start`` itself."""
    previous = {}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        for following in graph[node]:
            if following in within and following not in previous:
                previous[following] = node
                if following == end:
                    chain = [end]
                    while previous[chain[-1]] != start:
                        chain.append(previous[chain[-1]])
                    return chain[::-1]
                todo.append(following)
    raise AssertionError(f"no import path from {start} to {end}")


def _round(graph, circle) -> list:
    """A walk along real imports through every file of ``circle`` and back: a -> b -> a."""
    first, *others = sorted(circle)
    walk = [first]
    for target in others:
        if target not in walk:
            walk += _path(graph, walk[-1], target, circle)
    return walk + _path(graph, walk[-1], first, circle)


def test_no_import_circle_between_files():
    graph = import_graph()
    reachable = {node: _reachable(graph, node) for node in graph}
    # A file in a circle reaches itself; its circle (strongly connected component) is every
    # file it reaches that reaches it back. A file importing itself is a circle of one.
    circles = {
        frozenset(other for other in reachable[node] if node in reachable[other])
        for node in graph
        if node in reachable[node]
    }
    problems = []
    for circle in sorted(circles, key=sorted):
        walk = _round(graph, circle)
        problems.append(" -> ".join(relative(path) for path in walk))
        problems += [
            f"    {relative(importer)}:{graph[importer][imported]} imports {module_name(imported)}"
            for importer, imported in dict.fromkeys(pairwise(walk))
        ]
    fail_listing("Import circles between files (break each one; lines say where):", problems)


# 2. A content app's models.py names another content app's models only along its foreign keys.


def _content_app_of(module: str) -> str | None:
    for label in CATALOGUE_APPS:
        package = apps.get_app_config(label).name
        if module == package or module.startswith(f"{package}."):
            return label
    return None


@pytest.mark.parametrize("label", CATALOGUE_APPS)
def test_content_models_import_other_content_apps_only_along_foreign_keys(label):
    config = apps.get_app_config(label)
    # What this app's relations point at, by app. Forward fields only: get_fields() also
    # lists the reverse side of other apps' keys, and those are exactly what must not be named.
    pointed_at = {}
    for model in config.get_models():
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            if isinstance(field.related_model, type):
                related = field.related_model
                pointed_at.setdefault(related._meta.app_label, set()).add(related.__name__)
    models_module = f"{config.name}.models"
    files = [
        path
        for module, path in project_modules().items()
        if module == models_module or module.startswith(f"{models_module}.")
    ]
    problems = []
    for path in files:
        for imported in imports_in(path):
            other = _content_app_of(imported.module)
            if other is None or other == label:
                continue
            where = f"{relative(path)}:{imported.line}"
            other_models = f"{apps.get_app_config(other).name}.models"
            if imported.module != other_models or imported.name in (None, "*"):
                taken = imported.module if imported.name is None else f"{imported.module}.*"
                problems.append(
                    f"{where} imports {taken}: only `from {other_models} import <Model>`, "
                    f"for a model that a {label} model's key points at"
                )
            elif imported.name not in pointed_at.get(other, ()):
                problems.append(
                    f"{where} imports {imported.name} from {other_models}, "
                    f"but no foreign key of a {label} model points at it"
                )
    fail_listing(
        f"{label}'s models name other content apps' models beyond their foreign keys "
        "(reach them through the reverse relation, or move the read to the catalogue app):",
        problems,
    )


# 3. Nothing imports a template-tag module except templates ({% load %} is not Python).


def test_only_templates_load_template_tag_modules():
    checked = [
        path
        for folder in [*project_packages(), *(ROOT / name for name in NOT_PROJECT)]
        for path in python_files(folder)
    ]
    names_by_import = {}
    for path in checked:
        for imported in imports_in(path):
            target = project_modules().get(imported.module)
            # Even a tag module importing another one: the shared code belongs in a plain module.
            if target is not None and "templatetags" in target.relative_to(ROOT).parts:
                where = (f"{relative(path)}:{imported.line}", imported.module)
                names_by_import.setdefault(where, []).append(imported.name)
    problems = [
        f"{where} imports {module}"
        + (f" ({', '.join(name for name in names if name)})" if any(names) else "")
        for (where, module), names in names_by_import.items()
    ]
    fail_listing(
        "Python code imports template-tag modules (move what it uses to a plain module, "
        "which the tags then wrap):",
        problems,
    )


# 4. Names say what they are: FilterSets end in FilterSet, single filters in Filter.


def _modules_that_can_define_filters() -> list[str]:
    """Project modules importing django_filters, directly or through other project modules
    (a FilterSet built on jobsite.filters.FilterSet): only they can define filter classes."""
    imported_by = {
        module: {imported.module for imported in imports_in(path)}
        for module, path in project_modules().items()
    }
    found = {
        module
        for module, imported in imported_by.items()
        if any(name.split(".")[0] == "django_filters" for name in imported)
    }
    while more := {module for module, imported in imported_by.items() if imported & found} - found:
        found |= more
    return sorted(found)


def test_filter_classes_are_named_for_what_they_are():
    offenders = []
    for name in _modules_that_can_define_filters():
        module = importlib.import_module(name)
        defined_here = [
            value
            for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__
        ]
        for cls in defined_here:
            if issubclass(cls, django_filters.FilterSet) and not cls.__name__.endswith("FilterSet"):
                offenders.append(f"{name}.{cls.__name__} is a FilterSet: end its name in FilterSet")
            if issubclass(cls, django_filters.Filter) and not cls.__name__.endswith("Filter"):
                offenders.append(f"{name}.{cls.__name__} is a Filter: end its name in Filter")
    fail_listing("Filter classes named for something else:", offenders)
