"""A Sindhi translation of the demo course's first lesson, to show a Naskh page.

Only the home page, the programme, the course and its first lesson are in Sindhi:
the course shows how a partly translated course looks (its Sindhi outline lists
the one Sindhi lesson).
"""

HOME_SD = {
    "title": "الائنس لرننگ",
    "intro": "الائنس فورمز جي استادن ۽ ليڪچررن لاءِ ڪورس ۽ تصديق لائق سرٽيفڪيٽ.",
}
NTTP_SD = {"title": "استادن جي تربيت جو قومي پروگرام"}
COURSE_SD = {
    "title": "ڪلاس روم جو انتظام",
    "summary": (
        "پرسڪون ۽ سرگرم ڪلاس هلائڻ جا عملي طريقا: واضح توقعات، روزمره جا معمول، "
        "اثرائتي همت افزائي، ۽ رڙيون ڪرڻ کان سواءِ خلل سان منهن ڏيڻ."
    ),
    "learning_outcomes": (
        "<ul><li>شاگردن سان گڏجي ڪلاس جا اصول طئي ڪرڻ</li>"
        "<li>اهڙا معمول ٺاهڻ جيڪي پڙهائيءَ جو وقت بچائين</li></ul>"
    ),
}
EXPECTATIONS_LESSON_SD = (
    "پهرين ڏينهن تي توقعات طئي ڪرڻ",
    "<p>شاگرد تڏهن سٺو رويو اختيار ڪن ٿا جڏهن کين خبر هجي ته انهن کان ڇا جي "
    "توقع آهي. پهرين ڏينهن ڪلاس سان گڏجي ٽن کان پنجن تائين مختصر اصول طئي ڪريو، "
    "۽ انهن کي منع ڪرڻ بدران ڪرڻ جهڙين ڳالهين طور لکو: <b>جڏهن ڪو ڳالهائي رهيو "
    "هجي ته ٻڌو</b>، <b>جواب ڏيڻ لاءِ هٿ مٿي ڪريو</b>، <b>پنهنجي ڪتاب جو خيال "
    "رکو</b>.</p><p>اهي اصول چارٽ تي لکي ڪلاس جي سامهون لڳايو ۽ بار بار انهن جو "
    "حوالو ڏيو، خاص ڪري شاباس ڏيندي وقت.</p>",
)
CHART_ALT_SD = "ڪلاس جي پنجن اصولن جو چارٽ"
CHART_CAPTION_SD = "ڪلاس سان گڏ طئي ٿيل اصول"
