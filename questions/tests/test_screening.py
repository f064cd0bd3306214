import pytest

from questions import screening
from questions.screening import MAX_SCREENED_CHARACTERS, describe_personal_data, screen, tokenize


def kinds(findings):
    return [f.kind for f in findings]


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Write to me at anna.lin+forum@gmail.com please", "email", "anna.lin+forum@gmail.com"),
        ("my mail is ANNA@EXAMPLE.COM.TW", "email", "ANNA@EXAMPLE.COM.TW"),
        ("reach me: anna at gmail dot com", "email", "anna at gmail dot com"),
        ("reach me: anna(at)mail(dot)tw", "email", "anna(at)mail(dot)tw"),
        ("Call 0912-345-678 after work", "phone", "0912-345-678"),
        ("Call 0912345678 after work", "phone", "0912345678"),
        ("Call 0912 345 678 after work", "phone", "0912 345 678"),
        ("office (02) 2345-6789 ext 3", "phone", "(02) 2345-6789 ext 3"),
        ("office 02-2345-6789", "phone", "02-2345-6789"),
        ("Kaohsiung line 07-123-4567", "phone", "07-123-4567"),
        ("from abroad +886 912 345 678", "phone", "+886 912 345 678"),
        ("from abroad +886-2-2345-6789", "phone", "+886-2-2345-6789"),
        ("my US cell +1 (415) 555-2671", "phone", "+1 (415) 555-2671"),
        ("London +44 20 7946 0958", "phone", "+44 20 7946 0958"),
        ("dial 0044 20 7946 0958", "phone", "0044 20 7946 0958"),
        ("ID: A123456789", "national_id", "A123456789"),
        ("my id is f223456789 ok", "national_id", "f223456789"),
        ("resident certificate AC01234567", "national_id", "AC01234567"),
        ("new resident number A800000014", "national_id", "A800000014"),
        ("I live at No. 12, Lane 5, Zhongshan N. Rd. in Taipei", "address", None),
        ("send it to No. 45, Sec. 2, Heping East Road", "address", None),
        ("I live at 221B Baker Street", "address", "221B Baker Street"),
        ("come to 45 Heping East Road tomorrow", "address", "45 Heping East Road"),
        ("我住在中山北路二段45巷3號", "address", None),
        ("I was born on 1985/03/12", "date_of_birth", "born on 1985/03/12"),
        ("born 12 March 1985, female", "date_of_birth", "born 12 March 1985"),
        ("DOB: 03/12/1985", "date_of_birth", "DOB: 03/12/1985"),
        ("Date of birth 1990-07-01", "date_of_birth", "Date of birth 1990-07-01"),
        ("his birthday is March 3, 2019", "date_of_birth", "birthday is March 3, 2019"),
        ("出生日期：1985年3月12日", "date_of_birth", None),
    ],
)
def test_screen_finds_personal_data(text, kind, found):
    result = screen(text)
    assert kind in kinds(result.personal_data), result
    assert result.blocks_submission
    if found:
        assert found in [f.text for f in result.personal_data]


def test_screen_reads_full_width_digits_typed_on_chinese_keyboards():
    result = screen("電話 ０９１２－３４５－６７８")
    assert kinds(result.personal_data) == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "I take paracetamol 500 mg twice a day and ibuprofen 400mg at night.",
        "Vitamin D 1,000 IU daily, 5-10 mg of melatonin, 2.5 ml syrup three times a day.",
        "My blood pressure was 140/90 this morning and 135/85 mmHg last week.",
        "HbA1c 6.5%, fasting glucose 126 mg/dL, LDL 160 mg/dL, TSH 0.45 mIU/L.",
        "Creatinine 1.2, eGFR 75, hemoglobin 11.8 g/dL, platelets 250 x10^3/uL.",
        "I am 45 years old; my son is 3 and my mother is 78.",
        "It wakes me at 3 am and again at 05:30, sometimes at 9:45 pm.",
        "The pain started on 2024-10-03 and has been worse since 2024/10/03.",
        "I had surgery on 03/10/2024 and a check-up on 12 March 2024.",
        "My father was born in 1950 and had a stroke 5 years ago.",
        "Heart rate 110 bpm, temperature 38.5 C, SpO2 97%, weight 62 kg.",
        "I walk 10,000 steps a day and sleep 6-7 hours.",
        "The clinic is open 0930-1230, and I saw Dr. Chen twice.",
        "I take B12 and vitamin D3, and 2 ENT Dr visits did not help.",
        "It hurts about 7/10, lasts 10-15 minutes, 3-4 times a week.",
        "Room 502, bed 3, since week 36 of pregnancy.",
    ],
)
def test_screen_leaves_ordinary_medical_text_alone(text):
    result = screen(text)
    assert result.personal_data == ()
    assert not result.blocks_submission


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Sometimes I think about suicide.", "suicide"),
        ("I want to kill myself.", "suicide"),
        ("I want to die, nothing helps.", "suicide"),
        ("I don't want to live anymore.", "suicide"),
        ("I have been cutting myself.", "suicide"),
        ("My mother talks about ending her life.", "suicide"),
        ("I have chest pain when I climb stairs.", "chest_pain"),
        ("No fever before, but now chest pain.", "chest_pain"),
        ("No history of heart disease, now chest pain at night.", "chest_pain"),
        ("There is a crushing pressure in my chest.", "chest_pain"),
        ("My chest tightness spreads to the left arm.", "chest_pain"),
        ("His face is drooping on one side.", "stroke"),
        ("Her speech is slurred since an hour ago.", "stroke"),
        ("My father has slurred speech.", "stroke"),
        ("Suddenly weakness in the right arm.", "stroke"),
        ("I have numbness on one side of my body.", "stroke"),
        ("The worst headache of my life started an hour ago.", "stroke"),
        ("The cut is bleeding heavily.", "bleeding"),
        ("His nose has bleeding that won't stop.", "bleeding"),
        ("I am vomiting blood.", "bleeding"),
        ("I can't breathe when lying down.", "breathing"),
        ("My son has difficulty breathing tonight.", "breathing"),
        ("It is hard to breathe.", "breathing"),
        ("Her lips are turning blue.", "breathing"),
        ("My toddler swallowed bleach.", "poisoning"),
        ("I think I took an overdose of sleeping pills.", "poisoning"),
        ("He took too many pills.", "poisoning"),
        ("Carbon monoxide poisoning from the heater?", "poisoning"),
        ("我胸痛而且呼吸困難", "chest_pain"),
        ("I’m suicidal", "suicide"),
    ],
)
def test_screen_flags_red_flags(text, kind):
    result = screen(text)
    assert kind in result.red_flag_kinds
    assert result.is_urgent
    assert not result.blocks_submission


@pytest.mark.parametrize(
    "text",
    [
        "I have no chest pain and no difficulty breathing.",
        "I have no swelling of the lips or trouble breathing.",
        "There is no fever, cough or chest pain.",
        "There was never any bleeding.",
        "I don't have chest pain, just a cough.",
        "I had food poisoning last week and now my stomach is fine.",
        "I don't want to die from this, what should I do?",
        "My father had a stroke 5 years ago and takes aspirin.",
        "Mild headache after coffee, a runny nose and some back pain.",
        "Light spotting between periods for two months.",
        "I get a little short of breath when I run.",
    ],
)
def test_screen_does_not_flag_negated_or_ordinary_text(text):
    assert screen(text).red_flags == ()


def test_screen_result_is_stored_without_the_personal_data_itself():
    result = screen("Call 0912-345-678. I have chest pain.")
    stored = result.as_dict()
    assert stored == {
        "red_flags": [{"kind": "chest_pain", "text": "chest pain"}],
        "personal_data": [{"kind": "phone"}],
    }


def test_describe_personal_data_quotes_each_finding_with_its_kind():
    result = screen("Mail a@b.tw or call 0912-345-678")
    assert describe_personal_data(result.personal_data) == (
        "\u201ca@b.tw\u201d (e-mail address), \u201c0912-345-678\u201d (phone number)"
    )


def test_screen_reports_a_number_inside_an_email_once():
    result = screen("write to 0912345678@gmail.com")
    assert kinds(result.personal_data) == ["email"]


def test_screen_reports_a_number_found_alone_and_inside_an_email():
    result = screen("call 0912345678 or write to 0912345678@gmail.com")
    assert [(f.kind, f.text) for f in result.personal_data] == [
        ("email", "0912345678@gmail.com"),
        ("phone", "0912345678"),
    ]


def test_screen_reports_a_number_inside_a_longer_one_once():
    result = screen("from abroad +886 0912 345 678")
    assert [f.text for f in result.personal_data] == ["+886 0912 345 678"]


def test_screen_finds_an_email_with_a_local_part_longer_than_any_allowed():
    result = screen("write to " + "a" * 100 + "@gmail.com")
    assert kinds(result.personal_data) == ["email"]
    assert result.personal_data[0].text == "a" * 64 + "@gmail.com"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("reach me: ANNA AT GMAIL DOT COM", "ANNA AT GMAIL DOT COM"),
        ("reach me: anna [AT] mail [DOT] tw", "anna [AT] mail [DOT] tw"),
        ("reach me: anna  at  gmail . com", "anna  at  gmail . com"),
    ],
)
def test_screen_finds_spelled_out_emails_in_any_case_and_spacing(text, found):
    assert [f.text for f in screen(text).personal_data] == [found]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("call +886(2)2345-6789 now", "+886(2)2345-6789"),
        ("call 00886 2 2345 6789 now", "00886 2 2345 6789"),
        ("call +44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("call +1.415.555.2671", "+1.415.555.2671"),
        ("call +886 912345678", "+886 912345678"),
    ],
)
def test_screen_finds_international_numbers_however_they_are_grouped(text, found):
    assert [f.text for f in screen(text).personal_data] == [found]


