"""A small, hand-written medicines FAQ in English and Korean, with retrieval test questions.

API: ``medai.datasets.load("pharmacy_faq")`` (no options) returns a ``TableDataset`` with

* ``tables["passages"]``: one row per passage and language (``passage_id``, ``language``
  ``"en"``/``"ko"``, ``topic``, ``title``, ``text``, ``source``). Each passage exists in
  both languages under the same ``passage_id``; the Korean text translates the English.
* ``tables["questions"]``: test questions (``question_id``, ``language``, ``question``,
  ``answer_ids``: list of the passage ids that answer it, empty when the corpus has no
  answer; ``answerable``: bool). Every question exists in both languages under the same
  ``question_id``.

Why it exists: a retrieval-augmented "FAQ assistant" must be evaluated on questions whose
right passages are known (recall@k, MRR) and must refuse questions the corpus cannot answer.
The passages paraphrase, in general terms, public patient information (NHS medicines pages,
US FDA safety communications, Korean MFDS guidance on using and discarding medicines); they
were written for teaching by the medai authors, give only widely stated facts, and are not
medical advice. The questions are worded differently from the passages on purpose (synonyms,
lay terms, brand-free names) so that word overlap alone does not solve the task.

Nothing is random: the corpus is fixed text. ``ground_truth`` holds the relevance
judgements as a mapping question_id -> answer ids (the same as the column).
"""

from __future__ import annotations

from medai.datasets.registry import DatasetSpec

NAME = "pharmacy_faq"
NHS = "NHS website, medicines A to Z"
MFDS = "Korean Ministry of Food and Drug Safety (MFDS), public guidance on safe medicine use"

