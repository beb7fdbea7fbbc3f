"""Finding and reading ESCO's CSV files where a user put the download.

ESCO is distributed as zips of CSV files (one for the classification, one for the relations);
the CSVs are found by their member names, in any zip or extracted, under any file names.
Every problem names the file and the line: a missing file or column, text that is not UTF-8,
a damaged zip, a row with too few or too many fields."""

import csv
import hashlib
import io
import re
import sys
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

# Descriptions and label lists span many lines; the largest field ESCO ships is far below this.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

# The files the import reads, and the columns it needs of each (ESCO's files have more).
COLUMNS = {
    "ISCOGroups_en.csv": ("conceptUri", "code", "preferredLabel", "description"),
    "occupations_en.csv": (
        "conceptUri",
        "iscoGroup",
        "preferredLabel",
        "altLabels",
        "modifiedDate",
        "description",
        "code",
    ),
    "skills_en.csv": (
        "conceptUri",
        "skillType",
        "reuseLevel",
        "preferredLabel",
        "altLabels",
        "modifiedDate",
        "description",
    ),
    "skillGroups_en.csv": ("conceptUri", "preferredLabel", "code", "description"),
    "occupationSkillRelations.csv": ("occupationUri", "relationType", "skillUri"),
    "broaderRelationsOccPillar.csv": ("conceptType", "conceptUri", "broaderType", "broaderUri"),
    "broaderRelationsSkillPillar.csv": ("conceptType", "conceptUri", "broaderType", "broaderUri"),
}

# Every ESCO concept's URI starts so; the catalogue files name imported records by it too.
ESCO_URI_PREFIX = "http://data.europa.eu/esco/"

# ESCO's download names carry the version: "ESCO dataset - v1.1.1 - classification - en - csv".
VERSION_IN_NAME = re.compile(r"v(\d+(?:\.\d+){1,2})\b")


class EscoError(Exception):
    """The ESCO files are missing, damaged or not in ESCO's format; nothing was written."""


class EscoFiles:
    """The CSVs under ``directory``, each from a zip or as a file of its own."""

    def __init__(self, directory: Path):
        directory = Path(directory)
        if not directory.is_dir():
            raise EscoError(f"{directory} is not a directory holding ESCO's files.")
        self.directory = directory
        self.containers: list[Path] = []  # the zips and CSVs the files come from
        self._found: dict[str, tuple[Path, str | None]] = {}  # name -> (file, zip member)
        for path in sorted(directory.rglob("*")):
            if path.suffix.lower() == ".zip":
                self._add_zip(path)
            elif path.name in COLUMNS:
                self._add(path.name, path, None)
        missing = [name for name in COLUMNS if name not in self._found]
        if missing:
            raise EscoError(
                f"{directory}: no {', '.join(missing)} in the zips or CSV files there. "
                f"Download ESCO's classification and relations in CSV format (see README)."
            )

    def _add_zip(self, path: Path) -> None:
        try:
            with zipfile.ZipFile(path) as archive:
                members = archive.namelist()
        except (zipfile.BadZipFile, OSError) as error:
            raise EscoError(f"{path.name}: not a readable zip file ({error}).") from error
        for member in members:
            name = member.rsplit("/", 1)[-1]
            if name in COLUMNS:
                self._add(name, path, member)

    def _add(self, name: str, path: Path, member: str | None) -> None:
        if name in self._found:
            raise EscoError(
                f"{name} is both in {self._where(*self._found[name])} and in "
                f"{self._where(path, member)}: keep one copy of the download."
            )
        self._found[name] = (path, member)
        if path not in self.containers:
            self.containers.append(path)

    def _where(self, path: Path, member: str | None) -> str:
        shown = path.relative_to(self.directory) if path.is_relative_to(self.directory) else path
        return f"{shown}:{member.rsplit('/', 1)[-1]}" if member else str(shown)

    def where(self, name: str) -> str:
        """How messages name a file: "relations.zip:occupationSkillRelations.csv"."""
        return self._where(*self._found[name])

    def version(self) -> str | None:
        """The ESCO version the download's names give, if they give one."""
        for path in [self.directory, *self.containers]:
            match = VERSION_IN_NAME.search(path.name)
            if match:
                return match.group(1)
        return None

    def checksums(self) -> dict[str, str]:
        """SHA-256 of each zip or CSV file read, by its name."""
        sums = {}
        for path in self.containers:
            digest = hashlib.sha256()
            with path.open("rb") as file:
                for chunk in iter(lambda: file.read(1 << 20), b""):
                    digest.update(chunk)
            sums[path.name] = digest.hexdigest()
        return sums

    @contextmanager
    def _open(self, name: str, *, progress: bool):
        path, member = self._found[name]
        where = self.where(name)
        try:
            if member is None:
                size, binary = path.stat().st_size, path.open("rb")
            else:
                archive = zipfile.ZipFile(path)
                size, binary = archive.getinfo(member).file_size, archive.open(member)
        except (zipfile.BadZipFile, OSError) as error:
            raise EscoError(f"{where}: cannot be opened ({error}).") from error
        try:
            with (
                binary,
                tqdm(total=size, desc=name, unit="B", unit_scale=True, disable=not progress) as bar,
            ):
                yield binary, bar
        finally:
            if member is not None:
                archive.close()

    def rows(self, name: str, *, progress: bool = False) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, row) for each record of ``name``, the line being where the record
        starts (a quoted field may span several lines)."""
        where = self.where(name)
        line = 1
        with self._open(name, progress=progress) as (binary, bar):
            text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
            reader = csv.reader(text)
            try:
                header = next(reader, None)
                if header is None:
                    raise EscoError(f"{where}: the file is empty.")
                missing = [column for column in COLUMNS[name] if column not in header]
                if missing:
                    raise EscoError(f"{where}, line 1: no {', '.join(missing)} column.")
                line = reader.line_num + 1
                for record in reader:
                    if len(record) != len(header):
                        raise EscoError(
                            f"{where}, line {line}: {len(record)} fields where the header has "
                            f"{len(header)}."
                        )
                    yield line, dict(zip(header, record, strict=True))
                    line = reader.line_num + 1
                    if line % 2000 < 2:  # now and then: the bytes read so far
                        bar.update(binary.tell() - bar.n)
                bar.update(binary.tell() - bar.n)
            except UnicodeDecodeError as error:
                raise EscoError(
                    f"{where}, line {reader.line_num + 1}: not UTF-8 text ({error.reason})."
                ) from error
            except csv.Error as error:
                raise EscoError(f"{where}, line {line}: not valid CSV ({error}).") from error
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise EscoError(
                    f"{where}, line {line}: the zip is damaged or cut short ({error})."
                ) from error
