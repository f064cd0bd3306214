"""Traditional Chinese names and descriptions of the standard specialties (by slug), as
Taiwanese hospitals name their departments: fixtures/specialties.json carries them, and
the migrations that added `Specialty.name_zh_hant` and `Specialty.description_zh_hant`
fill them in on existing databases."""

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

# Each standard specialty's description in Traditional Chinese, as a Taiwanese hospital's
# department page would put it (the English ones are in fixtures/specialties.json).
ZH_HANT_DESCRIPTIONS = {
    "family-medicine": (
        "提供各年齡層的第一線照護，包括日常疾病、預防保健與慢性病追蹤，需要時協助轉介至專科醫師。"
    ),
    "internal-medicine": "成人疾病的診斷與非手術治療，特別是涉及多個器官系統或多種慢性病的情況。",
    "cardiology": "心臟與血管的疾病：胸悶胸痛、心悸、高血壓、膽固醇過高與心臟衰竭。",
    "neurology": "腦、脊髓、神經與肌肉的疾病，例如頭痛、頭暈、手腳麻木、顫抖、抽動與癲癇。",
    "dermatology": "皮膚、毛髮與指甲的問題，從紅疹、濕疹、青春痘到形狀改變的痣。",
    "pediatrics": "嬰幼兒、兒童與青少年的健康、生長與發展，包括發燒、咳嗽、餵食與預防接種。",
    "obstetrics-and-gynecology": "懷孕與生產照護、月經問題、避孕，以及女性生殖系統的其他困擾。",
    "orthopedics": "骨骼、關節、韌帶與肌腱：運動傷害、骨折、腰痛、膝蓋痛與關節炎。",
    "ophthalmology": "眼睛健康與視力，包括眼睛乾澀或泛紅、飛蚊症、青光眼、白內障與視力變化。",
    "otolaryngology-ent": "耳朵、鼻子與喉嚨：聽力減退、耳鳴、鼻竇問題、反覆喉嚨痛與聲音沙啞。",
    "psychiatry": "焦慮、憂鬱、恐慌與睡眠障礙等心理健康問題，以心理治療與藥物治療。",
    "gastroenterology": "消化道、肝臟與胰臟：胃食道逆流、腹痛、排便習慣改變與肝功能異常。",
    "urology": "腎臟、膀胱、泌尿道與男性生殖器官，包括排尿不適與結石。",
    "endocrinology": (
        "荷爾蒙與代謝疾病，例如糖尿病、甲狀腺疾病、骨質疏鬆，以及腎上腺或腦下垂體問題。"
    ),
    "pulmonology": "肺部與呼吸：久咳不癒、氣喘、慢性阻塞性肺病、呼吸困難與睡眠呼吸中止症。",
    "nephrology": "腎臟功能及其疾病，包括蛋白尿或血尿、慢性腎臟病與透析照護。",
    "rheumatology": (
        "關節、肌肉與結締組織的發炎及自體免疫疾病，例如類風濕性關節炎、紅斑性狼瘡與痛風。"
    ),
    "infectious-diseases": "細菌、病毒、黴菌與寄生蟲引起的感染，包括旅遊醫學與難以治療的感染。",
    "oncology": "癌症的診斷與治療，並在治療期間與治療後支持病人及家屬。",
    "rehabilitation-medicine": (
        "在受傷、手術、中風或長期疼痛後恢復活動與功能，常與物理治療師及職能治療師合作。"
    ),
    "dentistry": "牙齒、牙齦與口腔：牙痛、牙齦出血、顳顎關節疼痛與預防性牙科保健。",
    "nutrition": "為健康、體重管理與糖尿病、腎臟病或食物不耐等疾病規劃飲食與進食習慣。",
    "allergy-and-immunology": (
        "過敏性疾病，例如過敏性鼻炎、蕁麻疹、食物與藥物過敏，以及免疫系統的問題。"
    ),
    "emergency-medicine": "突發疾病與外傷的緊急評估與處置，並說明哪些症狀需要立即就醫。",
    "general-surgery": "腹部、皮膚與軟組織的手術，例如疝氣、膽囊與闌尾手術。",
}
