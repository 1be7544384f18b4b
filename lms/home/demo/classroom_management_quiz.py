"""The final check of "Classroom management": nine questions in English and Urdu.

Each entry: kind, name, then per language the question, its options (choices)
or accepted answers (short text; None for cloze, whose gaps are in its text),
and feedback for a right and a wrong answer.
``right`` is the index of the right option; numeric questions give ``value``.
"""

QUIZ_TITLE = "Classroom management: final check"
QUIZ_TITLE_UR = "کمرۂ جماعت کا نظم و ضبط: آخری جائزہ"
CATEGORY = "Classroom management: final check"
QUESTIONS_PER_ATTEMPT = 4
PASS_MARK = 75
MAX_ATTEMPTS = 3

QUESTIONS = [
    {
        "kind": "single_choice",
        "name": "How many rules",
        "right": 1,
        "en": (
            "How many classroom rules should you agree with a class on the first day?",
            [
                "One, so it is easy",
                "Three to five short rules",
                "Twenty, to cover everything",
            ],
            "Yes: few enough to remember, enough to matter.",
            "Lesson 1 suggests three to five short rules.",
        ),
        "ur": (
            "پہلے دن جماعت کے ساتھ کتنے اصول طے کرنے چاہییں؟",
            [
                "صرف ایک، تاکہ آسان رہے",
                "تین سے پانچ مختصر اصول",
                "بیس، تاکہ سب کچھ آ جائے",
            ],
            "درست: اتنے کم کہ یاد رہیں، اتنے کہ اثر ہو۔",
            "پہلے سبق کے مطابق تین سے پانچ مختصر اصول۔",
        ),
    },
    {
        "kind": "true_false",
        "name": "Rules as do",
        "right": 0,
        "en": (
            "Rules work best written as things to do, not things not to do.",
            [],
            "Right: 'listen when someone speaks' beats 'don't talk'.",
            "Positive rules tell pupils what to do instead.",
        ),
        "ur": (
            "اصول منع کرنے کے بجائے کرنے کی باتوں کے طور پر لکھے جائیں "
            "تو بہتر کام کرتے ہیں۔",
            [],
            "درست: 'جب کوئی بول رہا ہو تو سنیں' بہتر ہے۔",
            "مثبت اصول بتاتے ہیں کہ کیا کرنا ہے۔",
        ),
    },
    {
        "kind": "short_text",
        "name": "Teacher in Urdu",
        "right": None,
        "en": (
            "Write the Urdu word for 'teacher' (in Urdu script).",
            ["استاد", "معلم", "ٹیچر"],
            "Well done.",
            "For example: استاد or معلم.",
        ),
        "ur": (
            "انگریزی لفظ 'teacher' کو اردو میں کیا کہتے ہیں؟ اردو میں لکھیں۔",
            ["استاد", "معلم", "ٹیچر"],
            "شاباش۔",
            "مثلاً: استاد یا معلم۔",
        ),
    },
    {
        "kind": "single_choice",
        "name": "Routines",
        "right": 2,
        "en": (
            "Why do routines save teaching time?",
            [
                "They make lessons shorter",
                "Pupils stop asking questions",
                "Pupils know what to do without new instructions each time",
            ],
            "Yes: practised routines run themselves.",
            "Routines mean pupils need no new instructions each time.",
        ),
        "ur": (
            "معمولات تدریسی وقت کیوں بچاتے ہیں؟",
            [
                "ان سے سبق چھوٹے ہو جاتے ہیں",
                "طلبہ سوال پوچھنا چھوڑ دیتے ہیں",
                "طلبہ کو ہر بار نئی ہدایات کے بغیر معلوم ہوتا ہے کہ کیا کرنا ہے",
            ],
            "درست: مشق شدہ معمولات خود چلتے ہیں۔",
            "معمولات کا مطلب ہے کہ ہر بار نئی ہدایات کی ضرورت نہیں۔",
        ),
    },
    {
        "kind": "multiple_choice",
        "name": "Calm responses",
        "right": [0, 2],
        "en": (
            "Which are calm ways to respond to disruption? Choose every right answer.",
            [
                "Move closer to the pupil",
                "Shout across the room",
                "Remind the pupil of the agreed rule",
                "Send the whole class outside",
            ],
            "Yes: closeness and the agreed rules work without drama.",
            "Calm responses: move closer and remind of the rule.",
        ),
        "ur": (
            "خلل کا پرسکون جواب کون سے ہیں؟ تمام درست جواب چنیں۔",
            [
                "طالب علم کے قریب جائیں",
                "کمرے کے پار سے چلائیں",
                "طالب علم کو طے شدہ اصول یاد دلائیں",
                "پوری جماعت کو باہر بھیج دیں",
            ],
            "درست: قریب جانا اور طے شدہ اصول بغیر ہنگامے کے کام کرتے ہیں۔",
            "پرسکون جواب: قریب جائیں اور اصول یاد دلائیں۔",
        ),
    },
    {
        "kind": "numeric",
        "name": "Minutes saved",
        "value": 10,
        "en": (
            "A routine saves 2 minutes in every lesson. How many minutes does it "
            "save over 5 lessons? (Type a number.)",
            [],
            "Right: 5 × 2 = 10 minutes.",
            "5 lessons × 2 minutes = 10 minutes.",
        ),
        "ur": (
            "ایک معمول ہر سبق میں 2 منٹ بچاتا ہے۔ "
            "5 اسباق میں کتنے منٹ بچیں گے؟ (عدد لکھیں)",
            [],
            "درست: 5 × 2 = 10 منٹ۔",
            "5 اسباق × 2 منٹ = 10 منٹ۔",
        ),
    },
    {
        "kind": "true_false",
        "name": "Praise",
        "right": 0,
        "en": (
            "Praise works best when it names what the pupil did well.",
            [],
            "Right: specific praise shows what to repeat.",
            "Specific praise works better than 'good'.",
        ),
        "ur": (
            "شاباش اس وقت بہتر کام کرتی ہے جب اس میں بتایا جائے "
            "کہ طالب علم نے کیا اچھا کیا۔",
            [],
            "درست: واضح شاباش بتاتی ہے کہ کیا دہرانا ہے۔",
            "واضح شاباش صرف 'اچھا' کہنے سے بہتر ہے۔",
        ),
    },
    {
        "kind": "single_choice",
        "name": "Large classes",
        "right": 0,
        "en": (
            "In a large class, what helps most with group work?",
            [
                "Give each group member a clear role",
                "Let the loudest pupil lead every time",
                "Avoid group work altogether",
            ],
            "Yes: roles keep every pupil busy.",
            "Clear roles for each member help most.",
        ),
        "ur": (
            "بڑی جماعت میں گروہی کام کے لیے سب سے زیادہ کیا مددگار ہے؟",
            [
                "گروہ کے ہر رکن کو واضح ذمہ داری دیں",
                "ہر بار سب سے اونچا بولنے والے کو رہنما بنائیں",
                "گروہی کام سے بالکل پرہیز کریں",
            ],
            "درست: ذمہ داریاں ہر طالب علم کو مصروف رکھتی ہیں۔",
            "ہر رکن کے لیے واضح ذمہ داری سب سے زیادہ مدد دیتی ہے۔",
        ),
    },
    {
        # Moodle's embedded answers: the gaps are written in the text (HTML).
        "kind": "cloze",
        "name": "Rules and routines",
        "en": (
            "<p>On the first day, agree on {1:MULTICHOICE:=three to five#Yes: few "
            "enough to remember.~one#Too few to guide the class.~twenty#Too many "
            "to remember.} short rules, and write each as {1:MCV:=what to do#Yes: "
            "positive rules say what to do.~what not to do#Say what to do "
            "instead.}.</p><p>Pupils learn a routine by {1:SHORTANSWER:=practice"
            "#Yes.~=practise#Yes.~=practising#Yes.~*#They learn it by practice.}."
            "</p>",
            None,
            "Well done: your rules and routines are in place.",
            "Read lesson 1 on rules and routines again.",
        ),
        "ur": (
            "<p>پہلے دن {1:MULTICHOICE:=تین سے پانچ#جی: اتنے کہ یاد رہیں۔~ایک#"
            "جماعت کی رہنمائی کے لیے بہت کم۔~بیس#یاد رکھنے کے لیے بہت زیادہ۔} "
            "مختصر اصول طے کریں، اور ہر اصول کو {1:MCV:=کیا کرنا ہے#جی: مثبت اصول "
            "بتاتے ہیں کہ کیا کرنا ہے۔~کیا نہیں کرنا#اس کے بجائے بتائیں کہ کیا "
            "کرنا ہے۔} کی صورت میں لکھیں۔</p><p>بچے معمول {1:SHORTANSWER:=مشق#"
            "جی۔~*#معمول مشق سے سیکھا جاتا ہے۔} سے سیکھتے ہیں۔</p>",
            None,
            "شاباش: آپ کے اصول اور معمولات طے ہیں۔",
            "اصولوں اور معمولات پر سبق 1 دوبارہ پڑھیں۔",
        ),
    },
]
