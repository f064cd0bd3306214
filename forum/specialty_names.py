"""Traditional Chinese names of the standard specialties (by slug), as Taiwanese
hospitals name their departments: fixtures/specialties.json carries them, and the
migration that added `Specialty.name_zh_hant` fills them in on existing databases."""

ZH_HANT_NAMES = {
    "family-medicine": "家庭醫學科",
    "internal-medicine": "一般內科",
    "cardiology": "心臟內科",
    "neurology": "神經內科",
    "dermatology": "皮膚科",
    "pediatrics": "小兒科",
    "obstetrics-and-gynecology": "婦產科",
    "orthopedics": "骨科",
    "ophthalmology": "眼科",
    "otolaryngology-ent": "耳鼻喉科",
    "psychiatry": "精神科",
    "gastroenterology": "腸胃內科",
    "urology": "泌尿科",
    "endocrinology": "新陳代謝科",
    "pulmonology": "胸腔內科",
    "nephrology": "腎臟內科",
    "rheumatology": "風濕免疫科",
    "infectious-diseases": "感染科",
    "oncology": "腫瘤科",
    "rehabilitation-medicine": "復健科",
    "dentistry": "牙科",
    "nutrition": "營養科",
    "allergy-and-immunology": "過敏免疫科",
    "emergency-medicine": "急診醫學科",
    "general-surgery": "一般外科",
}
