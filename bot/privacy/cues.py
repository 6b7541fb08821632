"""Word lists the scrubber relies on: name cues, birth cues, month names, stop words and common first names.

Kept apart from the matching code so a translator or reviewer can extend one language without reading regexes.
Every list covers all 20 survey languages where the idea applies; all cues are applied to every text, because
parents mix languages (an Urdu sentence with an English school name, a Polish one with "Mrs Smith").
"""

from __future__ import annotations

# --- Cues after which a capitalised word (Latin or Cyrillic script) is a person's name -------------------------
# Matched case-insensitively, as whole words. "Title" cues also override the local-area protection ("Mrs Kent").
# Lower-case forms of the titles above that parents commonly write mid-sentence.
TITLE_CUES_LOWER: tuple[str, ...] = (
    "pani", "pan", "pana", "panią", "pán", "ponia", "ponas", "пані", "пан", "madame", "monsieur",
)

TITLE_CUES: tuple[str, ...] = (
    # en
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Mx", "Miss", "Dr", "Dr.", "Prof", "Prof.", "Sir", "Dame",
    # fr, es, pt, it, ro, pl, sk, lt, tr, uk
    "Mme", "Mme.", "Mlle", "Madame", "Monsieur", "Sr.", "Sra.", "Srta.", "Sig.", "Sig.ra", "Dott.", "Dott.ssa",
    "Dna", "Dna.", "Dl.", "Bay", "Bayan", "Pan", "Pani", "Pán", "Ponia", "Ponas", "Пані", "Пан", "Д-р",
)

KIN_CUES: tuple[str, ...] = (
    # en
    "son", "daughter", "child", "boy", "girl", "stepson", "stepdaughter", "grandson", "granddaughter",
    "lad", "little boy", "little girl", "little one", "eldest", "youngest", "middle one", "stepchild",
    "brother", "sister", "husband", "wife", "partner", "twin", "twins", "nephew", "niece", "foster son",
    "foster daughter", "called", "named", "name is", "known as", "teacher", "class teacher", "headteacher",
    "head teacher", "SENCO", "SENCo", "TA", "1:1", "keyworker", "key worker", "caseworker", "case worker",
    "case officer", "social worker", "support worker", "family support worker", "paediatrician", "consultant",
    "therapist", "nurse", "health visitor", "psychologist", "doctor", "ask for", "asked for", "speak to",
    "spoke to", "talk to", "talked to", "spoken to", "emailed", "phoned", "saw", "seen", "met", "meet",
    "told", "asked", "rang", "texted",
    # pl
    "syn", "syna", "synem", "synowi", "synek", "synka", "córka", "córki", "córką", "córkę", "córce",
    "córeczka", "córeczki", "dziecko", "mąż", "żona", "pani", "pan", "pana", "panią", "panu", "nauczycielka",
    "nauczycielki", "nauczyciel", "nauczyciela", "wychowawczyni", "wychowawca", "dr", "ma na imię",
    "nazywa się", "o imieniu", "imieniem",
    # ro
    "fiul meu", "fiica mea", "fiul", "fiica", "băiatul meu", "fetița mea", "fata mea", "copilul meu", "doamna",
    "domnul", "doamnei", "domnului", "profesoara", "profesorul", "învățătoarea", "învățătorul", "se numește",
    "pe nume", "numit", "numită",
    # es
    "mi hijo", "mi hija", "hijo", "hija", "mi niño", "mi niña", "señora", "señor", "señorita", "profesora",
    "profesor", "maestra", "maestro", "se llama", "llamado", "llamada", "doctora",
    # fr
    "mon fils", "ma fille", "fils", "fille", "mon enfant", "mon mari", "ma femme", "l'enseignante",
    "l'enseignant", "la maîtresse", "le maître", "le docteur", "la docteure", "s'appelle", "nommé", "nommée",
    "prénommé", "prénommée",
    # it
    "mio figlio", "mia figlia", "figlio", "figlia", "signora", "signor", "signore", "signorina", "la maestra",
    "il maestro", "dottor", "dottore", "dottoressa", "si chiama", "di nome",
    # pt
    "meu filho", "minha filha", "filho", "filha", "senhora", "senhor", "professora", "se chama", "chama-se",
    "chamado", "chamada", "de nome",
    # uk (and the Russian forms parents often use)
    "син", "сина", "сином", "синові", "синочок", "донька", "доньки", "донькою", "доньку", "дочка", "дочки",
    "донечка", "дитина", "чоловік", "дружина", "пані", "пан", "пана", "вчителька", "вчитель", "вчительки",
    "учителька", "лікар", "лікарка", "звати", "на ім'я", "на ім’я", "сын", "дочь",
    # tr
    "oğlum", "oğlumun", "oğluma", "oğlumu", "kızım", "kızımın", "kızıma", "kızımı", "çocuğum", "eşim",
    "öğretmeni", "öğretmenimiz", "öğretmen", "adı", "adında", "isimli", "isminde",
    # lt
    "mano sūnus", "mano dukra", "sūnus", "sūnaus", "sūnui", "dukra", "dukros", "dukrai", "mokytoja",
    "mokytojas", "vardu", "ponia", "ponas",
    # sk
    "môj syn", "moja dcéra", "dcéra", "dcéry", "syna", "pani", "pán", "učiteľka", "učiteľ", "volá sa",
    "menom",
    # so
    "wiilkayga", "wiilkeyga", "gabadhayda", "gabadheyda", "inankayga", "ilmahayga", "ilmaheyga", "macalinka",
    "macallimadda", "magaciisu waa", "magaceedu waa", "magaciisa", "magaceeda",
)

