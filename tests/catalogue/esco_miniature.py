"""A miniature ESCO v1.1.1 download for tests.

Every row here is invented; only the file names, column headers and CSV layout (CRLF, minimal
quoting, newline-separated label lists, ragged ``skillsHierarchy_en.csv`` rows) copy ESCO's.
ESCO's own text must not be committed to this repository, so tests load this instead.
"""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from pathlib import Path

ESCO_VERSION = "1.1.1"

CLASSIFICATION_ZIP = f"ESCO dataset - v{ESCO_VERSION} - classification - en - csv.zip"
RELATIONS_ZIP = f"ESCO dataset - v{ESCO_VERSION} - relations - en - csv.zip"

ESCO = "http://data.europa.eu/esco"


def uri(kind: str, name: str) -> str:
    """``uri("occupation", "mini-0001")`` -> ``http://data.europa.eu/esco/occupation/mini-0001``."""
    return f"{ESCO}/{kind}/{name}"


# --- URIs -------------------------------------------------------------------------------------

ISCO_2_URI = uri("isco", "C2")
ISCO_25_URI = uri("isco", "C25")
ISCO_251_URI = uri("isco", "C251")
ISCO_2512_URI = uri("isco", "C2512")
ISCO_2514_URI = uri("isco", "C2514")
ISCO_3_URI = uri("isco", "C3")
ISCO_35_URI = uri("isco", "C35")
ISCO_351_URI = uri("isco", "C351")
ISCO_3512_URI = uri("isco", "C3512")

SOFTWARE_DEVELOPER_URI = uri("occupation", "mini-0001")
ICT_APPLICATION_DEVELOPER_URI = uri("occupation", "mini-0002")
WEB_DEVELOPER_URI = uri("occupation", "mini-0003")
ICT_SUPPORT_TECHNICIAN_URI = uri("occupation", "mini-0004")
HELP_DESK_OPERATOR_URI = uri("occupation", "mini-0005")
SMARTPHONE_APP_DEVELOPER_URI = uri("occupation", "mini-0006")
# Named by occupationSkillRelations.csv and broaderRelationsOccPillar.csv but absent from
# occupations_en.csv, as one occupation is in the real v1.1.1 download.
MISSING_OCCUPATION_URI = uri("occupation", "mini-0099")

PYTHON_URI = uri("skill", "mini-0101")
SQL_URI = uri("skill", "mini-0102")
VERSION_CONTROL_URI = uri("skill", "mini-0103")
GIT_URI = uri("skill", "mini-0104")
SOFTWARE_PROTOTYPES_URI = uri("skill", "mini-0105")
DEBUG_SOFTWARE_URI = uri("skill", "mini-0106")
WEB_LAYOUTS_URI = uri("skill", "mini-0107")
SPREADSHEETS_URI = uri("skill", "mini-0108")
GUIDE_USERS_URI = uri("skill", "mini-0109")
TEAMWORK_URI = uri("skill", "mini-0110")
EXPLAIN_IDEAS_URI = uri("skill", "mini-0111")
DIGITAL_BASICS_URI = uri("skill", "mini-0112")  # empty skillType and reuseLevel

SKILLS_GROUP_URI = uri("skill", "mini-group-s")
DIGITAL_TOOLS_GROUP_URI = uri("skill", "mini-group-s1")
PROGRAMMING_GROUP_URI = uri("skill", "mini-group-s1-2")
TRANSVERSAL_GROUP_URI = uri("skill", "mini-group-t")
COLLABORATION_GROUP_URI = uri("skill", "mini-group-t4")
KNOWLEDGE_GROUP_URI = uri("skill", "mini-group-k")
ISCED_ICT_URI = uri("isced-f", "06")
ISCED_ICT_NARROW_URI = uri("isced-f", "061")

UNREGULATED = f"{ESCO}/regulated-professions/unregulated"
REGULATED = f"{ESCO}/regulated-professions/regulated"


def _schemes(*names: str, sep: str = ",\n") -> str:
    return sep.join(f"{ESCO}/concept-scheme/{name}" for name in names)


