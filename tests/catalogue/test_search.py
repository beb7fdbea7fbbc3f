import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.search import (
    marked_snippet,
    ranked_roles,
    ranked_skills,
    refresh_role_search_vectors,
    search,
)
from catalogue.selectors import roles_for_listing
from jobsite.text_search import matching, search_query, through_the_index
from roles.models import FrequentlyAskedQuestion, Responsibility, Role
from skills.models import Skill
from tests.admin_forms import admin_form
from tests.factories import RoleFactory, RoleFamilyFactory, RoleSkillFactory, SkillFactory
from tests.html_checker import html_problems, needs_java

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("catalogue:search")
SEARCH_QUERY_BUDGET = 4  # the roles (between two settings: through_the_index), the skills


def refresh_vectors():
    """Factories write roles without search vectors, as bulk inserts do (a skill's vector is
    a generated column, which PostgreSQL fills on every write)."""
    refresh_role_search_vectors()


def get_page(client, **params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response.content.decode()


def role_titles(html):
    return re.findall(r'<h3><a href="/roles/[^"]+/">([^<]+)</a></h3>', html)


def skill_names(html):
    return re.findall(r'<h3><a href="/skills/[^"]+/">([^<]+)</a></h3>', html)


def listed_titles(client, **params):
    response = client.get(reverse("roles:list"), params)
    assert response.status_code == 200
    return re.findall(r'<h3><a href="/roles/[^"]+/">([^<]+)</a></h3>', response.content.decode())


@pytest.fixture
def backend_roles(db):
    """Three roles sharing the words "backend" and "developer", only one in its title; the
    others repeat the words in their text, which must not outrank a title."""
    family = RoleFamilyFactory(name="Software engineering", slug="software-engineering")
    python = SkillFactory(name="Python", slug="python", description="A programming language.")
    django = SkillFactory(
        name="Django",
        slug="django",
        kind=Skill.Kind.FRAMEWORK_RUNTIME,
        description="A Python web framework for backend work.",
    )
    developer = RoleFactory(
        title="Backend Developer", family=family, summary="Builds the server side of web apps."
    )
    tester = RoleFactory(
        title="Backend Tester", family=family, summary="Tests what backend developers build."
    )
    advocate = RoleFactory(
        title="Developer Advocate",
        family=family,
        summary="Explains backend tools to developers, for backend developers.",
        overview="Backend developers trust backend developers. " * 30,
    )
    for position, text in enumerate(
        ["Pairs with backend developers.", "Reviews backend developer pull requests."], start=1
    ):
        Responsibility.objects.create(role=tester, text=text, position=position)
    FrequentlyAskedQuestion.objects.create(
        role=advocate, question="Is this a backend developer job?", answer="Backend developers."
    )
    RoleSkillFactory(role=developer, skill=python)
    RoleSkillFactory(role=developer, skill=django)
    RoleFactory(title="Data Engineering Manager", family=family, summary="Leads data teams.")
    RoleFactory(title="Backend Architect", family=family, status=Role.Status.DRAFT)
    refresh_vectors()
    return developer, tester, advocate


# Relevance -------------------------------------------------------------------------------


def test_a_role_ranks_first_for_its_own_title(client, backend_roles):
    titles = [role.title for role in search("backend developer").roles]
    assert titles[0] == "Backend Developer"
    assert set(titles) == {"Backend Developer", "Backend Tester", "Developer Advocate"}
    assert role_titles(get_page(client, q="Backend Developer"))[0] == "Backend Developer"
    assert role_titles(get_page(client, q="developer advocate"))[0] == "Developer Advocate"


def test_a_title_outranks_the_same_words_elsewhere(client, db):
    # Five skill names repeating both words bring ts_rank within a rounding error of the
    # title's score, and the rival's name sorts first: the title must still win.
    family = RoleFamilyFactory()
    RoleFactory(title="Backend Developer", family=family, summary="Builds server code.")
    evangelist = RoleFactory(title="API Evangelist", family=family, summary="Talks to people.")
    for topic in ["tooling", "portals", "onboarding", "surveys", "documentation"]:
        RoleSkillFactory(role=evangelist, skill=SkillFactory(name=f"Backend developer {topic}"))
    refresh_vectors()
    assert role_titles(get_page(client, q="backend developer")) == [
        "Backend Developer",
        "API Evangelist",
    ]


def test_the_first_letters_of_a_word_are_enough(client, backend_roles):
    assert "Backend Developer" in role_titles(get_page(client, q="backe"))
    assert role_titles(get_page(client, q="Develop"))[0] in {
        "Backend Developer",
        "Developer Advocate",
    }
    # Past the English stem ("engin"), the as-typed half of the vector still matches.
    assert role_titles(get_page(client, q="engineeri")) == ["Data Engineering Manager"]
    # Stemming still finds other forms of a word.
    assert role_titles(get_page(client, q="managers")) == ["Data Engineering Manager"]


def test_every_word_of_a_query_must_match_somewhere(client, backend_roles):
    # "backend" in the title and "python" through a skill: only the developer has both.
    assert role_titles(get_page(client, q="backend python")) == ["Backend Developer"]
    assert role_titles(get_page(client, q="pytho backe")) == ["Backend Developer"]
    assert role_titles(get_page(client, q="backend astronaut")) == []


def test_drafts_are_never_found(client, backend_roles):
    assert "Backend Architect" not in role_titles(get_page(client, q="architect"))


def test_skills_are_found_by_name_before_description(client, backend_roles):
    html = get_page(client, q="python")
    assert skill_names(html) == ["Python", "Django"]  # Django's description mentions Python
    assert "Framework or runtime" in html  # the skill's kind
    assert skill_names(get_page(client, q="framew")) == ["Django"]


def test_results_show_counts_family_and_highlighted_snippets(client, backend_roles):
    html = get_page(client, q="backend")
    assert "3 roles and 1 skill match “backend”." in html  # the draft is not counted
    assert "Software engineering" in html
    assert "Tests what <mark>backend</mark> developers build." in html
    assert "A Python web framework for <mark>backend</mark> work." in html


def test_only_the_best_results_are_listed_with_the_full_count(client, db):
    family = RoleFamilyFactory()
    for index in range(25):
        RoleFactory(title=f"Cloud role {index:02}", family=family)
    refresh_vectors()
    html = get_page(client, q="cloud")
    assert "25 roles and 0 skills match" in html
    assert len(role_titles(html)) == 20
    assert "list every matching role" in html


# Alternative titles ----------------------------------------------------------------------


def test_roles_are_found_by_their_alternative_titles(client, esco_miniature):
    """ESCO's other labels for an occupation become the role's alternative titles
    (tests/catalogue/esco_miniature.py), searched with the weight of its title."""
    assert "software developer" in role_titles(get_page(client, q="programmer"))
    assert "ICT application developer" in role_titles(get_page(client, q="app developer"))
    assert "software developer" in listed_titles(client, q="programmer")
    assert "ICT application developer" in listed_titles(client, q="app developer")
    # Only its other title says "coder" or "code author".
    assert role_titles(get_page(client, q="coder")) == ["ICT application developer"]
    assert role_titles(get_page(client, q="code author")) == ["software developer"]


def test_alternative_titles_rank_as_titles(esco_miniature):
    # Three roles are also called some kind of programmer; the fourth only lists Python
    # (computer programming) among its skills.
    titles = [role.title for role in search("programmer").roles]
    assert set(titles[:3]) == {"software developer", "web developer", "smartphone app developer"}
    assert titles[3:] == ["ICT application developer"]


def test_without_its_alternative_titles_a_role_is_not_found_by_them(esco_miniature):
    Role.objects.filter(title="software developer").update(alternative_titles="")
    refresh_vectors()
    assert search("code author").roles == []


def test_an_admin_edit_of_alternative_titles_changes_what_search_finds(
    client, editor_client, backend_roles
):
    developer = backend_roles[0]
    url = reverse("admin:roles_role_change", args=[developer.pk])
    data = admin_form(editor_client, url)
    data["alternative_titles"] = "Server-side engineer\nAPI plumber"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    client.logout()
    assert role_titles(get_page(client, q="api plumber")) == ["Backend Developer"]


# Safety of snippets and queries ---------------------------------------------------------


def test_snippets_escape_content_and_keep_only_the_marks(client, db):
    RoleFactory(
        title="Web Developer",
        summary='Writes <script>alert("x")</script> & backend code; \x02fake\x03 marks.',
    )
    refresh_vectors()
    html = get_page(client, q="backend")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>backend</mark>" in html
    assert "<script>alert" not in html
    assert "<mark>fake" not in html
    assert "\x02" not in html and "\x03" not in html


def test_marked_snippet_escapes_everything_but_the_markers():
    assert marked_snippet("<b>\x02x\x03</b>") == "&lt;b&gt;<mark>x</mark>&lt;/b&gt;"
    assert marked_snippet(None) == ""


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE roles_role; --",
        "backend & | ! ( ) : * < > <-> '",
        "backend:* | python",
        "C# C++ Node.js",
        "日本語 ÄÖÜ x² ǅ",
        "a" * 200,
        "the and of",
    ],
)
def test_odd_queries_are_searched_safely(client, backend_roles, text):
    get_page(client, q=text)


