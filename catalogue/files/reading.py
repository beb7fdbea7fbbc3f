"""Reading one catalogue file, refusing what could hurt before anything is built from it.

A catalogue file is hand-edited text from anyone with commit access, so the loader reads it
defensively: a bounded number of bytes, UTF-8 only, no YAML anchors or aliases (a kilobyte
of nested aliases, "billion laughs", expands to gigabytes), bounded nesting (PyYAML composes
recursively), and no text PostgreSQL cannot store (a null character, a lone surrogate).
Each refusal names the file and line.
"""

import re
from pathlib import Path
from typing import Any

import yaml

from .format import CatalogueError, clipped

# The largest shipped file (roles/backend-developer.yaml) is 15 KB; skills.yaml grows with
# the catalogue, by about 150 bytes a skill.
MAX_FILE_BYTES = 1_000_000
# A role file nests five deep (salary > bands > a band > years > a number).
MAX_NESTING = 20

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def read_yaml(path: Path, *, name: str) -> Any:
    """The YAML document in ``path``, which messages call ``name``."""
    text = _text(path, name=name)
    try:
        return yaml.load(text, Loader=_CatalogueLoader)  # noqa: S506 (a SafeLoader)
    except _Refused as error:
        raise CatalogueError(f"{name}:{_line(error)}: {error.problem}") from error
    except yaml.MarkedYAMLError as error:
        raise CatalogueError(
            f"{name}:{_line(error)}: not valid YAML: {clipped(error.problem or '')}"
        ) from error
    except yaml.reader.ReaderError as error:  # a control character
        line = text.count("\n", 0, error.position) + 1
        raise CatalogueError(
            f"{name}:{line}: a control character (#x{error.character:04x}) is not allowed."
        ) from error


def _text(path: Path, *, name: str) -> str:
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # no more, whatever the file is
    except FileNotFoundError as error:
        raise CatalogueError(f"{name} is missing.") from error
    except OSError as error:  # a folder named like a file, a file the loader may not read
        raise CatalogueError(f"{name} cannot be read: {error.strerror}.") from error
    if len(data) > MAX_FILE_BYTES:
        raise CatalogueError(
            f"{name} is larger than the limit of {MAX_FILE_BYTES:,} bytes "
            f"(MAX_FILE_BYTES in catalogue/files/reading.py): is it the file you meant?"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CatalogueError(
            f"{name}:{line}: not UTF-8 (byte 0x{data[error.start]:02x}): save the file as UTF-8."
        ) from error
    if (unstorable := _UNSTORABLE.search(text)) is not None:
        # PyYAML would refuse a raw one too, less clearly.
        line = text.count("\n", 0, unstorable.start()) + 1
        raise CatalogueError(f"{name}:{line}: {_unstorable_problem(unstorable.group())}")
    return text


def _unstorable_problem(character: str) -> str:
    if character == "\x00":
        return "a null character (\\0), which the database cannot store: remove it."
    return f"a lone UTF-16 surrogate (\\u{ord(character):04x}), which is not text: remove it."


class _Refused(yaml.MarkedYAMLError):
    """YAML that parses but that the catalogue refuses."""

    def __init__(self, problem: str, mark: yaml.Mark):
        super().__init__(problem=problem, problem_mark=mark)


class _CatalogueLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing anchors, aliases and deep nesting as it composes, before
    any value is built, and text the database cannot store as it builds each value."""

    def __init__(self, stream):
        super().__init__(stream)
        self.nesting = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                "YAML anchors and aliases (&name, *name) are not allowed: write each value out.",
                event.start_mark,
            )
        if self.nesting >= MAX_NESTING:
            raise _Refused(f"nested more than {MAX_NESTING} deep.", event.start_mark)
        self.nesting += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.nesting -= 1

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        # Escapes such as "\0" and "\ud800" make what the raw text may not hold.
        if (unstorable := _UNSTORABLE.search(value)) is not None:
            raise _Refused(_unstorable_problem(unstorable.group()), node.start_mark)
        return value

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except ValueError as error:  # a date that does not exist, an integer of 5,000 digits
            raise _Refused(f"not a valid value: {clipped(str(error))}", node.start_mark) from error


def _line(error: yaml.MarkedYAMLError) -> int:
    return error.problem_mark.line + 1