# Words that may stand between a kinship cue and the name: "my son is called", "his teacher Mrs".
# Handled by letting the cue regex see titles again (overlapping search), so no list is needed here.

# --- Cues in scripts without capital letters: the next word is taken as a name unless it is a stop word -----
CASELESS_CUES: tuple[str, ...] = (
    # ur
    "بیٹا", "بیٹی", "بیٹے", "بچہ", "بچی", "بھائی", "بہن", "شوہر", "بیوی", "مسز", "مسٹر", "ڈاکٹر", "ٹیچر",
    "استاد", "استانی", "نام", "مس", "میڈم", "بیگم",
    # ar
    "ابني", "ابنتي", "ابنى", "بنتي", "ولدي", "طفلي", "طفلتي", "زوجي", "زوجتي", "أخي", "أختي", "السيدة",
    "السيد", "الأستاذ", "الأستاذة", "المعلم", "المعلمة", "الدكتور", "الدكتورة", "اسمه", "اسمها", "اسمي",
    "يدعى", "تدعى", "يسمى", "تسمى", "الآنسة",
    # fa
    "پسرم", "دخترم", "بچه‌ام", "فرزندم", "همسرم", "خانم", "آقای", "آقا", "دکتر", "معلمش", "اسمش", "نامش",
    "به نام",
    # ps
    "زوی", "زوئ", "لور", "ښاغلی", "ښاغلې", "مېرمن", "ډاکټر", "ښوونکی", "ښوونکې", "نوم",
    # bn
    "ছেলে", "মেয়ে", "ছেলের", "মেয়ের", "সন্তান", "মিসেস", "মিস্টার", "ডাক্তার", "ডাঃ", "মিস", "শিক্ষক", "শিক্ষিকা",
    "নাম",
    # pa
    "ਪੁੱਤਰ", "ਪੁੱਤ", "ਧੀ", "ਬੇਟਾ", "ਬੇਟੀ", "ਮੁੰਡਾ", "ਕੁੜੀ", "ਸ੍ਰੀਮਤੀ", "ਸ਼੍ਰੀਮਤੀ", "ਮਿਸਿਜ਼", "ਮਿਸ", "ਡਾਕਟਰ",
    "ਅਧਿਆਪਕ", "ਨਾਮ", "ਨਾਂ",
    # gu
    "દીકરો", "દીકરી", "પુત્ર", "પુત્રી", "દીકરાનું", "દીકરીનું", "શ્રીમતી", "શ્રી", "ડૉક્ટર", "શિક્ષક", "નામ",
)