def test_operators_typed_by_a_visitor_are_plain_words(backend_roles):
    # "!" would negate and "|" would widen the search if they reached to_tsquery.
    assert [role.title for role in search("!python").roles] == ["Backend Developer"]
    assert [role.title for role in search("backend | astronaut").roles] == []


# Queries the page refuses -----------------------------------------------------------------


def searched_anything(client, **params):
    """GET the search page and say whether any query touched a search vector."""
    with CaptureQueriesContext(connection) as queries:
        get_page(client, **params)
    return any("search_vector" in query["sql"] for query in queries)


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_an_empty_query_asks_for_words_without_searching(client, backend_roles, params):
    html = get_page(client, **params)
    assert "Type a role title, a skill or any word" in html
    assert 'class="errorlist' not in html
    assert not searched_anything(client, **params)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * 201, "at most 200 characters (it has 201)"),
        ("!!!", "Try words"),
        ("&|:*", "Try words"),
        ("' _ -- ''", "Try words"),
        ("null\x00byte", "Null characters are not allowed."),
    ],
)
def test_unusable_queries_get_a_clear_message(client, backend_roles, query, message):
    html = get_page(client, q=query)
    assert message in html
    assert 'class="errorlist' in html
    assert "Type a role title" not in html
    assert role_titles(html) == []
    assert not searched_anything(client, q=query)


