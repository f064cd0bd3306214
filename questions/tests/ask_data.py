"""Valid ask-form input for tests, with any field overridden (None leaves it out)."""


def ask_data(chosen_specialty, /, **overrides) -> dict:
    data = {
        "nickname": "Sleepyhead",
        "subject": "self",
        "age_range": "30~39",
        "sex": "female",
        "specialty": str(chosen_specialty.pk),
        "title": "Headache every morning for two weeks",
        "body": "Since 2024/10/03 I wake up at 3 am with a dull headache. "
        "I take paracetamol 500 mg twice a day; my blood pressure is 140/90.",
        "tags": "headache, sleep",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