# --- Headers, exactly as in the real files ----------------------------------------------------

HEADERS: dict[str, list[str]] = {
    "occupations_en.csv": [
        "conceptType",
        "conceptUri",
        "iscoGroup",
        "preferredLabel",
        "altLabels",
        "hiddenLabels",
        "status",
        "modifiedDate",
        "regulatedProfessionNote",
        "scopeNote",
        "definition",
        "inScheme",
        "description",
        "code",
    ],
    "skills_en.csv": [
        "conceptType",
        "conceptUri",
        "skillType",
        "reuseLevel",
        "preferredLabel",
        "altLabels",
        "hiddenLabels",
        "status",
        "modifiedDate",
        "scopeNote",
        "definition",
        "inScheme",
        "description",
    ],
    "ISCOGroups_en.csv": [
        "conceptType",
        "conceptUri",
        "code",
        "preferredLabel",
        "status",
        "altLabels",
        "inScheme",
        "description",
    ],
    "skillGroups_en.csv": [
        "conceptType",
        "conceptUri",
        "preferredLabel",
        "altLabels",
        "hiddenLabels",
        "status",
        "modifiedDate",
        "scopeNote",
        "inScheme",
        "description",
        "code",
    ],
    "skillsHierarchy_en.csv": [
        "Level 0 URI",
        "Level 0 preferred term",
        "Level 1 URI",
        "Level 1 preferred term",
        "Level 2 URI",
        "Level 2 preferred term",
        "Level 3 URI",
        "Level 3 preferred term",
        "Description",
        "Scope note",
        "Level 0 code",
        "Level 1 code",
        "Level 2 code",
        "Level 3 code",
    ],
    "occupationSkillRelations.csv": ["occupationUri", "relationType", "skillType", "skillUri"],
    "broaderRelationsOccPillar.csv": ["conceptType", "conceptUri", "broaderType", "broaderUri"],
    "broaderRelationsSkillPillar.csv": ["conceptType", "conceptUri", "broaderType", "broaderUri"],
    "skillSkillRelations.csv": [
        "originalSkillUri",
        "originalSkillType",
        "relationType",
        "relatedSkillType",
        "relatedSkillUri",
    ],
}

# --- ISCO groups ------------------------------------------------------------------------------


def _isco(code: str, label: str, description: str, schemes: tuple[str, ...]) -> dict[str, str]:
    return {
        "conceptType": "ISCOGroup",
        "conceptUri": uri("isco", f"C{code}"),
        "code": code,
        "preferredLabel": label,
        "status": "released",
        "altLabels": "",
        "inScheme": _schemes(*schemes),
        "description": description,
    }


_OI = ("occupations", "isco")
_IO = ("isco", "occupations")

ISCO_GROUPS: list[dict[str, str]] = [
    _isco(
        "2",
        "Professionals",
        "Invented summary: jobs that rest on a degree-level body of know-how.",
        _OI,
    ),
    _isco(
        "25",
        "Information and communications technology professionals",
        "Invented summary: people who plan, build and look after computer systems.",
        _IO,
    ),
    _isco(
        "251",
        "Software and applications developers and analysts",
        "Invented summary: people who turn needs into working programs.",
        _OI,
    ),
    _isco(
        "2512",
        "Software developers",
        "Invented summary for the miniature.\n"
        "Tasks in this made-up text include:\n"
        "(a) sketching how a program should behave;\n"
        "(b) writing and checking the program.",
        _IO,
    ),
    _isco(
        "2514",
        "Applications programmers",
        "Invented summary: people who write programs from a given design.",
        _OI,
    ),
    _isco(
        "3",
        "Technicians and associate professionals",
        "Invented summary: hands-on technical jobs.",
        _OI,
    ),
    _isco(
        "35",
        "Information and communications technicians",
        "Invented summary: people who keep computers and networks running.",
        _IO,
    ),
    _isco(
        "351",
        "Information and communications technology operations and user support technicians",
        "Invented summary: people who run systems day to day and help their users.",
        _IO,
    ),
    _isco(
        "3512",
        "Information and communications technology user support technicians",
        "Invented summary: people who answer users' questions about their computers.",
        _IO,
    ),
]