def test_screen_reads_a_form_sized_text_to_its_end():
    # The longest field, every character widened by normalisation, is read whole.
    text = "\uff41" * 4_980 + " call 0912-345-678"
    assert kinds(screen(text).personal_data) == ["phone"]


def test_screen_reads_no_more_than_its_cap():
    text = "a " * (MAX_SCREENED_CHARACTERS // 2) + "call 0912-345-678, I have chest pain"
    result = screen(text)
    assert result.personal_data == ()
    assert result.red_flags == ()
    assert screen(text[-40:]).blocks_submission


# --- issue 17: every category in English and Chinese, negation and the past -----------

RED_FLAGS_BY_CATEGORY = [
    ("suicide", "Everyone would be better off without me."),
    ("suicide", "I wish I could fall asleep and never wake up."),
    ("suicide", "我覺得活著好累，不想活了。"),
    ("suicide", "我是家人的負擔，沒有我他們會過得更好。"),
    ("poisoning", "My toddler swallowed about 15 of my iron tablets."),
    ("poisoning", "She took a whole strip of sleeping tablets."),
    ("poisoning", "我先生吞了二十顆安眠藥。"),
    ("poisoning", "孩子誤喝了清潔劑。"),
    ("anaphylaxis", "After eating a prawn his tongue is swelling up."),
    ("anaphylaxis", "吃了花生之後喉嚨很緊，嘴唇也腫了。"),
    ("breathing", "My baby's lips are turning blue."),
    ("breathing", "He is so breathless he can't finish a sentence."),
    ("breathing", "寶寶嘴唇發紫，呼吸很困難。"),
    ("chest_pain", "A crushing weight on my chest that spreads to my jaw."),
    ("chest_pain", "胸口好像被壓住，很悶很痛。"),
    ("stroke", "Her smile is lopsided and her words come out jumbled."),
    ("stroke", "爸爸突然嘴歪、說話含糊不清。"),
    ("bleeding", "The cut keeps spurting blood."),
    ("bleeding", "傷口血一直流，壓了也止不住。"),
    ("collapse", "My husband collapsed and is unresponsive."),
    ("collapse", "奶奶突然昏倒，叫不醒。"),
    ("seizure", "The seizure has lasted more than five minutes."),
    ("seizure", "弟弟抽搐超過五分鐘還沒停。"),
    ("abdominal", "My belly is rigid and I fainted from the pain."),
    ("abdominal", "肚子痛到昏倒，整個肚子硬硬的。"),
    ("infant_fever", "Our 5 week old baby has a temperature of 38.3."),
    ("infant_fever", "寶寶才一個月大，發燒到38.4度。"),
    ("pregnancy", "I'm 10 weeks pregnant and bleeding heavily with clots."),
    ("pregnancy", "懷孕十二週，突然大量出血。"),
    ("head_injury", "He hit his head on the floor and has been vomiting since."),
    ("head_injury", "小孩撞到頭以後一直吐，也很想睡。"),
    ("meningitis", "A fever and a rash that doesn't fade under a glass."),
    ("meningitis", "發高燒、脖子僵硬又怕光。"),
]


@pytest.mark.parametrize(("kind", "text"), RED_FLAGS_BY_CATEGORY)
def test_every_red_flag_category_is_found_in_english_and_chinese(kind, text):
    assert kind in screen(text).red_flag_kinds, text


def test_every_category_has_rules_in_both_languages_with_a_source():
    from questions.screening import CATEGORIES, ruleset

    rules = ruleset().rules
    for language in ("en", "zh"):
        covered = {rule.category for rule in rules if rule.language == language}
        assert covered == set(CATEGORIES), language
    assert all(rule.source.strip() for rule in rules)


@pytest.mark.parametrize(
    "text",
    [
        # Negation, in both languages, also across a list.
        "No chest pain, no shortness of breath.",
        "She has never had a seizure.",
        "我沒有胸痛，也沒有呼吸困難。",
        "否認胸悶，沒有發燒、咳嗽或胸痛。",
        # A past episode, and one a doctor explained.
        "Years ago I had a stroke but I recovered completely.",
        "I took an overdose when I was a teenager; I am well now and want to ask about acne.",
        "Last year I had chest pain. The doctor said it was reflux.",
        "三年前中風過，後來都好了。",
        "去年胸悶，醫師說過沒事。",
        "以前曾經有自殘，現在想問疤痕的問題。",
        # Asking about a red flag is not having one.
        "What are the warning signs of a heart attack?",
        "中風的徵兆有哪些？",
        # Calm medical words and dose numbers.
        "I take 2 tablets of paracetamol 500 mg, 3 times a day.",
        "每天吃兩顆降血壓藥，收縮壓大約130。",
        "My 6 month old has a fever of 38.2.",
        "小腿抽筋，半夜會痛醒。",
    ],
)
def test_negated_past_and_calm_texts_do_not_alarm(text):
    assert screen(text).red_flags == (), text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Passive ideation and preparation without the words "suicide" or "die".
        ("Everyone would be better off, I just want it to stop.", "suicide"),
        ("It would be easier if I never woke up.", "suicide"),
        ("I have worked out how I would do it.", "suicide"),
        ("Last night I wrote goodbye notes.", "suicide"),
        ("Nowadays I can't see the point in living.", "suicide"),
        # A household product a child drank, and a count of tablets beside their dose.
        ("My toddler drank some fabric softener.", "poisoning"),
        ("He swallowed 20 tablets of 500 mg paracetamol.", "poisoning"),
    ],
)
def test_paraphrased_red_flags_alarm(text, kind):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        # A dose is an amount, not a number of tablets.
        "I took 1 tablet of 400 mg ibuprofen at noon.",
        "She took 2 capsules of 250 mg amoxicillin twice today.",
        # A relative's death and a question about signs are not an emergency now.
        "My grandfather died of a heart attack at 80; should I be screened?",
        "I read about stroke signs: is sudden dizziness always a stroke?",
        "聽說吃太多魚油會中毒，一天吃多少才安全？",
        # Better off doing something else.
        "My family would be better off with a bigger car for the wheelchair.",
    ],
)
def test_doses_relatives_and_questions_about_signs_do_not_alarm(text):
    assert screen(text).red_flags == (), text


def test_a_red_flag_that_is_back_alarms_despite_a_past_episode():
    assert (
        "stroke"
        in screen(
            "Three years ago I had a stroke and now my face is drooping again."
        ).red_flag_kinds
    )
    assert "stroke" in screen("三年前中風過，現在又嘴歪了。").red_flag_kinds


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Call (212) 555-0187 tonight", "phone", "(212) 555-0187"),
        ("text me at 917-555-0123", "phone", "917-555-0123"),
        ("我的電話0912345678，謝謝", "phone", "0912345678"),
        ("請撥手機０９３３－１２３－４５６給我", "phone", "0933-123-456"),
        ("家裡電話(02)2771-2345晚上都在", "phone", "(02)2771-2345"),
        ("加我LINE：abc1234", "handle", None),
        ("my line id is sunny_lee77", "handle", None),
        ("微信號是 wang_dd88", "handle", None),
        ("DM me on Instagram @jenny.health", "handle", None),
        ("see facebook.com/peter.chen.1990", "handle", None),
        ("Telegram t.me/healthyjoe", "handle", None),
        # The account introduced after the app's name, not right after it.
        ("Add me on LINE, my id is Sunny_Lee", "handle", "Sunny_Lee"),
        ("I'm on WeChat too, my username is lilywong, thanks", "handle", "lilywong"),
        ("find me on Facebook, my account is mike.tsai.77", "handle", "mike.tsai.77"),
        ("可以加我微信，帳號 chenxiao", "handle", "chenxiao"),
        ("我的LINE帳號是 sunnywu", "handle", "sunnywu"),
        ("My WhatsApp is +886 955 321 987", "phone", None),
        ("My name is Grace Lin and I have eczema", "name", "Grace Lin"),
        ("你好，我叫陳美玲，最近咳嗽", "name", "陳美玲"),
        ("身分證字號是F131104093", "national_id", "F131104093"),
        ("健保卡號 000012345678", "nhi_card", "000012345678"),
        ("我是民國七十五年三月二日出生的", "date_of_birth", None),
        ("生日是1992年8月15日", "date_of_birth", None),
        ("我住在台北市大安區復興南路一段100號5樓", "address", None),
        ("I live at 742 Evergreen Terrace", "address", None),
    ],
)
def test_screen_finds_personal_data_in_both_languages(text, kind, found):
    result = screen(text)
    assert kind in kinds(result.personal_data), result
    if found:
        assert found in [f.text for f in result.personal_data]


@pytest.mark.parametrize(
    "text",
    [
        "I read about this rash on Facebook, which worried me.",
        "My line of work is accounting.",
        "We waited in line, then the nurse called us.",
        "在臉書上看到這種疹子，好擔心。",
    ],
)
def test_an_app_named_in_passing_is_no_account(text):
    assert screen(text).personal_data == ()


def test_an_id_number_with_a_wrong_check_digit_needs_a_label():
    assert screen("order A123456788 arrived").personal_data == ()
    assert kinds(screen("身分證 A123456788").personal_data) == ["national_id"]


@pytest.mark.parametrize(
    "text",
    [
        "我叫了救護車，後來沒事了。",
        "血壓140/90，心跳每分鐘88下，體溫37.5度。",
        "2024年10月3日開始頭痛，下午3點最痛。",
        "身高170公分，體重65公斤，今年42歲。",
        "普拿疼500毫克一天三次，每次一顆。",
        "Line up for the test at 9:30; my LDL is 130.",
        "I take 0.5 mg at 08:00 and 20:00 every day.",
    ],
)
def test_ordinary_chinese_and_english_medical_text_passes(text):
    assert screen(text).personal_data == (), text


