"""Invented news stories for the development pages (no real outlet's text): a headline, a byline and
paragraphs per story, in English and Arabic, plus the furniture real pages carry around them."""

EN = [
    dict(title="Flooding forces thousands from their homes in northern province",
         authors=["Jane Doe"],
         paras=[
             "Heavy rain swept across the northern province on Thursday, forcing more than 3,400 people to leave their homes as rivers burst their banks, local officials said.",
             "At least 12 people were killed and dozens injured when a bridge collapsed near the provincial capital, according to the regional emergency service.",
             "Rescue teams worked through the night to reach villages cut off by the water, using boats borrowed from fishermen on the coast.",
             "The national weather office warned that more rain was expected over the weekend and urged residents of low-lying districts to move to higher ground.",
             "Aid groups said shelters in schools and mosques were already full and appealed for blankets, drinking water and baby formula.",
         ]),
    dict(title="Parliament approves budget after marathon overnight session",
         authors=["John Roe", "Maria Lopez"],
         paras=[
             "Lawmakers approved the national budget early on Friday after a debate that lasted more than fourteen hours and ended with a narrow vote of 151 to 147.",
             "The finance minister said the plan would cut the deficit in half within three years while protecting spending on hospitals and schools.",
             "Opposition members walked out before the final vote, accusing the government of hiding the true cost of its fuel subsidies.",
             "Economists said the budget relied on optimistic forecasts for growth and warned that a fall in oil prices could undo much of the planned saving.",
             "The bill now goes to the upper house, which is expected to debate it next week before it is signed into law.",
         ]),
    dict(title="Hospital fire kills nine patients in capital",
         authors=["Sam Patel"],
         paras=[
             "A fire broke out in the intensive care ward of a public hospital in the capital late on Tuesday, killing nine patients, the health ministry said.",
             "Firefighters brought the blaze under control within an hour, but thick smoke spread through two floors of the building before patients could be moved.",
             "Witnesses said nurses carried patients down the stairs on mattresses because the lifts had stopped working when the power was cut.",
             "The prime minister ordered an investigation and said those responsible for any negligence would be held to account.",
             "It was the second deadly hospital fire in the country this year, and doctors' unions have long complained about faulty wiring in older wards.",
         ]),
    dict(title="Central bank raises interest rates for the third time this year",
         authors=["Ana Silva"],
         paras=[
             "The central bank raised its main interest rate by half a percentage point on Wednesday, its third increase this year, as it tries to bring inflation under control.",
             "Consumer prices rose 8.4 percent in the year to October, the fastest pace in more than a decade, driven by food and energy costs.",
             "The bank's governor told reporters that further increases could not be ruled out if prices kept rising faster than wages.",
             "Business groups said higher borrowing costs would hurt small firms that were still recovering from the pandemic.",
             "The currency strengthened slightly against the dollar after the announcement, while shares in banks rose on the stock exchange.",
         ]),
    dict(title="Ceasefire talks resume as aid convoys wait at the border",
         authors=["Leila Haddad", "Tom Baker"],
         paras=[
             "Negotiators returned to the talks on Sunday after a two-week pause, with mediators saying both sides had agreed to discuss a phased ceasefire.",
             "More than 200 trucks carrying food and medicine were waiting at the border crossing, according to the United Nations, which said only a fraction had been allowed through.",
             "Aid workers described shortages of fuel that had forced bakeries and water plants to close in several towns.",
             "A spokesman for the mediators said the first phase would include an exchange of detainees and the reopening of two crossings.",
             "Diplomats cautioned that earlier rounds had broken down over the same questions and that any agreement would be fragile.",
         ]),
]

