"""Import the ESCO classification: ISCO-08 groups as role families, occupations as roles,
skills and knowledge as skills, their essential and optional links as required and preferred
role skills.

Ownership. What ESCO says is the source's; what an editor writes is the editor's:
- a record the import created keeps, in ``esco_imported``, the values it last wrote into the
  fields editors may change (EDITORIAL_FIELDS); the next import changes such a field only while
  it still holds that value, and reports the ones an editor changed as left alone;
- a record it did not create (a hand-written skill naming its ESCO URI, as ``content/`` does for
  Python) is linked to its concept, and only ESCO's own fields (codes, types, dates, hierarchy)
  are written: its text stays the editor's;
- a role skill keeps ESCO's importance in ``esco_importance``, with the same rule.
Concepts a newer version no longer has are retired (roles archived), never deleted.

Speed. The files are read once, as streams; what the database holds is read in a few queries;
only what differs is written, in bulk; role search vectors are rebuilt in one UPDATE. A repeat
on the same files writes nothing but the record of the run.
"""

import getpass
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from jobsite.cache import bump_catalogue_version
from roles.models import Role, RoleFamily, Source
from skills.models import EscoSkillType, ReuseLevel, RoleSkill, Skill, SkillGroup, SkillKind

from ..models import ImportRun
from ..search import refresh_role_search_vectors
from ..statistics import refresh_planner_statistics
from .files import ESCO_URI_PREFIX, EscoError, EscoFiles

ESCO_URL = "https://esco.ec.europa.eu/en/use-esco/download"
# The attribution the licence asks for (Commission Decision 2011/833/EU), shown with ESCO content.
ATTRIBUTION = "This service uses the ESCO classification of the European Commission."

# Per model, the fields an editor may change after an import, which the import then leaves
# alone. The others it writes are ESCO's alone (codes, types, dates, the hierarchy).
EDITORIAL_FIELDS = {
    RoleFamily: ("name", "description"),
    Role: ("title", "summary", "overview", "alternative_titles", "family_id"),
    Skill: ("name", "kind", "alternative_names", "description"),
    SkillGroup: (),
}
IMPORTANCE = {
    "essential": RoleSkill.Importance.REQUIRED,
    "optional": RoleSkill.Importance.PREFERRED,
}
# Left-alone details kept on the run record, for admin; the counts hold them all.
LEFT_ALONE_SHOWN = 200
SUMMARY_LENGTH = Role._meta.get_field("summary").max_length
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    left_alone: int = 0
    removed: int = 0  # links ESCO no longer makes
    skipped: int = 0  # links to concepts the files do not hold


@dataclass
class ImportReport:
    run: ImportRun
    counts: dict[str, Tally]
    left_alone: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = []
        for kind, tally in self.counts.items():
            parts = [f"{tally.created} created", f"{tally.updated} updated"]
            parts.append(f"{tally.unchanged} unchanged")
            for name in ("retired", "removed", "left_alone", "skipped"):
                if getattr(tally, name):
                    parts.append(f"{getattr(tally, name)} {name.replace('_', ' ')}")
            lines.append(f"{kind}: {', '.join(parts)}")
        if self.left_alone:
            lines.append("Left alone, because an editor changed them since the last import:")
            lines.extend(f"  {entry}" for entry in self.left_alone[:20])
            if len(self.left_alone) > 20:
                lines.append(f"  … and {len(self.left_alone) - 20} more (see the run in admin)")
        seconds = self.run.duration.total_seconds()
        if self.run.changed_anything:
            lines.append(f"ESCO {self.run.esco_version} imported in {seconds:.1f} s.")
        else:
            lines.append(
                f"Nothing changed: the catalogue already holds ESCO {self.run.esco_version} "
                f"({seconds:.1f} s)."
            )
        return lines


def import_esco(
    directory: Path,
    *,
    version: str | None = None,
    new_role_status: str = Role.Status.PUBLISHED,
    progress: bool = False,
) -> ImportReport:
    """Import ESCO from the zips or CSVs under ``directory``, all or nothing."""
    started_at = timezone.now()
    files = EscoFiles(directory)
    version = version or files.version()
    if not version:
        raise EscoError(
            f"{directory}: the file names do not say which ESCO version this is; "
            f"give it with --esco-version (e.g. 1.1.1)."
        )
    if new_role_status not in Role.Status.values:
        raise EscoError(f"--status must be one of {', '.join(Role.Status.values)}.")
    importer = _Importer(files, version=version, new_role_status=new_role_status)
    try:
        return _import(importer, files, directory, started_at, progress=progress)
    except IntegrityError as error:
        # e.g. a newer version renaming a skill to the name an editor gave another one
        raise EscoError(
            f"the import would break a rule of the catalogue, so nothing was written: {error}"
        ) from error