def test_a_repeated_parameter_uses_the_last_value(client, backend_roles):
    response = client.get(f"{SEARCH_URL}?q=astronaut&q=python")
    assert response.status_code == 200
    assert role_titles(response.content.decode()) == ["Backend Developer"]


# The header search box and the roles list -----------------------------------------------


def test_the_header_search_box_submits_to_the_search_page(client, db):
    html = client.get(reverse("roles:list")).content.decode()
    assert re.search(r'<form class="site-search" role="search" action="/search/"', html)


def test_roles_list_text_filter_uses_full_text_search(client, backend_roles):
    assert listed_titles(client, q="backe") == [
        "Backend Developer",
        "Backend Tester",
        "Developer Advocate",
    ]
    # Words, not substrings: "veloper" is inside "Developer" but starts no word.
    assert listed_titles(client, q="veloper") == []
    # Stemmed ("developers" finds "Developer") and across fields (title, skill).
    assert "Backend Developer" in listed_titles(client, q="developers")
    assert listed_titles(client, q="backend python") == ["Backend Developer"]
    # The list keeps its own order rather than the ranking.
    assert listed_titles(client, q="backend developer", sort="-title") == [
        "Developer Advocate",
        "Backend Tester",
        "Backend Developer",
    ]


def test_roles_list_refuses_a_query_without_words(client, backend_roles):
    response = client.get(reverse("roles:list"), {"q": "!!!"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the filters" in html
    assert "Try words" in html
    assert listed_titles(client, q="!!!") == []


# Keeping vectors current ------------------------------------------------------------------


def test_loading_the_catalogue_makes_it_searchable(client, catalogue):
    assert not Role.objects.filter(search_vector__isnull=True).exists()
    assert not Skill.objects.filter(search_vector__isnull=True).exists()
    assert role_titles(get_page(client, q="backe"))[0] == "Backend Developer"
    assert "MongoDB" in skill_names(get_page(client, q="mongo"))


def test_refresh_updates_only_the_rows_asked_for(db):
    first, second = RoleFactory(title="First Role"), RoleFactory(title="Second Role")
    assert refresh_role_search_vectors([first.pk]) == 1
    assert refresh_role_search_vectors([]) == 0
    assert Role.objects.filter(search_vector__isnull=True).get() == second
    assert refresh_role_search_vectors() == 2
    # The demo generator passes every id it created, tens of thousands at a time.
    assert refresh_role_search_vectors([*range(-70_000, 0), first.pk]) == 1


def test_a_skill_saved_outside_admin_is_found_by_its_new_words(client, db):
    """A skill's vector is a generated column: a save from the shell or a script, which
    neither admin nor the loader sees, is searchable at once; so is a bulk update."""
    skill = Skill.objects.create(name="Quokka wrangling", slug="quokka", kind=Skill.Kind.TOOL)
    assert skill_names(get_page(client, q="quokka")) == ["Quokka wrangling"]
    skill.description = "Herding marsupials on an island."
    skill.save()
    assert skill_names(get_page(client, q="marsupials herd")) == ["Quokka wrangling"]
    Skill.objects.filter(pk=skill.pk).update(name="Wombat wrangling")
    assert [found.name for found in search("wombat").skills] == ["Wombat wrangling"]
    assert search("quokka").skills == []


def test_an_admin_edit_of_a_role_and_its_inlines_changes_what_search_finds(
    client, editor_client, backend_roles
):
    developer = backend_roles[0]
    rocketry = SkillFactory(name="Rocketry", slug="rocketry")
    url = reverse("admin:roles_role_change", args=[developer.pk])
    data = admin_form(editor_client, url)
    data.update(title="Quantum Plumber", summary="Looks after pipes.")
    data["role_skills-TOTAL_FORMS"] = str(int(data["role_skills-TOTAL_FORMS"]) + 1)
    new_row = f"role_skills-{int(data['role_skills-TOTAL_FORMS']) - 1}"
    data.update(
        {
            f"{new_row}-skill": rocketry.pk,
            f"{new_row}-importance": "required",
            f"{new_row}-position": "9",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    client.logout()  # visitors see the public, revision-keyed page
    assert role_titles(get_page(client, q="quantum plumb")) == ["Quantum Plumber"]
    assert role_titles(get_page(client, q="rocketry")) == ["Quantum Plumber"]  # the inline
    assert "Quantum Plumber" not in role_titles(get_page(client, q="backend"))


def test_renaming_a_skill_in_admin_refreshes_the_roles_that_list_it(
    client, editor_client, backend_roles
):
    python = Skill.objects.get(slug="python")
    url = reverse("admin:skills_skill_change", args=[python.pk])
    data = admin_form(editor_client, url)
    assert data["role_skills-INITIAL_FORMS"] == "1"  # its role link goes back unchanged
    data.update(name="Serpentine", description="Formerly a snake.")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    client.logout()
    html = get_page(client, q="serpentine")
    assert skill_names(html) == ["Serpentine"]
    assert role_titles(html) == ["Backend Developer"]
    assert role_titles(get_page(client, q="backend python")) == []


def test_linking_a_skill_to_a_role_in_admin_makes_the_role_findable_by_it(
    client, editor_client, backend_roles
):
    tester = backend_roles[1]
    python = Skill.objects.get(slug="python")
    assert role_titles(get_page(client, q="python tester")) == []
    url = reverse("admin:skills_skill_change", args=[python.pk])
    data = admin_form(editor_client, url)
    new_row = f"role_skills-{data['role_skills-TOTAL_FORMS']}"
    data["role_skills-TOTAL_FORMS"] = str(int(data["role_skills-TOTAL_FORMS"]) + 1)
    data.update({f"{new_row}-role": tester.pk, f"{new_row}-importance": "preferred"})
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    client.logout()
    assert role_titles(get_page(client, q="python tester")) == ["Backend Tester"]


# Query budget and index use ---------------------------------------------------------------


def test_search_page_runs_a_fixed_number_of_queries(client, page_queries, catalogue):
    url = f"{SEARCH_URL}?q=backend+developer"
    small = page_queries(url)
    family = RoleFamilyFactory()
    skills = [SkillFactory(name=f"Backend skill {index}") for index in range(40)]
    for index in range(140):  # twenty times the shipped catalogue's seven roles
        role = RoleFactory(title=f"Backend Developer {index}", family=family)
        RoleSkillFactory(role=role, skill=skills[index % 40])
    refresh_vectors()
    large = page_queries(url)
    assert small == large <= SEARCH_QUERY_BUDGET
    assert "141 roles" in get_page(client, q="backend developer")


@pytest.fixture
def many_roles(db):
    """Enough rows for the planner to weigh an index, one of them findable."""
    family = RoleFamilyFactory()
    Role.objects.bulk_create(
        Role(
            title=f"Filler role {index}",
            slug=f"filler-{index}",
            family=family,
            status=Role.Status.PUBLISHED,
            summary="Nothing to see here.",
        )
        for index in range(500)
    )
    RoleFactory(title="Backend Developer", family=family)
    Skill.objects.bulk_create(
        Skill(name=f"Filler skill {index}", slug=f"filler-skill-{index}", kind="tool")
        for index in range(500)
    )
    SkillFactory(name="PostgreSQL")
    refresh_vectors()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE roles_role")
        cursor.execute("ANALYZE skills_skill")
        # Tables this small are cheaper to read whole, or through an unselective index; and
        # PostgreSQL prices a GIN scan for prefix matches high. Taking those plans away
        # shows whether the query, as written, can use the GIN index at all (a query that
        # wrapped the column in a function could not). The B-tree indexes on the roles'
        # status go too: a bitmap scan of one reads every published role here for less than
        # a prefix match is priced. Undone with the test's transaction.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("DROP INDEX role_status_id_idx, role_status_family_idx")


def test_search_queries_use_the_gin_indexes(many_roles):
    query = search_query("backe develo")
    assert "role_search_vector_idx" in ranked_roles(query)[:20].explain()
    assert "skill_search_vector_idx" in ranked_skills(search_query("postgre"))[:20].explain()
    listing = matching(roles_for_listing(), "backe develo")
    assert "role_search_vector_idx" in listing.explain()
    assert [role.title for role in search("backe develo").roles] == ["Backend Developer"]


# Which plan PostgreSQL picks depends on the table's size and statistics (at ESCO's scale,
# the GIN index once whole-table reads are off; see docs/benchmarks.md), so these tests hold
# what through_the_index does around a query, not the planner's choice.


@pytest.fixture
def thirty_engineers(db):
    """30 published roles with "engineer" in their titles, and one without."""
    family = RoleFamilyFactory()
    Role.objects.bulk_create(
        Role(title=f"Engineer {index}", slug=f"engineer-{index}", family=family, status="published")
        for index in range(30)
    )
    RoleFactory(title="Gardener", family=family, status="published")
    refresh_vectors()


def statements_run(queries) -> list[str]:
    return [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]


def assert_whole_table_reads_are_back_on():
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)


def test_matches_are_read_with_whole_table_reads_off_and_the_setting_given_back(
    thirty_engineers,
):
    matches = ranked_roles(search_query("engineer"))[:20]
    with CaptureQueriesContext(connection) as queries, through_the_index(matches.db):
        roles = list(matches)
    statements = statements_run(queries)
    assert statements[0] == "SET LOCAL enable_seqscan = off"
    assert statements[1].startswith("SELECT")
    assert statements[2] == "SET LOCAL enable_seqscan TO DEFAULT"
    assert len(roles) == 20
    assert_whole_table_reads_are_back_on()


@pytest.mark.parametrize(
    "url, count_text",
    [(reverse("roles:list"), "30 roles"), (reverse("api:roles"), '"count":30')],
)
def test_lists_searched_by_words_count_their_matches_through_the_index(
    client, thirty_engineers, url, count_text
):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "engineer"})
    assert count_text in response.content.decode()
    statements = statements_run(queries)
    count = next(index for index, sql in enumerate(statements) if "COUNT(" in sql)
    assert statements[count - 1] == "SET LOCAL enable_seqscan = off"
    assert statements[count + 1] == "SET LOCAL enable_seqscan TO DEFAULT"
    assert statements.count("SET LOCAL enable_seqscan = off") == 1
    assert_whole_table_reads_are_back_on()


def test_lists_not_searched_by_words_count_as_the_planner_likes(client, catalogue):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("roles:list"), {"sort": "-title"})
    assert response.status_code == 200
    assert any("COUNT(" in query["sql"] for query in queries)
    assert not [query for query in queries if "enable_seqscan" in query["sql"]]