# Words that commonly follow a caseless cue and are not names (function words, common verbs and adjectives).
CASELESS_STOP: dict[str, frozenset[str]] = {
    "ur": frozenset(
        "کو کا کی کے نے سے میں پر بہت بھی اب ابھی ہے ہیں تھا تھی تھے جو جس اور یا نہیں کبھی ہمیشہ صرف کافی "
        "پچھلے دو تین چار پانچ چھ سات آٹھ نو دس گیارہ بارہ سال ماہ مہینے اسکول سکول ہسپتال آٹسٹک آٹزم معذور "
        "ہر کچھ کوئی ایک گھر کل آج روز روزانہ شدید خاص پہلے بعد ٹھیک بیمار پریشان خوش اداس بڑا بڑی چھوٹا "
        "چھوٹی سب ہم وہ یہ اس ان جب تک لیے لئے بولنا بول رہا رہی رہے کر کرتا کرتی جاتا جاتی نہ ہی تو والا "
        "والی".split()
    ),
    "ar": frozenset(
        "في من إلى الى على عن مع لا لم لن قد كان كانت هو هي عمره عمرها عنده عندها لديه لديها مصاب مصابة "
        "يعاني تعاني ينتظر تنتظر يدرس تدرس يذهب تذهب يحتاج تحتاج الذي التي الصغير الصغيرة الكبير الكبيرة "
        "الأكبر الأصغر البالغ البالغة ذو ذات وهو وهي منذ ما زال زالت ليس ليست يحب تحب كل بعد قبل جدا "
        "أيضا الآن حاليا اثنين ثلاث أربع خمس ست سبع ثماني تسع عشر سنة سنوات سنتين شهر أشهر المدرسة "
        "يتكلم تتكلم يستطيع تستطيع لديهما".split()
    ),
    "fa": frozenset(
        "در به از را که و هم خیلی دو سه چهار پنج شش هفت هشت نه ده سال ماه است هست بود نمی می هیچ "
        "مدرسه الان هنوز همیشه فقط یک با برای تا اوتیسم دارد ندارد کوچک بزرگ".split()
    ),
    "ps": frozenset(
        "د په له ته چې او هم ډېر ډیر دوه درې څلور پنځه کال کلونو میاشت میاشتې دی ده وو نه یو ښوونځي "
        "اوس لا تل یوازې سره لپاره".split()
    ),
    "bn": frozenset(
        "দুই তিন চার পাঁচ এক খুব এখন এখনও স্কুলে স্কুল কে এর বছর মাস কোনো আর ও এবং সবসময় কিন্তু "
        "শুধু আমার তার একটি অনেক গত থেকে জন্য ছিল আছে নেই হয় না".split()
    ),
    "pa": frozenset(
        "ਦਾ ਦੀ ਦੇ ਨੂੰ ਨੇ ਬਹੁਤ ਦੋ ਤਿੰਨ ਚਾਰ ਪੰਜ ਇੱਕ ਸਾਲ ਮਹੀਨੇ ਹੈ ਹਨ ਸੀ ਵੀ ਸਕੂਲ ਅਤੇ ਪਰ ਹੁਣ ਅਜੇ ਕੋਈ "
        "ਨਹੀਂ ਤੋਂ ਲਈ ਨਾਲ ਵਿੱਚ ਜੋ".split()
    ),
    "gu": frozenset(
        "ને નો ની નું ના બહુ બે ત્રણ ચાર પાંચ એક વર્ષ મહિના છે હતો હતી પણ શાળા અને હવે હજુ કોઈ નથી "
        "માટે સાથે માં થી જે".split()
    ),
}

# --- Titles written after a name -------------------------------------------------------------------------
POST_TITLES: tuple[str, ...] = ("Hanım", "Hanim", "Bey", "Hoca", "Hocam", "Abla", "Ağabey", "Teyze", "Amca")
POST_TITLES_CASELESS: tuple[str, ...] = ("صاحب", "صاحبہ", "باجی", "آپا", "خانم", "جان", "ਜੀ", "જી", "সাহেব")

# --- Chinese ------------------------------------------------------------------------------------------------
ZH_KIN_CUES: tuple[str, ...] = ("儿子", "女儿", "孩子", "老公", "丈夫", "妻子", "儿", "闺女")
ZH_NAMING_CUES: tuple[str, ...] = ("名字叫", "名字是", "名叫", "叫做", "叫")
ZH_TITLES: tuple[str, ...] = ("老师", "医生", "女士", "先生", "校长", "护士", "主任", "太太", "小姐", "大夫")
ZH_SURNAMES: str = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤"
)
# Characters that end a Chinese name run: function words and verbs that follow a name in a sentence.
ZH_STOP_CHARS: str = "的在了是有很不也还和得因被叫说对要会就都又跟给把从去上已今一没需患确刚才等每现正"

