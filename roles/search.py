"""Full-text search over roles and skills, with PostgreSQL's core text search only.

Each role and skill stores a weighted ``search_vector`` (GIN-indexed), rebuilt by the refresh
functions below whenever content changes: after ``load_catalogue``, after an editor saves in
admin, and after the demo generator's bulk inserts (which send no signals).

Weights: a role's title (A) above its skill names (B) above its summary, responsibilities and
FAQs (C) above its longer prose (D); a skill's name (A) above its description (C).

Every part is indexed twice: with the ``english`` configuration, so that "developers" finds
"developer", and with ``simple``, so that a prefix the English stemmer would mangle
("engineeri" is not a prefix of the stem "engin") still finds "engineering". Punctuation is
turned into spaces first, the way the query side splits words, so that "Node.js" is found by
"node js" and by "js" as well as by "node".
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django import forms
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Func, OuterRef, Subquery, TextField, Value, Window
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from skills.models import RoleSkill, Skill

from .models import FrequentlyAskedQuestion, Responsibility, Role

MAX_QUERY_LENGTH = 200
RESULTS_PER_KIND = 20

# What the query side counts as a word: a run of letters or digits (not underscores).
WORD = re.compile(r"[^\W_]+")
# PostgreSQL highlights matches with these; no editor types them, so after escaping the
# snippet they can be turned into <mark> safely (see marked_snippet).
START_MARK, STOP_MARK = "\x02", "\x03"


# Keeping the stored vectors current ---------------------------------------------------------


def _words_only(expression):
    """``expression`` as text with ASCII punctuation turned into spaces, like the query side."""
    return Func(
        Coalesce(expression, Value(""), output_field=TextField()),
        Value("[[:punct:]]+"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _document(*expressions, weight: str) -> SearchVector:
    """``expressions`` as one weighted tsvector, stemmed (english) and as typed (simple)."""
    words = [_words_only(expression) for expression in expressions]
    return SearchVector(*words, config="english", weight=weight) + SearchVector(
        *words, config="simple", weight=weight
    )


def _joined(queryset, expression):
    """The text of ``expression`` over ``queryset``'s rows for one role, joined by spaces,
    as a subquery correlated with the role being updated."""
    return Subquery(
        queryset.filter(role=OuterRef("pk"))
        .order_by()
        .values("role")
        .annotate(text=StringAgg(expression, delimiter=" "))
        .values("text"),
        output_field=TextField(),
    )


def role_document() -> SearchVector:
    """The expression that builds a role's search vector from its row and related rows."""
    skill_names = _joined(RoleSkill.objects.all(), "skill__name")
    responsibilities = _joined(Responsibility.objects.all(), "text")
    faqs = _joined(
        FrequentlyAskedQuestion.objects.all(),
        Concat("question", Value(" "), "answer", output_field=TextField()),
    )
    return (
        _document("title", weight="A")
        + _document(skill_names, weight="B")
        + _document("summary", responsibilities, faqs, weight="C")
        + _document("overview", "qualifications", "education", weight="D")
    )


