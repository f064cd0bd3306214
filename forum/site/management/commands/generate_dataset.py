"""Synthetic published, answered questions for benchmarks.

    python manage.py generate_dataset --questions 1000000 --tags 20000 --seed 1

Every generated question is published and answered by one or two doctors of its
specialty, and carries 1-5 tags drawn from a Zipf law (tag of rank r has weight
1/r, so with 20,000 tags the most common one sits on roughly a quarter of all
questions and most tags on a handful). Ids grow with time, as on a live site.

The command tops the dataset up to --questions: generated questions belong to a
pool of generated patient accounts (``@dataset.invalid``), and a second run with
the same numbers adds nothing. Specialties, doctors and tags are reused by slug.

PostgreSQL rows go in through COPY (psycopg 3's ``cursor.copy``), in chunks that
each commit, with ids reserved from the tables' sequences; other databases use
``bulk_create`` in batches. A million questions take minutes on PostgreSQL.

It writes the tables of every app (users and doctors, questions and tags, replies), so
it lives in the site layer, the one allowed to know them all. It is one file (over 400
lines) because its word lists in English and Chinese are its data: the generation code
itself is the short half.
"""

from __future__ import annotations

import bisect
import random
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils.text import slugify

from answers.models import Reply
from forum.models import DoctorProfile, Specialty, User
from questions.models import Question, Tag, TaggedQuestion