# --- Families widened after the blind set unseen.tsv missed or alarmed on them ----------
# Each family in English and Chinese, with phrasings other than the ones that were missed.

WIDENED_FAMILIES = [
    # Being a burden (C-SSRS item 1, passive ideation), also "if I were gone" across a comma.
    ("suicide", "I feel like such a burden to my parents."),
    ("suicide", "She keeps saying she's a burden on the family."),
    ("suicide", "If I were gone, my kids would be happier."),
    ("suicide", "我覺得自己是大家的累贅。"),
    ("suicide", "我只是家人的負擔而已"),
    ("suicide", "我一直在拖累家人"),
    ("suicide", "如果我死了，他們就不用再照顧我了"),
    ("suicide", "要是沒有我，爸媽應該會過得比較好"),
    # Preparatory acts: giving possessions away (C-SSRS item 6).
    ("suicide", "He has been giving away his things to his friends."),
    ("suicide", "My daughter gave her favourite guitar away."),
    ("suicide", "他最近把心愛的東西都送給同學"),
    # Wanting everything to end, an overdose on purpose.
    ("suicide", "I just want it all to end."),
    ("suicide", "I took the pills on purpose last night."),
    ("suicide", "好想一了百了"),
    ("suicide", "我故意吞了很多藥"),
    # A household product or battery swallowed "by accident" (不小心 negates nothing).
    ("poisoning", "我女兒剛剛喝了一口洗碗精"),
    ("poisoning", "孩子不小心吞了一顆鈕扣電池"),
    ("poisoning", "阿公不小心喝了農藥"),
    # Anaphylaxis: a tongue that looks huge, a hoarse voice, trouble swallowing.
    ("anaphylaxis", "He ate shrimp and now his tongue looks really big."),
    ("anaphylaxis", "After the penicillin injection her voice went hoarse and her lips swell."),
    ("anaphylaxis", "Ate peanuts, now it is hard to swallow and my face is puffy."),
    ("anaphylaxis", "打完疫苗之後舌頭變大，喉嚨卡卡的"),
    ("anaphylaxis", "吃了花生以後聲音沙啞，嘴唇也腫起來"),
    ("anaphylaxis", "吃完海鮮喉嚨很緊 吞不下去"),
    # Bleeding that does not stop: a nosebleed, a gash, dressings soaked through.
    ("bleeding", "My nosebleed has not stopped for over an hour."),
    ("bleeding", "Blood soaked through three towels."),
    ("bleeding", "The gash won't stop bleeding."),
    ("bleeding", "紗布整個都濕透了，還在流血"),
    ("bleeding", "流鼻血一個小時都止不住"),
    # Seizures that start again before the person wakes.
    ("seizure", "He had a seizure and started shaking again before he woke up."),
    ("seizure", "Her seizure stopped, then she was seizing again, the second in an hour."),
    ("seizure", "他癲癇發作，還沒醒又開始抽"),
    ("seizure", "抽搐停了一下又抽了，中間都沒有醒"),
    ("seizure", "剛剛發作抽搐了十分鐘"),
    # Heavy bleeding in pregnancy, however the amount is worded.
    ("pregnancy", "I am 20 weeks pregnant and there is a lot of dark red blood."),
    ("pregnancy", "懷孕二十週，剛剛流了好多血"),
    ("pregnancy", "懷孕六週，下面一直流很多鮮血"),
    # A child's ribs pulling in, fast breathing; a reliever that does not help.
    ("breathing", "寶寶吸氣的時候胸口一直凹進去"),
    ("breathing", "我女兒三歲，呼吸很快，鼻翼一直在動"),
    ("breathing", "我的氣喘藥都沒效 喘不過氣"),
    ("breathing", "The inhaler didn't help, I can't breathe."),
    # A baby's age written as "兩個半月", "一個多月", "two and a half months", "born 10 days ago".
    ("infant_fever", "寶寶一個多月大，發燒38.3度"),
    ("infant_fever", "我兒子兩個半月，耳溫３８.４"),
    ("infant_fever", "Our baby is two and a half months old and has a temperature of 38.2."),
    ("infant_fever", "Born 10 days ago, she feels hot, 38.1 degrees."),
    ("infant_fever", "寶寶出生第十天，額溫38度"),
    # Spots named loosely that do not fade under a glass.
    ("meningitis", "發燒，身上有小紅點，壓下去也不會退"),
    ("meningitis", "He has a fever and tiny dots on his tummy that don't fade under a glass."),
    # A space between Chinese clauses ends a negation, as a comma does.
    ("chest_pain", "沒有發燒 胸口很痛"),
    # Found nothing before, happening now: the clause saying "now" wins.
    ("chest_pain", "The ER found nothing last week, but now the chest pain is crushing."),
    ("stroke", "我爸三年前中風過，現在又嘴歪了"),
    ("suicide", "我只想讓這一切結束"),
    ("chest_pain", "胸口像被大象踩著，冒冷汗"),
    # "In the past hour" is now, not a past episode.
    ("chest_pain", "I have had chest pain in the past hour."),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_FAMILIES)
def test_widened_red_flag_families_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        # A burden that is money or care, giving away what a child outgrew, an itch.
        "The financial burden of treatment is heavy for my family.",
        "Is the pill burden of HIV treatment lower now?",
        "I just want the itching to stop.",
        "我覺得經濟負擔很大，醫藥費好貴",
        "照顧我媽的負擔很重",
        "我不在家的時候，孩子比較好帶",
        # An episode that passed by itself or was checked: last week, 上禮拜, "V過".
        "Had a panic attack last week and felt like I couldn't breathe, it passed in 5 minutes.",
        "上週氣喘發作了一次，吸了藥就好了",
        "上禮拜恐慌症發作，覺得快不能呼吸，十分鐘後就好了",
        "上禮拜昏倒過一次，醫生檢查都正常",
        "他三年前抽搐過一次，之後都沒再發作",
        "我爸民國一百年中風過，現在復健得很好",
        # Asking for a number, whether something is poisonous, a first-aid class.
        "What is the number for poison control?",
        "請問毒物諮詢專線幾號？",
        "Is it true that you can overdose on water?",
        "魚油吃太多會中毒嗎",
        "吃太多維他命A會怎樣？",
        "我們上了急救課，老師教了心肌梗塞的處理",
        "學校有自殺防治宣導，想問怎麼跟孩子聊",
        # Ages and durations that are not a baby under three months.
        "寶寶兩個月前發燒過，現在都好了",
        "寶寶四個月大，發燒38度",
        "小孩發燒三天了，今天38.5度",
        "五歲小孩發燒38.5度一天，精神還不錯。",
        "My 6 month old had a temperature of 38.",
        # Spots that fade, a small swelling that went away, spotting in pregnancy.
        "My son has tiny red spots from the heat, they fade when pressed.",
        "身上有紅疹，壓了會退，很癢",
        "He ate shrimp last year and his lips got a little puffy, it went away.",
        "吃了蝦子嘴巴有點癢，沒有腫",
        "I am 12 weeks pregnant with a little brown spotting, no pain.",
        "懷孕十週，有一點點咖啡色分泌物",
        "Nosebleeds happen every winter but stop after five minutes.",
        # A past episode named right after the red flag, though the clause goes on "now".
        "My grandmother had a stroke years ago and now lives with us.",
        # What to do if it happens to someone.
        "如果小孩誤吞電池要怎麼辦？先問起來",
        "What should I do if someone has an allergic reaction?",
    ],
)
def test_widened_families_leave_calm_and_past_texts_alone(text):
    assert screen(text).red_flags == (), text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # A label's colon before the number, and the extension kept with it.
        ("電話：02-2345-6789 轉 205", "02-2345-6789 轉 205"),
        ("電話：０２－２３４５－６７８９分機２０５", "02-2345-6789分機205"),
        ("Tel:0912345678", "0912345678"),
        ("公司電話(02)2345-6789#205，找我", "(02)2345-6789#205"),
        ("Office: 02-2712-3456 ext. 12", "02-2712-3456 ext. 12"),
        ("Call me at (415) 555-0132 ext 7.", "(415) 555-0132 ext 7"),
    ],
)
def test_phone_numbers_after_a_colon_are_found_with_their_extension(text, found):
    result = screen(text)
    assert [(f.kind, f.text) for f in result.personal_data] == [("phone", found)], result


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Message me on WhatsApp, my number there is +44 7700 900123.", "+44 7700 900123"),
        ("可以用Telegram找我，號碼 0975123456", "0975123456"),
        ("用微信聯絡比較快：+86 139 1234 5678", "+86 139 1234 5678"),
        ("可以用WhatsApp聯絡我嗎？＋８８６ ９７５ １２３ ４５６", "+886 975 123 456"),
    ],
)
def test_a_messaging_apps_number_a_few_words_on_is_an_account(text, found):
    assert ("handle", found) in [(f.kind, f.text) for f in screen(text).personal_data]


@pytest.mark.parametrize(
    "text",
    [
        "My appointment is at 10:30, room 0912.",
        "Since 2024-10-03 I have had a cough; the WhatsApp group says 2024-10-20.",
        "我在LINE群組看到說2024年10月3日開始打疫苗",
        "早上8:00吃一顆，晚上20:00再一顆",
        "血壓：130/85，心跳：72，體溫：37.5",
        "The clinic's extension is 205 but I forgot the main number.",
    ],
)
def test_times_dates_and_readings_after_a_colon_or_an_app_are_no_phone(text):
    assert screen(text).personal_data == (), text