# --- Occupations ------------------------------------------------------------------------------

_OCC = ("occupations", "member-occupations")
_OCC_REVERSED = ("member-occupations", "occupations")

OCCUPATIONS: list[dict[str, str]] = [
    {
        "conceptType": "Occupation",
        "conceptUri": SOFTWARE_DEVELOPER_URI,
        "iscoGroup": "2512",
        "preferredLabel": "software developer",
        "altLabels": "programmer\nsoftware engineer\ncode author\nsoftware builder",
        "hiddenLabels": "coder",
        "status": "released",
        "modifiedDate": "2016-07-05T13:58:41Z",
        "regulatedProfessionNote": UNREGULATED,
        "scopeNote": "Excludes people who only style web pages.",
        "definition": "",
        "inScheme": _schemes(*_OCC),
        "description": "Software developers (mini) turn a stated need into a program, write its "
        "code and keep it working afterwards.",
        "code": "2512.4",
    },
    {
        "conceptType": "Occupation",
        "conceptUri": ICT_APPLICATION_DEVELOPER_URI,
        "iscoGroup": "2514",
        "preferredLabel": "ICT application developer",
        "altLabels": "app developer\napplication coder",
        "hiddenLabels": "",
        "status": "released",
        "modifiedDate": "2022-07-14T12:54:25.78Z",
        "regulatedProfessionNote": UNREGULATED,
        "scopeNote": "",
        "definition": "",
        "inScheme": _schemes(*_OCC_REVERSED),
        "description": "ICT application developers (mini) build programs for a given platform "
        "from specifications that someone else wrote.",
        "code": "2514.2",
    },
    {
        "conceptType": "Occupation",
        "conceptUri": WEB_DEVELOPER_URI,
        "iscoGroup": "2512",
        "preferredLabel": "web developer",
        "altLabels": "website programmer\nsite builder",
        "hiddenLabels": "",
        "status": "released",
        "modifiedDate": "2021-03-02T09:15:07.412Z",
        "regulatedProfessionNote": UNREGULATED,
        "scopeNote": "",
        "definition": "",
        "inScheme": _schemes(*_OCC),
        "description": "Web developers (mini) write the code behind websites and make pages "
        "behave well in every browser.",
        "code": "2512.4.1",
    },
    {
        "conceptType": "Occupation",
        "conceptUri": ICT_SUPPORT_TECHNICIAN_URI,
        "iscoGroup": "3512",
        "preferredLabel": "ICT support technician",
        "altLabels": "IT support technician\ndesktop support worker",
        "hiddenLabels": "",
        "status": "released",
        "modifiedDate": "2017-01-20T10:40:03Z",
        "regulatedProfessionNote": REGULATED,
        "scopeNote": "",
        "definition": "An invented definition: a person who restores computers to working order "
        "for the people who use them.",
        "inScheme": _schemes(*_OCC_REVERSED),
        "description": "ICT support technicians (mini) install, repair and set up computers, "
        "and show people how to use them.",
        "code": "3512.1",
    },
    {
        "conceptType": "Occupation",
        "conceptUri": HELP_DESK_OPERATOR_URI,
        "iscoGroup": "3512",
        "preferredLabel": "help desk operator",
        "altLabels": "service desk agent",
        "hiddenLabels": "",
        "status": "released",
        "modifiedDate": "2018-11-08T16:02:55.3Z",
        "regulatedProfessionNote": UNREGULATED,
        "scopeNote": "",
        "definition": "",
        "inScheme": _schemes(*_OCC),
        "description": "Help desk operators (mini) take calls and messages from users.\n"
        "They log each problem, solve the easy ones, and pass the rest on.\n",
        "code": "3512.2",
    },
    {
        "conceptType": "Occupation",
        "conceptUri": SMARTPHONE_APP_DEVELOPER_URI,
        "iscoGroup": "2514",
        "preferredLabel": "smartphone app developer",
        "altLabels": "phone app programmer\nsmartphone app developer\nhandset software writer",
        "hiddenLabels": "",
        "status": "released",
        "modifiedDate": "2022-07-05T14:38:06.701Z",
        "regulatedProfessionNote": UNREGULATED,
        "scopeNote": "",
        "definition": "",
        "inScheme": _schemes(*_OCC),
        "description": "Smartphone app developers (mini) make programs for phones and tablets, "
        'often called "apps".',
        "code": "2514.1",
    },
]

