import pytest

from questions.forms import AskForm, match_existing_tags, parse_tags
from questions.tests.ask_data import ask_data
from questions.tests.factories import TagFactory

pytestmark = pytest.mark.django_db


def test_parse_tags_normalises_case_spaces_and_hashes():
    assert parse_tags("  Headache ,#SLEEP,  high   blood pressure,,") == [
        "headache",
        "sleep",
        "high blood pressure",
    ]


def test_parse_tags_drops_singular_plural_duplicates():
    assert parse_tags("headache, headaches, rash, rashes, allergy, allergies") == [
        "headache",
        "rash",
        "allergy",
    ]


def test_match_existing_tags_uses_the_existing_spelling():
    TagFactory(name="headache")
    TagFactory(name="allergies")
    TagFactory(name="Sleep")
    assert match_existing_tags(["headaches", "allergy", "sleep", "new topic"]) == [
        "headache",
        "allergies",
        "Sleep",
        "new topic",
    ]


def test_match_existing_tags_prefers_an_exact_match(django_assert_num_queries):
    TagFactory(name="glass")
    TagFactory(name="glasses")
    with django_assert_num_queries(1):
        assert match_existing_tags(["glasses"]) == ["glasses"]


def test_ask_form_accepts_a_complete_question(specialty):
    form = AskForm(ask_data(specialty))
    assert form.is_valid(), form.errors
    assert form.question_data()["tags"] == ["headache", "sleep"]
    assert form.screening.red_flags == ()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nickname", "", "Please choose a nickname."),
        ("nickname", "A", "at least 2 characters"),
        ("nickname", "x" * 41, "at most 40 characters"),
        ("subject", "", "Please choose who the question is about."),
        ("subject", "neighbour", "Please choose who the question is about from the list."),
        ("age_range", "", "Please choose an age range."),
        ("age_range", "100~109", "Please choose an age range from the list."),
        ("sex", "", "Please choose the sex"),
        ("sex", "robot", "Please choose the sex from the list."),
        ("specialty", "", "Please choose a specialty."),
        ("specialty", "999999", "Please choose a specialty from the list."),
        ("specialty", "not-a-number", "Please choose a specialty from the list."),
        ("title", "", "Please write a title."),
        ("title", "Headache", "The title is too short"),
        ("title", "H" * 151, "The title is too long"),
        ("body", "", "Please write your question."),
        ("body", "My head hurts a lot.", "at least 30 characters"),
        ("body", "a" * 5001, "The question is too long"),
        ("tags", "a, b, c, d, e, f", "at most 5 tags (you entered 6)"),
        ("tags", "x" * 301, "at most 300 characters of tags"),
        ("tags", "heart & lungs", "only letters, numbers, spaces and hyphens"),
        ("tags", "a very long tag of words", "at most 3 words"),
        ("consent", None, "Please agree to public posting"),
    ],
)
def test_ask_form_rejects_each_invalid_field(specialty, field, value, message):
    form = AskForm(ask_data(specialty, **{field: value}))
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_ask_form_counts_tags_after_removing_duplicates(specialty):
    form = AskForm(
        ask_data(specialty, tags="fever, cough, coughs, rash, Rash, sleep, headaches, headache")
    )
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["tags"]) == 5


@pytest.mark.parametrize(
    ("field", "value", "quoted"),
    [
        ("body", "Please call me on 0912-345-678, I am worried about my headache.", "0912-345-678"),
        ("body", "My ID is A123456789 and I have had a headache for two weeks.", "A123456789"),
        ("title", "Mail me at lin@example.org about headaches", "lin@example.org"),
        ("nickname", "0912345678", "0912345678"),
        ("tags", "headache, a123456789", "a123456789"),
    ],
)
def test_ask_form_blocks_personal_data_and_quotes_it(specialty, field, value, quoted):
    form = AskForm(ask_data(specialty, **{field: value}))
    assert not form.is_valid()
    assert f"\u201c{quoted}\u201d" in form.errors[field][0]


def test_ask_form_refuses_a_nickname_taken_from_the_email(specialty, patient):
    form = AskForm(ask_data(specialty, nickname="Patient"), author=patient)
    assert not form.is_valid()
    assert "not your e-mail address" in form.errors["nickname"][0]


def test_ask_form_reports_red_flags_without_blocking(specialty):
    form = AskForm(
        ask_data(specialty, body="Since this morning I have chest pain and I can't breathe well.")
    )
    assert form.is_valid(), form.errors
    assert form.screening.red_flag_kinds == ["chest_pain", "breathing"]


def test_edit_form_starts_from_the_question_and_needs_no_consent(question):
    question.tags.add("headache")
    form = AskForm(question=question)
    assert "consent" not in form.fields
    assert form.initial["title"] == question.title
    assert form.initial["tags"] == "headache"