@pytest.mark.parametrize(
    ("text", "alarms"),
    [
        # "過" right after a red flag tells of a past episode ...
        ("我中風過，想問可以搭飛機嗎", False),
        ("他昏倒過一次，想問要做什麼檢查", False),
        # ... unless it is part of the word ("昏過去") or the clause says it is now or again.
        ("我媽剛剛昏過去，叫不醒", True),
        ("他中風過，現在又突然嘴歪", True),
    ],
)
def test_a_red_flag_followed_by_guo_is_a_past_episode(text, alarms):
    assert bool(screen(text).red_flags) is alarms, text


# --- Families widened after the blind set unseen2.tsv missed or alarmed on them ---------
# Each family in English and Chinese (Simplified too), in phrasings other than the ones
# the set held: the next blind set will not repeat them either.

WIDENED_AFTER_UNSEEN2 = [
    # Cardiac chest pain told by an image, spreading to the jaw or arm, not easing with rest.
    ("chest_pain", "It feels like someone is sitting on my chest and I'm sweating."),
    ("chest_pain", "My chest feels like it's in a vice and my left arm is numb."),
    ("chest_pain", "There's a band around my chest when I walk uphill, he's grey and sweaty."),
    ("chest_pain", "Pain going down my left arm and into my jaw, cold sweat, feel sick."),
    ("chest_pain", "The pressure in my chest hasn't eased after resting for 20 minutes."),
    ("chest_pain", "我爸說胸口像被大象踩住，一直冒冷汗"),
    ("chest_pain", "胸口悶悶的，痛到左手臂跟下巴，還冒冷汗"),
    ("chest_pain", "爬樓梯胸口很緊，休息了還是沒好"),
    ("chest_pain", "胸口像被石头压着，一直出冷汗"),
    # An extra dose by mistake, with symptoms.
    ("poisoning", "I accidentally took a double dose of my heart tablets and my pulse is slow."),
    ("poisoning", "Mum took her diabetes tablets twice by mistake and she's shaky and sweaty."),
    ("poisoning", "阿公不小心多吃了一次降血糖藥，現在一直冒冷汗發抖"),
    ("poisoning", "媽媽把安眠藥吃了兩次，現在叫不太醒"),
    # A reliever that does not help, a word or two at a time, a low oxygen saturation.
    ("breathing", "Her salbutamol inhaler isn't touching it, she can only say two words."),
    ("breathing", "Oxygen sats are 88 on the finger monitor and he's breathless."),
    ("breathing", "My son can only get out one or two words at a time and he's wheezing."),
    ("breathing", "吸入器噴了五次都沒用，一直喘"),
    ("breathing", "喘到講話一次只能講幾個字"),
    ("breathing", "血氧只剩88，一直喘"),
    ("breathing", "血氧机显示86，喘不过气"),
    ("breathing", "His O2 sat was 85 this morning."),
    # Sudden trouble finding words, a hand that drops things, on waking.
    ("stroke", "Suddenly he's talking gibberish and his right arm is weak."),
    ("stroke", "Woke up and her speech is all wrong and she can't hold her cup."),
    ("stroke", "我爸早上起床講話顛三倒四，右手拿不住筷子"),
    ("stroke", "她突然找不到字，左手一直掉東西"),
    # A goodbye message then out of reach, means at hand, a chosen night.
    ("suicide", "She texted me goodbye and her phone is switched off."),
    ("suicide", "He's been saving up his sleeping pills and said he's done."),
    ("suicide", "I bought a rope and tonight is the night."),
    ("suicide", "I have a gun at home and I keep thinking of using it on myself."),
    ("suicide", "我兒子傳了訊息說再見，電話都不接"),
    ("suicide", "他存了很多安眠藥，說今晚就要結束一切"),
    ("suicide", "今晚就是最後一晚了，我累了，不想活"),
    ("suicide", "难过到想死"),
    # Blood that spurts or keeps coming under pressure.
    ("bleeding", "I've kept pressure on it for 15 minutes and it's still bleeding."),
    ("bleeding", "Blood is pumping out of the cut on his leg."),
    ("bleeding", "傷口的血用噴的，壓了二十分鐘還是止不住"),
    ("bleeding", "割到手，血一直湧出來，毛巾都濕了"),
    # A seizure that starts again.
    ("seizure", "She had a seizure, stopped, came round, and now she's fitting again."),
    ("seizure", "他又開始抽了，今天第三次，都沒有完全醒"),
    ("seizure", "孩子抽筋後醒了一下，又开始全身抽"),
    # A hard belly that does not relax, or bleeding with pain, in pregnancy.
    ("pregnancy", "34 weeks pregnant, my belly is rock hard and won't relax."),
    ("pregnancy", "12 weeks pregnant with bleeding and cramping pain."),
    ("pregnancy", "孕三十週，肚子一直很硬不放鬆"),
    ("pregnancy", "怀孕12周，出血又肚子痛"),
    # A sting with a widespread rash and faintness.
    ("anaphylaxis", "Stung by a wasp, rash all over and I feel lightheaded."),
    ("anaphylaxis", "被蜜蜂叮到，全身起紅疹，快站不住"),
    ("anaphylaxis", "被黄蜂螫了，全身起疹子，头好晕"),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN2)
def test_families_widened_after_the_second_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        # Questions comparing conditions or asking what can cause what.
        "How can you tell angina from a pulled muscle?",
        "What's the difference between a panic attack and a heart attack?",
        "Could a wasp sting cause anaphylaxis in a child who has never reacted?",
        "胸悶跟恐慌症要怎麼區分？",
        "蜂螫會不會引起過敏性休克？",
        "心绞痛跟胃痛有什么差别？",
        # Chest-wall pain that pressing brings on, a strained muscle.
        "My ribs are sore to the touch after I pulled a muscle, chest hurts when I press.",
        "Chest pain when I press on it, no shortness of breath.",
        "重訓完胸口一按就痛，應該是拉傷吧",
        # Episodes that pass by themselves.
        "I get panic attacks where I can't breathe but they pass in a few minutes.",
        "恐慌發作的時候覺得吸不到氣，但十分鐘就過了，今天還好",
        # Doses taken as prescribed, readings in range, a cramp in the calf.
        "I take my tablets twice a day and sometimes feel dizzy, is that normal?",
        "我每天吃兩次血壓藥，有時候會頭暈正常嗎",
        "Saturation was 97 and heart rate 88.",
        "血氧98，心跳84，還算正常嗎",
        "I sat there for 45 minutes and felt fine.",
        "He was on oxygen therapy for 60 days last year.",
        "血氧機用了60天都正常",
        "I had a double espresso with my pills and felt dizzy.",
        "小腿抽筋一整晚，今天第二次",
        # Exasperation and figures of speech.
        "熱到想死，有什麼消暑的方法",
        "考試讀到想死，眼睛好痠",
        "报告写到想死，眼睛很干",
        "I want to die of embarrassment after that presentation.",
        "My shoulder blade hurts and I'm so done with this pain.",
    ],
)
def test_families_widened_after_the_second_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text


@pytest.mark.parametrize(
    ("text", "alarms"),
    [
        # A resolved cue right after a negation is not one ...
        ("The tightness in my chest hasn't gone away after resting.", True),
        ("我胸口痛到現在還沒好", True),
        # ... and "again" in the sentence outweighs one elsewhere in it.
        ("She had a fit, came round, and now she's shaking again.", True),
        ("她上個月昏倒過，後來都沒事，但今天又昏倒了", True),
        # Without either, the episode is over.
        ("He had a fit last year and came round quickly.", False),
    ],
)
def test_a_resolved_cue_is_read_with_its_negation_and_again(text, alarms):
    assert bool(screen(text).red_flags) is alarms, text


def test_simplified_text_is_matched_by_the_traditional_rules_and_reported_as_typed():
    result = screen("怀孕34周，肚子突然很痛很硬一直不放松，还有出血")
    assert "pregnancy" in result.red_flag_kinds
    # What the patient is shown is what they typed, not the folded form.
    assert all(f.text in "怀孕34周，肚子突然很痛很硬一直不放松，还有出血" for f in result.red_flags)


def test_the_simplified_fold_leaves_the_rules_own_characters_alone():
    pattern, table = screening.simplified_fold()
    assert chr(table[ord("压")]) == "壓" and chr(table[ord("怀")]) == "懷"
    # A character the rules write as it is (後 is folded from 后; 面, 只 stay) is never folded.
    rule_characters = screening._rule_characters(screening._load("red_flags.zh.toml"))
    assert not any(chr(code) in rule_characters for code in table)
    assert pattern.search("胸口很痛") is None


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("有問題打2771-8151找我就好", "phone", "2771-8151"),
        ("電話：2345 6789，晚上打", "phone", "2345 6789"),
        ("call me on 555-0187 after six", "phone", "555-0187"),
        ("我微信号是 zhangwei_1988，医生方便的话加我一下", "handle", "zhangwei_1988"),
        ("加我脸书 peter.chen.90", "handle", "peter.chen.90"),
        ("I'm Amy Wu, and I have a question about iron tablets", "name", "Amy Wu"),
        ("I am Chen Mei Ling and I have a cough", "name", "Chen Mei Ling"),
    ],
)
def test_personal_data_widened_after_the_second_blind_set_is_found(text, kind, found):
    result = screen(text)
    assert (kind, found) in [(f.kind, f.text) for f in result.personal_data], result


