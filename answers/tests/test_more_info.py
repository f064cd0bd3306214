import pytest
from django.utils.html import strip_tags

from answers.tests.factories import ArticleFactory, ReplyFactory

pytestmark = pytest.mark.django_db


def test_qa_page_shows_published_articles_with_reviewer_under_more_info(client, question, doctor):
    article = ArticleFactory(
        title="Morning headaches explained",
        body_html="<h2>Causes</h2><p>Often sleep.</p>",
        reviewer=doctor,
    )
    article.questions.add(question)
    ArticleFactory(title="Unfinished draft", status="draft", published_at=None).questions.add(
        question
    )

    page = client.get(question.get_absolute_url()).content.decode()

    more_info = page[page.index('<h2 id="more-info-title">More Info</h2>') :]
    assert '<h3 class="article-title">Morning headaches explained</h3>' in more_info
    # The article's own headings sit below the page's h2/h3.
    assert "<h4>Causes</h4><p>Often sleep.</p>" in more_info
    assert "Medically reviewed by Dr. Lin Mei-hua on" in strip_tags(more_info)
    assert "Unfinished draft" not in page


@pytest.mark.parametrize("articles", [1, 4])
def test_qa_page_queries_do_not_grow_with_articles(
    client, question, articles, django_assert_num_queries
):
    ReplyFactory(question=question)
    for article in ArticleFactory.create_batch(articles):
        article.questions.add(question)
    # the question (with its replies, tags, Similar Q&A and Related FAQ), the articles
    # with their reviewers
    with django_assert_num_queries(2):
        response = client.get(question.get_absolute_url())
    assert response.content.decode().count('class="article"') == articles
