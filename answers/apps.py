from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "answers"
    verbose_name = "Answers, articles and FAQs"

    def ready(self):
        # Search documents (questions) include the text of published replies and articles.
        from answers.search_texts import published_texts
        from questions import search_index

        search_index.use_texts_reader(published_texts)