@pytest.mark.parametrize(
    "text",
    [
        "打疫苗2021-2022年都沒事",
        "每天打1200單位胰島素",
        "血壓 135/85，心跳 84，打了 2 劑",
        "I'm 45 and my BP is 150/95",
        "I'm Taiwanese and I have a cough",
        "call 1925 if you need to talk",
        "My cell count was 4000-11000 last week",
        "I'm very worried about my mum",
    ],
)
def test_counts_doses_ranges_and_plain_sentences_are_no_personal_data(text):
    assert screen(text).personal_data == (), text


# Families widened after the third blind set (unseen3): each kind it missed, in words of
# its own, English and Chinese.
WIDENED_AFTER_UNSEEN3 = [
    # A passive wish to go to sleep and not wake up.
    ("suicide", "Some nights I just want to fall asleep and never wake up."),
    ("suicide", "我最近常常想，睡著就不要醒來了"),
    # Self-harm: cuts or burns on the arms, cutting or burning oneself.
    ("suicide", "Found fresh cuts on his wrists, he hides them under his sleeves."),
    ("suicide", "My son has been cutting himself with a pencil sharpener blade."),
    ("suicide", "她手臂上有很多割痕，都用長袖遮起來"),
    ("suicide", "女兒拿菸頭燙自己"),
    # Pills saved up, a whole strip after a fight: suicide as well as poisoning.
    ("suicide", "She has been stockpiling her sleeping tablets for weeks."),
    ("suicide", "He took a whole box of paracetamol after we argued."),
    ("poisoning", "He took a whole box of paracetamol after we argued."),
    ("suicide", "我把止痛藥都偷偷囤起來，想一次吃掉"),
    ("suicide", "她分手後把整瓶安眠藥吞了"),
    ("poisoning", "她分手後把整瓶安眠藥吞了"),
    # Household chemicals: a detergent pod bitten, bleach mixed with another cleaner.
    ("poisoning", "My toddler chewed a laundry pod and is drooling and vomiting."),
    ("poisoning", "I mixed bleach with a toilet cleaner and now I can't stop coughing."),
    ("poisoning", "孩子咬破洗衣球，嘴巴都是泡泡"),
    ("poisoning", "把漂白水跟馬桶清潔劑混在一起用，現在一直咳，胸口好悶"),
    # Someone found unrousable among empty pill packets.
    ("poisoning", "Found my dad on the floor next to empty blister packs, he's barely awake."),
    ("poisoning", "爸爸倒在浴室，旁邊藥袋都空了，叫不醒"),
    # A sting or a first dose of a medicine, then swelling and faintness.
    ("anaphylaxis", "Got stung by a wasp, I'm covered in welts and I'm about to black out."),
    ("anaphylaxis", "After the first dose of the new antibiotic her lips are swelling up."),
    ("anaphylaxis", "被虎頭蜂叮了，全身腫起來，頭好暈"),
    # Choking with no sound.
    ("breathing", "He choked on a sweet and can't make a sound."),
    ("breathing", "小孩吃糖果噎住，發不出聲音"),
    # A baby grunting or breathing hard.
    ("breathing", "寶寶呼吸很費力，鼻翼一直動"),
    ("breathing", "女兒每次吐氣都哼哼叫，呼吸很喘"),
    # Someone who dropped and does not answer.
    ("collapse", "My husband just keeled over and he's not answering me."),
    ("collapse", "I've passed out three times today and woke up on the floor."),
    # A crushing weight on the chest without the word "chest".
    ("chest_pain", "It feels like a ton of bricks is sitting on me since I carried the boxes."),
    # Sudden loss of sight in one eye, weakness down one side.
    ("stroke", "My grandad suddenly went blind in one eye an hour ago."),
    ("stroke", "All of a sudden my right side is numb and heavy."),
    # A head injury, then vomiting, growing sleepiness, repeated questions.
    ("head_injury", "She banged her head at school and keeps asking the same questions."),
    ("head_injury", "He fell off the trampoline onto his head and has thrown up three times."),
    ("head_injury", "他撞到頭以後越來越想睡，還吐了好幾次"),
    ("head_injury", "阿公跌倒後腦著地，現在一直重複講同一件事"),
    # Seizures in clusters or lasting many minutes.
    ("seizure", "He had one fit and then another one before he came round."),
    ("seizure", "She has been jerking all over for ages."),
    ("seizure", "女兒抽搐快十分鐘了還沒停"),
    ("seizure", "抽搐一次接一次，中間都沒有醒"),
    # A tense, swollen belly with near-fainting.
    ("abdominal", "My belly is swollen and tense and I nearly fainted in the shower."),
    ("abdominal", "爸爸肚子脹得很大，痛到快昏倒"),
    # Reduced fetal movement, a constantly hard belly late in pregnancy.
    ("pregnancy", "38 weeks and the baby has stopped moving since this morning."),
    ("pregnancy", "36 wks, my bump is hard all the time."),
    ("pregnancy", "懷孕32週，今天胎動變少"),
    # A bulging fontanelle.
    ("meningitis", "My 4 month old has a temperature and her soft spot is bulging."),
    ("meningitis", "嬰兒發燒，囟門鼓起來"),
    # Fresh blood vomited, black stools.
    ("bleeding", "His stools have been black and tarry for two days."),
    ("bleeding", "吐出一大堆鮮血"),
    ("bleeding", "這兩天大便變黑，頭很暈"),
    ("breathing", "孩子吃了花生酱，嘴唇发紫"),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN3)
def test_families_widened_after_the_third_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        # Tiredness, everyday cuts and burns, saving and finishing a course of tablets.
        "I could sleep forever after night shifts, is that normal?",
        "I went to sleep and did not wake up until noon.",
        "My son has cuts on his legs from falling off his bike.",
        "She burned herself on the stove while cooking.",
        "I have been saving up for new glasses.",
        "I took all of my antibiotics as prescribed and still cough.",
        "我切菜的時候不小心割到手",
        "藥要怎麼存起來比較好，要放冰箱嗎",
        "我睡前會把藥收起來，放在小孩拿不到的地方",
        # Household products used as meant, pods that are not detergent.
        "We use coffee pods every morning, is caffeine bad in pregnancy?",
        "Mixed bleach and water to clean the floor, is that safe with a baby?",
        "My mum keeps empty pill bottles to store buttons.",
        # A small sting, a first dose with no reaction, choking that cleared.
        "Got stung by a bee yesterday, small red bump, itchy.",
        "First dose of my new blood pressure tablet today, what side effects should I watch for?",
        "He choked on his water but coughed it up and is fine now.",
        "吃東西噎到，喝水就好了",
        "寶寶睡覺的時候會發出哼哼聲，很可愛，正常嗎",
        # Things that drop, fainting at a blood test long ago, a limb slept on.
        "An elephant at the zoo sat on my son's toy.",
        "I fainted twice at blood tests as a teenager.",
        "My left side feels weak after sleeping on it wrong.",
        # A bump with nothing after it, a swollen belly after meals, a baby moving.
        "She fell off the swing yesterday and hit her head but she is playing, no vomiting.",
        "他跌倒撞到頭，現在很好，沒有吐也沒有想睡",
        "My stomach feels swollen after meals.",
        "肚子脹脹的，吃完飯就會這樣",
        "34 weeks pregnant, baby moving lots, can I fly?",
        "懷孕二十週，胎動很明顯，正常嗎",
        # A sunken fontanelle (dehydration), black stools on iron.
        "My baby's soft spot looks a bit sunken, is she dehydrated?",
        "囟門凹陷是不是脫水",
        "My poop is black since I started iron tablets.",
        "大便黑黑的，最近在吃鐵劑",
        "大便正常，但是眼圈黑黑的",
        "吐了兩次，沒有血",
        # No fever now, asking what to do if one comes; pauses in breathing while snoring.
        "Our 2 month old had her jabs today, no fever. If she gets a fever later what do we do?",
        "He snores loudly and stops breathing for a few seconds, should he get a sleep study?",
        "我老公打呼很大聲，有時候會停止呼吸幾秒，要去哪裡檢查",
    ],
)
def test_families_widened_after_the_third_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text


def test_not_breathing_without_snoring_still_alarms_in_both_languages():
    assert "collapse" in screen("He collapsed and he's not breathing.").red_flag_kinds
    assert "collapse" in screen("她突然停止呼吸了").red_flag_kinds


def test_the_simplified_fold_reads_fa_as_in_fever_where_two_characters_share_it():
    pattern, table = screening.simplified_fold()
    assert chr(table[ord("发")]) == "發" and chr(table[ord("湿")]) == "濕"
    assert "infant_fever" in screen("宝宝两个月大，发烧38.5").red_flag_kinds


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("我是林志明 55歲 胸口很痛", "林志明"),
        ("我是王小明，健保卡在這裡", "王小明"),
        ("你好我是陳美玲。想問檢查報告", "陳美玲"),
        ("我是黃明", "黃明"),
    ],
)
def test_wo_shi_and_a_surname_standing_alone_is_a_full_name(text, found):
    result = screen(text)
    assert ("name", found) in [(f.kind, f.text) for f in result.personal_data], result


@pytest.mark.parametrize(
    "text",
    [
        "我是第一次當媽媽，寶寶一直哭",
        "我是他媽媽，想幫他問",
        "我是學生，最近常頭痛",
        "我是高中生，最近常常頭痛",
        "我是高血壓患者",
        "我是陳醫師的病人，想問報告",
        "我是馬來西亞人",
        "我是王牌業務，每天應酬",
    ],
)
def test_wo_shi_before_a_role_or_a_word_is_no_name(text):
    assert screen(text).personal_data == (), text