EMAIL_DOMAIN = "dataset.invalid"
SPECIALTIES = [
    ("Neurology", "neurology"),
    ("Cardiology", "cardiology"),
    ("Dermatology", "dermatology"),
    ("Family Medicine", "family-medicine"),
    ("Gastroenterology", "gastroenterology"),
    ("Obstetrics and Gynecology", "obstetrics-and-gynecology"),
    ("Ophthalmology", "ophthalmology"),
    ("Orthopedics", "orthopedics"),
    ("Otolaryngology", "otolaryngology"),
    ("Pediatrics", "pediatrics"),
    ("Psychiatry", "psychiatry"),
    ("Pulmonology", "pulmonology"),
    ("Urology", "urology"),
    ("Endocrinology", "endocrinology"),
]
TERMS = [
    "headache", "migraine", "dizziness", "insomnia", "tinnitus", "fatigue", "cough", "fever",
    "rash", "eczema", "acne", "hair loss", "back pain", "knee pain", "neck stiffness",
    "shoulder pain", "numbness", "tremor", "palpitations", "chest tightness", "high blood pressure",
    "cholesterol", "heartburn", "bloating", "constipation", "diarrhea", "nausea", "sore throat",
    "nasal congestion", "ear pain", "blurred vision", "dry eyes", "floaters", "anxiety",
    "low mood", "panic attacks", "irregular periods", "pelvic pain", "frequent urination",
    "kidney stones", "thyroid", "blood sugar", "weight gain", "joint swelling", "muscle cramps",
    "snoring", "shortness of breath", "allergies", "itching", "bruising", "anemia", "vitamin d",
    "sprained ankle", "wrist pain", "jaw pain", "mouth ulcers", "hiccups", "night sweats",
    "cold hands", "leg swelling",
]  # fmt: skip
SITUATIONS = [
    "after a long day at work", "when I wake up", "after exercise", "at night",
    "since a recent cold", "after meals", "when the weather changes", "during exams",
    "since starting a new job", "after a long flight", "on and off for months", "since last week",
]  # fmt: skip
QUESTION_OPENERS = [
    "For the past few weeks I have noticed {a} {when}.",
    "I keep getting {a}, mostly {when}, and it is starting to worry me.",
    "My {a} comes and goes {when}; it lasts from a few minutes to an hour.",
    "Since {when2} I have had {a}, and lately also some {b}.",
]
QUESTION_MIDDLES = [
    "I sleep about seven hours, drink two cups of coffee a day and do not smoke.",
    "A clinic checked my blood pressure last month and said it was normal.",
    "Resting seems to help a little, but it returns the next day.",
    "Nobody in my family has had anything similar as far as I know.",
    "I took an over-the-counter painkiller twice, which helped for a while.",
]
QUESTION_CLOSERS = [
    "Should I see a specialist, and which tests would help?",
    "Is this something to worry about, or can I wait and watch?",
    "What could cause this, and what can I do at home?",
    "Could {b} be related to it?",
]
REPLY_OPENERS = [
    "Hello, thank you for the detailed description.",
    "Hello, {a} has many possible causes and most of them are not serious.",
    "Thank you for your question.",
]
REPLY_MIDDLES = [
    "Keeping a simple diary of when it happens, what you ate and how you slept often shows a pattern.",  # noqa: E501
    "Please have a check-up so a doctor can examine you and decide whether blood tests are needed.",
    "Regular sleep, enough water and gentle exercise help in many cases like yours.",
    "If it becomes more frequent, please see a doctor in person rather than waiting.",
]
REPLY_CLOSERS = [
    "Go to an emergency department at once if you notice weakness, confusion or severe pain.",
    "I hope you feel better soon.",
    "Wishing you good health.",
]
# Traditional Chinese, as patients and doctors in Taiwan write: TERMS_ZH[i] is TERMS[i]
# (so a tag's questions are about one thing in both languages), with full-width
# punctuation. The terms are in questions/zh_terms.txt, the vocabulary search splits
# Chinese queries by.
TERMS_ZH = [
    "頭痛", "偏頭痛", "頭暈", "失眠", "耳鳴", "疲倦", "咳嗽", "發燒", "紅疹", "濕疹",
    "青春痘", "掉髮", "下背痛", "膝蓋痛", "脖子僵硬", "肩膀痛", "手麻", "手抖", "心悸", "胸悶",
    "高血壓", "膽固醇", "胃食道逆流", "脹氣", "便秘", "腹瀉", "噁心", "喉嚨痛", "鼻塞",
    "耳朵痛", "視力模糊", "乾眼症", "飛蚊症", "焦慮", "憂鬱", "恐慌症", "月經不規則",
    "下腹痛", "頻尿", "腎結石", "甲狀腺亢進", "血糖", "體重增加", "關節腫脹", "肌肉抽筋",
    "打鼾", "呼吸急促", "過敏", "搔癢", "瘀青", "貧血", "維生素", "腳踝扭傷", "手腕痛",
    "顳顎關節", "口腔潰瘍", "打嗝", "盜汗", "手腳冰冷", "腿部水腫",
]  # fmt: skip
SITUATIONS_ZH = [
    "下班後", "早上起床時", "運動完", "晚上", "感冒之後", "吃完飯後", "天氣變化時",
    "考試期間", "換新工作以後", "長途飛行後", "斷斷續續好幾個月", "從上禮拜開始",
]  # fmt: skip
TITLES_ZH = [
    "{when}{a}，是什麼原因？",
    "{when}常常{a}怎麼辦",
    "{a}好幾個禮拜了，需要看醫生嗎？",
]
QUESTION_OPENERS_ZH = [
    "最近幾個禮拜{when}常常{a}。",
    "我{when}一直{a}，開始有點擔心。",
    "{when}{a}的情況時好時壞，每次持續幾分鐘到一個小時。",
    "{when2}就有{a}，最近還有{b}。",
]
QUESTION_MIDDLES_ZH = [
    "我每天大概睡七個小時，一天喝兩杯咖啡，沒有抽菸。",
    "上個月在診所量血壓，醫師說是正常的。",
    "休息一下會好一點，但是隔天又會再出現。",
    "家裡的人好像沒有類似的狀況。",
    "我吃過兩次成藥止痛藥，有暫時緩解。",
]
QUESTION_CLOSERS_ZH = [
    "請問需要看哪一科？要做哪些檢查？",
    "這樣需要擔心嗎？還是可以先觀察？",
    "請問可能是什麼原因？在家可以怎麼改善？",
    "{b}會不會跟這個有關係？",
]
REPLY_OPENERS_ZH = [
    "您好，謝謝您詳細的描述。",
    "您好，{a}的原因很多，大部分都不嚴重。",
    "謝謝您的提問。",
]
REPLY_MIDDLES_ZH = [
    "建議您記錄每次發生的時間、吃了什麼和睡眠狀況，常常可以找出規律。",
    "建議到門診讓醫師檢查，再決定是否需要抽血。",
    "規律作息、多喝水和適度運動，對很多像您這樣的情況都有幫助。",
    "如果發生得越來越頻繁，請直接到門診就醫，不要一直等。",
]
REPLY_CLOSERS_ZH = [
    "如果出現無力、意識不清或劇烈疼痛，請立刻到急診。",
    "祝您早日康復。",
    "祝您身體健康。",
]
NICKNAMES_ZH = ["小美", "阿明", "Kiwi", "小雨", "阿宏", "Hana", "小芳", "阿傑", "豆花"]
LANGUAGES = ("en", "zh-hant", "mix")
NICKNAMES = ["Walker", "Maple", "Kiwi", "Sunny", "Pebble", "Hana", "Orca", "Lumi", "Tofu"]
SURNAMES = ["Lin", "Chen", "Wang", "Huang", "Chang", "Lee", "Wu", "Tsai", "Liu", "Yang", "Hsu"]
GIVEN = ["Mei-hua", "Wen-hsiung", "Ya-ting", "Chih-ming", "Shu-fen", "Kuan-yu", "Pei-ling"]
TAGS_PER_QUESTION = [1, 2, 3, 4, 5]
TAGS_PER_QUESTION_WEIGHTS = [20, 30, 25, 15, 10]
SECOND_REPLY_SHARE = 0.35
START = datetime(2021, 1, 1, tzinfo=UTC)
QUESTION_EVERY = timedelta(seconds=150)
AGE_RANGES = list(Question.AgeRange.values)
SEXES = list(Question.Sex.values)