AR = [
    dict(title="السيول تجبر آلاف العائلات على مغادرة منازلها في شمال البلاد",
         authors=["محمد علي"],
         paras=[
             "أجبرت السيول الناجمة عن الأمطار الغزيرة أكثر من 3400 شخص على مغادرة منازلهم في المحافظات الشمالية يوم الخميس، بحسب ما أعلنت السلطات المحلية.",
             "وقال الدفاع المدني إن 12 شخصاً على الأقل لقوا حتفهم وأصيب العشرات عندما انهار جسر قرب مركز المحافظة.",
             "وعملت فرق الإنقاذ طوال الليل للوصول إلى القرى التي عزلتها المياه، مستخدمة قوارب استعارتها من الصيادين على الساحل.",
             "وحذرت هيئة الأرصاد الجوية من هطول مزيد من الأمطار خلال عطلة نهاية الأسبوع، ودعت سكان المناطق المنخفضة إلى الانتقال إلى أماكن مرتفعة.",
             "وقالت منظمات الإغاثة إن مراكز الإيواء في المدارس والمساجد امتلأت، وناشدت تقديم البطانيات ومياه الشرب وحليب الأطفال.",
         ]),
    dict(title="البرلمان يقر الموازنة العامة بعد جلسة ماراثونية",
         authors=["أحمد حسن", "سارة يوسف"],
         paras=[
             "أقر مجلس النواب الموازنة العامة للدولة فجر الجمعة بعد نقاش استمر أكثر من أربع عشرة ساعة، وانتهى بتصويت 151 نائباً لصالحها مقابل 147.",
             "وقال وزير المالية إن الخطة ستخفض العجز إلى النصف خلال ثلاث سنوات مع الحفاظ على الإنفاق على المستشفيات والمدارس.",
             "وانسحب نواب المعارضة من الجلسة قبل التصويت النهائي، متهمين الحكومة بإخفاء الكلفة الحقيقية لدعم الوقود.",
             "ورأى خبراء اقتصاديون أن الموازنة تعتمد على توقعات متفائلة للنمو، محذرين من أن تراجع أسعار النفط قد يبدد جانباً كبيراً من الوفر المنتظر.",
             "وينتقل مشروع القانون الآن إلى مجلس الشيوخ الذي يتوقع أن يناقشه الأسبوع المقبل قبل توقيعه.",
         ]),
    dict(title="حريق في مستشفى بالعاصمة يودي بحياة تسعة مرضى",
         authors=["خالد منصور"],
         paras=[
             "اندلع حريق في قسم العناية المركزة بأحد المستشفيات الحكومية في العاصمة مساء الثلاثاء، ما أدى إلى وفاة تسعة مرضى، بحسب وزارة الصحة.",
             "وتمكن رجال الإطفاء من السيطرة على الحريق خلال ساعة، لكن الدخان الكثيف انتشر في طابقين من المبنى قبل نقل المرضى.",
             "وقال شهود إن الممرضين حملوا المرضى على الفرش عبر السلالم لأن المصاعد توقفت عن العمل بعد انقطاع الكهرباء.",
             "وأمر رئيس الوزراء بفتح تحقيق، مؤكداً أن المسؤولين عن أي إهمال سيحاسبون.",
             "وهذا ثاني حريق قاتل في مستشفى بالبلاد هذا العام، وطالما اشتكت نقابات الأطباء من تهالك التمديدات الكهربائية في الأقسام القديمة.",
         ]),
    dict(title="البنك المركزي يرفع أسعار الفائدة للمرة الثالثة هذا العام",
         authors=["ليلى حداد"],
         paras=[
             "رفع البنك المركزي سعر الفائدة الرئيسي بمقدار نصف نقطة مئوية يوم الأربعاء، في ثالث زيادة هذا العام، في محاولة لكبح التضخم.",
             "وارتفعت أسعار المستهلكين بنسبة 8.4 في المئة على أساس سنوي في أكتوبر، وهي أسرع وتيرة منذ أكثر من عقد، بفعل تكاليف الغذاء والطاقة.",
             "وقال محافظ البنك للصحفيين إنه لا يستبعد زيادات أخرى إذا استمرت الأسعار في الارتفاع بوتيرة أسرع من الأجور.",
             "وقالت اتحادات رجال الأعمال إن ارتفاع تكاليف الاقتراض سيضر بالشركات الصغيرة التي ما زالت تتعافى من آثار الجائحة.",
             "وارتفعت العملة المحلية قليلاً أمام الدولار بعد الإعلان، فيما صعدت أسهم المصارف في البورصة.",
         ]),
    dict(title="استئناف محادثات وقف إطلاق النار وقوافل المساعدات تنتظر على الحدود",
         authors=["يوسف إبراهيم", "منى سالم"],
         paras=[
             "عاد المفاوضون إلى طاولة المحادثات يوم الأحد بعد توقف دام أسبوعين، وقال الوسطاء إن الطرفين وافقا على بحث وقف لإطلاق النار على مراحل.",
             "وقالت الأمم المتحدة إن أكثر من 200 شاحنة محملة بالغذاء والدواء تنتظر عند المعبر الحدودي، ولم يسمح إلا بعبور جزء صغير منها.",
             "ووصف عاملون في الإغاثة نقصاً في الوقود أجبر المخابز ومحطات المياه على الإغلاق في عدة بلدات.",
             "وقال متحدث باسم الوسطاء إن المرحلة الأولى ستشمل تبادل المحتجزين وإعادة فتح معبرين.",
             "وحذر دبلوماسيون من أن جولات سابقة انهارت بسبب المسائل نفسها، وأن أي اتفاق سيكون هشاً.",
         ]),
]

# Furniture around the article: teaser titles of other stories (must never become article text).
TEASERS = {
    "en": ["Markets slide as oil prices tumble to a two-year low", "Five things to know about the new visa rules",
           "Star striker signs record contract with city rivals", "Opinion: why the election still matters"],
    "ar": ["تراجع البورصات مع هبوط أسعار النفط إلى أدنى مستوى في عامين", "خمسة أشياء يجب معرفتها عن قواعد التأشيرة الجديدة",
           "المهاجم النجم يوقع عقداً قياسياً مع الغريم التقليدي", "رأي: لماذا ما زالت الانتخابات مهمة"],
}
SITES = {
    "en": ["The Daily Courier", "Metro Herald", "Global Wire", "Northern Times", "City Observer"],
    "ar": ["الشروق الإخبارية", "صوت المدينة", "الخبر اليوم", "الوطن نيوز", "منبر الأخبار"],
}