@pytest.mark.parametrize(
    "text",
    [
        "I'm Taiwanese American and I have asthma",
        "I'm Very Worried about my son's fever",
        "Hi, I'm New Zealand born and my TB test came back positive",
        "This is Dr Lin's patient writing about the MRI",
        "I am Type Two diabetic, is fasting safe?",
    ],
)
def test_i_am_before_a_capitalised_word_that_is_no_name(text):
    assert screen(text).personal_data == (), text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("This is May Chen, asking for my mother", "May Chen"),
        ("I'm Mrs Lin and my knee hurts", "Mrs Lin"),
        ("I'm Christian Wu, 34, with a cough", "Christian Wu"),
        ("my name is Daniel Wu, writing for my wife", "Daniel Wu"),
    ],
)
def test_given_names_that_are_also_words_are_still_names(text, found):
    assert ("name", found) in [(f.kind, f.text) for f in screen(text).personal_data]


# Families widened after the fourth blind set (unseen4): each kind it missed, in words of
# its own, English and Chinese.
WIDENED_AFTER_UNSEEN4 = [
    # Many tablets taken to make it stop: suicide as well as poisoning.
    ("suicide", "I swallowed a whole strip of my tablets because I wanted it to end."),
    ("poisoning", "I swallowed a whole strip of my tablets because I wanted it to end."),
    # Clutching the chest, a crushing pain named a few words after "chest".
    ("chest_pain", "Dad was clutching his chest on the sofa and went grey."),
    ("chest_pain", "My chest, he said, was like it was crushing him."),
    # The throat closing, hard wheezing; hard to breathe in.
    ("breathing", "After the prawns my throat is closing up."),
    ("breathing", "He's wheezing really bad and using his shoulders to breathe."),
    ("breathing", "我吃了蝦子以後很難吸氣"),
    ("breathing", "呼吸有咻咻聲，嘴唇有點腫"),
    # Sudden words that make no sense, drooling on one side, a face that looks wrong.
    ("stroke", "He was fine at dinner, now his words make no sense."),
    ("stroke", "Mum is drooling from one side of her mouth."),
    ("stroke", "She suddenly dropped her phone and her face looks lopsided."),
    ("stroke", "He can't find his words and his arm is heavy."),
    ("stroke", "阿嬤突然嘴角垂下來"),
    ("stroke", "爸爸臉一邊垂下來，講話怪怪的"),
    ("stroke", "他突然講的話大家都聽不懂，手也沒力"),
    # Dark clots of blood vomited.
    ("bleeding", "He threw up a huge amount of dark blood."),
    # A seizure that started again, the third this hour.
    ("seizure", "The convulsions started again, it's the third time this hour."),
    ("seizure", "弟弟今天早上抽了三次，中間都叫不太醒"),
    # Bleeding a lot late in pregnancy, no kicks, a hard belly.
    ("pregnancy", "I'm 28 weeks and bleeding a lot, bright red."),
    ("pregnancy", "33 weeks and I haven't felt the baby kick all day."),
    ("pregnancy", "36 weeks pregnant and my belly feels hard and won't soften."),
    ("pregnancy", "懷孕30週，今天都沒什麼胎動"),
    ("pregnancy", "36週，肚子一直痛，摸起來硬硬的"),
    # A baby of a few weeks with a fever reading; a birth date is not the past.
    ("infant_fever", "寶寶才18天，肛溫38.3"),
    ("infant_fever", "兒子民國115年11月2日出生 剛滿月 今天耳溫38.5"),
    # A fever with a neck that will not bend.
    ("meningitis", "發燒39度，脖子痛到不能彎"),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN4)
def test_families_widened_after_the_fourth_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        "I took all my antibiotics and I want this cough to be over.",
        "My baby grabs my chest when she feeds, is that normal?",
        "My toddler says random words that make no sense, is that normal at 18 months?",
        "He drools from one side of his mouth when he sleeps.",
        "My face looks weird on one side after the dental injection.",
        "I threw up twice, no blood, just food.",
        "He threw up after the blood test.",
        "He had seizures as a child, but none for years. Is it safe to stop his medication?",
        "I'm 20 weeks, spotting lightly after sex, is it normal?",
        "Baby is 5 weeks, temp 37.1 under the arm, is that normal?",
        "寶寶才20天，體溫36.8，手腳有點冰正常嗎",
        "抽血抽了三次才抽到，手好痛",
        "落枕了，脖子轉不動，沒有發燒",
        "懷孕20週，胎動很明顯，肚子偶爾緊緊的一下就放鬆",
        "我2019年中風過，現在復健得很好",
    ],
)
def test_families_widened_after_the_fourth_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("His health card number is 0000 4712 9386.", "nhi_card", "0000 4712 9386"),
        ("健保卡號 0000-1234-5678", "nhi_card", "0000-1234-5678"),
        ("I'm in the US, whatsapp me at (646) 555-0193 please", "handle", "(646) 555-0193"),
        ("地址 高雄市苓雅区四维三路2号", "address", "高雄市苓雅区四维三路2号"),
    ],
)
def test_personal_data_widened_after_the_fourth_blind_set_is_found(text, kind, found):
    result = screen(text)
    assert (kind, found) in [(f.kind, f.text) for f in result.personal_data], result


@pytest.mark.parametrize(
    "text",
    [
        "I heard the quitline is 0800-636-363, does it help?",
        "戒菸專線 0800-636-363 真的有用嗎",
        "The clinic said to call 1-800-273-8255 for advice.",
        "The pharmacy line is (888) 555-0100.",
    ],
)
def test_toll_free_numbers_are_no_personal_data(text):
    assert [f for f in screen(text).personal_data if f.kind == "phone"] == [], text


def test_a_personal_number_beside_a_toll_free_one_is_still_found():
    result = screen("The quitline is 0800-636-363 but call me on 0912-345-678.")
    assert [f.text for f in result.personal_data if f.kind == "phone"] == ["0912-345-678"]


# Clinical pictures added after the fifth blind set (unseen5), in words of their own.
WIDENED_AFTER_UNSEEN5 = [
    (
        "abdominal",
        "The pain moved from my belly button to the lower right and I can't walk straight.",
    ),
    ("abdominal", "Vomiting green bile and my stomach is swollen like a drum."),
    ("abdominal", "Severe pain in the upper stomach that goes through to my back."),
    ("abdominal", "肚臍附近痛到右下腹，痛到走路要彎腰"),
    ("abdominal", "上腹痛到背後，一直吐"),
    ("pregnancy", "6 weeks pregnant, sharp pain on the left side and my shoulder tip hurts."),
    ("pregnancy", "32 weeks pregnant with a headache, flashing lights and swollen hands."),
    ("pregnancy", "懷孕34週，頭痛、眼前有閃光，腳腫得很厲害"),
    ("chest_pain", "A heavy ache between my shoulder blades, cold sweat and nausea, I'm diabetic."),
    ("chest_pain", "胸口像被石頭壓住"),
    ("chest_pain", "含了兩顆硝化甘油還是一樣痛"),
    (
        "poisoning",
        "The whole family has headaches and feels sick, the gas heater was on all night.",
    ),
    ("poisoning", "我們全家都頭暈想吐，熱水器在浴室裡面"),
    ("poisoning", "Grandpa took his whole pill organiser at once this morning."),
    ("suicide", "Bought charcoal and tape, the car is in the garage."),
    ("suicide", "我已經買好木炭跟膠帶，今晚就去山上"),
    ("suicide", "My letters are written and the dog goes to my brother."),
    ("suicide", "She drank weed killer after we argued and says she meant it."),
    (
        "bleeding",
        "The towel is soaked through and it's still dripping after half an hour of pressing.",
    ),
    (
        "seizure",
        "He keeps shaking, it stops and then starts again, and he never wakes up in between.",
    ),
    ("seizure", "抽搐停不下來，口吐白沫，他以前沒有癲癇"),
    (
        "infant_fever",
        "My baby is eight weeks old and the thermometer says thirty eight point five.",
    ),
    ("infant_fever", "女兒快兩個月，今天量到38.6"),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN5)
def test_clinical_pictures_added_after_the_fifth_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        "Which carbon monoxide detector should I install near the gas water heater?",
        "家裡熱水器在陽台，想買一氧化碳警報器，裝在哪裡比較好",
        "How do I use the EpiPen my son was just prescribed?",
        "醫生開了腎上腺素筆，要怎麼正確使用",
        "What actually is a stroke, and what is the difference between the kinds?",
        "學校要辦講座，講青少年自殺的警訊",
        "Red dots on his chest, I did the glass test and they fade completely.",
        "His lips were a bit purple after the pool, and were pink again after a warm shower.",
        "We light charcoal for the barbecue in the garden every weekend.",
        "I cut myself by accident while cooking.",
        "頭暈，休息一下就好了",
    ],
)
def test_clinical_pictures_added_after_the_fifth_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text


def test_a_recent_past_beside_symptoms_of_now_does_not_cancel_them():
    # "Last month" and "上禮拜" tell of something else, in their own clause.
    text = (
        "7 weeks pregnant (positive test last month), suddenly stabbing pain low on the left, "
        "nearly fainted"
    )
    assert "pregnancy" in screen(text).red_flag_kinds
    assert (
        "infant_fever"
        in screen("小孩才八週大，量了三次都是三十八度六，上禮拜打過疫苗").red_flag_kinds
    )
    # In the red flag's own clause they still make it a past episode.
    assert screen("I fainted last week, fine since").red_flags == ()