def _import(importer, files, directory, started_at, *, progress: bool) -> ImportReport:
    version, new_role_status = importer.version, importer.new_role_status
    with transaction.atomic():
        importer.run(progress=progress)
        if importer.changed:
            # Tens of thousands of rows in or out: the pages' plans must know.
            refresh_planner_statistics([RoleFamily, Role, SkillGroup, Skill, RoleSkill])
            bump_catalogue_version()
        run = ImportRun.objects.create(
            esco_version=version,
            source=str(Path(directory).resolve()),
            checksums=files.checksums(),
            counts={kind: asdict(tally) for kind, tally in importer.counts.items()},
            left_alone=importer.left_alone[:LEFT_ALONE_SHOWN],
            new_role_status=new_role_status,
            run_by=_who(),
            started_at=started_at,
            finished_at=timezone.now(),
        )
    return ImportReport(run=run, counts=importer.counts, left_alone=importer.left_alone)


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (some containers)
        return "unknown"


class _Importer:
    def __init__(self, files: EscoFiles, *, version: str, new_role_status: str):
        self.files = files
        self.version = version
        self.new_role_status = new_role_status
        self.counts: dict[str, Tally] = {}
        self.left_alone: list[str] = []
        self.changed = False
        self.roles_to_index: set[int] = set()
        # Role vectors hold their skills' names: a renamed skill changes them.
        self.renamed_skills: list[int] = []

    def run(self, *, progress: bool) -> None:
        self.progress = progress
        families = self._families()
        occupations, broader_occupations = self._occupations(families)
        groups = self._skill_groups()
        skills = self._skills()
        self._skill_hierarchy(skills, groups)
        self._broader_roles(occupations, broader_occupations)
        self._role_skills(occupations, skills)
        self._sources(occupations)
        if self.renamed_skills:
            self.roles_to_index.update(
                RoleSkill.objects.filter(skill__in=self.renamed_skills).values_list(
                    "role_id", flat=True
                )
            )
        if self.roles_to_index:
            refresh_role_search_vectors(self.roles_to_index)

    def _rows(self, name: str):
        return self.files.rows(name, progress=self.progress)

    def _fail(self, name: str, line: int, problem: str):
        return EscoError(f"{self.files.where(name)}, line {line}: {problem}")

    # Concepts ---------------------------------------------------------------------------

    def _families(self) -> dict[str, int]:
        """ISCO-08 groups, parents before children (codes grow a digit a level)."""
        name = "ISCOGroups_en.csv"
        groups = {}
        for line, row in self._rows(name):
            code = row["code"].strip()
            if not re.fullmatch(r"\d{1,4}", code):
                raise self._fail(name, line, f"{code!r} is not an ISCO-08 code.")
            groups[_uri(self, name, line, row)] = {
                "code": code,
                "name": _label(self, name, line, row, RoleFamily, "name"),
                "description": row["description"].strip(),
            }
        by_code = {values["code"]: uri for uri, values in groups.items()}
        pks: dict[str, int] = {}
        for level in range(1, 5):
            incoming = {}
            for uri, values in groups.items():
                if len(values["code"]) != level:
                    continue
                parent_uri = by_code.get(values["code"][:-1]) if level > 1 else None
                incoming[uri] = _Concept(
                    editorial={"name": values["name"], "description": values["description"]},
                    owned={"code": values["code"], "parent_id": pks.get(parent_uri)},
                    slug=f"{slugify(values['name'])[:140]}-{values['code']}",
                )
            pks |= self._sync(RoleFamily, incoming, kind="ISCO-08 groups")
        self._retire(RoleFamily, pks, kind="ISCO-08 groups")
        self.families_by_code = {groups[uri]["code"]: pk for uri, pk in pks.items()}
        return pks

    def _occupations(self, families: dict[str, int]):
        name = "occupations_en.csv"
        incoming = {}
        for line, row in self._rows(name):
            uri = _uri(self, name, line, row)
            title = _label(self, name, line, row, Role, "title")
            isco = row["iscoGroup"].strip()
            family = self.families_by_code.get(isco)
            if family is None:
                raise self._fail(name, line, f"iscoGroup {isco!r} is not in ISCOGroups_en.csv.")
            code = row["code"].strip()
            if not re.fullmatch(r"\d{4}(\.\d+)+", code):
                raise self._fail(name, line, f"{code!r} is not an ESCO occupation code.")
            description = row["description"].strip()
            incoming[uri] = _Concept(
                editorial={
                    "title": title,
                    "summary": _summary(description) or f"An occupation in ISCO-08 group {isco}.",
                    "overview": description,
                    "alternative_titles": _other_labels(row["altLabels"], title),
                    "family_id": family,
                },
                owned={
                    "isco_08": isco,
                    "esco_code": code,
                    "esco_modified_at": _modified(self, name, line, row),
                },
                slug=slugify(title),
                slug_suffix=code.replace(".", "-"),
            )
        pks = self._sync(Role, incoming, kind="occupations")
        self._retire(Role, pks, kind="occupations")

        broader = {}
        name = "broaderRelationsOccPillar.csv"
        for _line, row in self._rows(name):
            if row["conceptType"] == "Occupation" and row["broaderType"] == "Occupation":
                broader[row["conceptUri"]] = row["broaderUri"]
        return pks, broader

    def _skill_groups(self) -> dict[str, int]:
        name = "skillGroups_en.csv"
        incoming = {}
        for line, row in self._rows(name):
            label = _label(self, name, line, row, SkillGroup, "name")
            code = row["code"].strip()
            incoming[_uri(self, name, line, row)] = _Concept(
                editorial={},
                owned={"name": label, "code": code, "description": row["description"].strip()},
                slug=slugify(f"{code} {label}" if code else label)[:190],
            )
        pks = self._sync(SkillGroup, incoming, kind="skill groups")
        self._retire(SkillGroup, pks, kind="skill groups")
        return pks

    def _skills(self) -> dict[str, int]:
        name = "skills_en.csv"
        incoming = {}
        for line, row in self._rows(name):
            label = _label(self, name, line, row, Skill, "name")
            skill_type = row["skillType"].strip()
            reuse = row["reuseLevel"].strip()
            if skill_type not in ("", *EscoSkillType.values):
                raise self._fail(name, line, f"unknown skillType {skill_type!r}.")
            if reuse not in ("", *ReuseLevel.values):
                raise self._fail(name, line, f"unknown reuseLevel {reuse!r}.")
            incoming[_uri(self, name, line, row)] = _Concept(
                editorial={
                    "name": label,
                    "kind": _kind(skill_type, reuse),
                    "alternative_names": _other_labels(row["altLabels"], label),
                    "description": row["description"].strip(),
                },
                owned={
                    "esco_type": skill_type,
                    "reuse_level": reuse,
                    "esco_modified_at": _modified(self, name, line, row),
                },
                slug=_skill_slug(label),
            )
        pks = self._sync(Skill, incoming, kind="skills")
        self._retire(Skill, pks, kind="skills")
        return pks

    def _sync(self, model, incoming: dict[str, "_Concept"], *, kind: str) -> dict[str, int]:
        """Create, update or leave alone ``model``'s records for ``incoming`` concepts (by
        URI); return every concept's primary key."""
        tally = self.counts.setdefault(kind, Tally())
        editorial = EDITORIAL_FIELDS[model]
        existing = {
            record.esco_uri: record for record in model.objects.filter(esco_uri__in=list(incoming))
        }
        # A hand-written record with a concept's very name is that concept (names are unique).
        name_field = _name_field(model)
        if name_field and len(existing) < len(incoming):
            names = {
                concept.editorial[name_field]: uri
                for uri, concept in incoming.items()
                if uri not in existing
            }
            for record in model.objects.filter(esco_uri="", **{f"{name_field}__in": list(names)}):
                existing[names[getattr(record, name_field)]] = record
        taken_slugs = set(model.objects.values_list("slug", flat=True))
        to_create, to_update, now = [], [], timezone.now()
        for uri, concept in incoming.items():
            record = existing.get(uri)
            if record is None:
                record = model(
                    **concept.editorial,
                    **concept.owned,
                    slug=_free_slug(concept, taken_slugs),
                    esco_uri=uri,
                    esco_version=self.version,
                    esco_imported=dict(concept.editorial),
                    created_by_import=True,
                )
                if model is Role:
                    record.status = self.new_role_status
                    record.esco_imported["status"] = self.new_role_status
                to_create.append(record)
                continue
            changed = _assign(record, {"esco_uri": uri, **concept.owned})
            changed |= _assign(record, {"esco_version": self.version, "esco_retired_in": ""})
            if record.created_by_import:
                name_before = getattr(record, name_field) if name_field else None
                edited, kept = _editorial(record, concept.editorial, editorial)
                if model is Skill and record.name != name_before:
                    self.renamed_skills.append(record.pk)
                changed |= edited
                if kept:
                    tally.left_alone += 1
                    self.left_alone.append(
                        f"{model._meta.verbose_name} {record}: {', '.join(kept)}"
                    )
                snapshot = {**record.esco_imported, **concept.editorial}
                if snapshot != record.esco_imported:
                    record.esco_imported = snapshot
                    changed = True
            if changed:
                record.updated_at = now
                to_update.append(record)
                if model is Role:
                    self.roles_to_index.add(record.pk)
            else:
                tally.unchanged += 1
        model.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            fields = {"esco_uri", "esco_version", "esco_retired_in", "esco_imported", "updated_at"}
            fields |= {name.removesuffix("_id") for name in editorial}
            fields |= {name.removesuffix("_id") for name in next(iter(incoming.values())).owned}
            model.objects.bulk_update(to_update, sorted(fields), batch_size=1000)
        tally.created += len(to_create)
        tally.updated += len(to_update)
        if to_create or to_update:
            self.changed = True
        if model is Role:
            self.roles_to_index.update(record.pk for record in to_create)
        return {record.esco_uri: record.pk for record in [*existing.values(), *to_create]}

    def _retire(self, model, present: dict[str, int], *, kind: str) -> None:
        """Mark concepts this version no longer holds as retired; archive such roles unless an
        editor chose their status."""
        tally = self.counts.setdefault(kind, Tally())
        gone = list(
            model.objects.exclude(esco_version="")
            .filter(esco_retired_in="")
            .exclude(esco_uri__in=list(present))
        )
        for record in gone:
            record.esco_retired_in = self.version
            if (
                model is Role
                and record.created_by_import
                and record.status == record.esco_imported.get("status")
            ):
                record.status = Role.Status.ARCHIVED
                record.esco_imported["status"] = Role.Status.ARCHIVED
                self.roles_to_index.add(record.pk)
        fields = ["esco_retired_in"] + (["status", "esco_imported"] if model is Role else [])
        model.objects.bulk_update(gone, fields, batch_size=1000)
        tally.retired += len(gone)
        self.changed |= bool(gone)

    # Links ------------------------------------------------------------------------------

    def _skill_hierarchy(self, skills: dict[str, int], groups: dict[str, int]) -> None:
        """Skills under groups and broader skills, groups under groups: ESCO's alone."""
        name = "broaderRelationsSkillPillar.csv"
        under_group, under_skill, group_under_group = set(), set(), set()
        for _line, row in self._rows(name):
            concept, broader = row["conceptUri"], row["broaderUri"]
            pair_types = (row["conceptType"], row["broaderType"])
            if pair_types == ("KnowledgeSkillCompetence", "SkillGroup"):
                pair, into = (skills.get(concept), groups.get(broader)), under_group
            elif pair_types == ("KnowledgeSkillCompetence", "KnowledgeSkillCompetence"):
                pair, into = (skills.get(concept), skills.get(broader)), under_skill
            elif pair_types == ("SkillGroup", "SkillGroup"):
                pair, into = (groups.get(concept), groups.get(broader)), group_under_group
            else:
                continue
            if None in pair:
                self.counts["skill groups"].skipped += 1
            else:
                into.add(pair)
        ids = set(skills.values())
        self._sync_pairs(Skill.groups.through, "skill", "skillgroup", under_group, ids)
        self._sync_pairs(Skill.broader_skills.through, "from_skill", "to_skill", under_skill, ids)
        self._sync_pairs(
            SkillGroup.broader.through,
            "from_skillgroup",
            "to_skillgroup",
            group_under_group,
            set(groups.values()),
        )

    def _sync_pairs(self, through, left: str, right: str, wanted: set, left_ids: set) -> None:
        """Make ``through``'s pairs from the records ``left_ids`` exactly ``wanted``."""
        rows = through.objects.filter(**{f"{left}_id__in": left_ids}).values_list(
            "pk", f"{left}_id", f"{right}_id"
        )
        pks = {(a, b): pk for pk, a, b in rows}
        existing = set(pks)
        gone = existing - wanted
        through.objects.filter(pk__in=[pks[pair] for pair in gone]).delete()
        through.objects.bulk_create(
            [through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in wanted - existing],
            batch_size=5000,
        )
        self.changed |= bool(gone or wanted - existing)

    def _broader_roles(self, occupations: dict[str, int], broader: dict[str, str]) -> None:
        wanted = {
            occupations[uri]: occupations.get(broader_uri)
            for uri, broader_uri in broader.items()
            if uri in occupations
        }
        roles = Role.objects.filter(pk__in=list(occupations.values()))
        current = dict(roles.values_list("pk", "broader_id"))
        changed = [
            Role(pk=pk, broader_id=wanted.get(pk))
            for pk, broader_id in current.items()
            if wanted.get(pk) != broader_id
        ]
        Role.objects.bulk_update(changed, ["broader"], batch_size=1000)
        self.changed |= bool(changed)

    def _role_skills(self, occupations: dict[str, int], skills: dict[str, int]) -> None:
        """Essential links as required skills, optional as preferred; an editor's change to
        a link's importance is left alone, and a link ESCO drops is removed unless an editor
        changed it."""
        tally = self.counts.setdefault("occupation–skill links", Tally())
        name = "occupationSkillRelations.csv"
        wanted: dict[tuple[int, int], str] = {}
        for line, row in self._rows(name):
            importance = IMPORTANCE.get(row["relationType"].strip())
            if importance is None:
                raise self._fail(
                    name,
                    line,
                    f"relationType {row['relationType']!r} is not essential or optional.",
                )
            role, skill = occupations.get(row["occupationUri"]), skills.get(row["skillUri"])
            if role is None or skill is None:
                tally.skipped += 1
                continue
            wanted.setdefault((role, skill), importance)
        existing = {
            (role, skill): (pk, importance, esco_importance, position)
            for pk, role, skill, importance, esco_importance, position in RoleSkill.objects.filter(
                role_id__in=list(occupations.values())
            ).values_list("pk", "role_id", "skill_id", "importance", "esco_importance", "position")
        }
        to_update, to_delete = [], []
        for pair, (pk, importance, esco_importance, _) in existing.items():
            new = wanted.get(pair)
            if not esco_importance:  # an editor's link: ESCO's view noted, the link kept
                if new:
                    to_update.append(RoleSkill(pk=pk, importance=importance, esco_importance=new))
                continue
            if new is None:
                if importance == esco_importance:
                    to_delete.append(pk)
                else:
                    tally.left_alone += 1
                    to_update.append(RoleSkill(pk=pk, importance=importance, esco_importance=""))
                continue
            if importance != esco_importance:  # the editor's importance stands
                if new != esco_importance:
                    to_update.append(RoleSkill(pk=pk, importance=importance, esco_importance=new))
                tally.left_alone += 1
            elif new != importance:
                to_update.append(RoleSkill(pk=pk, importance=new, esco_importance=new))
            else:
                tally.unchanged += 1
        # New links after the role's others: required first, then by the skill's name.
        next_position = Counter()
        for (role, _), (_, _, _, position) in existing.items():
            next_position[role] = max(next_position[role], position)
        skill_names = dict(
            Skill.objects.filter(pk__in={skill for _, skill in wanted}).values_list("pk", "name")
        )
        new_links = sorted(
            (pair for pair in wanted if pair not in existing),
            key=lambda pair: (
                pair[0],
                wanted[pair] != RoleSkill.Importance.REQUIRED,
                skill_names[pair[1]].casefold(),
            ),
        )
        to_create = []
        for role, skill in new_links:
            next_position[role] += 1
            importance = wanted[(role, skill)]
            to_create.append(
                RoleSkill(
                    role_id=role,
                    skill_id=skill,
                    importance=importance,
                    esco_importance=importance,
                    position=next_position[role],
                )
            )
        RoleSkill.objects.filter(pk__in=to_delete).delete()
        RoleSkill.objects.bulk_update(to_update, ["importance", "esco_importance"], batch_size=2000)
        RoleSkill.objects.bulk_create(to_create, batch_size=5000)
        tally.created += len(to_create)
        tally.updated += len(to_update)
        tally.removed += len(to_delete)
        # Role vectors hold their skills' names, not how much each is needed: only roles
        # that gained or lost a skill need theirs rebuilt.
        deleted = set(to_delete)
        self.roles_to_index.update(role for role, _ in new_links)
        self.roles_to_index.update(
            role for (role, _), link in existing.items() if link[0] in deleted
        )
        self.changed |= bool(to_create or to_update or to_delete)

    def _sources(self, occupations: dict[str, int]) -> None:
        """ESCO, this version, among the sources of every role standing for an occupation."""
        source, created = Source.objects.get_or_create(
            slug=f"esco-v{self.version.replace('.', '-')}",
            defaults={
                "title": f"ESCO classification, version {self.version}",
                "publisher": "European Commission",
                "url": ESCO_URL,
                "note": (
                    "Occupations, skills and the links between them, with ISCO-08 groups. "
                    "Reused under Commission Decision 2011/833/EU; Jobsite editors may have "
                    "changed or filtered what is shown."
                ),
            },
        )
        through = Role.sources.through
        role_ids = set(occupations.values())
        older = through.objects.filter(
            role_id__in=role_ids, source__slug__startswith="esco-v"
        ).exclude(source=source)
        removed, _ = older.delete()
        linked = set(
            through.objects.filter(role_id__in=role_ids, source=source).values_list(
                "role_id", flat=True
            )
        )
        through.objects.bulk_create(
            [through(role_id=role, source=source) for role in role_ids - linked], batch_size=5000
        )
        self.changed |= bool(created or removed or role_ids - linked)