# Markup -----------------------------------------------------------------------------------


@needs_java
def test_search_pages_are_valid_html(client, catalogue, tmp_path):
    for name, query in [("prompt", ""), ("results", "backend"), ("error", "!!!")]:
        (tmp_path / f"{name}.html").write_bytes(client.get(SEARCH_URL, {"q": query}).content)
    problems = html_problems(tmp_path)
    assert problems == [], "\n".join(problems)


def test_titles_holding_the_words_whole_come_before_titles_holding_them_as_prefixes(
    esco_miniature,
):
    """Typing "app developer": ESCO's "app developer" titles before an "apparel developer"."""
    RoleFactory(title="Apparel developer", status=Role.Status.PUBLISHED)
    refresh_role_search_vectors()
    titles = [role.title for role in search("app developer").roles]
    assert titles.index("Apparel developer") > titles.index("ICT application developer")
    assert titles.index("Apparel developer") > titles.index("smartphone app developer")


# Forgiving typos -------------------------------------------------------------------------


@pytest.fixture
def tech_catalogue(db):
    """Roles and skills with the names typos and punctuation trip over: a developer who needs
    Python and Kubernetes, and the languages the parser would reduce to "c" or "net"."""
    family = RoleFamilyFactory(name="Software engineering", slug="software-engineering")
    skills = {
        name: SkillFactory(name=name, slug=slug, alternative_names=other_names, description=text)
        for name, slug, other_names, text in [
            ("Python", "python", "", "A programming language."),
            ("Kubernetes", "kubernetes", "K8s", "Runs containers on clusters of machines."),
            ("C", "c", "", "A systems programming language."),
            ("C#", "csharp", "C Sharp", "Microsoft's language for the .NET platform."),
            ("C++", "cplusplus", "", "C with classes, templates and more."),
            (
                "Microsoft Visual C++",
                "microsoft-visual-cplusplus",
                "MS Visual C++\nVisual C++\nVC++",
                "Microsoft's C++ compiler and tools, for C++ and C.",
            ),
            ("Objective-C", "objective-c", "Objective-C++", "C with messages."),
            (".NET", "dotnet", "dot net", "Microsoft's platform for C# and F#."),
            ("ASP.NET", "asp-dotnet", "", "Web applications on .NET."),
            ("Node.js", "nodejs", "Node\nNodeJS", "JavaScript outside the browser."),
            ("JavaScript", "javascript", "JS", "The language of the web; Node.js runs it."),
            ("Docker", "docker", "", "Packs software into containers."),
        ]
    }
    developer = RoleFactory(
        title="Software Developer", family=family, summary="Writes and ships software."
    )
    devops = RoleFactory(title="DevOps Engineer", family=family, summary="Keeps systems up.")
    dotnet = RoleFactory(title="C# Developer", family=family, summary="Builds .NET services.")
    RoleSkillFactory(role=developer, skill=skills["Python"])
    RoleSkillFactory(role=developer, skill=skills["Node.js"])
    RoleSkillFactory(role=devops, skill=skills["Kubernetes"])
    RoleSkillFactory(role=devops, skill=skills["Docker"])
    RoleSkillFactory(role=dotnet, skill=skills["C#"])
    RoleSkillFactory(role=dotnet, skill=skills[".NET"])
    refresh_vectors()
    return skills