# --- Skills -----------------------------------------------------------------------------------

_SK = ("skills", "member-skills")
_SK_REVERSED = ("member-skills", "skills")
_SK_TRANSVERSAL = ("skill-transversal-groups", "skills", "member-skills")


def _skill(
    skill_uri: str,
    skill_type: str,
    reuse: str,
    label: str,
    alt: str,
    description: str,
    *,
    modified: str = "2016-12-20T17:43:43Z",
    schemes: tuple[str, ...] = _SK,
    hidden: str = "",
    scope: str = "",
) -> dict[str, str]:
    return {
        "conceptType": "KnowledgeSkillCompetence",
        "conceptUri": skill_uri,
        "skillType": skill_type,
        "reuseLevel": reuse,
        "preferredLabel": label,
        "altLabels": alt,
        "hiddenLabels": hidden,
        "status": "released",
        "modifiedDate": modified,
        "scopeNote": scope,
        "definition": "",
        "inScheme": _schemes(*schemes),
        "description": description,
    }


SKILLS: list[dict[str, str]] = [
    _skill(
        PYTHON_URI,
        "knowledge",
        "sector-specific",
        "Python (computer programming)",
        "Python",
        "Writing, testing and running programs in the Python language (invented text).",
    ),
    _skill(
        SQL_URI,
        "knowledge",
        "sector-specific",
        "SQL (database queries)",
        "SQL\nstructured query language",
        "Asking relational databases for data with SQL statements (invented text).",
        modified="2020-05-11T08:21:30.15Z",
        schemes=_SK_REVERSED,
    ),
    _skill(
        VERSION_CONTROL_URI,
        "knowledge",
        "sector-specific",
        "version control systems",
        "change tracking tools\nsource history tools",
        "Tools that record each change to a set of files so that any version can be "
        "restored (invented text).",
    ),
    _skill(
        GIT_URI,
        "knowledge",
        "sector-specific",
        "Git (version control)",
        "Git",
        "A distributed tool for recording changes to source code (invented text).",
        modified="2022-07-14T12:54:25.78Z",
    ),
    _skill(
        SOFTWARE_PROTOTYPES_URI,
        "skill/competence",
        "sector-specific",
        "create software prototypes",
        "build trial versions of software\nmake software mock-ups",
        "Put together an early, rough version of a program to try out an idea before "
        "building it properly (invented text).",
    ),
    _skill(
        DEBUG_SOFTWARE_URI,
        "skill/competence",
        "sector-specific",
        "trace and fix software faults",
        "fix program faults\ntrace software bugs",
        "Find out why a program misbehaves and change its code so it works (invented text).",
        modified="2021-09-02T16:37:00.315Z",
    ),
    _skill(
        WEB_LAYOUTS_URI,
        "skill/competence",
        "occupation-specific",
        "design responsive web layouts",
        "lay out web pages for all screens",
        "Arrange the parts of a web page so that it reads well on small and large "
        "screens (invented text).",
    ),
    _skill(
        SPREADSHEETS_URI,
        "skill/competence",
        "cross-sector",
        "use spreadsheet software",
        "work with spreadsheets\nuse spreadsheet programs",
        "Enter, sort and calculate figures in a spreadsheet program (invented text).",
        schemes=_SK_REVERSED,
    ),
    _skill(
        GUIDE_USERS_URI,
        "skill/competence",
        "occupation-specific",
        "guide users through technical problems",
        "talk users through fixes",
        "Lead a computer user step by step to a working set-up (invented text).",
        scope="Excludes repairing hardware in person.",
    ),
    _skill(
        TEAMWORK_URI,
        "skill/competence",
        "transversal",
        "cooperate within a team",
        "pull together with co-workers\nteam up",
        "Share tasks with others and help them towards a common aim (invented text).",
        modified="2021-09-13T12:37:55.414Z",
        schemes=_SK_TRANSVERSAL,
        hidden="team player",
    ),
    _skill(
        EXPLAIN_IDEAS_URI,
        "skill/competence",
        "transversal",
        "explain ideas clearly",
        "put ideas across\nmake yourself understood",
        "Say what you mean in words your listener knows.\n"
        "Check that they followed, and put it another way if they did not.\n"
        "(Invented text.)\n",
        schemes=_SK_TRANSVERSAL,
    ),
    _skill(
        DIGITAL_BASICS_URI,
        "",
        "",
        "everyday digital tasks",
        "basic computer use\neveryday digital tasks",
        "Use a computer and the internet for common everyday jobs (invented text).",
        modified="2022-07-14T12:54:25.78Z",
    ),
]