# Clinical pictures added after the sixth blind set (unseen6), in words of their own.
WIDENED_AFTER_UNSEEN6 = [
    ("breathing", "Croup again, and now the squeaky noise is there even when he is resting."),
    ("breathing", "小孩咳嗽像狗叫，安靜坐著吸氣也有尖尖的聲音"),
    (
        "breathing",
        "Third dose of the new tablets, my lips are swelling and every breath is hard work.",
    ),
    ("poisoning", "Had a few glasses of wine and took two sleeping pills on top, feel so slow."),
    ("poisoning", "喝了啤酒又吃了兩顆安眠藥，現在頭很重"),
    ("poisoning", "My son ate some red berries in the park and now he is vomiting and drowsy."),
    ("poisoning", "爬山摘了野菇回來煮，吃完一直吐"),
    ("poisoning", "在車裡燒了炭，現在頭很暈"),
    ("chest_pain", "Stents in 2020, the same pain is back, the nitro spray did nothing."),
    ("chest_pain", "兩年前裝過支架，現在又是那種痛，舌下含片含了兩顆都沒好"),
    ("stroke", "My left hand went numb and clumsy and my face feels weird, it is happening again."),
    ("head_injury", "She fell off her bike, hit her head and there is clear fluid from her nose."),
    ("head_injury", "車禍後耳朵一直流血，兩眼周圍黑青"),
    ("meningitis", "Fever and a rash like bruises that keeps spreading, her hands are cold."),
    ("meningitis", "發燒，身上的紫斑越來越多，手腳冰冰的"),
    ("abdominal", "The pain is low on the right, 38.6 fever and every bump in the car hurts."),
    ("abdominal", "突然肚子很痛，然後在廁所昏倒了"),
    ("pregnancy", "36 weeks pregnant, she had a fit and never had one before."),
    ("suicide", "把一整排安眠藥都吞了，就這樣結束吧"),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN6)
def test_clinical_pictures_added_after_the_sixth_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        "Used to self harm as a teenager, can laser fade the old white scars?",
        "I get an urge to jump from high balconies but have zero wish to die.",
        "站在高處有想跳下去的衝動，但完全沒有想死，這正常嗎",
        "Doing a school project on carbon monoxide poisoning, what are the early signs?",
        "兒子吃癲癇藥一天兩次，劑量要照體重調嗎",
        "小孩身上有紅點，用杯子壓會退，沒發燒",
        "女兒兩歲時有過熱痙攣，現在又發燒38度，要先吃退燒藥嗎",
        "Can I have a glass of wine with my sleeping pills?",
        "We picked mushrooms at the supermarket for a recipe, are they safe in pregnancy?",
        "I slept on my right arm and it went numb this morning.",
    ],
)
def test_clinical_pictures_added_after_the_sixth_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text


def test_a_negated_past_cue_is_no_past_episode():
    # "Never had one before" says this is the first, which is itself a reason to call.
    assert (
        "seizure"
        in screen("He is fitting and it won't stop, he never had one before.").red_flag_kinds
    )
    assert screen("He had a fit once before and has been fine since.").red_flags == ()


@pytest.mark.parametrize(
    "text",
    [
        "想請問毒藥物諮詢專線是不是 (02)2871-7121？",
        "The poison control line is (02) 2871 7121, right?",
    ],
)
def test_a_number_named_as_a_public_line_is_no_personal_data(text):
    assert [f for f in screen(text).personal_data if f.kind == "phone"] == [], text


def test_a_line_account_after_gei_wo_is_found():
    result = screen("有事可以傳LINE給我：siti_care88")
    assert ("handle", "siti_care88") in [(f.kind, f.text) for f in result.personal_data]


# Clinical pictures added after the seventh blind set (unseen7), in words of their own.
WIDENED_AFTER_UNSEEN7 = [
    ("collapse", "Mum went down in the garden and now she is breathing funny and not answering."),
    ("pregnancy", "She is 38 weeks pregnant and just had a fit."),
    ("pregnancy", "30 weeks and the baby kicks way less today, only felt little flutters."),
    ("suicide", "He is sitting in the car in the closed garage with the engine running."),
    ("poisoning", "My son might have swallowed a button battery, I can't find it."),
    ("poisoning", "女兒好像把鈕扣電池吞下去了"),
    ("abdominal", "My 12 year old has sudden pain in one testicle and has been sick."),
    ("abdominal", "兒子說蛋蛋很痛，一邊腫起來"),
    ("bleeding", "Big open wound on his leg, I can see something white, bleeding loads."),
    ("bleeding", "爸爸剛剛吐了一大碗鮮紅色的血"),
    ("seizure", "Her seizures are coming in clusters, this is the fifth since breakfast."),
    ("seizure", "今天已經發作五次了，一次接一次"),
    ("breathing", "Eating popcorn and now he can't cough or talk, grabbing his throat."),
    ("breathing", "Grandpa can barely breathe and his breathing is gurgly."),
    ("breathing", "氣喘發作，藍色那支吸了好幾次都沒用，講一句話要停好幾次"),
    ("stroke", "头痛得像被雷劈一样，这辈子没这么痛过"),
    ("stroke", "Woke up this morning and couldn't lift my left arm, it is dead weight."),
    ("suicide", "阿公把存摺跟印章都交代給我，說以後用不到了，還買了農藥"),
    ("collapse", "喝了酒又吃了藥，現在怎麼搖都不醒"),
    ("anaphylaxis", "被虎頭蜂叮了，全身紅腫，剛剛整個人倒下去"),
    ("meningitis", "Temperature of 39 and his neck is very stiff, he is confused."),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN7)
def test_clinical_pictures_added_after_the_seventh_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        "What's the difference between anaphylaxis and an allergy, and when would I use an EpiPen?",
        "過敏性休克跟一般過敏差在哪裡？朋友有腎上腺素筆",
        "兩個月大的寶寶耳溫37.5 有點鼻塞 這樣算發燒嗎",
        "跑步的時候胸口會緊一下，一分鐘就好",
        "I used to self harm but it's been 8 years clean, any creams for the white scars?",
        "Which battery does the thermometer take?",
        "He said it was crushing work at the gym today, his legs ache.",
    ],
)
def test_clinical_pictures_added_after_the_seventh_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("我的手机是+886 933 102 447", "phone", "+886 933 102 447"),
        ("地址是台中市西屯區福星路二十五號七樓之三", "address", "台中市西屯區福星路二十五號"),
        ("hi im Marcus Oyelaran, here are the pics", "name", "Marcus Oyelaran"),
    ],
)
def test_personal_data_widened_after_the_seventh_blind_set_is_found(text, kind, found):
    result = screen(text)
    assert any(f.kind == kind and found in f.text for f in result.personal_data), result


# Written fresh for this change (not copied from the eighth blind set): each clinical
# picture the rules were widened for, and calm texts of the same words.
WIDENED_AFTER_UNSEEN8 = [
    ("poisoning", "We lit a disposable barbecue in the bedroom with the windows taped shut."),
    ("suicide", "He lit charcoal in his car with the doors sealed, I can't reach him."),
    ("poisoning", "房間門縫都用膠帶封住了，裡面有燒炭的味道"),
    ("poisoning", "阿公把夾竹桃的葉子煮來喝 現在一直吐"),
    ("poisoning", "My son chewed some yew berries, now he is being sick and his pulse is slow."),
    (
        "anaphylaxis",
        "After the antibiotic injection she got hives everywhere and now she has collapsed.",
    ),
    ("anaphylaxis", "打完抗生素點滴全身起紅疹 現在很喘"),
    ("chest_pain", "My heart feels like it is being squeezed and the pain goes to my jaw."),
    ("chest_pain", "Had a stent last spring and this is the same pain as last time."),
    ("abdominal", "Mum has a known aneurysm and suddenly has terrible back pain, she is pale."),
    ("abdominal", "爸爸有主動脈瘤 突然肚子很痛 冒冷汗"),
    ("abdominal", "His belly is tight as a drum and he keeps throwing up green."),
    ("pregnancy", "I'm 35 weeks pregnant, my BP was 170/112 and there's pain under my right ribs."),
    ("pregnancy", "29 weeks pregnant and my waters broke twenty minutes ago."),
    ("pregnancy", "懷孕33週 規律宮縮 十分鐘一次"),
    ("pregnancy", "懷孕36週 今天都沒感覺到胎動"),
    ("head_injury", "Grandad banged his head on the door, he's on apixaban."),
    ("head_injury", "奶奶跌倒撞到頭 她有在吃抗凝血劑"),
    ("head_injury", "他沒戴安全帽摔車撞到頭 吐了兩次"),
    ("meningitis", "Fever and tiny purple spots on her legs that don't fade under a glass."),
    ("meningitis", "發燒 身上有壓了不會退的紫色小點"),
    ("stroke", "我爸嘴巴歪一邊 講話不清楚"),
    ("bleeding", "今天咳出好幾大口鮮血"),
    ("collapse", "奶奶突然倒在地上 叫都不回"),
    ("breathing", "女兒誤吃到蝦 現在一直喘 嘴巴腫起來"),
    ("infant_fever", "寶寶三週大 量到38.3度"),
    (
        "infant_fever",
        "my daughter is twenty six days old and her temperature is thirty eight point two",
    ),
    ("suicide", "我偷偷存了很多安眠藥 想知道吃幾顆會睡過去"),
    ("suicide", "我現在在橋上 如果有人看到 跟我爸說對不起"),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN8)
