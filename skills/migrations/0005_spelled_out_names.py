import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.comparison
import django.db.models.functions.text
from django.db import migrations, models


def rebuild_role_search_vectors(apps, schema_editor):
    """Role vectors are built by the same text rules (jobsite.text_search.SPELLED_OUT), but
    stored: rebuild them once, by the one function that does (catalogue.search). A new,
    empty database has none to rebuild, and never runs today's code against old tables."""
    if not apps.get_model("roles", "Role").objects.exists():
        return
    from catalogue.search import refresh_role_search_vectors

    refresh_role_search_vectors()


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0005_esco_concepts"),
        ("skills", "0004_esco_concepts"),
    ]

    # "C#", "C++", ".NET" and "Node.js" spelled out as one word in every vector. A generated
    # column's expression cannot be altered in place: drop it and its index, then add the new
    # one, which PostgreSQL fills for every existing skill.
    operations = [
        migrations.RemoveIndex(model_name="skill", name="skill_search_vector_idx"),
        migrations.RemoveField(model_name="skill", name="search_vector"),
        migrations.AddField(
            model_name="skill",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                models.Func(
                                    models.Func(
                                        models.Func(
                                            models.Func(
                                                models.Func(
                                                    django.db.models.functions.comparison.Coalesce(
                                                        "name",
                                                        models.Value(""),
                                                        output_field=models.TextField(),
                                                    ),
                                                    models.Value("(?<![a-z0-9])([a-z])#"),
                                                    models.Value("\\1sharp"),
                                                    models.Value("gi"),
                                                    function="regexp_replace",
                                                    output_field=models.TextField(),
                                                ),
                                                models.Value("([a-z0-9])\\+\\+"),
                                                models.Value("\\1plusplus"),
                                                models.Value("gi"),
                                                function="regexp_replace",
                                                output_field=models.TextField(),
                                            ),
                                            models.Value("\\.net(?![a-z0-9])"),
                                            models.Value(" dotnet"),
                                            models.Value("gi"),
                                            function="regexp_replace",
                                            output_field=models.TextField(),
                                        ),
                                        models.Value("([a-z0-9]+)\\.js(?![a-z0-9])"),
                                        models.Value("\\1js \\1 js"),
                                        models.Value("gi"),
                                        function="regexp_replace",
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("[[:punct:]]+"),
                                    models.Value(" "),
                                    models.Value("g"),
                                    function="regexp_replace",
                                    output_field=models.TextField(),
                                ),
                                config="english",
                                weight="A",
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                models.Func(
                                    models.Func(
                                        models.Func(
                                            models.Func(
                                                models.Func(
                                                    django.db.models.functions.comparison.Coalesce(
                                                        "name",
                                                        models.Value(""),
                                                        output_field=models.TextField(),
                                                    ),
                                                    models.Value("(?<![a-z0-9])([a-z])#"),
                                                    models.Value("\\1sharp"),
                                                    models.Value("gi"),
                                                    function="regexp_replace",
                                                    output_field=models.TextField(),
                                                ),
                                                models.Value("([a-z0-9])\\+\\+"),
                                                models.Value("\\1plusplus"),
                                                models.Value("gi"),
                                                function="regexp_replace",
                                                output_field=models.TextField(),
                                            ),
                                            models.Value("\\.net(?![a-z0-9])"),
                                            models.Value(" dotnet"),
                                            models.Value("gi"),
                                            function="regexp_replace",
                                            output_field=models.TextField(),
                                        ),
                                        models.Value("([a-z0-9]+)\\.js(?![a-z0-9])"),
                                        models.Value("\\1js \\1 js"),
                                        models.Value("gi"),
                                        function="regexp_replace",
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("[[:punct:]]+"),
                                    models.Value(" "),
                                    models.Value("g"),
                                    function="regexp_replace",
                                    output_field=models.TextField(),
                                ),
                                config="simple",
                                weight="A",
                            ),
                            django.contrib.postgres.search.SearchConfig("english"),
                        ),
                        "||",
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                models.Func(
                                    models.Func(
                                        models.Func(
                                            models.Func(
                                                models.Func(
                                                    django.db.models.functions.comparison.Coalesce(
                                                        "alternative_names",
                                                        models.Value(""),
                                                        output_field=models.TextField(),
                                                    ),
                                                    models.Value("(?<![a-z0-9])([a-z])#"),
                                                    models.Value("\\1sharp"),
                                                    models.Value("gi"),
                                                    function="regexp_replace",
                                                    output_field=models.TextField(),
                                                ),
                                                models.Value("([a-z0-9])\\+\\+"),
                                                models.Value("\\1plusplus"),
                                                models.Value("gi"),
                                                function="regexp_replace",
                                                output_field=models.TextField(),
                                            ),
                                            models.Value("\\.net(?![a-z0-9])"),
                                            models.Value(" dotnet"),
                                            models.Value("gi"),
                                            function="regexp_replace",
                                            output_field=models.TextField(),
                                        ),
                                        models.Value("([a-z0-9]+)\\.js(?![a-z0-9])"),
                                        models.Value("\\1js \\1 js"),
                                        models.Value("gi"),
                                        function="regexp_replace",
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("[[:punct:]]+"),
                                    models.Value(" "),
                                    models.Value("g"),
                                    function="regexp_replace",
                                    output_field=models.TextField(),
                                ),
                                config="english",
                                weight="B",
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                models.Func(
                                    models.Func(
                                        models.Func(
                                            models.Func(
                                                models.Func(
                                                    django.db.models.functions.comparison.Coalesce(
                                                        "alternative_names",
                                                        models.Value(""),
                                                        output_field=models.TextField(),
                                                    ),
                                                    models.Value("(?<![a-z0-9])([a-z])#"),
                                                    models.Value("\\1sharp"),
                                                    models.Value("gi"),
                                                    function="regexp_replace",
                                                    output_field=models.TextField(),
                                                ),
                                                models.Value("([a-z0-9])\\+\\+"),
                                                models.Value("\\1plusplus"),
                                                models.Value("gi"),
                                                function="regexp_replace",
                                                output_field=models.TextField(),
                                            ),
                                            models.Value("\\.net(?![a-z0-9])"),
                                            models.Value(" dotnet"),
                                            models.Value("gi"),
                                            function="regexp_replace",
                                            output_field=models.TextField(),
                                        ),
                                        models.Value("([a-z0-9]+)\\.js(?![a-z0-9])"),
                                        models.Value("\\1js \\1 js"),
                                        models.Value("gi"),
                                        function="regexp_replace",
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("[[:punct:]]+"),
                                    models.Value(" "),
                                    models.Value("g"),
                                    function="regexp_replace",
                                    output_field=models.TextField(),
                                ),
                                config="simple",
                                weight="B",
                            ),
                            django.contrib.postgres.search.SearchConfig("english"),
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector(
                            models.Func(
                                models.Func(
                                    models.Func(
                                        models.Func(
                                            models.Func(
                                                django.db.models.functions.comparison.Coalesce(
                                                    "description",
                                                    models.Value(""),
                                                    output_field=models.TextField(),
                                                ),
                                                models.Value("(?<![a-z0-9])([a-z])#"),
                                                models.Value("\\1sharp"),
                                                models.Value("gi"),
                                                function="regexp_replace",
                                                output_field=models.TextField(),
                                            ),
                                            models.Value("([a-z0-9])\\+\\+"),
                                            models.Value("\\1plusplus"),
                                            models.Value("gi"),
                                            function="regexp_replace",
                                            output_field=models.TextField(),
                                        ),
                                        models.Value("\\.net(?![a-z0-9])"),
                                        models.Value(" dotnet"),
                                        models.Value("gi"),
                                        function="regexp_replace",
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("([a-z0-9]+)\\.js(?![a-z0-9])"),
                                    models.Value("\\1js \\1 js"),
                                    models.Value("gi"),
                                    function="regexp_replace",
                                    output_field=models.TextField(),
                                ),
                                models.Value("[[:punct:]]+"),
                                models.Value(" "),
                                models.Value("g"),
                                function="regexp_replace",
                                output_field=models.TextField(),
                            ),
                            config="english",
                            weight="C",
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            models.Func(
                                models.Func(
                                    models.Func(
                                        models.Func(
                                            models.Func(
                                                django.db.models.functions.comparison.Coalesce(
                                                    "description",
                                                    models.Value(""),
                                                    output_field=models.TextField(),
                                                ),
                                                models.Value("(?<![a-z0-9])([a-z])#"),
                                                models.Value("\\1sharp"),
                                                models.Value("gi"),
                                                function="regexp_replace",
                                                output_field=models.TextField(),
                                            ),
                                            models.Value("([a-z0-9])\\+\\+"),
                                            models.Value("\\1plusplus"),
                                            models.Value("gi"),
                                            function="regexp_replace",
                                            output_field=models.TextField(),
                                        ),
                                        models.Value("\\.net(?![a-z0-9])"),
                                        models.Value(" dotnet"),
                                        models.Value("gi"),
                                        function="regexp_replace",
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("([a-z0-9]+)\\.js(?![a-z0-9])"),
                                    models.Value("\\1js \\1 js"),
                                    models.Value("gi"),
                                    function="regexp_replace",
                                    output_field=models.TextField(),
                                ),
                                models.Value("[[:punct:]]+"),
                                models.Value(" "),
                                models.Value("g"),
                                function="regexp_replace",
                                output_field=models.TextField(),
                            ),
                            config="simple",
                            weight="C",
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="skill",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="skill_search_vector_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="skill",
            index=models.Index(
                django.db.models.functions.text.Lower("name"), name="skill_lower_name_idx"
            ),
        ),
        migrations.RunPython(rebuild_role_search_vectors, migrations.RunPython.noop, elidable=True),
    ]
