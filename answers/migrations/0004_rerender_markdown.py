"""Re-render stored article and FAQ HTML with the tidy pass of forum.markdown.

Stored HTML from before it could hold an image without a source or a link without a
target (harmless, but invalid HTML). Rendering again is idempotent, so the migration can
run on any database state.
"""

from django.db import migrations


def rerender(apps, schema_editor):
    from forum.markdown import render_markdown

    Article = apps.get_model("answers", "Article")
    FAQ = apps.get_model("answers", "FAQ")
    for article in Article.objects.only("pk", "body").iterator(chunk_size=500):
        Article.objects.filter(pk=article.pk).update(body_html=render_markdown(article.body))
    for faq in FAQ.objects.only("pk", "answer").iterator(chunk_size=500):
        FAQ.objects.filter(pk=faq.pk).update(answer_html=render_markdown(faq.answer))


class Migration(migrations.Migration):
    dependencies = [("answers", "0003_content_language")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