def spelling_note(html):
    """The page's "Showing results for …" or "Did you mean …?" line, as text."""
    found = re.search(r'<p class="spelling">(.*?)</p>', html)
    return re.sub(r"<[^>]+>", "", found[1]) if found else None


@pytest.mark.parametrize(
    ("typed", "meant", "role", "skill"),
    [
        ("devloper", "developer", "Software Developer", None),
        ("pyhton", "python", "Software Developer", "Python"),
        ("kubernets", "kubernetes", "DevOps Engineer", "Kubernetes"),
        ("Pyhton devloper", "Python developer", "Software Developer", None),
    ],
)
def test_a_typo_that_finds_nothing_shows_what_was_meant(
    client, tech_catalogue, typed, meant, role, skill
):
    html = get_page(client, q=typed)
    assert role in role_titles(html)
    if skill:
        assert skill_names(html)[0] == skill
    if search(typed).roles:
        # The stemmer may forgive it by itself: "kubernets" and "kubernetes" share a stem.
        assert spelling_note(html) is None
    else:
        assert spelling_note(html) == f"Showing results for {meant}. Search instead for {typed}."
        assert f'href="/search/?q={meant.replace(" ", "%20")}"' in html
        assert f'href="/search/?q={typed.replace(" ", "%20")}&amp;as_typed=1"' in html
        assert f"match “{meant}”" in html
        assert f"<title>Search results for “{meant}”" in html