# --- Skill groups and the skills hierarchy ----------------------------------------------------


def _group(
    group_uri: str,
    label: str,
    code: str,
    *,
    schemes: tuple[str, ...],
    description: str = "",
    scope: str = "",
    alt: str = "",
    modified: str = "",
) -> dict[str, str]:
    return {
        "conceptType": "SkillGroup",
        "conceptUri": group_uri,
        "preferredLabel": label,
        "altLabels": alt,
        "hiddenLabels": "",
        "status": "released",
        "modifiedDate": modified,
        "scopeNote": scope,
        "inScheme": _schemes(*schemes, sep="\n"),
        "description": description,
        "code": code,
    }


_G = ("skills", "skills-hierarchy")
_G_TRANSVERSAL = ("skill-transversal-groups", "skills", "skills-hierarchy")
_G_ISCED = ("isced-f", "skills", "skills-hierarchy")

SKILL_GROUPS: list[dict[str, str]] = [
    _group(SKILLS_GROUP_URI, "skills", "S", schemes=_G, alt="skills"),
    _group(
        DIGITAL_TOOLS_GROUP_URI,
        "working with digital tools",
        "S1",
        schemes=_G,
        description="Using computers and programs to get work done (invented text).",
        modified="2021-08-30T09:00:34.189Z",
    ),
    _group(
        PROGRAMMING_GROUP_URI,
        "programming and building software",
        "S1.2",
        schemes=_G,
        description="Designing, writing and correcting programs (invented text).",
        scope="Examples:\n- write a program\n- fix a bug\n\nExcludes:\n- repairing computers\n",
        modified="2022-07-15T14:44:44.924Z",
    ),
    _group(TRANSVERSAL_GROUP_URI, "transversal skills (mini)", "T", schemes=_G_TRANSVERSAL),
    _group(
        COLLABORATION_GROUP_URI,
        "working with other people",
        "T4",
        schemes=_G_TRANSVERSAL,
        description="Getting on with others and working towards shared goals (invented text).",
        alt="people skills\ngetting along with others",
    ),
    _group(KNOWLEDGE_GROUP_URI, "knowledge", "K", schemes=_G, alt="knowledge"),
    # ISCED-F groups have no code of their own, as in ESCO.
    _group(
        ISCED_ICT_URI,
        "information and communication technologies (mini)",
        "",
        schemes=_G_ISCED,
        modified="2021-08-30T14:57:56.832Z",
    ),
    _group(
        ISCED_ICT_NARROW_URI,
        "information and communication technologies, narrow field (mini)",
        "",
        schemes=_G_ISCED,
        description="Study of how computers, networks and programs work (invented text).",
    ),
]


def _path(*levels: tuple[str, str, str], description: str = "", scope: str = "") -> dict[str, str]:
    """A skillsHierarchy row; ``levels`` are (uri, label, code) from level 0 down.

    Like ESCO's file, the row ends after the deepest level's code column.
    """
    row: dict[str, str] = {}
    for depth in range(4):
        group_uri, label, _code = levels[depth] if depth < len(levels) else ("", "", "")
        row[f"Level {depth} URI"] = group_uri
        row[f"Level {depth} preferred term"] = label
    row["Description"] = description
    row["Scope note"] = scope
    for depth, (_uri, _label, code) in enumerate(levels):
        row[f"Level {depth} code"] = code
    return row


