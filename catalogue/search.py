"""Full-text search over roles and skills: what a role's vector holds, the one function that
rebuilds it, and the ranked searches the pages run.

A skill's vector depends on its own row alone, so PostgreSQL keeps it current
(``Skill.search_vector`` is a GeneratedField). A role's is built from its row and the rows
it owns (its skills' names, its responsibilities and FAQs: ``searched`` in ROLE_PARTS), so
it is stored and rebuilt by ``refresh_role_search_vectors``, which every write that changes
that text reaches: the loader and the demo generator at their end, and the admin's one hook
(``refresh_after_edit``, from catalogue.admin.CatalogueAdmin) after every save there.

Weights: a role's title and the other titles it goes by (A, so that "programmer" finds the
software developer as its title would) above its skill names (B) above its summary,
responsibilities and FAQs (C) above its longer prose (D); a skill's name (A) above its
description (C). How text becomes lexemes, and typed words a query, is jobsite.text_search's.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import add

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Concat, Length
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jobsite.text_search import document, search_query, through_the_index
from roles.models import Role
from skills.models import Skill

from .parts import ROLE_PARTS, part_of
from .spelling import correction

RESULTS_PER_KIND = 20

# A role's own text in its vector, by weight; ROLE_PARTS add their rows' text after it.
ROLE_TEXT = {
    "title": "A",
    "alternative_titles": "A",
    "summary": "C",
    "overview": "D",
    "qualifications": "D",
    "education": "D",
}
WEIGHTS = "ABCD"

# PostgreSQL highlights matches with these; no editor types them, so after escaping the
# snippet they can be turned into <mark> safely (see marked_snippet).
START_MARK, STOP_MARK = "\x02", "\x03"


# Keeping role vectors current ---------------------------------------------------------------


def _joined(part):
    """The searched text of one role's rows of ``part``, joined by spaces, as a subquery
    correlated with the role being updated."""
    fields = [F(name) for name in part.searched]
    text = fields[0] if len(fields) == 1 else Concat(*_spaced(fields), output_field=TextField())
    return Subquery(
        part.model.objects.filter(role=OuterRef("pk"))
        .order_by()
        .values("role")
        .annotate(text=StringAgg(text, delimiter=" "))
        .values("text"),
        output_field=TextField(),
    )


def _spaced(expressions):
    spaced = []
    for expression in expressions:
        spaced.extend([expression, Value(" ")])
    return spaced[:-1]


def role_document() -> SearchVector:
    """The expression that builds a role's search vector from its row and its rows."""
    texts = {weight: [] for weight in WEIGHTS}
    for name, weight in ROLE_TEXT.items():
        texts[weight].append(F(name))
    for part in ROLE_PARTS:
        if part.searched:
            texts[part.search_weight].append(_joined(part))
    return reduce(
        add, (document(*texts[weight], weight=weight) for weight in WEIGHTS if texts[weight])
    )