@dataclass
class _Concept:
    """One concept as the files give it: the values of the fields editors may change, and of
    those only ESCO writes."""

    editorial: dict
    owned: dict
    slug: str
    slug_suffix: str = ""


def _editorial(record, new: dict, names) -> tuple[bool, list[str]]:
    """Write ESCO's new values into the editorial fields an editor has not changed since the
    last import. Return whether any changed, and the fields an editor did change (where
    ESCO's value now differs from theirs)."""
    changed, kept = False, []
    for name in names:
        current = getattr(record, name)
        if current != record.esco_imported.get(name, current):
            if new[name] != current:
                kept.append(name.removesuffix("_id"))
            continue
        if current != new[name]:
            setattr(record, name, new[name])
            changed = True
    return changed, kept


def _assign(record, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed = True
    return changed


def _name_field(model) -> str | None:
    return {Role: "title", Skill: "name"}.get(model)


def _free_slug(concept: _Concept, taken: set[str]) -> str:
    base = concept.slug or "concept"
    slug = base
    if slug in taken and concept.slug_suffix:
        slug = f"{base}-{concept.slug_suffix}"
    number = 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug


def _skill_slug(name: str) -> str:
    """C# and C++ are different skills: spell out the signs slugify drops."""
    return slugify(name.replace("#", " sharp").replace("+", " plus"))[:90]


def _uri(importer, name: str, line: int, row: dict) -> str:
    uri = row["conceptUri"].strip()
    if not uri.startswith(ESCO_URI_PREFIX):
        raise importer._fail(name, line, f"conceptUri {uri!r} is not an ESCO concept URI.")
    return uri


def _label(importer, name: str, line: int, row: dict, model, field_name: str) -> str:
    label = row["preferredLabel"].strip()
    limit = model._meta.get_field(field_name).max_length
    if not label:
        raise importer._fail(name, line, "preferredLabel is empty.")
    if len(label) > limit:
        raise importer._fail(name, line, f"preferredLabel is longer than {limit} characters.")
    return label


def _modified(importer, name: str, line: int, row: dict) -> datetime | None:
    text = row["modifiedDate"].strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise importer._fail(name, line, f"modifiedDate {text!r} is not a date.") from error


def _other_labels(labels: str, preferred: str) -> str:
    """ESCO's alternative labels (one per line), without the preferred one or repeats."""
    seen = {preferred.casefold()}
    kept = []
    for label in labels.splitlines():
        label = " ".join(label.split())
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            kept.append(label)
    return "\n".join(kept)


def _summary(description: str) -> str:
    """The description's first sentences that fit a list's summary."""
    summary = ""
    for sentence in SENTENCE_END.split(" ".join(description.split())):
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > SUMMARY_LENGTH:
            break
        summary = candidate
    if not summary and description:
        summary = description[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return summary


def _kind(skill_type: str, reuse_level: str) -> str:
    if reuse_level == ReuseLevel.TRANSVERSAL:
        return SkillKind.TRANSVERSAL
    if skill_type == EscoSkillType.KNOWLEDGE:
        return SkillKind.KNOWLEDGE
    return SkillKind.COMPETENCE