class Command(BaseCommand):
    help = (
        "Generate synthetic published, answered questions with doctors' replies and "
        "Zipf-distributed tags, topping the dataset up to --questions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=int, required=True, help="Questions wanted.")
        parser.add_argument("--tags", type=int, default=2000, help="Size of the tag vocabulary.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument(
            "--doctors", type=int, default=0, help="Doctors (default: one per 500 questions)."
        )
        parser.add_argument(
            "--chunk", type=int, default=50_000, help="Questions per transaction (PostgreSQL)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be done.")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default="en",
            help="Language of the questions and replies: en, zh-hant (Traditional Chinese) "
            "or mix (every other question in each).",
        )

    def handle(
        self, *args, questions, tags, seed, doctors, chunk, dry_run, language="en", **options
    ):
        if questions < 0 or tags < 1 or chunk < 1:
            raise CommandError("--questions must be >= 0, --tags and --chunk >= 1.")
        doctors = doctors or min(2000, max(2 * len(SPECIALTIES), questions // 500))
        patients = min(1000, max(5, questions // 20))
        existing = generated_question_count()
        todo = max(0, questions - existing)
        use_copy = connection.vendor == "postgresql"
        plan = (
            f"{existing} generated questions exist; adding {todo} "
            f"(language: {language}, tags: {tags}, doctors: {doctors}, patients: {patients}, "
            f"seed: {seed}, "
            f"inserts: {'COPY' if use_copy else 'bulk_create'})"
        )
        if dry_run:
            self.stdout.write("Dry run: " + plan)
            return
        self.stdout.write(plan)
        if todo == 0:
            self.stdout.write("Nothing to do.")
            return

        started = time.monotonic()
        rng = random.Random(f"{seed}:{existing}")
        with transaction.atomic():
            specialties = ensure_specialties()
            doctors_by_specialty = ensure_doctors(doctors, specialties)
            patient_ids = ensure_patients(patients)
            tag_ids = ensure_tags(tags)
        cum_weights = list(accumulate(1.0 / rank for rank in range(1, len(tag_ids) + 1)))
        maker = RowMaker(
            rng=rng,
            specialty_ids=[s.pk for s in specialties],
            doctors_by_specialty=doctors_by_specialty,
            patient_ids=patient_ids,
            tag_ids=tag_ids,
            cum_weights=cum_weights,
            first_number=existing,
            language=language,
        )
        write = copy_rows if use_copy else bulk_create_rows
        step = chunk if use_copy else min(chunk, 2000)
        counts = {"questions": 0, "replies": 0, "tag links": 0}
        for start in range(0, todo, step):
            size = min(step, todo - start)
            with transaction.atomic():
                q_rows, r_rows, t_rows = maker.make(size)
                write(q_rows, r_rows, t_rows)
            counts["questions"] += len(q_rows)
            counts["replies"] += len(r_rows)
            counts["tag links"] += len(t_rows)
            if use_copy and todo > step:
                self.stdout.write(f"  {start + size}/{todo} questions")
        if use_copy:
            with connection.cursor() as cursor:
                for model in (Question, Reply, TaggedQuestion):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Added {summary} in {time.monotonic() - started:.1f}s.")
        )


def generated_question_count() -> int:
    return Question.objects.filter(author__email__endswith=f"@{EMAIL_DOMAIN}").count()


def ensure_specialties() -> list[Specialty]:
    for position, (name, slug) in enumerate(SPECIALTIES):
        Specialty.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    by_slug = Specialty.objects.in_bulk([slug for _, slug in SPECIALTIES], field_name="slug")
    return [by_slug[slug] for _, slug in SPECIALTIES]


def ensure_doctors(count: int, specialties: list[Specialty]) -> dict[int, list[int]]:
    """Verified doctors, spread round-robin over the specialties: {specialty id: [doctor ids]}."""
    emails = [f"doctor-{i}@{EMAIL_DOMAIN}" for i in range(count)]
    _ensure_users(emails)
    users = User.objects.in_bulk(emails, field_name="email")
    profiles = DoctorProfile.objects.in_bulk(
        [f"dataset-doctor-{i}" for i in range(count)], field_name="slug"
    )
    new = []
    for i in range(count):
        if f"dataset-doctor-{i}" not in profiles:
            new.append(
                DoctorProfile(
                    user=users[emails[i]],
                    slug=f"dataset-doctor-{i}",
                    display_name=f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]} {i}",
                    license_number=f"DS-{i:06d}",
                    hospital=f"{SPECIALTIES[i % len(SPECIALTIES)][0]} Clinic {i % 40 + 1}",
                    status=DoctorProfile.Status.VERIFIED,
                    verified_at=datetime(2020, 1, 1, tzinfo=UTC),
                )
            )
    DoctorProfile.objects.bulk_create(new, batch_size=1000)
    profiles = DoctorProfile.objects.in_bulk(
        [f"dataset-doctor-{i}" for i in range(count)], field_name="slug"
    )
    links = DoctorProfile.specialties.through
    links.objects.bulk_create(
        [
            links(doctorprofile_id=profile.pk, specialty_id=specialties[i % len(specialties)].pk)
            for i, profile in ((p, profiles[f"dataset-doctor-{p}"]) for p in range(count))
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    doctors_group = Group.objects.filter(name="Doctors").first()
    if doctors_group:
        memberships = User.groups.through
        memberships.objects.bulk_create(
            [memberships(user_id=user.pk, group_id=doctors_group.pk) for user in users.values()],
            ignore_conflicts=True,
            batch_size=1000,
        )
    by_specialty: dict[int, list[int]] = {s.pk: [] for s in specialties}
    for i in range(count):
        by_specialty[specialties[i % len(specialties)].pk].append(
            profiles[f"dataset-doctor-{i}"].pk
        )
    return by_specialty


def ensure_patients(count: int) -> list[int]:
    emails = [f"patient-{i}@{EMAIL_DOMAIN}" for i in range(count)]
    _ensure_users(emails)
    return list(User.objects.filter(email__in=emails).order_by("pk").values_list("pk", flat=True))


def _ensure_users(emails: list[str]) -> None:
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    new = [User(email=email, password="!") for email in emails if email not in known]
    User.objects.bulk_create(new, batch_size=1000)


def ensure_tags(count: int) -> list[int]:
    """Tag ids by popularity rank (rank 1 first)."""
    names = [f"{TERMS[rank % len(TERMS)]} {rank + 1}" for rank in range(count)]
    slugs = [slugify(name) for name in names]
    known: dict[str, int] = {}
    for start in range(0, count, 5000):
        batch = slugs[start : start + 5000]
        known.update(Tag.objects.filter(slug__in=batch).values_list("slug", "pk"))
    Tag.objects.bulk_create(
        [Tag(name=n, slug=s) for n, s in zip(names, slugs, strict=True) if s not in known],
        batch_size=2000,
        ignore_conflicts=True,
    )
    for start in range(0, count, 5000):
        batch = slugs[start : start + 5000]
        known.update(Tag.objects.filter(slug__in=batch).values_list("slug", "pk"))
    return [known[slug] for slug in slugs]


class RowMaker:
    """Makes rows chunk by chunk. The n-th generated question is asked n * QUESTION_EVERY
    after START, so times grow with ids across top-ups too (a million span about 4.8 years)."""

    def __init__(
        self,
        *,
        rng,
        specialty_ids,
        doctors_by_specialty,
        patient_ids,
        tag_ids,
        cum_weights,
        first_number,
        language="en",
    ):
        self.rng = rng
        self.language = language
        self.specialty_ids = specialty_ids
        self.doctors_by_specialty = doctors_by_specialty
        self.patient_ids = patient_ids
        self.tag_ids = tag_ids
        self.cum_weights = cum_weights
        self.total_weight = cum_weights[-1]
        # A tag's "home" specialty, so tags and specialties go together as they do in life.
        self.tag_specialty = [
            specialty_ids[rank % len(specialty_ids)] for rank in range(len(tag_ids))
        ]
        self.made = first_number
        self.reply_model = Reply

    def _tag_ranks(self) -> list[int]:
        wanted = self.rng.choices(TAGS_PER_QUESTION, TAGS_PER_QUESTION_WEIGHTS)[0]
        wanted = min(wanted, len(self.tag_ids))
        ranks: list[int] = []
        while len(ranks) < wanted:
            rank = bisect.bisect_left(self.cum_weights, self.rng.random() * self.total_weight)
            rank = min(rank, len(self.tag_ids) - 1)
            if rank not in ranks:
                ranks.append(rank)
        return ranks

    def _chinese_question(self, a: str, b: str) -> tuple[str, str]:
        rng = self.rng
        when = rng.choice(SITUATIONS_ZH)
        title = rng.choice(TITLES_ZH).format(a=a, when=when)
        body = "".join(
            [
                rng.choice(QUESTION_OPENERS_ZH).format(
                    a=a, b=b, when=when, when2=rng.choice(SITUATIONS_ZH)
                ),
                rng.choice(QUESTION_MIDDLES_ZH),
                "\n\n" + rng.choice(QUESTION_CLOSERS_ZH).format(b=b),
            ]
        )
        return title, body

    def _chinese_reply(self, a: str) -> str:
        rng = self.rng
        return "".join(
            [
                rng.choice(REPLY_OPENERS_ZH).format(a=a),
                rng.choice(REPLY_MIDDLES_ZH),
                "\n\n" + rng.choice(REPLY_CLOSERS_ZH),
            ]
        )

    def make(self, size: int):
        rng = self.rng
        q_ids = reserve_ids(Question, size)
        questions, replies, links = [], [], []
        for q_id in q_ids:
            ranks = self._tag_ranks()
            terms = [TERMS[rank % len(TERMS)] for rank in ranks]
            a, b = terms[0], terms[-1] if len(terms) > 1 else rng.choice(TERMS)
            specialty_id = (
                self.tag_specialty[ranks[0]]
                if rng.random() < 0.8
                else rng.choice(self.specialty_ids)
            )
            created = START + QUESTION_EVERY * self.made + timedelta(seconds=rng.randrange(120))
            self.made += 1
            answered = created + timedelta(minutes=rng.randrange(20, 4 * 24 * 60))
            chinese = self.language == "zh-hant" or (self.language == "mix" and self.made % 2)
            if chinese:
                a, b = TERMS_ZH[ranks[0] % len(TERMS)], TERMS_ZH[TERMS.index(b)]
                title, body = self._chinese_question(a, b)
            else:
                when = rng.choice(SITUATIONS)
                title = f"{a.capitalize()} {when}: what could it be?"
                body = " ".join(
                    [
                        rng.choice(QUESTION_OPENERS).format(
                            a=a, b=b, when=when, when2=rng.choice(SITUATIONS)
                        ),  # noqa: E501
                        rng.choice(QUESTION_MIDDLES),
                        "\n\n" + rng.choice(QUESTION_CLOSERS).format(b=b),
                    ]
                )
            questions.append(
                {
                    "id": q_id,
                    "author_id": rng.choice(self.patient_ids),
                    "nickname": f"{rng.choice(NICKNAMES_ZH if chinese else NICKNAMES)}"
                    f"{rng.randrange(1000)}",
                    "subject": "self",
                    "age_range": rng.choice(AGE_RANGES),
                    "sex": rng.choice(SEXES),
                    "specialty_id": specialty_id,
                    "title": title[:150],
                    "slug": slugify(title, allow_unicode=True)[:160].strip("-") or "question",
                    "body": body,
                    "language": "zh-hant" if chinese else "en",
                    "status": Question.Status.PUBLISHED,
                    "created_at": created,
                    "updated_at": answered,
                    "published_at": created + timedelta(minutes=rng.randrange(5, 120)),
                    "answered_at": answered,
                }
            )
            doctors = self.doctors_by_specialty[specialty_id]
            reply_count = 2 if rng.random() < SECOND_REPLY_SHARE else 1
            published = answered
            for doctor_id in rng.sample(doctors, min(reply_count, len(doctors))):
                replies.append(
                    {
                        "question_id": q_id,
                        "doctor_id": doctor_id,
                        "body": self._chinese_reply(a)
                        if chinese
                        else " ".join(
                            [
                                rng.choice(REPLY_OPENERS).format(a=a),
                                rng.choice(REPLY_MIDDLES),
                                "\n\n" + rng.choice(REPLY_CLOSERS),
                            ]
                        ),
                        "status": self.reply_model.Status.PUBLISHED,
                        "language": "zh-hant" if chinese else "en",
                        "thanks_count": rng.randrange(4),
                        "created_at": published - timedelta(minutes=15),
                        "updated_at": published,
                        "published_at": published,
                    }
                )
                published += timedelta(hours=rng.randrange(1, 48))
            links.extend({"content_object_id": q_id, "tag_id": self.tag_ids[r]} for r in ranks)
        for row, pk in zip(replies, reserve_ids(self.reply_model, len(replies)), strict=True):
            row["id"] = pk
        for row, pk in zip(links, reserve_ids(TaggedQuestion, len(links)), strict=True):
            row["id"] = pk
        return questions, replies, links


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows: from the sequence on PostgreSQL, after MAX(id) elsewhere.

    On SQLite the surrounding transaction holds the write lock, so MAX(id) is safe.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        base = cursor.fetchone()[0]
    return list(range(base + 1, base + count + 1))


def _copy(model: type[models.Model], rows: list[dict]) -> None:
    """COPY rows into the model's table; columns the rows leave out get the field default."""
    fields = model._meta.concrete_fields
    defaults = {}
    for field in fields:
        if rows and field.attname not in rows[0]:
            defaults[field.attname] = field.get_db_prep_save(field.get_default(), connection)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    names = [field.attname for field in fields]
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] if n in row else defaults[n] for n in names])


