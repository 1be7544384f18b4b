"""The demo course "Classroom management", in English and Urdu.

Real teaching text, short enough for a phone, so the demo shows what learners see.
"""

COURSE_EN = {
    "title": "Classroom management",
    "slug": "classroom-management",
    "summary": (
        "Practical ways to run a calm, busy classroom: clear expectations, "
        "routines, praise that works, and handling disruption without shouting."
    ),
    "learning_outcomes": (
        "<ul><li>Agree classroom expectations with your pupils</li>"
        "<li>Build routines that save teaching time</li>"
        "<li>Respond to disruption calmly and fairly</li>"
        "<li>Manage large and mixed-age classes</li></ul>"
    ),
}
COURSE_UR = {
    "title": "کمرۂ جماعت کا نظم و ضبط",
    "summary": (
        "پرسکون اور سرگرم کمرۂ جماعت چلانے کے عملی طریقے: واضح توقعات، معمولات، "
        "مؤثر حوصلہ افزائی، اور چیخے چلائے بغیر خلل سے نمٹنا۔"
    ),
    "learning_outcomes": (
        "<ul><li>طلبہ کے ساتھ مل کر کمرۂ جماعت کے اصول طے کرنا</li>"
        "<li>ایسے معمولات بنانا جو تدریسی وقت بچائیں</li>"
        "<li>خلل کا پرسکون اور منصفانہ جواب دینا</li>"
        "<li>بڑی اور مختلف عمروں والی جماعتوں کا انتظام</li></ul>"
    ),
}