# --- Date-of-birth cues (case-insensitive, whole words unless a stem is marked with *) ----------------------
BIRTH_CUES: tuple[str, ...] = (
    "born", "birth", "birthday", "DOB", "D.O.B", "d.o.b.", "b.",
    "urodzony", "urodzona", "urodził", "urodziła", "urodzenia", "ur.", "data urodzenia",
    "născut", "născută", "nașterii", "naștere", "nascut", "nasterii",
    "nació", "nacido", "nacida", "nacimiento",
    "né", "née", "naissance",
    "nato", "nata", "nascita",
    "nasceu", "nascido", "nascida", "nascimento",
    "народився", "народилася", "народилась", "народження", "нар.", "родился", "родилась", "рождения",
    "doğdu", "doğum", "doğumlu",
    "gimė", "gimęs", "gimusi", "gimimo",
    "narodil", "narodila", "narodený", "narodená", "narodenia",
    "dhashay", "dhalasho", "dhalashada", "dhashey",
    "ميلاد", "ولد", "ولدت", "مواليد", "الميلاد",
    "پیدائش", "پیدا",
    "تولد", "متولد",
    "زیږېدنه", "زېږېدلی", "زیږیدلی", "زیږیدنې",
    "জন্ম", "জন্মতারিখ", "জন্মদিন",
    "ਜਨਮ",
    "જન્મ",
    "出生", "生日",
)

# --- Month names (day-month-year dates in words) ------------------------------------------------------------
MONTHS: tuple[str, ...] = (
    # en
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    # pl (genitive and nominative)
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
    "października", "listopada", "grudnia", "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec",
    "sierpień", "wrzesień", "październik", "listopad", "grudzień",
    # ro
    "ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "septembrie", "octombrie",
    "noiembrie", "decembrie",
    # es
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
    "octubre", "noviembre", "diciembre",
    # fr
    "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre",
    # it
    "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre",
    # pt
    "janeiro", "fevereiro", "março", "maio", "junho", "julho", "setembro", "outubro", "dezembro",
    # tr
    "ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım",
    "aralık",
    # uk (genitive)
    "січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
    "листопада", "грудня",
    # sk
    "januára", "februára", "apríla", "mája", "júna", "júla", "augusta", "septembra", "októbra", "novembra",
    "decembra",
    # lt
    "sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio", "rugsėjo",
    "spalio", "lapkričio", "gruodžio",
    # so
    "Janaayo", "Febraayo", "Maarso", "Abriil", "Luulyo", "Agoosto", "Sebtembar", "Oktoobar", "Nofembar",
    "Desembar",
    # ar
    "يناير", "فبراير", "مارس", "أبريل", "ابريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
    "نوفمبر", "ديسمبر",
    # ur
    "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر",
    # fa
    "ژانویه", "فوریه", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
)

