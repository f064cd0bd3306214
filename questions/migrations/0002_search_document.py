# Search (issue 7): the search document table, and on PostgreSQL the pg_trgm extension,
# a GIN index on the document's tsvector and a trigram GIN index on published titles.
# The PostgreSQL indexes are created by RunPython, not declared in Meta.indexes, so the
# model state stays the same on both databases and SQLite never sees "USING gin".

import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

POSTGRES_INDEXES = [
    (
        "search_doc_vector_gin",
        "CREATE INDEX search_doc_vector_gin ON questions_searchdocument USING gin (vector)",
    ),
    (
        "question_title_trgm",
        "CREATE INDEX question_title_trgm ON questions_question "
        "USING gin (title gin_trgm_ops) WHERE status = 'published'",
    ),
]


def create_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, sql in POSTGRES_INDEXES:
        schema_editor.execute(sql)


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in POSTGRES_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class PostgresTrigramExtension(TrigramExtension):
    """TrigramExtension that is also a no-op when migrating SQLite backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0002_roles'),
        ('questions', '0001_initial'),
    ]

    operations = [
        PostgresTrigramExtension(),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('question', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='questions.question')),
                ('reply_text', models.TextField(blank=True)),
                ('article_text', models.TextField(blank=True)),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('specialty', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='forum.specialty')),
            ],
            options={
                'indexes': [models.Index(fields=['specialty', 'question'], name='search_doc_specialty')],
            },
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes, elidable=False),
    ]