def test_searching_instead_for_the_typo_finds_nothing_and_offers_the_correction(
    client, tech_catalogue
):
    html = get_page(client, q="devloper", as_typed="1")
    assert role_titles(html) == []
    assert "0 roles and 0 skills match “devloper”." in html
    assert spelling_note(html) == "Did you mean developer?"
    assert 'href="/search/?q=developer"' in html


def test_only_the_words_that_find_nothing_are_corrected(client, tech_catalogue):
    # "C#" stays as typed (the correction replaces words where they stand).
    html = get_page(client, q="C# devloper")
    assert spelling_note(html) == (
        "Showing results for C# developer. Search instead for C# devloper."
    )
    assert role_titles(html) == ["C# Developer"]
    # Words that find something are never corrected, however odd.
    assert spelling_note(get_page(client, q="python")) is None
    assert spelling_note(get_page(client, q="docke")) is None  # a prefix of Docker
    # Nothing near enough: no correction, no suggestion.
    html = get_page(client, q="xylophone")
    assert spelling_note(html) is None
    assert "0 roles and 0 skills match “xylophone”." in html


def test_a_correction_is_made_from_the_catalogue_as_it_is_now(client, tech_catalogue):
    """The word list is cached by catalogue revision: a skill added is a word corrected to."""
    assert spelling_note(get_page(client, q="terrafrom")) is None
    SkillFactory(name="Terraform", slug="terraform")
    html = get_page(client, q="terrafrom")
    assert spelling_note(html) == "Showing results for terraform. Search instead for terrafrom."
    assert skill_names(html) == ["Terraform"]