# --- Capitalised words that are never names on their own --------------------------------------------------
# Sentence starters, pronouns, titles, SEND vocabulary, places and calendar words.  Compared case-folded.
COMMON_CAPITALISED: frozenset[str] = frozenset(
    w.casefold()
    for w in """
    The A An I We He She They It You My Our His Her Their Its Your This That These Those There Here When Where
    What Why How Who Which Whose If As At In On For From With Without To Of By About After Before Since Until
    Last Next Every Each Please Thank Thanks Hi Hello Dear Yes No Not But And Or So Also However Then Now Still
    Even Just Only Both All Some Many Most None Nobody Everyone Someone Nothing Everything Another Other Again
    Once Twice Sometimes Often Always Never Today Yesterday Tomorrow Tonight Morning Afternoon Evening Night
    Week Weekend Month Year Years Day Days Time Hope Sorry Unfortunately Luckily Thankfully Apparently
    Currently Recently Finally Eventually Overall Honestly Basically Really Very Because Although Though While
    During Despite Through Into Onto Over Under Between Among Within Around Against Via Per Like Unlike Than
    Are Is Was Were Be Been Being Have Has Had Do Does Did Can Could Would Should Will Shall May Might Must
    Get Got Went Go Going Said Told Asked Called Named Waited Waiting Been Keep Kept Need Needs Needed
    Mum Mummy Mom Dad Daddy Nan Nanna Grandma Grandad Granny Grandpa Auntie Aunt Uncle Carer Carers Parent
    Parents Family Families Son Daughter Child Children Children's Kids Kid Baby Boy Girl Brother Sister Twin
    Twins Husband Wife Partner Teacher Teachers Head Headteacher Deputy Principal Nurse Doctor Consultant
    Mr Mrs Ms Mx Miss Dr Prof Sir Dame Madam Lady Lord St Saint Mme Mlle Monsieur Madame Sr Sra Srta Sig
    Pani Pan Pán Panie Doamna Domnul Señora Señor Senhora Senhor Signora Signor Bay Bayan Hanım Bey Ponia Ponas
    School Schools Academy College Nursery Primary Secondary Infant Infants Junior Juniors High Grammar
    Special Mainstream Independent Virtual Sixth Form Unit Provision Base Resource Hub Centre Center Clinic
    Hospital Trust Team Service Services Council County Borough City District Authority Local Offer Plan
    Plans Panel Tribunal Review Annual Needs Assessment Assessments Education Educational Health Care Social
    Mental Early Help Support Speech Language Therapy Therapist Therapists Occupational Physiotherapy
    Physio Psychologist Psychology Psychiatrist Psychiatry Paediatrician Paediatrics Paediatric Community
    Child Development Children's Integrated Neurodevelopmental Pathway Autism Autistic Diagnosis
    Disability Disabilities Disabled Syndrome Down Down's Cerebral Palsy Epilepsy Dyslexia Dyspraxia
    Dyscalculia Global Delay Sensory Processing Hearing Visual Vision Impairment Learning Difficulties
    Difficulty Behaviour Behavioural Emotional Moderate Severe Profound Multiple Complex Medical Physical
    Transport Respite Direct Payments Personal Budget Budgets Short Breaks Portage Makaton PECS Mencap
    Barnardo's Contact Parent Carer Forum Forums Ofsted Telegram WhatsApp Facebook Instagram Google Zoom
    Teams Outlook Gmail Yahoo Hotmail Good Outstanding Requires Improvement Inadequate Written Statement Action
    Government Department Minister Secretary State Education Act Code Practice Court Judge Appeal Appeals
    National Society Trust Foundation Charity Citizens Advice Jobcentre Universal Credit Benefits Benefit
    Living Allowance Independence Payment Attendance Mobility Blue Badge Badge Carer's Carers' Emergency
    Department Ward Accident Ambulance Police Housing Association Library Church Mosque Temple Gurdwara
    Synagogue Christmas Easter Eid Ramadan Diwali Hanukkah Summer Autumn Winter Spring Term Half Holiday
    Holidays Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July
    August September October November December England English Britain British UK Scotland Scottish Wales
    Welsh Ireland Irish Europe European London Poland Polish Romania Romanian Pakistan Pakistani India Indian
    Bangladesh Bangladeshi Somalia Somali Ukraine Ukrainian Turkey Turkish Türkiye Afghanistan Afghan Iran
    Iranian Persian Farsi Dari Pashto Urdu Punjabi Panjabi Gujarati Bengali Bangla Arabic Arab Syria Syrian
    Iraq Iraqi Sudan Sudanese Eritrea Eritrean Nigeria Nigerian Ghana Ghanaian Lithuania Lithuanian Slovakia
    Slovak Czech Portugal Portuguese Brazil Brazilian Spain Spanish France French Italy Italian China Chinese
    Mandarin Cantonese Hong Kong Muslim Christian Catholic Hindu Sikh Jewish Islamic Methodist Baptist
    Anglican Orthodox Year Reception Key Stage GCSE GCSEs SATs Maths English Science Art Music PE Drama
    Home Learning Education Elective Home-Educated Alternative Hospital Outreach Pupil Referral Exclusion
    Excluded Suspended Suspension Part-time Timetable Attendance Officer Officers Coordinator Co-ordinator
    Manager Lead Leader Director Inclusion Wellbeing Pastoral Safeguarding Designated Governor Governors
    Chair Trustee Mp MP Councillor Ombudsman LGSCO Inspector Inspectors Inspection Area Areas Regional Region
    North South East West Northern Southern Eastern Western Central Upper Lower Greater New Old Great Little
    Royal Street Road Lane Avenue Close Drive Way Park Green Hill Court Place Square Gardens Grove Terrace
    Children Young People Adult Adults Youth Offending Justice Advocacy Advocate Solicitor Barrister Lawyer
    Legal Aid Law Mediation Mediator Decision Refusal Refused Agreed Draft Final Amended Section Part Appendix
    Club Breakfast After-School Group Groups Network Board Partnership Project Programme Scheme Alliance
    Association Noted Note Update Updated Urgent Important Help Question Answer Feedback Complaint Complaints Ok Okay
    Oh Well Anyway Actually Finally Firstly Secondly Lastly Plus Instead Meanwhile Otherwise Therefore Thus
    Hence Furthermore Moreover Besides Whereas Whether Either Neither Nor Yet Although Unless Whenever
    Wherever Whatever Whoever Somehow Somewhere Anywhere Everywhere Nowhere Together Alone
    Mój Moja Moje Mojego Mojej Nasz Nasza Jego Jej Ich Syn Córka Dziecko Szkoła Szkole Szkoły Rada Nauczycielka
    Mi Mis Su Sus Mon Ma Mes Son Sa Ses Notre Nos Leur Mio Mia Miei Mie Meu Minha Meus Minhas Seu Sua
    Fiul Fiica Copilul Școala Scoala Мій Моя Мої Наш Наша Його Її Син Донька Дочка Школа Ми Він Вона Вони
    Oğlum Kızım Okul Benim Bizim Mano Mūsų Jo Jos Môj Moja Náš Naša Wiilkayga Gabadhayda Anh Lo La Le Les Los
    Las El Il Lui Lei Ele Ela Eles Elas Nous Vous Ils Elles Je Tu Ce Cette Ces Un Une Des Du De Del Della Di
    Da Do Dos Das Em No Na Nas Nos Ao Aos À Às Au Aux Et Ou Mais Pero Y O Ma Però Ed E Și Si Dar Iar Sau Și
    Ale Oraz Lub Czy Że Bo Ja My Wy Oni One Ten Ta To Te Tam Tu Tutaj Już Jeszcze Tylko Nie Tak
    """.split()
)