def copy_rows(questions: list[dict], replies: list[dict], links: list[dict]) -> None:
    # The rows point at rows that exist by construction, so when we may, skip the
    # per-row foreign-key triggers: they would otherwise cost a third of the time.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        skip_triggers = cursor.fetchone()[0]
        if skip_triggers:
            cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            _copy(Question, questions)
            _copy(Reply, replies)
            _copy(TaggedQuestion, links)
        finally:
            if skip_triggers:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def bulk_create_rows(questions: list[dict], replies: list[dict], links: list[dict]) -> None:
    new_questions = [Question(**row) for row in questions]
    new_replies = [Reply(**row) for row in replies]
    Question.objects.bulk_create(new_questions, batch_size=500)
    Reply.objects.bulk_create(new_replies, batch_size=500)
    TaggedQuestion.objects.bulk_create([TaggedQuestion(**row) for row in links], batch_size=500)
    # bulk_create stamps auto_now fields with "now"; put the generated history back.
    for obj, row in zip(new_questions, questions, strict=True):
        obj.created_at, obj.updated_at = row["created_at"], row["updated_at"]
    for obj, row in zip(new_replies, replies, strict=True):
        obj.created_at, obj.updated_at = row["created_at"], row["updated_at"]
    Question.objects.bulk_update(new_questions, ["created_at", "updated_at"], batch_size=500)
    Reply.objects.bulk_update(new_replies, ["created_at", "updated_at"], batch_size=500)
