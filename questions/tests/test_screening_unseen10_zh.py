"""Chinese red-flag pictures widened after the tenth blind set (unseen10).

The texts are written fresh for this change, not copied from the blind set: a few
alarming variants of each clinical picture, and calm counterparts (negated, resolved, a
question about it, or a figure of speech) that must raise no red flag.
"""

import pytest

from questions.screening import screen

WIDENED_AFTER_UNSEEN10_ZH = [
    ("bleeding", "我割到手腕很深，拿紗布按著血還是一直滲出來"),
    ("bleeding", "爸爸被玻璃割到小腿，浴室地上都是血"),
    ("bleeding", "兒子摔破頭皮，用毛巾壓住了血還一直冒出來"),
    ("poisoning", "我把漂白水和馬桶清潔劑混在一起刷廁所，聞到味道後一直咳，喉嚨好痛"),
    ("poisoning", "媽媽用鹽酸加漂白水洗浴室，現在頭暈想吐胸口悶"),
    ("breathing", "他喘到講一句話就要停下來吸一口氣"),
    ("breathing", "阿嬤現在說話要停好幾次換氣，一直很喘"),
    ("poisoning", "室友吞了一大把安眠藥，現在叫不太醒"),
    ("poisoning", "朋友在夜店吃了搖頭丸，現在全身發燙一直抽"),
    ("poisoning", "表哥說用了K他命很嗨，現在倒在地上叫不醒"),
    ("anaphylaxis", "打完疫苗半小時，全身起紅疹，頭好暈快昏倒"),
    ("anaphylaxis", "吃了蝦子以後身上冒出一塊一塊的蕁麻疹，現在眼前發黑站不穩"),
    ("anaphylaxis", "女兒對蛋過敏，剛剛不小心吃到蛋糕，現在說喉嚨癢癢的，嘴巴也腫起來了"),
    ("anaphylaxis", "吃完堅果，他一直抓喉嚨，眼皮腫起來還吐了"),
    ("chest_pain", "心口悶悶的一直痛到下巴，還冒冷汗想吐"),
    ("chest_pain", "上腹緊緊的，左手臂麻，整個人一直流汗"),
    ("chest_pain", "阿公說心肝頭足艱苦，一直冒冷汗"),
    ("chest_pain", "阿嬤講胸坎像被人擰，臉色發白，已經二十分鐘"),
    ("stroke", "爺爺睡醒發現右手右腳都沒力，連筷子都拿不穩"),
    ("stroke", "媽媽一早起來就說右邊的手腳麻麻的使不上力"),
    ("stroke", "阿公剛剛突然開始胡言亂語，問他話都答非所問"),
    ("stroke", "媽媽午睡醒來講一些聽不懂的話，也聽不懂我們講什麼"),
    ("stroke", "剛剛吃飯時右手突然不聽使喚，筷子一直掉"),
    ("stroke", "爸爸的左腳突然使不上力，嘴巴也有點歪"),
    ("pregnancy", "剖腹產後一週，今天出血突然變很多，有雞蛋大的血塊"),
    ("bleeding", "剖腹產後一週，今天出血突然變很多，有雞蛋大的血塊"),
    ("pregnancy", "產後第五天，產墊一個小時就濕透，人很虛"),
    ("bleeding", "產後第五天，產墊一個小時就濕透，人很虛"),
    ("bleeding", "懷孕二十八週，一直流鮮紅的血，衛生棉半小時就濕透"),
    ("seizure", "舅舅突然倒地，全身僵硬，口吐白沫，叫他沒反應"),
    ("seizure", "阿姨吐白沫一直抽，快十分鐘了"),
    ("head_injury", "騎車摔倒安全帽都撞裂了，回家後一直吐又很想睡"),
    ("head_injury", "弟弟機車摔車，安全帽破了，剛剛開始抽搐"),
    ("meningitis", "女兒 fever 39度，neck 好 stiff，一直吐"),
    ("meningitis", "發高燒又脖子僵硬不能低頭，手腳冰冷，越來越想睡"),
    ("meningitis", "兒子發燒到39度，手腳冰冰的，越來越想睡叫不太醒"),
]