# Given names that are ordinary lower-case words somewhere among the survey languages ("ben" is Turkish "I").
LOWERCASE_UNSAFE_NAMES: frozenset[str] = frozenset(
    "ben can ana ola ela alba luna pola ada sara nina lena maja marta jan max lee dean will mark".split()
)
# Names that hunspell knows as ordinary words but that a parent almost always means as a name ("jack his brother").
LOWERCASE_NAME_OVERRIDES: frozenset[str] = frozenset("jack harvey".split())

# Words that join names in a list: "Keeley and Brandon", "Tyrese, Kaden and Amani", "Bartek i Tymek".
NAME_JOINERS: tuple[str, ...] = (
    ",", "&", "and", "or", "i", "oraz", "y", "e", "et", "și", "si", "ve", "ile", "ir", "a", "та", "і", "й", "и",
)

# Lower-case titles before a lower-case surname ("dr. hussain", "mrs khan"); "miss" and "ms" are ordinary words.
LOWER_TITLES: tuple[str, ...] = ("mr", "mr.", "mrs", "mrs.", "dr", "dr.", "ms.")
# Words after a lower-case "dr" that are not names ("my dr appointment").
LOWER_TITLE_STOP: frozenset[str] = frozenset(
    "appointment appointments appt appts surgery letter letters report reports note notes referral referrals "
    "visit visits office clinic receptionist and the who said says told was is has had did does at in on for to "
    "of said".split()
)

# Words that look like given names but are ordinary English words when capitalised at a sentence start.
AMBIGUOUS_NAMES: frozenset[str] = frozenset(
    "will may mark bill grace hope joy faith rose summer autumn april june august amber sky dawn sue can "
    "victoria georgia chelsea florence frank pat rich ray sunny holly ivy angel king major star jade "
    "noor nur umut".split()
)