_S = (SKILLS_GROUP_URI, "skills", "S")
_S1 = (DIGITAL_TOOLS_GROUP_URI, "working with digital tools", "S1")
_S12 = (PROGRAMMING_GROUP_URI, "programming and building software", "S1.2")
_T = (TRANSVERSAL_GROUP_URI, "transversal skills (mini)", "T")
_T4 = (COLLABORATION_GROUP_URI, "working with other people", "T4")
_K = (KNOWLEDGE_GROUP_URI, "knowledge", "K")
_K06 = (ISCED_ICT_URI, "information and communication technologies (mini)", "")
_K061 = (
    ISCED_ICT_NARROW_URI,
    "information and communication technologies, narrow field (mini)",
    "",
)

SKILLS_HIERARCHY: list[dict[str, str]] = [
    _path(_S),
    _path(_S, _S1, description=SKILL_GROUPS[1]["description"]),
    _path(
        _S,
        _S1,
        _S12,
        description=SKILL_GROUPS[2]["description"],
        scope=SKILL_GROUPS[2]["scopeNote"],
    ),
    _path(_T),
    _path(_T, _T4, description=SKILL_GROUPS[4]["description"]),
    _path(_K),
    _path(_K, _K06),
    _path(_K, _K06, _K061, description=SKILL_GROUPS[7]["description"]),
]

# --- Relations --------------------------------------------------------------------------------

_SKILL_TYPE = {row["conceptUri"]: row["skillType"] for row in SKILLS}

_ESSENTIAL_OPTIONAL: list[tuple[str, list[str], list[str]]] = [
    (
        SOFTWARE_DEVELOPER_URI,
        [PYTHON_URI, SOFTWARE_PROTOTYPES_URI, DEBUG_SOFTWARE_URI, VERSION_CONTROL_URI],
        [SQL_URI, GIT_URI, TEAMWORK_URI, DIGITAL_BASICS_URI],
    ),
    (
        ICT_APPLICATION_DEVELOPER_URI,
        [SOFTWARE_PROTOTYPES_URI, DEBUG_SOFTWARE_URI],
        [PYTHON_URI, EXPLAIN_IDEAS_URI],
    ),
    (WEB_DEVELOPER_URI, [WEB_LAYOUTS_URI, DEBUG_SOFTWARE_URI], [SQL_URI]),
    (
        ICT_SUPPORT_TECHNICIAN_URI,
        [GUIDE_USERS_URI, EXPLAIN_IDEAS_URI],
        [SPREADSHEETS_URI, DIGITAL_BASICS_URI],
    ),
    (HELP_DESK_OPERATOR_URI, [GUIDE_USERS_URI], [TEAMWORK_URI, SPREADSHEETS_URI]),
    (SMARTPHONE_APP_DEVELOPER_URI, [SOFTWARE_PROTOTYPES_URI], [GIT_URI]),
    (MISSING_OCCUPATION_URI, [PYTHON_URI], [TEAMWORK_URI]),
]

OCCUPATION_SKILL_RELATIONS: list[dict[str, str]] = [
    {
        "occupationUri": occupation,
        "relationType": relation,
        "skillType": _SKILL_TYPE[skill],
        "skillUri": skill,
    }
    for occupation, essential, optional in _ESSENTIAL_OPTIONAL
    for relation, skills in (("essential", essential), ("optional", optional))
    for skill in skills
]


def _broader(concept_type: str, concept: str, broader_type: str, broader: str) -> dict[str, str]:
    return {
        "conceptType": concept_type,
        "conceptUri": concept,
        "broaderType": broader_type,
        "broaderUri": broader,
    }