LESSONS = [
    {
        "slug": "expectations",
        "en": (
            "Setting expectations on day one",
            "<p>Pupils behave well when they know what is expected of them. On the "
            "first day, agree three to five short rules with the class, written as "
            "things to do rather than things not to do: <b>listen when someone is "
            "speaking</b>, <b>raise your hand to answer</b>, <b>look after our "
            "books</b>.</p><p>Write the rules on a chart at the front of the room "
            "and refer to them often, especially when praising.</p>",
        ),
        "ur": (
            "پہلے دن توقعات طے کرنا",
            "<p>طلبہ اس وقت بہتر رویہ اپناتے ہیں جب انہیں معلوم ہو کہ ان سے کیا توقع "
            "ہے۔ پہلے دن جماعت کے ساتھ مل کر تین سے پانچ مختصر اصول طے کریں، اور "
            "انہیں منع کرنے کے بجائے کرنے کی باتوں کے طور پر لکھیں: <b>جب کوئی بول "
            "رہا ہو تو سنیں</b>، <b>جواب دینے کے لیے ہاتھ اٹھائیں</b>، <b>اپنی "
            "کتاب کا خیال رکھیں</b>۔</p><p>یہ اصول چارٹ پر لکھ کر سامنے لگا دیں "
            "اور بار بار ان کا حوالہ دیں، خاص طور پر شاباش دیتے وقت۔</p>",
        ),
        "image": True,
    },
    {
        "slug": "routines",
        "en": (
            "Routines that save time",
            "<p>A routine is a way of doing a common task that everyone knows "
            "without being told. Good routines for the start of a lesson, giving "
            "out books, group work and packing up can save ten minutes a day.</p>"
            "<p>Teach a routine like a lesson: explain it, model it, let pupils "
            "practise it, and praise them when they do it well.</p>",
        ),
        "ur": (
            "وقت بچانے والے معمولات",
            "<p>معمول کسی روزمرہ کام کو کرنے کا ایسا طریقہ ہے جو سب کو بتائے بغیر "
            "معلوم ہو۔ سبق کے آغاز، کتابیں بانٹنے، گروہی کام اور سامان سمیٹنے کے "
            "اچھے معمولات روزانہ دس منٹ بچا سکتے ہیں۔</p><p>معمول کو سبق کی طرح "
            "سکھائیں: سمجھائیں، کر کے دکھائیں، طلبہ سے مشق کروائیں، اور اچھا کرنے "
            "پر شاباش دیں۔</p>",
        ),
        "document": True,
    },
    {
        "slug": "praise",
        "en": (
            "Praise that works",
            "<p>Praise is most useful when it is specific and sincere. Instead of "
            "“good”, say what was good: “You checked your answer with a partner "
            "before telling me. Well done.”</p><p>Praise effort and strategy, not "
            "only correct answers, so that pupils who find the work hard keep "
            "trying.</p>",
        ),
        "ur": (
            "مؤثر شاباش",
            "<p>شاباش اس وقت سب سے زیادہ مفید ہوتی ہے جب وہ واضح اور سچی ہو۔ صرف "
            "”اچھا“ کہنے کے بجائے بتائیں کہ کیا اچھا تھا: ”تم نے مجھے بتانے سے "
            "پہلے اپنے ساتھی کے ساتھ جواب جانچا۔ بہت خوب۔“</p><p>صرف درست جواب "
            "پر نہیں بلکہ محنت اور طریقے پر بھی شاباش دیں، تاکہ مشکل محسوس کرنے "
            "والے طلبہ بھی کوشش جاری رکھیں۔</p>",
        ),
    },
    {
        "slug": "disruption",
        "en": (
            "Handling disruption calmly",
            "<p>Most disruption is small: talking, turning round, a dropped pencil. "
            "Respond with the least intervention that works: a look, standing near "
            "the pupil, saying their name, then a quiet private word.</p><p>Keep "
            "your voice calm. A teacher who shouts teaches the class that shouting "
            "is how problems are solved.</p>",
        ),
        "ur": (
            "خلل سے پرسکون انداز میں نمٹنا",
            "<p>زیادہ تر خلل معمولی ہوتا ہے: باتیں کرنا، پیچھے مڑنا، پنسل گرنا۔ "
            "کم سے کم مداخلت سے جواب دیں جو کارگر ہو: ایک نظر، طالب علم کے قریب "
            "کھڑے ہونا، اس کا نام لینا، پھر الگ سے آہستہ بات کرنا۔</p><p>اپنی "
            "آواز پرسکون رکھیں۔ چیخنے والا استاد جماعت کو یہ سکھاتا ہے کہ مسئلے "
            "چیخ کر حل ہوتے ہیں۔</p>",
        ),
    },
    {
        "slug": "large-classes",
        "en": (
            "Large and mixed-age classes",
            "<p>In a class of sixty, you cannot reach every pupil every lesson. "
            "Use pair work, group monitors and short whole-class checks such as "
            "“show me on your fingers” to see who has understood.</p><p>In "
            "mixed-age classes, give older pupils responsibility for helping "
            "younger ones; both learn from it.</p>",
        ),
        "ur": (
            "بڑی اور مختلف عمروں والی جماعتیں",
            "<p>ساٹھ طلبہ کی جماعت میں ہر سبق میں ہر طالب علم تک پہنچنا ممکن نہیں۔ "
            "جوڑیوں میں کام، گروہی نگران، اور ”انگلیوں پر دکھاؤ“ جیسی مختصر جانچ "
            "سے معلوم کریں کہ کس نے سمجھا ہے۔</p><p>مختلف عمروں والی جماعتوں میں "
            "بڑے طلبہ کو چھوٹوں کی مدد کی ذمہ داری دیں؛ دونوں اس سے سیکھتے "
            "ہیں۔</p>",
        ),
    },
]

RESEARCH_COURSE = {
    "title": "Research methodology",
    "slug": "research-methodology",
    "summary": (
        "For lecturers starting or supervising research: framing a question, "
        "choosing a method, and doing research ethically."
    ),
}
RESEARCH_LESSONS = [
    (
        "framing-a-question",
        "Framing a research question",
        "<p>A good research question is specific, answerable with the time and "
        "data you have, and matters to someone beyond you. Start broad, then "
        "narrow: who, where, when and what exactly will you measure?</p>",
    ),
    (
        "choosing-a-method",
        "Choosing a method",
        "<p>Let the question choose the method. Questions of <i>how many</i> or "
        "<i>how much</i> need quantitative data; questions of <i>how</i> and "
        "<i>why</i> often need interviews, observation or documents.</p>",
    ),
    (
        "ethics-and-consent",
        "Ethics and consent",
        "<p>Participants must know what the study is for, what you will do with "
        "their answers, and that they may stop at any time. Protect their names "
        "and keep data safe.</p>",
    ),
]