def test_clinical_pictures_added_after_the_eighth_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        "We had a barbecue in the garden with charcoal, lovely evening.",
        "中秋節在陽台烤肉 用了一包木炭",
        "Is oleander safe to plant where my dog plays?",
        "My heart broke when she left, it's like being squeezed, how do I move on?",
        "My uncle goes for aneurysm screening every year, what does the scan involve?",
        "My 2 month old was 37.6 under the arm, is that counted as a fever?",
        "兩週大的寶寶耳溫37.4 這樣算發燒嗎",
        "Allergic to shrimp, only an itchy mouth, do I really need an EpiPen?",
        "對蝦子過敏只是嘴巴癢 需要準備腎上腺素筆嗎",
        "有人說壓力大會中風 我才30歲",
        "想問一氧化碳中毒有什麼症狀",
        "Our first aid instructor said to call an ambulance if a seizure lasts five minutes.",
        "What does a non blanching rash mean?",
        "我們去河邊散步 看夕陽",
        "the reading was thirty six point eight this morning",
    ],
)
def test_clinical_pictures_added_after_the_eighth_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("call me on zero nine one two three four five six seven eight", "phone", "zero nine"),
        ("打給我 零九三三一二三四五六", "phone", "零九三三一二三四五六"),
        ("I was born on the 3rd of June 1979", "date_of_birth", "3rd of June 1979"),
    ],
)
def test_personal_data_widened_after_the_eighth_blind_set_is_found(text, kind, found):
    result = screen(text)
    assert any(f.kind == kind and found in f.text for f in result.personal_data), result


@pytest.mark.parametrize(
    "text",
    [
        "I scored zero, one two three times in a row",
        "第零一二次回診",
        "She is twenty three and her temperature is thirty seven point one",
    ],
)
def test_digits_in_words_that_are_not_a_phone_number_pass(text):
    assert screen(text).personal_data == (), text


def test_numbers_in_words_are_read_as_one_number():
    tokens = tokenize("twenty three days old, thirty eight point five, 38 point 5")
    assert [v for v in tokens.values if v is not None] == [23, 38.5, 38.5]


# Written fresh for this change (not copied from the ninth blind set).
WIDENED_AFTER_UNSEEN9 = [
    ("suicide", "Took a lot of pills tonight and honestly I don't care if I wake up."),
    ("suicide", "I've decided I'm checking out tonight, everything is ready."),
    ("suicide", "我吃了一整罐安眠藥 要去另一個世界了"),
    ("suicide", "東西都整理好了 這個週末就要去找阿公了"),
    ("suicide", "我站在頂樓欄杆旁邊很久了"),
    ("poisoning", "He drank most of a bottle of whisky and now we can't wake him."),
    ("poisoning", "同學喝了很多高粱 現在叫不醒"),
    ("collapse", "She had two fits and doesn't wake up between them."),
    ("collapse", "阿公突然歪倒在沙發上 叫他只會哼"),
    ("seizure", "阿嬤晚上抖了一次 剛剛又來 中間都迷迷糊糊"),
    ("abdominal", "Dad is vomiting blood and has stomach pain, he nearly fainted."),
    ("abdominal", "吐出像咖啡渣的東西 胃很痛 快昏倒"),
    ("abdominal", "A sudden tearing pain in my belly going through to my back."),
    ("abdominal", "My baby screams in waves and his poo looks like red jelly."),
    ("abdominal", "兒子一陣一陣哭 大便像紅色果凍"),
    ("breathing", "My baby's skin pulls in at the neck and her nostrils are flaring."),
    ("breathing", "阿公講兩三個字就要停下來喘"),
    ("bleeding", "The cut has been bleeding for three hours and I take warfarin."),
    ("bleeding", "割到手流血兩個小時了 我有吃抗凝血劑"),
    ("bleeding", "his leg is open big and the blood not stop"),
    ("head_injury", "He was hit in the head by a ball and now he's shaking all over."),
    ("head_injury", "被球K到頭 現在在抖"),
    ("pregnancy", "懷孕十週 出血量很大還有血塊"),
    ("pregnancy", "30週 寶寶今天比平常安靜很多"),
    ("meningitis", "Fever and headache, I can't stand any light and my neck hurts to bend."),
    ("meningitis", "發燒頭痛 很怕光 脖子彎下去就痛"),
    ("anaphylaxis", "After the amoxicillin her face puffed up and she makes a whistling noise."),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN9)
def test_clinical_pictures_added_after_the_ninth_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        "Watching a drama where the character has a stroke, is that realistic?",
        "小說裡的角色吞了一整瓶安眠藥，急診會洗胃嗎？",
        "News said a man died of carbon monoxide, is my heater safe?",
        "The allergist gave me an EpiPen. How do I teach the school to use it?",
        "I'll be checking out of the hotel this weekend.",
        "清明節要回去掃墓 去找阿公阿嬤",
        "I tore a muscle in my back at the gym.",
        "We had a few beers and he passed out on the sofa after the match last year.",
        "我的脖子很硬 應該是落枕",
    ],
)
def test_clinical_pictures_added_after_the_ninth_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("He's Chen Guo-hua, born 1954/07/09.", "name", "Chen Guo"),
        ("她叫阮氏秋，請問哪間醫院", "name", "阮氏秋"),
        ("寶寶2024/05/02出生", "date_of_birth", "2024/05/02"),
        ("my line id is: meiwu_0617", "handle", "meiwu_0617"),
    ],
)
def test_personal_data_widened_after_the_ninth_blind_set_is_found(text, kind, found):
    result = screen(text)
    assert any(f.kind == kind and found in f.text for f in result.personal_data), result


@pytest.mark.parametrize(
    "text",
    [
        "Called the hospital's public line 02-2312-3456 but nobody answers.",
        "打醫院總機02-2312-3456都沒人接",
        "The phone line is fine now.",
        "他叫救護車了",
    ],
)
def test_public_lines_and_words_after_an_app_name_are_not_personal_data(text):
    assert screen(text).personal_data == (), text


# Written fresh for this change (not copied from the tenth blind set): one text per
# English picture the set's blind run missed (the Chinese ones: test_screening_unseen10_zh.py).
WIDENED_AFTER_UNSEEN10 = [
    ("suicide", "She posted a photo from the roof of her building saying goodbye to everyone."),
    ("suicide", "I used the razor again tonight and this time it went deeper than ever."),
    ("suicide", "Every morning I hope a bus hits me on the way to work."),
    ("suicide", "I keep standing close to the edge of the platform at the station, wanting to."),
    (
        "suicide",
        "I bought a rope and hid it in the garage. Does it hurt? There's no point anymore.",
    ),
    ("poisoning", "He swallowed all of his lithium tablets after the argument."),
    ("poisoning", "I think I took fifteen tablets half an hour ago, I just wanted it to stop."),
    ("poisoning", "My daughter got into the bathroom and drank the toilet bowl cleaner."),
    ("seizure", "He went stiff and is jerking on the floor, it's been three minutes."),
    ("chest_pain", "Back from a long flight, my calf is swollen and now a sharp pain in my chest."),
    ("breathing", "My calf has been swollen since the flight and I'm suddenly short of breath."),
    ("chest_pain", "A heavy pressure spreading into my jaw and arm, and I'm in a cold sweat."),
    ("stroke", "My left arm just went dead and that side of my face feels numb."),
    ("collapse", "Dad is diabetic and he's slumped in the chair, only mumbles when I shake him."),
    ("head_injury", "She hit her head on the windscreen and now she won't wake properly."),
    ("head_injury", "After the fall there's clear fluid dripping from his nose."),
    ("head_injury", "I can't remember the crash at all and the headache is getting worse."),
    ("pregnancy", "I gave birth last week and today I'm soaking a pad every hour with big clots."),
    ("bleeding", "Since I had the baby I'm soaking through pads every hour, and I feel faint."),
    ("meningitis", "My son has a fever and tiny pinprick spots that stay under the glass."),
    ("meningitis", "She has a temperature and screams when I move her neck."),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN10)
def test_clinical_pictures_added_after_the_tenth_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


@pytest.mark.parametrize(
    "text",
    [
        "I cut myself shaving with a new razor and it went a bit deeper than usual.",
        "We took photos near the edge of the cliff for the view.",
        "My kids love jump rope at the gym.",
        "I take 10 tablets a day for my heart, is that too many?",
        "He was shaking all over with chills for a few minutes before the fever broke.",
        "My calf is sore after running; no chest pain, no shortness of breath.",
        "My arm went dead after I slept on it, the face is fine.",
        "I slumped on the couch after work, so tired.",
        "Clear fluid from my nose every morning, it's hay fever.",
        "Hypothetically, if my dad ever got chest pain, should we call 119?",
        "My chest gets tight before exams; the ECG and echo were both normal and the doctor "
        "called it panic attacks.",
        "I gave birth two months ago and the bleeding stopped weeks ago.",
    ],
)
def test_clinical_pictures_added_after_the_tenth_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("可以寄到 chen點mei 小老鼠 gmail 點 com 嗎", "email", "chen點mei 小老鼠 gmail 點 com"),
        ("我的電話零九一二、三四五、六七八", "phone", "零九一二、三四五、六七八"),
    ],
)
def test_personal_data_widened_after_the_tenth_blind_set_is_found(text, kind, found):
    result = screen(text)
    assert any(f.kind == kind and f.text == found for f in result.personal_data), result


@pytest.mark.parametrize(
    "text",
    ["醫院的語音掛號 (02)2312-3456 一直打不通", "家裡有小老鼠 要怎麼消毒 點 com 網站推薦嗎"],
)
def test_booking_lines_and_mice_are_not_personal_data(text):
    assert screen(text).personal_data == (), text


@pytest.mark.parametrize(
    ("text", "alarming"),
    [
        ("弟弟打球撞到頭，自己說沒事，晚上開始一直吐又很想睡", True),
        ("弟弟打球撞到頭，急診醫師說沒事，觀察一晚就回家了，想問多久可以再打球", False),
    ],
)
def test_the_injured_saying_they_are_fine_is_not_a_doctor_saying_so(text, alarming):
    assert ("head_injury" in screen(text).red_flag_kinds) is alarming, text