def refresh_role_search_vectors(role_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search vectors of the roles in ``role_ids`` (all roles when None) in one
    UPDATE; return how many rows it updated.

    The one way role vectors are rebuilt: after changing a role's text, its searched rows or
    the name of a skill it lists. Bulk writes send no signals, so nothing else will."""
    roles = Role.objects.all()
    if role_ids is not None:
        role_ids = list(role_ids)
        if not role_ids:
            return 0
        roles = roles.filter(pk__in=role_ids)
    return roles.update(search_vector=role_document())


def _searched_paths():
    """(part, field, field of the record it links to or "") for each text ROLE_PARTS search:
    (RoleSkill's part, "skill", "name") for "skill__name"."""
    for part in ROLE_PARTS:
        for path in part.searched:
            link, _, rest = path.partition("__")
            yield part, link, rest


def _searched_fields(model) -> set[str]:
    """The fields of ``model`` whose text goes into role vectors."""
    if model is Role:
        return set(ROLE_TEXT)
    fields = set()
    for part, link, rest in _searched_paths():
        if part.model is model:
            fields.add(link)
        elif rest and part.model._meta.get_field(link).related_model is model:
            fields.add(rest)
    return fields


def roles_indexing(record) -> set[int]:
    """The roles whose search vectors hold text of ``record``: a role, one of its searched
    rows, or a record such rows name (a skill, through its role skills)."""
    if isinstance(record, Role):
        return {record.pk}
    part = part_of(type(record))
    if part is not None:
        return {record.role_id} if part.searched else set()
    roles = set()
    for part, link, rest in _searched_paths():
        if rest and part.model._meta.get_field(link).related_model is type(record):
            roles.update(part.model.objects.filter(**{link: record}).values_list("role", flat=True))
    return roles


def refresh_after_edit(record, *, roles_before: set[int], changed_fields: Iterable[str]) -> int:
    """After an edit of ``record`` (with the rows edited on its page), rebuild the vectors it
    may have changed: every role that held its text before or after, when its searched text
    changed (always for a role: its rows may have); otherwise only the roles it was linked to
    or unlinked from. ``roles_before``: roles_indexing(record) before the edit."""
    roles_after = roles_indexing(record)
    if isinstance(record, Role) or set(changed_fields) & _searched_fields(type(record)):
        return refresh_role_search_vectors(roles_before | roles_after)
    return refresh_role_search_vectors(roles_before ^ roles_after)


# Searching ----------------------------------------------------------------------------------


def _headline(expression, query, **options):
    # The markers are removed from the source first: text holding them could otherwise
    # open a <mark> it never closes.
    source = Func(
        expression,
        Value(START_MARK + STOP_MARK),
        Value(""),
        function="translate",
        output_field=TextField(),
    )
    # 'simple' matches the stored vector's as-typed half, so that "engineeri" still lights
    # up "engineering"; a stemmed query word is usually a prefix of the word it came from
    # ("develop" of "developers"), so those light up too.
    return SearchHeadline(
        source, query, config="simple", start_sel=START_MARK, stop_sel=STOP_MARK, **options
    )


class TitleWords(Func):
    """A skill's name in its search vector: its weight-A lexemes. (A role keeps its titles'
    apart, in ``Role.title_vector``.)"""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a}')"
    output_field = SearchVectorField()


def ranked_roles(query: SearchQuery, *, whole_words: SearchQuery | None = None):
    """Published roles matching ``query``, best first, each with ``rank``, a ``headline``
    from its summary, and ``total`` (how many match, before any slicing).

    Roles whose titles (the title and the alternative titles) hold every word come first:
    whole (``whole_words``, "app" for "app developer"), then as prefixes ("apparel").
    ts_rank saturates close to 1 for words found side by side, so a role whose skills or text
    repeat the words scores within a rounding error of the role they name, and could tie
    with it."""
    return (
        Role.objects.published()
        .filter(search_vector=query)
        .select_related("family")
        # What a result shows (and the API's attribution); a stored vector runs to kilobytes.
        .only("title", "slug", "esco_version", "family__name")
        .annotate(
            title_words=(
                SearchVectorExact(F("title_vector"), whole_words)
                if whole_words is not None
                else Value(False)
            ),
            title_match=SearchVectorExact(F("title_vector"), query),
            rank=SearchRank(F("search_vector"), query),
            headline=_headline(F("summary"), query, highlight_all=True),
            total=Window(Count("*")),
        )
        .order_by("-title_words", "-title_match", "-rank", "title")
    )


def named_like(roles, text: str):
    """The ``roles`` whose words match ``text`` (prefixes, all of them), those with every word
    in their titles first, then by relevance: for "Did you mean" when a typed role is not
    found. Uses the GIN index over the roles' search vectors."""
    query = search_query(text)
    if query is None:
        return roles.none()
    return (
        roles.filter(search_vector=query)
        .only("title", "slug")
        .annotate(
            title_match=SearchVectorExact(F("title_vector"), query),
            rank=SearchRank(F("search_vector"), query),
        )
        .order_by("-title_match", "-rank", "title")
    )


def ranked_skills(query: SearchQuery, *, text: str = "", whole_words: SearchQuery | None = None):
    """Skills matching ``query``, best first, each with ``rank``, a ``headline`` from its
    description, and ``total`` (how many match, before any slicing).

    The skill named exactly ``text`` (in any case) comes first, then those whose names hold
    every word whole (``whole_words``), shortest name first: "C++" before "Microsoft Visual
    C++", whose other names say C++ five times and so outrank it."""
    return (
        Skill.objects.filter(search_vector=query)
        .only("name", "slug", "kind", "description", "esco_version")
        .annotate(
            exact_name=ExpressionWrapper(Q(name__iexact=text.strip()), output_field=BooleanField()),
            name_words=(
                SearchVectorExact(TitleWords(F("search_vector")), whole_words)
                if whole_words is not None
                else Value(False)
            ),
            rank=SearchRank(F("search_vector"), query),
            headline=_headline(F("description"), query, max_words=30, min_words=12),
            total=Window(Count("*")),
        )
        .order_by("-exact_name", "-name_words", "-rank", Length("name"), "name")
    )


def marked_snippet(headline: str) -> SafeString:
    """PostgreSQL's highlighted text, HTML-escaped, with matches wrapped in <mark>.

    ts_headline returns the source text as it is, so it is escaped here in full; only the
    markers PostgreSQL added become markup."""
    escaped = escape(headline or "")
    return mark_safe(escaped.replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>"))


@dataclass
class SearchResults:
    roles: list[Role] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    role_count: int = 0
    skill_count: int = 0
    # What was searched, and, when it was a correction, what the visitor typed instead.
    query: str = ""
    typed: str = ""
    # A correction that finds something, offered beside these results ("Did you mean …?").
    suggestion: str = ""

    @property
    def count(self) -> int:
        return self.role_count + self.skill_count


def search(text: str, *, limit: int = RESULTS_PER_KIND) -> SearchResults:
    """The best ``limit`` published roles and ``limit`` skills for ``text``, with how many
    match in all; each result carries ``snippet``, safe HTML with the matches marked.

    Two queries, whatever the catalogue's size, and two settings around the first
    (through_the_index: the GIN index however many roles match)."""
    query = search_query(text)
    if query is None:
        return SearchResults()
    whole_words = search_query(text, prefixes=False)
    matches = ranked_roles(query, whole_words=whole_words)[:limit]
    with through_the_index(matches.db):
        roles = list(matches)
    skills = list(ranked_skills(query, text=text, whole_words=whole_words)[:limit])
    for result in roles + skills:
        result.snippet = marked_snippet(result.headline)
    return SearchResults(
        roles=roles,
        skills=skills,
        role_count=roles[0].total if roles else 0,
        skill_count=skills[0].total if skills else 0,
        query=text,
    )


def forgiving_search(text: str, *, as_typed: bool = False) -> SearchResults:
    """search(), forgiving typos as a visitor expects of a search box: when ``text`` finds
    nothing and a correction (catalogue.spelling) finds something, the correction's results,
    with ``typed`` for "Showing results for …, search instead for …"; with ``as_typed`` (that
    link), the results for ``text`` itself, with the correction as a ``suggestion``.

    Only a search that finds nothing is corrected, so a search that finds something always
    runs the same statements (search's); one that does not runs up to six more (the
    revision keying the cached word list, the list when it is not cached, and the corrected
    search)."""
    results = search(text)
    if results.count:
        return results
    corrected = correction(text)
    if corrected is None:
        return results
    better = search(corrected)
    if not better.count:
        return results
    if as_typed:
        results.suggestion = corrected
        return results
    better.typed = text
    return better
