# Chinese search (issue 16): the folded text the plain (non-PostgreSQL) search looks in.
# Existing documents get theirs here on those databases. On PostgreSQL the column stays
# empty; its vectors gain Chinese bigrams with `manage.py rebuild_search_index`.

from django.db import migrations, models


def fill_folded_text(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    from questions.search_text import fold

    SearchDocument = apps.get_model("questions", "SearchDocument")
    batch = []
    for document in SearchDocument.objects.select_related("question").iterator(chunk_size=2000):
        question = document.question
        document.folded_text = fold(
            "\n".join((question.title, question.body, document.reply_text, document.article_text))
        )
        batch.append(document)
        if len(batch) >= 2000:
            SearchDocument.objects.bulk_update(batch, ["folded_text"])
            batch = []
    SearchDocument.objects.bulk_update(batch, ["folded_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0004_tag_topic_content_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="folded_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_folded_text, migrations.RunPython.noop, elidable=True),
    ]
