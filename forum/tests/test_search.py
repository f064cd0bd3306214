import pytest
from django.db import connection
from django.urls import reverse

from answers.models import Article, Reply
from answers.tests.factories import ArticleFactory, ReplyFactory
from forum.site import search as search_module
from forum.tests.factories import SpecialtyFactory
from questions.models import Question
from questions.search_index import refresh_question_document
from questions.tests.factories import PendingQuestionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def indexed(question):
    refresh_question_document(question.pk)
    return question


def search(client, **params):
    return client.get(reverse("forum:search"), params)


def result_titles(response) -> list[str]:
    return [q.title for q in response.context["page_obj"].object_list]


def test_search_finds_question_by_a_word_of_its_title(client, specialty):
    found = indexed(QuestionFactory(title="Tingling fingers at night", specialty=specialty))
    indexed(QuestionFactory(title="Sore knee after running", specialty=specialty))
    response = search(client, q="tingling")
    assert response.status_code == 200
    assert result_titles(response) == [found.title]
    assert found.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize("window", [40_000, 1])
def test_search_ranks_title_match_above_text_only_match(client, specialty, monkeypatch, window):
    # With a window of one id the title match is only found by the second (older) step.
    monkeypatch.setattr(search_module, "RECENT_WINDOW", window)
    in_title = indexed(
        QuestionFactory(title="Migraine with aura", body="It starts with flashing lights.")
    )
    # Newer, so only ranking (not recency) can put the title match first.
    in_text = indexed(
        QuestionFactory(title="Flashing lights", body="My doctor thinks it may be a migraine.")
    )
    assert in_text.pk > in_title.pk
    assert result_titles(search(client, q="migraine")) == [in_title.title, in_text.title]


def test_search_finds_published_reply_and_article_text_only(client, doctor):
    question = QuestionFactory(title="Tired all day", body="I sleep eight hours.")
    ReplyFactory(question=question, doctor=doctor, body="Ask for a ferritin blood test.")
    ReplyFactory(question=question, doctor=doctor, body="Consider thyroxine levels.", status="held")
    article = ArticleFactory(body="Anaemia explained.", status=Article.Status.PUBLISHED)
    draft = ArticleFactory(body="Glandular fever explained.", status=Article.Status.DRAFT)
    article.questions.add(question)
    draft.questions.add(question)
    indexed(question)
    assert result_titles(search(client, q="ferritin")) == [question.title]
    assert result_titles(search(client, q="anaemia")) == [question.title]
    assert result_titles(search(client, q="thyroxine")) == []
    assert result_titles(search(client, q="glandular")) == []


def test_search_never_shows_unpublished_questions(client, specialty):
    published = indexed(QuestionFactory(title="Rash on the elbow"))
    pending = indexed(PendingQuestionFactory(title="Rash on the wrist"))
    rejected = indexed(QuestionFactory(title="Rash on the ankle", status="rejected"))
    # Removed after it was indexed, without a refresh: the page still must not show it.
    removed = indexed(QuestionFactory(title="Rash on the neck"))
    Question.objects.filter(pk=removed.pk).update(status=Question.Status.REMOVED)
    response = search(client, q="rash")
    html = response.content.decode()
    assert result_titles(response) == [published.title]
    for hidden in (pending, rejected, removed):
        assert hidden.title not in html


def test_search_includes_unanswered_questions_and_says_so(client, doctor):
    answered = indexed(ReplyFactory(doctor=doctor, question__title="Cough for weeks").question)
    waiting = indexed(QuestionFactory(title="Cough at night"))
    response = search(client, q="cough")
    assert set(result_titles(response)) == {answered.title, waiting.title}
    assert "waiting for a doctor's answer" in response.content.decode()


def test_search_filters_by_specialty(client, specialty):
    other = SpecialtyFactory(name="Dermatology", slug="dermatology")
    mine = indexed(QuestionFactory(title="Itching scalp", specialty=specialty))
    indexed(QuestionFactory(title="Itching skin", specialty=other))
    response = search(client, q="itching", specialty="neurology")
    assert result_titles(response) == [mine.title]
    assert '<option value="neurology" selected>' in response.content.decode()
    # An unknown specialty searches everywhere instead of failing.
    assert len(result_titles(search(client, q="itching", specialty="nope"))) == 2