def refresh_role_search_vectors(role_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search vectors of the roles in ``role_ids`` (all roles when None) in one
    UPDATE; return how many rows it updated.

    Call it after changing a role's title, text, skills, responsibilities or FAQs, and after
    renaming a skill (for every role that lists it). Bulk writes send no signals, so nothing
    else will."""
    roles = Role.objects.all()
    if role_ids is not None:
        role_ids = list(role_ids)
        if not role_ids:
            return 0
        roles = roles.filter(pk__in=role_ids)
    return roles.update(search_vector=role_document())


def refresh_skill_search_vectors(skill_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search vectors of the skills in ``skill_ids`` (all skills when None) in
    one UPDATE; return how many rows it updated.

    A renamed skill also changes the vectors of the roles that list it: refresh those too."""
    skills = Skill.objects.all()
    if skill_ids is not None:
        skill_ids = list(skill_ids)
        if not skill_ids:
            return 0
        skills = skills.filter(pk__in=skill_ids)
    return skills.update(
        search_vector=_document("name", weight="A") + _document("description", weight="C")
    )


# Searching ----------------------------------------------------------------------------------


def search_terms(text: str) -> list[str]:
    """The distinct words in ``text``, lower-cased, in order; punctuation is dropped."""
    return list(dict.fromkeys(word.lower() for word in WORD.findall(text)))


def require_words(text: str) -> None:
    """Refuse text with no word to search for, such as "!!!" or "&|:*"."""
    if not search_terms(text):
        raise ValidationError(
            "Try words: the search looks for words made of letters or numbers, and this has none.",
            code="no_words",
        )


class SearchForm(forms.Form):
    """The search box. An empty ``q`` is valid: the page then asks for words instead of
    searching."""

    q = forms.CharField(
        label="Search roles and skills",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        validators=[require_words],
        widget=forms.SearchInput(attrs={"placeholder": "e.g. backend, Python, cloud"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""


def search_query(text: str) -> SearchQuery | None:
    """A query matching documents that contain every word of ``text`` as a prefix ("backe"
    finds "backend"), stemmed or as typed; None when ``text`` has no words.

    The tsquery syntax is built here from words of letters and digits only, and each word
    travels to PostgreSQL as a parameter: nothing the visitor types is read as an operator."""
    terms = search_terms(text)
    if not terms:
        return None
    return reduce(
        and_,
        (
            reduce(
                or_,
                (
                    SearchQuery(f"{term}:*", config=config, search_type="raw")
                    for config in ("english", "simple")
                ),
            )
            for term in terms
        ),
    )


def matching(queryset, text: str):
    """The rows of ``queryset`` (roles or skills) whose search vector matches ``text``;
    none when ``text`` has no words. Uses the GIN index on ``search_vector``."""
    query = search_query(text)
    if query is None:
        return queryset.none()
    return queryset.filter(search_vector=query)


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
    """The title's part of a role's search vector: its weight-A lexemes."""

    function = "ts_filter"
    template = "%(function)s(%(expressions)s, '{a}')"
    output_field = SearchVectorField()


def ranked_roles(query: SearchQuery):
    """Published roles matching ``query``, best first, each with ``rank``, a ``headline``
    from its summary, and ``total`` (how many match, before any slicing).

    Roles whose title holds every word come first. ts_rank saturates close to 1 for words
    found side by side, so a role whose skills or text repeat the words scores within a
    rounding error of the role they name, and could tie with it."""
    return (
        Role.objects.published()
        .filter(search_vector=query)
        .select_related("family")
        # What a result shows; a stored vector runs to kilobytes.
        .only("title", "slug", "family__name")
        .annotate(
            title_match=SearchVectorExact(TitleWords(F("search_vector")), query),
            rank=SearchRank(F("search_vector"), query),
            headline=_headline(F("summary"), query, highlight_all=True),
            total=Window(Count("*")),
        )
        .order_by("-title_match", "-rank", "title")
    )


def ranked_skills(query: SearchQuery):
    """Skills matching ``query``, best first, each with ``rank``, a ``headline`` from its
    description, and ``total`` (how many match, before any slicing)."""
    return (
        Skill.objects.filter(search_vector=query)
        .only("name", "slug", "kind", "description")
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            headline=_headline(F("description"), query, max_words=30, min_words=12),
            total=Window(Count("*")),
        )
        .order_by("-rank", "name")
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


def search(text: str, *, limit: int = RESULTS_PER_KIND) -> SearchResults:
    """The best ``limit`` published roles and ``limit`` skills for ``text``, with how many
    match in all; each result carries ``snippet``, safe HTML with the matches marked.

    Two queries, whatever the catalogue's size."""
    query = search_query(text)
    if query is None:
        return SearchResults()
    roles = list(ranked_roles(query)[:limit])
    skills = list(ranked_skills(query)[:limit])
    for result in roles + skills:
        result.snippet = marked_snippet(result.headline)
    return SearchResults(
        roles=roles,
        skills=skills,
        role_count=roles[0].total if roles else 0,
        skill_count=skills[0].total if skills else 0,
    )