BROADER_OCCUPATIONS: list[dict[str, str]] = [
    _broader("ISCOGroup", ISCO_25_URI, "ISCOGroup", ISCO_2_URI),
    _broader("ISCOGroup", ISCO_251_URI, "ISCOGroup", ISCO_25_URI),
    _broader("ISCOGroup", ISCO_2512_URI, "ISCOGroup", ISCO_251_URI),
    _broader("ISCOGroup", ISCO_2514_URI, "ISCOGroup", ISCO_251_URI),
    _broader("ISCOGroup", ISCO_35_URI, "ISCOGroup", ISCO_3_URI),
    _broader("ISCOGroup", ISCO_351_URI, "ISCOGroup", ISCO_35_URI),
    _broader("ISCOGroup", ISCO_3512_URI, "ISCOGroup", ISCO_351_URI),
    _broader("Occupation", SOFTWARE_DEVELOPER_URI, "ISCOGroup", ISCO_2512_URI),
    _broader("Occupation", ICT_APPLICATION_DEVELOPER_URI, "ISCOGroup", ISCO_2514_URI),
    _broader("Occupation", WEB_DEVELOPER_URI, "Occupation", SOFTWARE_DEVELOPER_URI),
    _broader("Occupation", ICT_SUPPORT_TECHNICIAN_URI, "ISCOGroup", ISCO_3512_URI),
    _broader("Occupation", HELP_DESK_OPERATOR_URI, "ISCOGroup", ISCO_3512_URI),
    _broader("Occupation", SMARTPHONE_APP_DEVELOPER_URI, "ISCOGroup", ISCO_2514_URI),
    # The real file also has a broader row for its missing occupation.
    _broader("Occupation", MISSING_OCCUPATION_URI, "Occupation", SOFTWARE_DEVELOPER_URI),
]

_KSC = "KnowledgeSkillCompetence"

BROADER_SKILLS: list[dict[str, str]] = [
    _broader("SkillGroup", DIGITAL_TOOLS_GROUP_URI, "SkillGroup", SKILLS_GROUP_URI),
    _broader("SkillGroup", PROGRAMMING_GROUP_URI, "SkillGroup", DIGITAL_TOOLS_GROUP_URI),
    _broader("SkillGroup", COLLABORATION_GROUP_URI, "SkillGroup", TRANSVERSAL_GROUP_URI),
    _broader("SkillGroup", ISCED_ICT_URI, "SkillGroup", KNOWLEDGE_GROUP_URI),
    _broader("SkillGroup", ISCED_ICT_NARROW_URI, "SkillGroup", ISCED_ICT_URI),
    _broader(_KSC, PYTHON_URI, "SkillGroup", ISCED_ICT_NARROW_URI),
    _broader(_KSC, SQL_URI, "SkillGroup", ISCED_ICT_NARROW_URI),
    _broader(_KSC, VERSION_CONTROL_URI, "SkillGroup", ISCED_ICT_NARROW_URI),
    _broader(_KSC, GIT_URI, _KSC, VERSION_CONTROL_URI),
    _broader(_KSC, SOFTWARE_PROTOTYPES_URI, "SkillGroup", PROGRAMMING_GROUP_URI),
    _broader(_KSC, DEBUG_SOFTWARE_URI, "SkillGroup", PROGRAMMING_GROUP_URI),
    _broader(_KSC, WEB_LAYOUTS_URI, "SkillGroup", PROGRAMMING_GROUP_URI),
    _broader(_KSC, SPREADSHEETS_URI, "SkillGroup", DIGITAL_TOOLS_GROUP_URI),
    _broader(_KSC, GUIDE_USERS_URI, "SkillGroup", DIGITAL_TOOLS_GROUP_URI),
    _broader(_KSC, TEAMWORK_URI, "SkillGroup", COLLABORATION_GROUP_URI),
    _broader(_KSC, EXPLAIN_IDEAS_URI, "SkillGroup", COLLABORATION_GROUP_URI),
    _broader(_KSC, DIGITAL_BASICS_URI, "SkillGroup", DIGITAL_TOOLS_GROUP_URI),
]