def test_search_highlights_matches_and_escapes_text(client):
    indexed(
        QuestionFactory(
            title="<b>Dizzy</b> when standing",
            body="I get dizzy <script>alert(1)</script> every morning.",
        )
    )
    html = search(client, q="dizzy").content.decode()
    assert "<mark>Dizzy</mark>" in html
    assert "<mark>dizzy</mark>" in html
    assert "<script>alert(1)" not in html
    assert "<b>" not in html
    if POSTGRES:
        # ts_headline leaves tag-like text out of snippets altogether.
        assert "alert(1)" in html
    else:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_search_corrects_typos(client):
    question = indexed(QuestionFactory(title="Living with diabetes as a teenager"))
    response = search(client, q="diabetis teenager")
    assert response.status_code == 200
    html = response.content.decode()
    assert result_titles(response) == [question.title]
    # The quotation marks are the characters themselves (one msgid, translated whole).
    assert "Showing results for <strong>“diabetes teenager”</strong>" in html
    assert "<mark>diabetes</mark>" in html


def test_search_suggests_only_words_of_published_questions(client, moderator):
    from questions.actions import remove_question

    removed = indexed(QuestionFactory(title="Zolmitriptan dosage"))
    remove_question(question=removed, moderator=moderator, reason="Duplicate")
    response = search(client, q="zolmitriptam")
    assert result_titles(response) == []
    assert "zolmitriptan" not in response.content.decode().lower()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\x00",
        "head\x00ache",
        '"',
        '"unclosed phrase',
        "-",
        "- -- !!",
        "&|!:*()<->",
        "pain:* & !",
        "😷",
        "🤒 fever 👩‍⚕️",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "%_\\",
        "the what is",
        "\t\n\r",
        "x" * 5000,
        "or or or",
    ],
)
def test_search_odd_queries_give_a_friendly_page(client, query):
    indexed(QuestionFactory(title="Headache and fever"))
    response = search(client, q=query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="search-q"' in html
    assert "\x00" not in html


def test_search_survives_bytes_that_are_not_utf8(client):
    response = client.get(reverse("forum:search") + "?q=%ED%A0%80%FF%00pain&page=%FF")
    assert response.status_code == 200


def test_search_empty_query_explains_what_to_type(client):
    response = search(client, q="")
    assert "Type a symptom" in response.content.decode()
    assert response.context["page_obj"].object_list == []


def test_search_stop_words_only(client):
    indexed(QuestionFactory(title="What is the cause of hiccups"))
    response = search(client, q="what is the")
    if POSTGRES:
        assert "has no words we can search for" in response.content.decode()
        assert result_titles(response) == []
    else:
        # The simple search has no stop-word list and matches the words literally.
        assert result_titles(response) == ["What is the cause of hiccups"]


def test_search_keeps_the_first_200_characters_of_a_very_long_query(client):
    indexed(QuestionFactory(title="Knee pain when climbing stairs"))
    response = search(client, q="knee " * 300)
    html = response.content.decode()
    assert len(response.context["results"].query) <= 200
    assert "only its first" in html
    assert result_titles(response) == ["Knee pain when climbing stairs"]


def test_search_finds_matches_older_than_the_recent_window(client, monkeypatch):
    monkeypatch.setattr(search_module, "RECENT_WINDOW", 3)
    oldest = indexed(QuestionFactory(title="Gallstones after pregnancy"))
    for n in range(5):
        indexed(QuestionFactory(title=f"Unrelated question {n}"))
    newest = indexed(QuestionFactory(title="Gallstones and diet"))
    assert result_titles(search(client, q="gallstones")) == [newest.title, oldest.title]


@pytest.fixture
def lexeme_stats(monkeypatch):
    """Planner statistics as on a large site: "fever" is common, other words rare."""
    stats = {"shares": {"fever": 0.3}, "least": 0.001, "full": True, "documents": 1_000_000}
    monkeypatch.setattr(search_module, "_lexeme_stats", lambda: stats)


@pytest.mark.parametrize(("query", "step"), [("fever", "window"), ("measles", "gin")])
def test_search_picks_the_cheap_way_for_common_and_rare_words(client, lexeme_stats, query, step):
    from django.test.utils import CaptureQueriesContext

    measles = indexed(QuestionFactory(title="Measles and a high fever"))
    indexed(QuestionFactory(title="Fever after a vaccine"))
    with CaptureQueriesContext(connection) as ctx:
        response = search(client, q=query)
    assert measles.title in result_titles(response)
    if POSTGRES:
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert ("LIMIT 40000" in sql) == (step == "window")


def test_search_reads_the_planner_statistics(client):
    for n in range(30):
        indexed(QuestionFactory(title=f"Fever and rash {n}", body=f"Day {n} of a cold."))
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE questions_searchdocument")
        stats = search_module._lexeme_stats()
        assert stats["documents"] == 30
        assert stats["shares"]["fever"] == 1.0
        assert not stats["full"]  # a handful of lexemes: "measl" is as good as absent
        assert search_module._expected_matches("'fever' & 'measl'") == 0
        assert search_module._expected_matches("'fever' & 'rash'") == 30
        assert search_module._expected_matches("'fever' | 'measl'") == float("inf")
    assert len(result_titles(search(client, q="fever rash"))) == 20


@pytest.mark.parametrize("window", [40_000, 2])
def test_search_caps_how_many_matches_it_ranks(client, monkeypatch, window):
    monkeypatch.setattr(search_module, "CANDIDATE_LIMIT", 3)
    monkeypatch.setattr(search_module, "RECENT_WINDOW", window)
    for n in range(5):
        indexed(QuestionFactory(title=f"Back pain number {n}"))
    response = search(client, q="back")
    assert len(result_titles(response)) == 3
    assert response.context["results"].capped
    assert "More than 3 questions match" in response.content.decode()


@pytest.mark.parametrize(
    ("page", "expected_page", "expected_rows"),
    [("1", 1, 20), ("2", 2, 5), ("abc", 1, 20), ("0", 1, 20), ("-1", 1, 20), ("99999", 2, 5)],
)
def test_search_pagination_handles_edges_and_bad_page_numbers(
    client, page, expected_page, expected_rows
):
    for n in range(25):
        indexed(QuestionFactory(title=f"Earache question {n}"))
    response = search(client, q="earache", page=page)
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.number == expected_page
    assert len(page_obj.object_list) == expected_rows
    html = response.content.decode()
    canonical = 'rel="canonical" href="http://testserver/search/?q=earache'
    assert canonical + ('&amp;page=2"' if expected_page == 2 else '"') in html


def test_search_page_is_noindex(client):
    html = search(client, q="x").content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html


def _expected_search_queries(corrected: bool = False) -> int:
    # specialties for the filter, matches, the page's questions, their tags
    count = 4
    if POSTGRES:
        count += 3  # savepoint, parse (and statement timeout), release
        count += 3 if corrected else 0  # suggestions, parse and match the corrected query
    elif corrected:
        count += 2  # the newest documents' words, and the match of the corrected query
    return count


def test_search_query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    indexed(QuestionFactory(title="Swollen ankles"))
    search(client, q="warm up")  # reads the planner statistics once (cached 10 minutes)
    with django_assert_num_queries(_expected_search_queries()):
        search(client, q="swollen")
    for n in range(30):
        question = indexed(QuestionFactory(title=f"Swollen ankles {n}"))
        question.tags.add("oedema", f"ankle-{n}")
    with django_assert_num_queries(_expected_search_queries()):
        response = search(client, q="swollen")
    assert len(result_titles(response)) == 20


def test_search_query_count_with_typo_correction(client, django_assert_num_queries):
    for n in range(3):
        indexed(QuestionFactory(title=f"Asthma inhaler {n}"))
    search(client, q="warm up")
    with django_assert_num_queries(_expected_search_queries(corrected=True)):
        response = search(client, q="asthmma")
    assert len(result_titles(response)) == 3


def test_search_reports_a_timeout_as_a_friendly_page(client, monkeypatch):
    indexed(QuestionFactory(title="Sprained wrist"))
    if POSTGRES:
        monkeypatch.setattr(search_module, "STATEMENT_TIMEOUT_MS", 1)
        monkeypatch.setattr(
            search_module,
            "_RECENT_SQL",
            "SELECT pg_sleep(0.2), %(q)s, %(window)s, %(limit)s {specialty}",
        )
    else:
        monkeypatch.setattr(search_module, "_search_simple", _timed_out)
    response = search(client, q="wrist")
    assert response.status_code == 200
    assert "That search took too long" in response.content.decode()


def _timed_out(results, specialty):
    results.problem = search_module.TIMEOUT
    return results


def test_header_search_box_is_a_labelled_search_landmark(client, specialty):
    html = client.get(specialty.get_absolute_url()).content.decode()
    assert '<div class="search-bar">' in html
    assert 'role="search"' in html
    assert '<label for="header-search"' in html
    assert 'id="header-search" name="q"' in html


def test_header_search_box_keeps_the_query_on_other_pages(client):
    # The search page has its own form; it fills it with what was typed.
    response = search(client, q="sore throat")
    assert 'value="sore throat"' in response.content.decode()


def test_reply_status_helpers_match_search_index_expectations():
    # search_index reads replies/articles through their published() query sets.
    assert Reply.Status.PUBLISHED == "published"
    assert Article.Status.PUBLISHED == "published"


# Chinese -------------------------------------------------------------------------


def test_search_finds_a_chinese_word_inside_a_sentence(client):
    found = indexed(
        QuestionFactory(title="最近常常頭痛怎麼辦", body="我這兩個禮拜每天早上起床都頭痛。")
    )
    indexed(QuestionFactory(title="膝蓋痛了一個月", body="爬樓梯的時候膝蓋會痛。"))
    assert result_titles(search(client, q="頭痛")) == [found.title]
    # A word only in the middle of the question text.
    assert result_titles(search(client, q="起床")) == [found.title]


@pytest.mark.parametrize(
    ("written", "query"),
    [("頭痛", "头痛"), ("头痛", "頭痛"), ("發燒", "发烧"), ("胃食道逆流", "胃食道逆流")],
)
def test_search_folds_traditional_and_simplified_forms(client, written, query):
    found = indexed(QuestionFactory(title=f"小孩{written}三天", body="需要去急診嗎？"))
    assert result_titles(search(client, q=query)) == [found.title]


@pytest.mark.parametrize(
    ("written", "query"), [("ＭＲＩ", "MRI"), ("MRI", "ＭＲＩ"), ("mri", "ＭＲＩ")]
)
def test_search_folds_full_width_forms(client, written, query):
    found = indexed(QuestionFactory(title=f"做了{written}檢查", body="報告說一切正常。"))
    assert result_titles(search(client, q=query)) == [found.title]


def test_search_mixed_query_needs_both_words(client):
    both = indexed(QuestionFactory(title="頭痛要做MRI嗎", body="醫師建議做檢查。"))
    indexed(QuestionFactory(title="頭痛三天", body="吃了止痛藥。"))
    indexed(QuestionFactory(title="MRI of the knee", body="Is it safe?"))
    assert result_titles(search(client, q="MRI 頭痛")) == [both.title]
    assert result_titles(search(client, q="头痛 mri")) == [both.title]


@pytest.mark.parametrize("query", ["胃食道逆流", "逆流", "胃食道", "食道"])
def test_search_finds_a_medical_term_whole_and_by_its_parts(client, query):
    found = indexed(QuestionFactory(title="胃食道逆流很難受", body="吃完飯就火燒心。"))
    indexed(QuestionFactory(title="胃痛", body="空腹的時候會痛。"))
    assert result_titles(search(client, q=query)) == [found.title]


@pytest.mark.parametrize("query", ["甲狀腺亢進", "甲狀腺", "甲状腺亢进"])
def test_search_finds_thyroid_terms_whole_and_by_their_parts(client, query):
    found = indexed(QuestionFactory(title="心悸手抖", body="醫師說我可能是甲狀腺亢進。"))
    indexed(QuestionFactory(title="心悸", body="喝咖啡以後心跳很快。"))
    assert result_titles(search(client, q=query)) == [found.title]


def test_search_a_chinese_phrase_does_not_match_its_characters_apart(client):
    indexed(QuestionFactory(title="頭很痛", body="頭暈，而且肚子痛。"))
    assert result_titles(search(client, q="頭痛")) == []


def test_search_splits_a_chinese_query_into_words(client):
    # "頭痛發燒" typed without a space still finds a text with the two words apart.
    found = indexed(QuestionFactory(title="頭痛，還有發燒", body="昨天開始的。"))
    assert result_titles(search(client, q="頭痛發燒")) == [found.title]
    assert result_titles(search(client, q="我最近頭痛發燒很嚴重")) == []


def test_search_finds_a_one_character_word(client):
    found = indexed(QuestionFactory(title="皮膚很癢", body="晚上特別癢，抓到流血。"))
    indexed(QuestionFactory(title="皮膚乾燥", body="冬天會脫皮。"))
    assert result_titles(search(client, q="癢")) == [found.title]


@pytest.mark.parametrize("window", [40_000, 1])
def test_search_ranks_a_chinese_title_match_above_a_text_match(client, monkeypatch, window):
    monkeypatch.setattr(search_module, "RECENT_WINDOW", window)
    in_title = indexed(QuestionFactory(title="偏頭痛的原因", body="每次都是右邊。"))
    in_text = indexed(QuestionFactory(title="看東西有閃光", body="醫師說可能是偏頭痛的前兆。"))
    assert in_text.pk > in_title.pk
    assert result_titles(search(client, q="偏头痛")) == [in_title.title, in_text.title]


@pytest.mark.skipif(not POSTGRES, reason="the simple search ignores operators, in any language")
def test_search_excludes_a_chinese_word_with_a_minus_on_postgres(client):
    keep = indexed(QuestionFactory(title="發燒三天", body="沒有咳嗽。"))
    indexed(QuestionFactory(title="發燒和頭痛", body="吃了退燒藥。"))
    assert result_titles(search(client, q="發燒 -頭痛")) == [keep.title]


def test_search_finds_chinese_in_replies(client, doctor):
    question = QuestionFactory(title="一直咳嗽", body="已經兩個禮拜了。")
    ReplyFactory(question=question, doctor=doctor, body="建議您去照胸部X光，排除肺炎。")
    indexed(question)
    response = search(client, q="肺炎")
    assert result_titles(response) == [question.title]
    assert "<mark>肺炎</mark>" in response.content.decode()


def test_search_highlights_chinese_in_the_form_written(client):
    indexed(QuestionFactory(title="頭痛三天", body="我從星期一開始頭痛，吃藥也沒用。"))
    html = search(client, q="头痛").content.decode()
    assert "<mark>頭痛</mark>三天" in html
    assert "開始<mark>頭痛</mark>，吃藥" in html


def snippet_text(response) -> str:
    import re

    [question] = response.context["page_obj"].object_list
    return re.sub(r"</?mark>", "", str(question.snippet_html))


def test_search_cuts_a_long_chinese_snippet_by_characters_around_the_match(client):
    before = "我每天都覺得很累，早上起不來，工作也沒有精神。" * 12
    after = "晚上睡不好，半夜常常醒來，白天又想睡覺。" * 12
    body = before + "最近還開始耳鳴，右耳一直有嗡嗡聲。" + after
    indexed(QuestionFactory(title="很累", body=body))
    response = search(client, q="耳鳴")
    text = snippet_text(response)
    assert "<mark>耳鳴</mark>" in str(response.context["page_obj"].object_list[0].snippet_html)
    assert 20 <= len(text) <= 240
    assert text.startswith("…") and text.endswith("…")
    assert " …" not in text and "… " not in text
    inner = text.strip("…")
    assert inner in body  # whole characters of the text, in order


def test_search_keeps_a_long_chinese_headline_readable_for_an_english_word(client):
    body = "我最近去做了檢查，醫師說要再觀察一陣子看看有沒有變化" * 30 + " MRI " + "結果正常" * 40
    indexed(QuestionFactory(title="檢查報告", body=body))
    response = search(client, q="MRI")
    text = snippet_text(response)
    assert "MRI" in text
    assert len(text) <= search_module.HEADLINE_CHARS + 2


def test_search_does_not_correct_chinese_words_or_learn_them(client):
    from questions.models import SearchWord

    indexed(QuestionFactory(title="失眠很久了", body="每天晚上都睡不著。"))
    response = search(client, q="心律不整")
    assert result_titles(response) == []
    assert "Showing results for" not in response.content.decode()
    assert not SearchWord.objects.filter(word__contains="失眠").exists()


def test_search_query_count_is_the_same_for_chinese(client, django_assert_num_queries):
    for n in range(25):
        indexed(QuestionFactory(title=f"頭痛問題{n}", body="每天都頭痛。"))
    search(client, q="warm up")
    with django_assert_num_queries(_expected_search_queries()):
        response = search(client, q="頭痛")
    assert len(result_titles(response)) == 20
    indexed(QuestionFactory(title="頭痛要照MRI嗎", body="醫師說不用。"))
    with django_assert_num_queries(_expected_search_queries()):
        response = search(client, q="MRI 头痛")
    assert len(result_titles(response)) == 1


def test_search_counts_a_one_character_prefix_by_the_lexemes_it_starts(monkeypatch):
    stats = {
        "shares": {"头痛": 0.3, "头晕": 0.2, "痒": 0.0001},
        "least": 0.0001,
        "full": True,
        "documents": 1_000_000,
    }
    monkeypatch.setattr(search_module, "_lexeme_stats", lambda: stats)
    assert search_module._expected_matches("'头':*") == pytest.approx(502_000)
    assert search_module._expected_matches("'痒':*") == pytest.approx(2_100)
    assert search_module._expected_matches("'痒':* & '头痛'") == pytest.approx(2_100)
    assert search_module._expected_matches("!'头痛'") == float("inf")


def test_a_typo_finds_what_the_word_finds_on_either_database(client):
    question = indexed(QuestionFactory(title="Headache every morning after waking"))
    search(client, q="warm up")
    response = search(client, q="headahce morning")
    assert result_titles(response) == [question.title]
    assert "headache morning" in response.content.decode()
    # Words no document comes close to are not "corrected" into something else.
    assert result_titles(search(client, q="zqxwvy")) == []