@pytest.mark.parametrize(("kind", "text"), WIDENED_AFTER_UNSEEN10_ZH)
def test_chinese_pictures_added_after_the_tenth_blind_set_alarm(kind, text):
    assert kind in screen(text).red_flag_kinds, text


CALM_AFTER_UNSEEN10_ZH = [
    "傷口壓著會滲一點點血，這樣需要縫嗎",
    "傷口已經不流血了，結痂會癢正常嗎",
    "傷口壓著會一直滲黃色的組織液，要換藥嗎",
    "小孩最近常常一直流鼻血，要看哪一科",
    "漂白水跟鹽酸可以一起用嗎？會產生什麼氣體",
    "上台講話會緊張，講一句就要停下來，是社交焦慮嗎",
    "醫生開曲馬多給我止痛，一天吃幾顆比較安全",
    "打完疫苗手臂有點紅腫，沒有頭暈也沒有喘，需要冰敷嗎",
    "女兒對堅果過敏很多年都沒事，搭飛機要帶幾支腎上腺素筆",
    "拔完智齒下巴痛，吃止痛藥會胃痛想吐嗎",
    "阿嬤咳嗽咳到胸坎痛，有什麼止咳藥",
    "跟老公吵架他都答非所問，好生氣",
    "打字打太多，手腕使不上力，是腱鞘炎嗎",
    "被小孩氣到快中風，晚上都睡不著",
    "爸爸有帕金森氏症，手常常不聽使喚，藥要怎麼調",
    "骨刺壓迫神經，左手左腳麻好幾個月了",
    "產後兩週惡露還有一點點，有小血塊正常嗎",
    "月經量多，每個月都要用夜用衛生棉，一小時就要換嗎",
    "發燒畏寒全身發抖，蓋被子還是冷",
    "我家的狗口吐白沫一直抖，要帶去哪裡看",
    "安全帽裂了還能戴嗎？要換新的嗎",
    "落枕脖子好硬，轉不動，沒有發燒",
    "小孩發燒手腳冰冷，是不是還會再燒上去",
    "爬樓梯會喘，講話還好，需要檢查心臟嗎",
    "吃海鮮以後嘴唇有點癢，以前就會這樣，沒有腫也沒有喘",
    "胃食道逆流的時候心窩會灼熱，吃藥就好",
    "產後一個小時就要餵一次奶嗎",
    "曲馬多吃了會想吐嗎",
    "心窩悶悶的，晚上睡覺會盜汗",
    "打完流感疫苗，手臂腫起來，有點頭暈",
    "喉嚨癢一直咳，吃了感冒藥也沒用",
    "脖子癢起疹子，是不是對新的洗髮精過敏",
    "月經來十天了還一直流血，要看婦產科嗎",
    "感冒咳嗽，講話講到一半就要停下來咳",
    "早上起來時右手手指麻，有腕隧道症候群",
    "剛剛考試我的回答牛頭不對馬嘴，好丟臉",
    "低血糖全身發抖，冒冷汗，倒在沙發上",
    "吃了好多顆喉糖，喉嚨還是痛",
    "吃了一堆藥還是沒好，要換醫生嗎",
    "阿嬤感冒咳嗽，胸坎一直足艱苦",
    "安全帽破了，頭有點痛，要去看嗎",
    "殺魚的時候地上都是血，怎麼清比較乾淨",
    "我的手常常不聽使喚，寫字會抖，是原發性顫抖嗎",
    "漂白水跟洗碗精一起用會怎樣？",
    "唱歌的時候講話要換氣，怎麼練",
]


@pytest.mark.parametrize("text", CALM_AFTER_UNSEEN10_ZH)
def test_chinese_pictures_added_after_the_tenth_blind_set_leave_calm_texts_alone(text):
    assert screen(text).red_flags == (), text