# (passage_id, topic, source, English title, English text, Korean title, Korean text)
PASSAGES: list[tuple[str, str, str, str, str, str, str]] = [
    ("paracetamol_dose", "dosing", f"{NHS}: paracetamol for adults",
     "Paracetamol (acetaminophen): how much and how often",
     "For adults, the usual dose of paracetamol is one or two 500 mg tablets, with at least "
     "4 hours between doses and no more than 4 doses in 24 hours. Taking more does not "
     "relieve pain better and can damage the liver.",
     "파라세타몰(아세트아미노펜): 복용량과 간격",
     "성인의 파라세타몰 통상 용량은 500 mg 정제 1~2정이며, 복용 간격은 최소 4시간, 24시간 "
     "동안 최대 4회입니다. 더 많이 먹는다고 통증이 더 줄지 않으며 간이 손상될 수 있습니다."),
    ("paracetamol_combination", "interactions", f"{NHS}: paracetamol for adults",
     "Paracetamol hidden in cold and flu remedies",
     "Many cold and flu remedies already contain paracetamol. Taking them together with "
     "paracetamol tablets can add up to an overdose, so check the ingredients of every "
     "product before combining them.",
     "감기약 속에 숨어 있는 파라세타몰",
     "많은 종합감기약에는 이미 파라세타몰이 들어 있습니다. 파라세타몰 정제와 함께 먹으면 "
     "합쳐서 과량이 될 수 있으므로, 함께 먹기 전에 모든 제품의 성분을 확인하십시오."),
    ("paracetamol_overdose", "emergency", f"{NHS}: paracetamol for adults",
     "Too much paracetamol: get help even if you feel well",
     "If you have taken more paracetamol than the label allows, get medical help straight "
     "away, even if you feel well. Liver damage from an overdose can appear only after a "
     "day or more, when treatment works less well.",
     "파라세타몰을 너무 많이 먹었을 때: 괜찮아 보여도 진료를 받으십시오",
     "표시된 양보다 파라세타몰을 많이 먹었다면 몸 상태가 괜찮더라도 즉시 진료를 받으십시오. "
     "과량 복용에 따른 간 손상은 하루 이상 지나서야 나타날 수 있으며, 그때는 치료 효과가 "
     "떨어집니다."),
    ("ibuprofen_food", "dosing", f"{NHS}: ibuprofen for adults",
     "Ibuprofen and the stomach",
     "Take ibuprofen with or just after food or a drink of milk to lower the chance of an "
     "upset stomach. People who have had a stomach ulcer or bleeding should not take it "
     "unless a doctor advises it.",
     "이부프로펜과 위장",
     "이부프로펜은 속쓰림을 줄이기 위해 음식이나 우유와 함께, 또는 식후 바로 복용하십시오. "
     "위궤양이나 위장 출혈을 겪은 적이 있는 사람은 의사가 권하지 않는 한 복용하지 마십시오."),
    ("nsaid_blood_thinner", "interactions", f"{NHS}: ibuprofen for adults; warfarin",
     "Anti-inflammatory painkillers with blood thinners",
     "Anti-inflammatory painkillers such as ibuprofen, naproxen or aspirin raise the risk of "
     "bleeding when taken with anticoagulants such as warfarin. Ask a pharmacist for a "
     "safer painkiller; paracetamol is usually preferred.",
     "소염진통제와 항응고제를 함께 먹을 때",
     "이부프로펜, 나프록센, 아스피린 같은 소염진통제를 와파린 같은 항응고제와 함께 먹으면 "
     "출혈 위험이 커집니다. 더 안전한 진통제를 약사에게 문의하십시오. 보통은 파라세타몰이 "
     "권장됩니다."),
    ("warfarin_vitamin_k", "interactions", f"{NHS}: warfarin",
     "Warfarin and vitamin K in food",
     "Foods rich in vitamin K, such as green leafy vegetables, change how warfarin works. "
     "You do not need to avoid them, but keep the amount you eat steady and tell the "
     "clinic before a big change in diet; blood tests (INR) check the effect.",
     "와파린과 음식 속 비타민 K",
     "녹색 잎채소처럼 비타민 K가 많은 음식은 와파린의 작용을 바꿉니다. 피할 필요는 없지만 "
     "먹는 양을 일정하게 유지하고, 식단을 크게 바꾸기 전에 진료팀에 알리십시오. 효과는 혈액 "
     "검사(INR)로 확인합니다."),
    ("warfarin_missed", "missed dose", f"{NHS}: warfarin",
     "A forgotten dose of warfarin",
     "If you forget warfarin, take it as soon as you remember on the same day. If you only "
     "remember the next day, skip the forgotten dose. Never take two doses to make up for "
     "it, and record the missed dose in your anticoagulant book.",
     "와파린 복용을 잊었을 때",
     "와파린 복용을 잊었다면 같은 날 생각나는 즉시 복용하십시오. 다음 날에야 생각났다면 "
     "잊은 용량은 건너뛰십시오. 보충하려고 두 번 분량을 한꺼번에 먹지 말고, 빠뜨린 사실을 "
     "항응고제 수첩에 기록하십시오."),
    ("missed_dose_general", "missed dose", f"{NHS}: general advice in medicine leaflets",
     "Forgot a dose: the general rule",
     "For most medicines, take the forgotten dose as soon as you remember, unless it is "
     "nearly time for the next one; then skip it and carry on as normal. Do not take a "
     "double dose. Some medicines have their own rule, so check the leaflet.",
     "복용을 잊었을 때의 일반 원칙",
     "대부분의 약은 생각나는 즉시 잊은 분량을 복용하되, 다음 복용 시간이 가까우면 건너뛰고 "
     "평소대로 계속합니다. 두 배로 먹지 마십시오. 약마다 따로 정한 규칙이 있을 수 있으니 "
     "설명서를 확인하십시오."),
    ("antibiotic_course", "antibiotics", f"{NHS}: antibiotics",
     "Taking antibiotics as prescribed",
     "Take antibiotics exactly as prescribed and do not stop early because you feel better "
     "unless your doctor tells you to. Do not keep leftover antibiotics for later or give "
     "them to other people.",
     "처방대로 항생제 복용하기",
     "항생제는 처방받은 대로 정확히 복용하고, 의사의 지시가 없다면 나아졌다고 일찍 끊지 "
     "마십시오. 남은 항생제를 나중을 위해 보관하거나 다른 사람에게 주지 마십시오."),
    ("antibiotic_viral", "antibiotics", f"{NHS}: antibiotics",
     "Antibiotics do not treat colds or flu",
     "Colds, most coughs, sore throats and flu are caused by viruses, and antibiotics do not "
     "work against viruses. Using them when they are not needed causes side effects and "
     "helps bacteria become resistant.",
     "항생제는 감기나 독감을 치료하지 않습니다",
     "감기, 대부분의 기침, 인후통, 독감은 바이러스가 원인이며 항생제는 바이러스에 듣지 "
     "않습니다. 필요하지 않을 때 항생제를 쓰면 부작용이 생기고 세균의 내성을 키웁니다."),
    ("metronidazole_alcohol", "interactions", f"{NHS}: metronidazole",
     "Metronidazole and alcohol",
     "Do not drink alcohol while taking metronidazole and for two days after finishing it. "
     "Together they can cause flushing, headache, nausea, vomiting and a fast heartbeat.",
     "메트로니다졸과 술",
     "메트로니다졸을 복용하는 동안과 복용을 마친 후 이틀 동안은 술을 마시지 마십시오. 함께 "
     "하면 얼굴 붉어짐, 두통, 메스꺼움, 구토, 빠른 심장 박동이 생길 수 있습니다."),
    ("doxycycline_how", "dosing", f"{NHS}: doxycycline",
     "Taking doxycycline",
     "Swallow doxycycline with a full glass of water while sitting or standing, so it does "
     "not irritate the food pipe. Keep it apart from indigestion remedies, iron and "
     "calcium supplements, and protect your skin from strong sunlight while taking it.",
     "독시사이클린 복용법",
     "독시사이클린은 식도를 자극하지 않도록 앉거나 선 자세에서 물 한 컵과 함께 삼키십시오. "
     "제산제, 철분제, 칼슘 보충제와는 시간 간격을 두고, 복용하는 동안에는 강한 햇빛으로부터 "
     "피부를 보호하십시오."),
    ("metformin_food", "dosing", f"{NHS}: metformin",
     "Metformin with meals",
     "Take metformin with a meal or just after, to reduce stomach upset and diarrhoea, "
     "which are common when starting. These side effects usually settle within a few "
     "weeks; tell your doctor if they do not.",
     "메트포르민은 식사와 함께",
     "메트포르민은 복용 초기에 흔한 속쓰림과 설사를 줄이기 위해 식사와 함께 또는 식후 "
     "바로 복용하십시오. 이런 부작용은 보통 몇 주 안에 가라앉으며, 그렇지 않으면 의사에게 "
     "알리십시오."),
    ("insulin_storage", "storage", f"{NHS}: insulin; product leaflets",
     "Storing insulin",
     "Keep unopened insulin in the fridge and never let it freeze. The pen or vial in use "
     "can be kept at room temperature for the limited time stated in its leaflet. Do not "
     "use insulin that has been frozen or left in heat.",
     "인슐린 보관",
     "개봉하지 않은 인슐린은 냉장고에 보관하고 절대 얼리지 마십시오. 사용 중인 펜이나 "
     "바이알은 설명서에 적힌 제한된 기간 동안 실온에 둘 수 있습니다. 얼었거나 열에 노출된 "
     "인슐린은 사용하지 마십시오."),
    ("storage_general", "storage", f"{MFDS}; {NHS}",
     "Where to keep medicines at home",
     "Keep medicines in a cool, dry place out of direct sunlight, in their original "
     "packaging with the leaflet, and out of the sight and reach of children. A bathroom "
     "cabinet is usually too warm and humid.",
     "집에서 약을 보관하는 곳",
     "약은 직사광선을 피해 서늘하고 건조한 곳에, 설명서와 함께 원래 포장 그대로, 어린이의 "
     "눈에 띄지 않고 손이 닿지 않는 곳에 보관하십시오. 욕실 수납장은 대개 너무 따뜻하고 "
     "습합니다."),
    ("disposal", "storage", f"{MFDS}: household medicine disposal",
     "Getting rid of unused medicines",
     "Do not throw unused or expired medicines into the household bin, sink or toilet. In "
     "Korea, take them to a collection box for waste medicines, found at many pharmacies, "
     "public health centres and community service centres; in the UK, return them to a "
     "pharmacy.",
     "남은 약 버리기",
     "사용하지 않거나 유효기간이 지난 약을 일반 쓰레기, 싱크대, 변기에 버리지 마십시오. "
     "한국에서는 여러 약국, 보건소, 주민센터에 있는 폐의약품 수거함에 넣으십시오. 영국에서는 "
     "약국에 반납합니다."),
    ("expired", "storage", f"{MFDS}; product leaflets",
     "Expired medicines",
     "Do not use a medicine after the expiry date on the pack, or earlier if it has changed "
     "colour, smell or texture. Some products, such as eye drops and liquid antibiotics, "
     "must be discarded a set time after opening, as the label states.",
     "유효기간이 지난 약",
     "포장에 적힌 유효기간이 지난 약은 사용하지 말고, 그 전이라도 색, 냄새, 질감이 변했다면 "
     "사용하지 마십시오. 안약이나 시럽 항생제처럼 개봉 후 정해진 기간이 지나면 버려야 하는 "
     "제품도 있으니 표시를 확인하십시오."),
    ("statin_grapefruit", "interactions", f"{NHS}: simvastatin; atorvastatin",
     "Statins and grapefruit juice",
     "Grapefruit juice can raise the blood level of some statins, notably simvastatin, and "
     "with it the risk of side effects. Avoid grapefruit juice with simvastatin and avoid "
     "large amounts with atorvastatin; ask a pharmacist about your statin.",
     "스타틴과 자몽 주스",
     "자몽 주스는 일부 스타틴, 특히 심바스타틴의 혈중 농도를 높여 부작용 위험을 키울 수 "
     "있습니다. 심바스타틴 복용 중에는 자몽 주스를 피하고, 아토르바스타틴 복용 중에는 많은 "
     "양을 피하십시오. 복용 중인 스타틴에 대해서는 약사에게 문의하십시오."),
    ("statin_muscle", "when to see a doctor", f"{NHS}: statins",
     "Statins and muscle pain",
     "Tell your doctor if you get unexplained muscle pain, tenderness or weakness while "
     "taking a statin. Rarely this is a sign of muscle damage, especially with dark urine "
     "or feeling very unwell.",
     "스타틴과 근육통",
     "스타틴 복용 중 원인을 알 수 없는 근육통, 압통, 근력 저하가 생기면 의사에게 "
     "알리십시오. 드물게 근육 손상의 신호일 수 있으며, 특히 소변 색이 진하거나 몸이 매우 "
     "안 좋을 때 그렇습니다."),
    ("ace_inhibitor_cough", "side effects", f"{NHS}: ramipril; lisinopril",
     "Blood pressure tablets and a dry cough",
     "ACE inhibitors such as ramipril or lisinopril often cause a persistent dry, tickly "
     "cough. Do not stop the tablets yourself; tell your doctor, who may switch to another "
     "medicine. Swelling of the face, lips or tongue needs emergency care.",
     "혈압약과 마른기침",
     "라미프릴이나 리시노프릴 같은 ACE 억제제는 간질간질한 마른기침을 오래 일으키는 경우가 "
     "많습니다. 스스로 약을 끊지 말고 의사에게 알리면 다른 약으로 바꿀 수 있습니다. 얼굴, "
     "입술, 혀가 부으면 응급 진료가 필요합니다."),
    ("antihypertensive_stop", "dosing", f"{NHS}: blood pressure medicines",
     "Stopping blood pressure medicines",
     "Keep taking blood pressure medicines even when you feel well, because high blood "
     "pressure rarely causes symptoms. Do not stop them without talking to your doctor. "
     "Stand up slowly if they make you dizzy.",
     "혈압약 중단",
     "고혈압은 증상이 거의 없으므로 몸이 괜찮더라도 혈압약을 계속 복용하십시오. 의사와 "
     "상의하지 않고 중단하지 마십시오. 어지러우면 천천히 일어나십시오."),
    ("amlodipine_ankles", "side effects", f"{NHS}: amlodipine",
     "Amlodipine and swollen ankles",
     "Swollen ankles are a common side effect of amlodipine. Raising your legs when sitting "
     "can help; tell your doctor if the swelling does not go away.",
     "암로디핀과 발목 부종",
     "발목 부종은 암로디핀의 흔한 부작용입니다. 앉을 때 다리를 올려 두면 도움이 되며, "
     "부기가 빠지지 않으면 의사에게 알리십시오."),
    ("levothyroxine_timing", "dosing", f"{NHS}: levothyroxine",
     "When to take levothyroxine",
     "Take levothyroxine once a day, usually in the morning, on an empty stomach with water, "
     "and wait before breakfast or coffee. Calcium, iron and indigestion remedies reduce its "
     "absorption, so take them several hours apart.",
     "레보티록신 복용 시간",
     "레보티록신은 하루 한 번, 보통 아침 공복에 물과 함께 복용하고 아침 식사나 커피는 "
     "시간을 두고 드십시오. 칼슘, 철분, 제산제는 흡수를 줄이므로 몇 시간 간격을 두고 "
     "복용하십시오."),
    ("antihistamine_drowsy", "side effects", f"{NHS}: chlorphenamine; cetirizine",
     "Allergy tablets that make you sleepy",
     "Older antihistamines such as chlorphenamine often cause drowsiness; newer ones such as "
     "cetirizine or loratadine do so less. If you feel sleepy, do not drive or operate "
     "machinery, and avoid alcohol, which adds to the effect.",
     "졸음을 일으키는 알레르기약",
     "클로르페니라민 같은 구세대 항히스타민제는 졸음을 흔히 일으키고, 세티리진이나 "
     "로라타딘 같은 신세대 약은 덜합니다. 졸리면 운전이나 기계 조작을 하지 말고, 효과를 "
     "더하는 술도 피하십시오."),
    ("children_cold_medicine", "children", "US FDA: use caution when giving cough and cold "
     "products to kids",
     "Cough and cold medicines for young children",
     "Over-the-counter cough and cold medicines should not be given to children under 2 "
     "years old, because of rare but serious side effects. For older children use only "
     "products and doses meant for their age, with the measuring device provided.",
     "어린아이의 기침·감기약",
     "일반의약품 기침·감기약은 드물지만 심각한 부작용 때문에 만 2세 미만 어린이에게 "
     "먹이지 않아야 합니다. 더 큰 아이에게는 나이에 맞는 제품과 용량만, 동봉된 계량 도구로 "
     "먹이십시오."),
    ("aspirin_children", "children", f"{NHS}: aspirin for pain relief",
     "Aspirin and children",
     "Do not give aspirin to children under 16 unless a doctor prescribes it, because it is "
     "linked to Reye's syndrome, a rare but serious illness of the liver and brain.",
     "아스피린과 어린이",
     "아스피린은 간과 뇌에 생기는 드물지만 심각한 질환인 라이 증후군과 관련되므로, 의사가 "
     "처방하지 않는 한 16세 미만 어린이에게 주지 마십시오."),
    ("pregnancy_painkillers", "pregnancy", "US FDA drug safety communication on NSAIDs in "
     "pregnancy (2020); NHS: pregnancy and medicines",
     "Painkillers during pregnancy",
     "Ask a doctor or pharmacist before taking any medicine in pregnancy. Paracetamol is "
     "usually the first choice for pain or fever; anti-inflammatory painkillers such as "
     "ibuprofen are generally avoided, especially in the second half of pregnancy, unless "
     "a doctor advises them.",
     "임신 중 진통제",
     "임신 중에는 어떤 약이든 복용 전에 의사나 약사와 상의하십시오. 통증이나 열에는 보통 "
     "파라세타몰이 우선 선택이며, 이부프로펜 같은 소염진통제는 의사가 권하지 않는 한 특히 "
     "임신 후반기에 일반적으로 피합니다."),
    ("sleeping_pill", "side effects", "US FDA drug safety communication on complex sleep "
     "behaviors with insomnia medicines (2019)",
     "Sleeping tablets such as zolpidem",
     "Take zolpidem just before going to bed when you can stay in bed for a full night. It "
     "can cause next-morning drowsiness and, rarely, complex sleep behaviours such as "
     "sleep-walking or driving while not fully awake; never combine it with alcohol.",
     "졸피뎀 같은 수면제",
     "졸피뎀은 밤새 충분히 잘 수 있을 때 잠자리에 들기 직전에 복용하십시오. 다음 날 아침 "
     "졸음을 일으킬 수 있고, 드물게 완전히 깨지 않은 상태에서 걷거나 운전하는 복합 수면 "
     "행동을 일으킬 수 있으므로 술과 절대 함께 먹지 마십시오."),
    ("opioid_safety", "side effects", "US FDA drug safety communication on opioids with "
     "benzodiazepines (2016); NHS: codeine",
     "Opioid painkillers",
     "Opioid painkillers such as codeine, tramadol or morphine often cause constipation and "
     "drowsiness. Taking them with alcohol, sleeping tablets or benzodiazepines can slow "
     "breathing dangerously. Store them where no one else can take them.",
     "마약성 진통제",
     "코데인, 트라마돌, 모르핀 같은 마약성 진통제는 변비와 졸음을 흔히 일으킵니다. 술, "
     "수면제, 벤조디아제핀과 함께 먹으면 호흡이 위험할 정도로 느려질 수 있습니다. 다른 "
     "사람이 가져갈 수 없는 곳에 보관하십시오."),
    ("inhaler_steroid", "how to use", f"{NHS}: beclometasone inhalers",
     "Steroid inhalers and mouth rinsing",
     "After using a steroid (preventer) inhaler, rinse your mouth with water and spit it out, "
     "to lower the risk of oral thrush and a hoarse voice. A spacer device also helps more "
     "of the medicine reach the lungs.",
     "스테로이드 흡입기와 입 헹구기",
     "스테로이드(예방용) 흡입기를 사용한 뒤에는 물로 입을 헹구고 뱉어 내어 구강 칸디다증과 "
     "쉰 목소리의 위험을 줄이십시오. 스페이서를 쓰면 약이 폐에 더 많이 도달합니다."),
    ("eye_drops", "how to use", f"{NHS}: how to use eye drops",
     "Using more than one kind of eye drop",
     "If you use two different eye drops, wait at least 5 minutes between them so the first "
     "is not washed out. Do not let the tip of the bottle touch the eye.",
     "두 가지 이상의 안약 사용",
     "서로 다른 안약 두 가지를 쓴다면 첫 번째 약이 씻겨 나가지 않도록 적어도 5분 간격을 "
     "두십시오. 약병 끝이 눈에 닿지 않게 하십시오."),
    ("crushing_tablets", "how to use", f"{NHS}: general advice in medicine leaflets",
     "Crushing or splitting tablets",
     "Do not crush, chew or split modified-release (slow-release) or enteric-coated tablets "
     "unless the leaflet says you can: this can release too much medicine at once or let "
     "stomach acid destroy it. Ask a pharmacist if you have trouble swallowing.",
     "정제를 부수거나 쪼개기",
     "서방형(천천히 방출되는) 정제나 장용 정제는 설명서에 허용되어 있지 않는 한 부수거나, "
     "씹거나, 쪼개지 마십시오. 약이 한꺼번에 너무 많이 나오거나 위산에 파괴될 수 있습니다. "
     "삼키기 어렵다면 약사에게 문의하십시오."),
    ("allergic_reaction", "emergency", f"{NHS}: anaphylaxis",
     "Signs of a serious allergic reaction",
     "Call an ambulance (119 in Korea, 999 in the UK) if, after a medicine, you get swelling "
     "of the lips, tongue or throat, difficulty breathing, wheezing, or feel faint. A mild "
     "itchy rash should still be reported to a doctor or pharmacist.",
     "심각한 알레르기 반응의 징후",
     "약을 먹은 뒤 입술, 혀, 목이 붓거나 숨쉬기 어렵거나 쌕쌕거리거나 정신을 잃을 것 같으면 "
     "구급차를 부르십시오(한국 119, 영국 999). 가벼운 가려운 발진도 의사나 약사에게 "
     "알리십시오."),
    ("st_johns_wort", "interactions", f"{NHS}: St John's wort interactions in medicine "
     "leaflets",
     "Herbal remedies: St John's wort",
     "The herbal remedy St John's wort interacts with many medicines, including hormonal "
     "contraceptives, warfarin and some antidepressants, and can make them less effective "
     "or more harmful. Tell your pharmacist about any herbal products you take.",
     "생약 제제: 세인트존스워트",
     "생약 제제인 세인트존스워트는 호르몬 피임약, 와파린, 일부 항우울제 등 많은 약과 "
     "상호작용하여 효과를 떨어뜨리거나 해를 키울 수 있습니다. 복용 중인 생약 제품을 약사에게 "
     "알리십시오."),
    ("travel", "storage", f"{MFDS}; {NHS}: travelling with medicines",
     "Travelling with medicines",
     "Carry medicines in your hand luggage in their original packaging, with a copy of the "
     "prescription or a doctor's letter, and enough for delays. Some medicines, including "
     "strong painkillers, need permission to take into another country.",
     "약을 가지고 여행하기",
     "약은 원래 포장 그대로 처방전 사본이나 의사 소견서와 함께, 지연에 대비해 넉넉히 기내 "
     "수하물로 휴대하십시오. 강한 진통제를 비롯한 일부 약은 다른 나라로 가져가려면 허가가 "
     "필요합니다."),
]

