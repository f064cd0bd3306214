"""Cold-read set-up, run by bench/load.sh inside `manage.py shell`: COLD_PATHS distinct
published, answered questions in random order, written to BENCH_WORK/cold_paths.txt (one
path a line), and 20 others to BENCH_WORK/size_paths.txt (to learn the page size).

With COLD_STORED=1 (the default) their Similar Q&A lists are ranked and stored first, as
on a live site where a page has been viewed or its question answered; with 0 they are
left as a bulk load leaves them (each page ranks its list on its first view). Last, the
page cache is emptied, so every request of the run renders its page.
"""

import os
import random
from pathlib import Path

from django.core.cache import cache

from questions.models import Question, TaggedQuestion
from questions.similar import store_similar

work = Path(os.environ["BENCH_WORK"])
wanted = int(os.environ.get("COLD_PATHS", "8000"))
rng = random.Random(int(os.environ.get("SEED", "1")) + 18)
ids = list(Question.objects.published().answered().values_list("pk", flat=True))
picked = rng.sample(ids, min(len(ids), wanted + 20))
questions = {q.pk: q for q in Question.objects.filter(pk__in=picked).only("pk", "slug")}
paths = [questions[pk].get_absolute_url() for pk in picked]
if os.environ.get("COLD_STORED", "1") == "1":
    tags: dict[int, list[int]] = {}
    for question_id, tag_id in TaggedQuestion.objects.filter(
        content_object_id__in=picked
    ).values_list("content_object_id", "tag_id"):
        tags.setdefault(question_id, []).append(tag_id)
    for question in questions.values():
        question.similar_ids = None
        store_similar(question=question, tag_ids=tags.get(question.pk, []))
else:
    Question.objects.filter(pk__in=picked).update(similar_ids=None)
(work / "cold_paths.txt").write_text("\n".join(paths[20:]) + "\n")
(work / "size_paths.txt").write_text("\n".join(paths[:20]) + "\n")
cache.clear()
print(
    f"prepared {len(paths) - 20} cold Q&A paths "
    f"(Similar Q&A lists {'stored' if os.environ.get('COLD_STORED', '1') == '1' else 'not stored'})"
)