SKILL_SKILL_RELATIONS: list[dict[str, str]] = [
    {
        "originalSkillUri": PYTHON_URI,
        "originalSkillType": "knowledge",
        "relationType": "optional",
        "relatedSkillType": "knowledge",
        "relatedSkillUri": SQL_URI,
    },
    {
        "originalSkillUri": VERSION_CONTROL_URI,
        "originalSkillType": "knowledge",
        "relationType": "optional",
        "relatedSkillType": "knowledge",
        "relatedSkillUri": PYTHON_URI,
    },
    {
        "originalSkillUri": SOFTWARE_PROTOTYPES_URI,
        "originalSkillType": "skill/competence",
        "relationType": "essential",
        "relatedSkillType": "skill/competence",
        "relatedSkillUri": DEBUG_SOFTWARE_URI,
    },
]

# --- Writing ----------------------------------------------------------------------------------

# File name -> name of the module-level list it is written from.
CLASSIFICATION_FILES: dict[str, str] = {
    "occupations_en.csv": "OCCUPATIONS",
    "skills_en.csv": "SKILLS",
    "ISCOGroups_en.csv": "ISCO_GROUPS",
    "skillGroups_en.csv": "SKILL_GROUPS",
    "skillsHierarchy_en.csv": "SKILLS_HIERARCHY",
}
RELATIONS_FILES: dict[str, str] = {
    "occupationSkillRelations.csv": "OCCUPATION_SKILL_RELATIONS",
    "broaderRelationsOccPillar.csv": "BROADER_OCCUPATIONS",
    "broaderRelationsSkillPillar.csv": "BROADER_SKILLS",
    "skillSkillRelations.csv": "SKILL_SKILL_RELATIONS",
}
_ALL_FILES = {**CLASSIFICATION_FILES, **RELATIONS_FILES}
# skillsHierarchy_en.csv rows stop after their deepest level's code (DictReader yields None).
_RAGGED = {"skillsHierarchy_en.csv"}


def dataset(name: str) -> list[dict[str, str]]:
    """A deep copy of one default list, e.g. ``dataset("OCCUPATIONS")``, for tests to edit."""
    if name not in _ALL_FILES.values():
        raise KeyError(name)
    return copy.deepcopy(globals()[name])


def render_csv(filename: str, rows: list[dict[str, str]]) -> str:
    """The text of one file: ESCO's header, CRLF line ends, minimal quoting.

    Missing keys are written empty, except that ragged files (skillsHierarchy_en.csv) end each
    row at its last present key. Unknown keys raise ValueError.
    """
    header = HEADERS[filename]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        unknown = set(row) - set(header)
        if unknown:
            raise ValueError(f"{filename}: unknown columns {sorted(unknown)}")
        columns = header
        if filename in _RAGGED:
            present = [i for i, column in enumerate(header) if column in row]
            columns = header[: present[-1] + 1] if present else []
        writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
    return out.getvalue()


def write_miniature(directory: Path, *, zipped: bool = True, **changes) -> Path:
    """Write the miniature download into ``directory`` and return ``directory``.

    ``zipped=True`` writes the two zips named as ESCO names them, members at the zip root;
    ``zipped=False`` writes the nine CSVs flat. ``changes`` replace whole lists by name, e.g.
    ``write_miniature(tmp_path, OCCUPATIONS=[...])``.
    """
    unknown = set(changes) - set(_ALL_FILES.values())
    if unknown:
        raise TypeError(f"unknown datasets: {sorted(unknown)}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    texts = {
        filename: render_csv(
            filename, changes[name] if name in changes else copy.deepcopy(globals()[name])
        )
        for filename, name in _ALL_FILES.items()
    }
    if not zipped:
        for filename, text in texts.items():
            (directory / filename).write_bytes(text.encode("utf-8"))
        return directory
    for zip_name, files in (
        (CLASSIFICATION_ZIP, CLASSIFICATION_FILES),
        (RELATIONS_ZIP, RELATIONS_FILES),
    ):
        with zipfile.ZipFile(directory / zip_name, "w", zipfile.ZIP_DEFLATED) as archive:
            for filename in files:
                archive.writestr(filename, texts[filename].encode("utf-8"))
    return directory
