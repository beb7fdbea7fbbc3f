import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0002_search_and_demo"),
    ]

    # A plain column cannot become a generated one in place: drop it and its index, then add
    # the generated column, which PostgreSQL fills for every existing skill.
    operations = [
        migrations.RemoveIndex(model_name="skill", name="skill_search_vector_idx"),
        migrations.RemoveField(model_name="skill", name="search_vector"),
        migrations.AddField(
            model_name="skill",
            name="search_vector",
            field=models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector(models.Func(django.db.models.functions.comparison.Coalesce('name', models.Value(''), output_field=models.TextField()), models.Value('[[:punct:]]+'), models.Value(' '), models.Value('g'), function='regexp_replace', output_field=models.TextField()), config='english', weight='A'), '||', django.contrib.postgres.search.SearchVector(models.Func(django.db.models.functions.comparison.Coalesce('name', models.Value(''), output_field=models.TextField()), models.Value('[[:punct:]]+'), models.Value(' '), models.Value('g'), function='regexp_replace', output_field=models.TextField()), config='simple', weight='A'), django.contrib.postgres.search.SearchConfig('english')), '||', django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector(models.Func(django.db.models.functions.comparison.Coalesce('description', models.Value(''), output_field=models.TextField()), models.Value('[[:punct:]]+'), models.Value(' '), models.Value('g'), function='regexp_replace', output_field=models.TextField()), config='english', weight='C'), '||', django.contrib.postgres.search.SearchVector(models.Func(django.db.models.functions.comparison.Coalesce('description', models.Value(''), output_field=models.TextField()), models.Value('[[:punct:]]+'), models.Value(' '), models.Value('g'), function='regexp_replace', output_field=models.TextField()), config='simple', weight='C'), django.contrib.postgres.search.SearchConfig('english')), django.contrib.postgres.search.SearchConfig('english')), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name="skill",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="skill_search_vector_idx"
            ),
        ),
    ]