def test_drafts_lend_no_words_to_corrections(client, tech_catalogue):
    RoleFactory(title="Zookeeper", status=Role.Status.DRAFT)
    refresh_vectors()
    assert spelling_note(get_page(client, q="zookeper")) is None


def test_a_typo_costs_a_fixed_number_of_queries(client, page_queries, tech_catalogue):
    # A search for the typo, the revision (the word list's cache key), the word list
    # (built: the cache starts empty), and a search for the correction.
    small = page_queries(f"{SEARCH_URL}?q=devloper")
    for index in range(60):
        role = RoleFactory(title=f"Developer number {index}")
        RoleSkillFactory(role=role, skill=SkillFactory(name=f"Tool {index}"))
    refresh_vectors()
    large = page_queries(f"{SEARCH_URL}?q=devloper")  # a new revision: a new word list
    assert small == large == SEARCH_QUERY_BUDGET * 2 + 2


def test_the_roles_list_offers_a_correction_keeping_its_other_filters(client, tech_catalogue):
    response = client.get(reverse("roles:list"), {"q": "devloper", "sort": "-title"})
    html = response.content.decode()
    assert listed_titles(client, q="devloper") == []
    assert spelling_note(html) == "Did you mean developer?"
    assert 'href="?q=developer&amp;sort=-title"' in html
    found = client.get(reverse("roles:list"), {"q": "python"}).content.decode()
    assert spelling_note(found) is None


