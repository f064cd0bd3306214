from answers.screening import screening_findings, screening_terms


def test_stored_findings_are_shown_in_words_each_kind_once():
    findings = screening_findings(
        {
            "red_flags": [
                {"kind": "chest_pain", "text": "chest pain"},
                {"kind": "suicide", "text": "want to die"},
                {"kind": "chest_pain", "text": "chest tightness"},
            ],
            "personal_data": [{"kind": "phone"}, {"kind": "handle"}, {"kind": "phone"}],
        }
    )
    assert [(f.label, f.details) for f in findings] == [
        ("Red flags", ["Chest pain", "Suicidal thoughts"]),
        ("Personal data", ["Phone number", "Messaging or social media account"]),
    ]
    # The phrases found are marked in the question, longest first; the labels are not.
    assert screening_terms(findings) == ["chest tightness", "want to die", "chest pain"]


def test_other_stored_shapes_are_still_shown():
    findings = screening_findings({"red_flags": ["chest pain"], "x": ["img"], "empty": []})
    assert [(f.label, f.details) for f in findings] == [
        ("Red flags", ["chest pain"]),
        ("X", ["img"]),
    ]
    assert screening_findings(None) == []