# (question_id, English question, Korean question, answer passage ids)
QUESTIONS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("q01", "How many hours should I wait between two doses of acetaminophen?",
     "타이레놀 같은 아세트아미노펜은 몇 시간마다 먹어야 하나요?", ("paracetamol_dose",)),
    ("q02", "Can I take a flu remedy together with my paracetamol tablets?",
     "해열제를 먹고 있는데 종합감기약을 같이 먹어도 되나요?", ("paracetamol_combination",)),
    ("q03", "I accidentally swallowed too many painkiller tablets but I feel fine. What now?",
     "진통제를 실수로 너무 많이 먹었는데 멀쩡합니다. 어떻게 해야 하나요?",
     ("paracetamol_overdose",)),
    ("q04", "Should ibuprofen be taken on an empty stomach?",
     "이부프로펜은 빈속에 먹어도 되나요?", ("ibuprofen_food",)),
    ("q05", "I am on warfarin. Which painkiller is safe for my headache?",
     "와파린을 먹고 있는데 두통에 어떤 진통제를 먹어도 되나요?",
     ("nsaid_blood_thinner",)),
    ("q06", "Do I have to stop eating spinach and salads while on warfarin?",
     "와파린을 먹는 동안 시금치나 채소를 먹으면 안 되나요?", ("warfarin_vitamin_k",)),
    ("q07", "I forgot yesterday's warfarin tablet. Should I take two today?",
     "어제 와파린을 깜빡했는데 오늘 두 알 먹어야 하나요?",
     ("warfarin_missed", "missed_dose_general")),
    ("q08", "What should I do if I miss a dose of my medicine?",
     "약 먹는 것을 잊어버리면 어떻게 하나요?", ("missed_dose_general",)),
    ("q09", "My throat infection feels better. Can I stop the antibiotics now?",
     "목 감염이 나아졌는데 항생제를 그만 먹어도 되나요?", ("antibiotic_course",)),
    ("q10", "Will antibiotics help my common cold get better faster?",
     "감기에 항생제를 먹으면 빨리 낫나요?", ("antibiotic_viral",)),
    ("q11", "Is it safe to have a beer while on metronidazole?",
     "메트로니다졸을 먹는 중에 맥주 한 잔 해도 되나요?", ("metronidazole_alcohol",)),
    ("q12", "Can I swallow doxycycline right before lying down, with milk?",
     "독시사이클린을 우유와 함께 먹고 바로 누워도 되나요?", ("doxycycline_how",)),
    ("q13", "Metformin gives me diarrhoea. How should I take it?",
     "메트포르민을 먹으면 설사를 합니다. 어떻게 먹어야 하나요?", ("metformin_food",)),
    ("q14", "Should insulin pens be kept in the freezer?",
     "인슐린 펜을 냉동실에 보관해도 되나요?", ("insulin_storage",)),
    ("q15", "Is the bathroom cabinet a good place to store tablets?",
     "약을 욕실 수납장에 두어도 되나요?", ("storage_general",)),
    ("q16", "How do I dispose of old pills I no longer need?",
     "먹지 않는 오래된 약은 어떻게 버리나요?", ("disposal",)),
    ("q17", "Can I still use medicine that is past its expiry date?",
     "유효기간이 지난 약을 먹어도 되나요?", ("expired",)),
    ("q18", "Is grapefruit juice a problem with cholesterol tablets?",
     "콜레스테롤약을 먹을 때 자몽 주스를 마셔도 되나요?", ("statin_grapefruit",)),
    ("q19", "My legs ache since I started a statin. Is that important?",
     "스타틴을 먹기 시작한 뒤로 다리가 쑤십니다. 중요한 증상인가요?", ("statin_muscle",)),
    ("q20", "Since starting ramipril I have an annoying tickly cough. Why?",
     "라미프릴을 먹은 뒤로 간질간질한 기침이 계속됩니다. 왜 그런가요?",
     ("ace_inhibitor_cough",)),
    ("q21", "My blood pressure is normal now. Can I stop my tablets?",
     "혈압이 정상이 되었는데 혈압약을 끊어도 되나요?", ("antihypertensive_stop",)),
    ("q22", "My ankles have swollen since I started amlodipine.",
     "암로디핀을 먹은 뒤로 발목이 부었습니다.", ("amlodipine_ankles",)),
    ("q23", "Can I take my thyroid tablet with breakfast and my calcium supplement?",
     "갑상선약을 아침 식사와 칼슘제와 함께 먹어도 되나요?", ("levothyroxine_timing",)),
    ("q24", "Will hay fever tablets make me too sleepy to drive?",
     "알레르기약을 먹고 운전해도 되나요? 졸릴까 걱정됩니다.", ("antihistamine_drowsy",)),
    ("q25", "Can I give cough syrup to my 1-year-old baby?",
     "돌 지난 아기에게 기침 시럽을 먹여도 되나요?", ("children_cold_medicine",)),
    ("q26", "Is aspirin OK for my 10-year-old's fever?",
     "열이 나는 10살 아이에게 아스피린을 줘도 되나요?", ("aspirin_children",)),
    ("q27", "I am pregnant and have back pain. Which painkiller can I use?",
     "임신 중인데 허리가 아픕니다. 어떤 진통제를 먹을 수 있나요?",
     ("pregnancy_painkillers",)),
    ("q28", "Can I drink wine after taking my zolpidem sleeping pill?",
     "졸피뎀을 먹고 와인을 마셔도 되나요?", ("sleeping_pill",)),
    ("q29", "Tramadol makes me constipated and sleepy. Is that expected?",
     "트라마돌을 먹으니 변비가 생기고 졸립니다. 흔한 일인가요?", ("opioid_safety",)),
    ("q30", "Why rinse my mouth after my preventer inhaler?",
     "예방용 흡입기를 쓴 뒤 왜 입을 헹궈야 하나요?", ("inhaler_steroid",)),
    ("q31", "How long should I leave between two different eye drops?",
     "안약 두 가지를 넣을 때 얼마나 기다려야 하나요?", ("eye_drops",)),
    ("q32", "Can I crush my slow-release tablet to swallow it more easily?",
     "서방정을 삼키기 어려운데 부숴서 먹어도 되나요?", ("crushing_tablets",)),
    ("q33", "My lips swelled up after a new antibiotic. What should I do?",
     "새 항생제를 먹고 입술이 부었습니다. 어떻게 해야 하나요?", ("allergic_reaction",)),
    ("q34", "Does St John's wort interfere with the contraceptive pill?",
     "세인트존스워트가 피임약에 영향을 주나요?", ("st_johns_wort",)),
    ("q35", "Can I pack my medicines in checked luggage when flying abroad?",
     "해외 여행 때 약을 부치는 짐에 넣어도 되나요?", ("travel",)),
    # unanswerable: the corpus says nothing about these
    ("u01", "What is the right dose of amoxicillin for a 20 kg child?",
     "체중 20 kg 아이의 아목시실린 용량은 얼마인가요?", ()),
    ("u02", "Is semaglutide covered by national health insurance?",
     "세마글루타이드는 건강보험이 적용되나요?", ()),
    ("u03", "Can I take melatonin for jet lag?",
     "시차 적응을 위해 멜라토닌을 먹어도 되나요?", ()),
    ("u04", "Which vaccines do I need before travelling to Vietnam?",
     "베트남 여행 전에 어떤 예방접종이 필요한가요?", ()),
    ("u05", "How long does a hair-loss treatment take to work?",
     "탈모 치료제는 효과가 나타나기까지 얼마나 걸리나요?", ()),
    ("u06", "Is it safe to take vitamin D and omega-3 together?",
     "비타민 D와 오메가-3를 같이 먹어도 되나요?", ()),
]