# --- Common given names (a safety net for names written without any cue) ----------------------------------
# Latin and Cyrillic entries are matched only when capitalised; other scripts after light normalisation.
FIRST_NAMES: frozenset[str] = frozenset(
    """
    Oliver George Harry Noah Jack Leo Arthur Muhammad Mohammed Mohammad Mohamed Oscar Charlie Jacob Thomas Henry
    William Alfie Joshua Freddie Archie Theo Ethan Isaac Alexander James Edward Joseph Samuel Max Daniel Logan
    Lucas Dylan Harrison Finley Mason Adam Elijah Benjamin Sebastian Teddy Reuben Tommy Louie Riley Albie Toby
    Luca Ronnie Rory Jude Hugo Jenson Frankie Elliot Elliott Ezra Caleb Ollie Bobby Liam Tyler Kai Jayden Callum
    Connor Kian Kyle Lewis Luke Matthew Michael Nathan Ryan Aaron Ben Sam Tom Joe Jake Josh Alex Danny Chris
    Paul Peter John David Richard Robert Steven Stephen Simon Andrew Anthony Gary Kevin Martin Neil Darren Lee
    Craig Jason Wayne Dean Shane Ashley Jordan Cameron Jamie Kieran Declan Bradley Brandon Aiden Zachary Zach
    Owen Dexter Stanley Austin Carter Hunter Jaxon Ibrahim Yusuf Ali Omar Hamza Bilal Zain Ayaan Rayyan
    Musa Ahmed Ahmad Hassan Hussain Imran Usman Arjun Aarav Rohan Harvey Kayden Leon Jesse Marcus Nathaniel
    Patrick Sean Shaun Tristan Vincent Jonathan Christopher Nicholas Timothy Gareth Ian Graham Keith Colin
    Olivia Amelia Isla Ava Freya Lily Willow Rosie Sophia Isabella Daisy Sienna Poppy Elsie Emily Ella
    Evelyn Phoebe Sofia Evie Charlotte Harper Millie Matilda Maya Sophie Alice Emilia Isabelle Ruby Luna
    Maisie Aria Penelope Mila Bonnie Eva Hallie Eliza Ada Violet Esme Arabella Imogen Jessica Chloe Hannah
    Lucy Megan Ellie Erin Lauren Amy Katie Rebecca Laura Sarah Emma Leah Abigail Molly Zara Aisha Ayesha
    Fatima Maryam Amira Hafsa Khadija Zainab Inaya Anaya Aaliyah Layla Lila Nadia Priya Anya Niamh Siobhan
    Bethany Kayleigh Stacey Tracey Claire Clare Lisa Louise Nicola Gemma Donna Michelle Kelly Karen Julie
    Helen Joanne Rachel Natalie Samantha Elizabeth Catherine Katherine Kate Jennifer Jenny Susan Sharon Tracy
    Angela Caroline Amanda Leanne Hayley Danielle Paige Shannon Courtney Keira Kiera Tia Nicole Jasmine
    Scarlett Lola Lacey Harriet Eleanor Beatrice Anna Maria Sara Mary Jane Emmy Naomi Esther Ruth Deborah
    Kacper Jakub Szymon Filip Jan Antoni Franciszek Mikołaj Wojciech Aleksander Stanisław Michał Marcel
    Bartosz Piotr Paweł Krzysztof Tomasz Łukasz Mateusz Dawid Oskar Igor Maciej Marek Kamil Damian Patryk
    Wiktor Tymon Zuzanna Zuzia Julia Zosia Zofia Hanna Maja Lena Alicja Oliwia Natalia Wiktoria Pola Nikola
    Gabriela Aleksandra Ola Kasia Katarzyna Agnieszka Małgorzata Magda Magdalena Joanna Basia Barbara
    Ewa Ania Marta Monika Karolina Kinga Ewelina Dorota Beata Iwona Justyna Paulina Weronika Martyna Milena
    Andrei Alexandru Ionuț Ion Mihai Ștefan Stefan Gabriel Darius Matei Vlad Radu Cristian Bogdan Florin
    Sorin Adrian Marius Ioana Elena Andreea Alexandra Ana Bianca Daria Irina Raluca Roxana Alina Cristina
    Mădălina Denisa Larisa Ilinca Mateo Martín Alejandro Pablo Manuel Álvaro Adrián Mario Diego Javier
    Carlos Sergio Santiago Sebastián Valentina Lucía Sofía Martina María Paula Daniela Carla Alba Carmen
    Isabel Camila Ximena João Pedro Tiago Rafael Gustavo Miguel Rodrigo Francisco Afonso Tomás Guilherme
    Enzo Beatriz Mariana Inês Leonor Matilde Carolina Helena Luísa Manuela Yasmin Louis Jules Léo Raphaël
    Théo Mathis Antoine Mathéo Chloé Léa Manon Camille Inès Lina Zoé Juliette Lou Clémence Margaux Océane
    Amélie Élodie Émilie Sylvie Nathalie Aminata Fatoumata Mamadou Moussa Ibrahima Lorenzo Leonardo
    Francesco Alessandro Mattia Gabriele Riccardo Tommaso Edoardo Giuseppe Giovanni Marco Matteo Federico
    Davide Giulia Aurora Ginevra Giorgia Chiara Francesca Elisa Alessia Emre Mehmet Mustafa Ahmet Eymen
    Miraç Ömer Kerem Burak Murat Hakan Oğuz Arda Efe Berat Enes Kaan Elif Zeynep Ayşe Fatma Emine Hatice
    Defne Ecrin Azra Nehir Zehra Büşra Merve Esra Selin İrem Lukas Jonas Matas Nojus Dominykas
    Kajus Herkus Tomas Mantas Emilija Sofija Lėja Amelija Austėja Gabija Ugnė Rūta Jurgita Inga Matej
    Samuel Tomáš Lukáš Michal Jozef Ján Nina Ema Viktória Natália Lucia Zuzana Katarína Jana Mária Cabdi
    Cabdullahi Maxamed Maxamuud Axmed Cali Xasan Xuseen Yuusuf Ismaaciil Ibraahim Cumar Faarax Guuleed Hodan
    Faadumo Caasha Xaliimo Hibo Sahra Ifrah Nimco Ubax Maryan Khadra Hamdi Ilhan Deeqa Sagal Farhiya Fartuun
    Ruqiya Андрій Олександр Максим Артем Артём Дмитро Іван Михайло Назар Богдан Тарас Марко Матвій Давид
    Денис Олег Сергій Володимир Юрій Софія Анна Марія Вікторія Анастасія Дарина Соломія Злата Олена
    Оксана Наталія Ірина Катерина Мілана Аліна Ольга Тетяна Юлія Христина Алексей Дмитрий Наталья Мария
    Александр Иван Михаил Екатерина Анастасия
    محمد احمد أحمد علي علی حسن حسين حسین يوسف یوسف ابراهيم ابراهیم إبراهيم عبدالله عثمان بلال حمزة حمزه
    زين زین آرش   مهدی سینا علیرضا فاطمة فاطمه فاطمہ عائشة عایشه عائشہ مريم مریم زينب زینب خديجة
    خدیجه آمنة آمنه سارا سارہ ساره ليلى لیلا زهرا رقیه حفصه عمران فیصل فيصل طارق كريم کریم خالد
    ياسين یاسین  نادیا صفیه حلیمه سمیرا هانیه محمود   بلال ابوبکر عبدالرحمن
    রহিম করিম আহমেদ মোহাম্মদ মুহাম্মদ আলী হাসান হোসেন রাহুল আরিফ সাকিব তানভীর ফাতেমা আয়েশা মরিয়ম নুসরাত
    তাসনিম সুমাইয়া জান্নাত রুমানা প্রিয়া
    ਹਰਜੀਤ ਹਰਪ੍ਰੀਤ ਗੁਰਪ੍ਰੀਤ ਮਨਪ੍ਰੀਤ ਜਸਪ੍ਰੀਤ ਸਿਮਰਨ ਅਮਨ ਅਰਜਨ ਗੁਰਵਿੰਦਰ ਹਰਮਨ ਨਵਜੋਤ ਕਿਰਨ ਜਸਲੀਨ ਪ੍ਰਭਜੋਤ ਸੁਖਮਨ
    ਬਲਜੀਤ ਰਣਜੀਤ ਅਮਰਜੀਤ ਕੁਲਦੀਪ
    આરવ વિહાન રિયા પ્રિયા અનન્યા અર્જુન ધ્રુવ કૃષ્ણ વિવાન જીયા નિધિ મીરા રોહન ઈશાન પાર્થ
    """.split()
)