def test_the_skills_list_offers_a_correction(client, tech_catalogue):
    html = client.get(reverse("skills:list"), {"q": "kubernets"}).content.decode()
    assert "No skill matches these filters." in html
    assert spelling_note(html) == "Did you mean kubernetes?"
    assert 'href="?q=kubernetes"' in html


# Names the parser would break: C#, C++, .NET, Node.js ---------------------------------


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("c#", "C#"),
        ("C#", "C#"),
        ("csharp", "C#"),
        ("c++", "C++"),
        ("C++", "C++"),
        (".net", ".NET"),
        (".NET", ".NET"),
        ("node.js", "Node.js"),
        ("nodejs", "Node.js"),
        ("NodeJS", "Node.js"),
        ("node", "Node.js"),
        ("asp.net", "ASP.NET"),
        ("visual c++", "Microsoft Visual C++"),
        ("c", "C"),
    ],
)
def test_technical_names_find_their_skill_first(client, tech_catalogue, typed, first):
    assert skill_names(get_page(client, q=typed))[0] == first


def test_punctuated_names_find_only_what_they_name(tech_catalogue):
    # Before, "c#" and "c++" both searched for words starting with "c", and ".net" for "net".
    assert [skill.name for skill in search("c#").skills] == ["C#", ".NET"]  # its description
    assert {skill.name for skill in search("c++").skills} == {
        "C++",
        "Microsoft Visual C++",
        "Objective-C",
    }
    assert [skill.name for skill in search("c++").skills][:2] == ["C++", "Microsoft Visual C++"]
    assert {skill.name for skill in search(".net").skills} == {".NET", "ASP.NET", "C#"}
    # Node.js is still found by its parts.
    assert "Node.js" in [skill.name for skill in search("node js").skills]


def test_the_roles_list_filters_by_punctuated_names(client, tech_catalogue):
    assert listed_titles(client, q="c#") == ["C# Developer"]
    assert listed_titles(client, q=".net") == ["C# Developer"]
    assert listed_titles(client, q="node.js") == ["Software Developer"]
    assert listed_titles(client, q="c++") == []