def pharmacy_faq():
    import pandas as pd

    from medai.datasets import catalog
    from medai.datasets.types import TableDataset

    passage_rows = []
    for pid, topic, source, title_en, text_en, title_ko, text_ko in PASSAGES:
        for language, title, text in (("en", title_en, text_en), ("ko", title_ko, text_ko)):
            passage_rows.append({"passage_id": pid, "language": language, "topic": topic,
                                 "title": title, "text": text, "source": source})
    question_rows = []
    for qid, question_en, question_ko, answers in QUESTIONS:
        for language, question in (("en", question_en), ("ko", question_ko)):
            question_rows.append({"question_id": qid, "language": language,
                                  "question": question, "answer_ids": list(answers),
                                  "answerable": bool(answers)})
    passages = pd.DataFrame(passage_rows)
    questions = pd.DataFrame(question_rows)
    dictionary = {
        "passage_id": "short name of a passage, the same in both languages",
        "language": "'en' or 'ko'",
        "topic": "dosing, missed dose, interactions, storage, side effects, antibiotics, "
                 "children, pregnancy, how to use, when to see a doctor, emergency",
        "title": "passage title (in the passage's language)",
        "text": "the passage: 2-3 sentences of general patient information",
        "source": "the public document the passage paraphrases, in general terms",
        "question_id": "q01-q35 answerable, u01-u06 not answerable from this corpus",
        "question": "a test question worded differently from the passages",
        "answer_ids": "list of passage_id that answer the question ([] if none does)",
        "answerable": "True if answer_ids is not empty",
    }
    return TableDataset(
        name=NAME,
        tables={"passages": passages, "questions": questions},
        description=(
            f"{len(PASSAGES)} short passages of general medicines information (dosing "
            "intervals, missed doses, interactions, storage, side effects, when to get help) "
            f"in English and Korean, and {len(QUESTIONS)} test questions in both languages "
            "with the ids of the passages that answer them (6 have no answer in the "
            "corpus). Written for teaching retrieval; not medical advice. Licence: "
            f"{catalog.licence(NAME)}"
        ),
        data_dictionary=dictionary,
        ground_truth={"relevant": {qid: list(answers) for qid, _, _, answers in QUESTIONS}},
    )


DATASETS = {
    NAME: DatasetSpec(pharmacy_faq),
}
