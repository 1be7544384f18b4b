"""Urdu and Sindhi lessons on a phone, and the admin's editor in an RTL locale."""

import pytest
from wagtail.models import Locale

from courses import authoring
from lms.accounts.models import User

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

URDU_TEXT = (
    "<p>طلبہ اس وقت بہتر رویہ اپناتے ہیں جب انہیں معلوم ہو کہ ان سے کیا توقع ہے۔ "
    "پہلے دن جماعت کے ساتھ مل کر تین سے پانچ مختصر اصول طے کریں۔</p>"
)
SINDHI_TEXT = (
    "<p>شاگرد تڏهن سٺو رويو اختيار ڪن ٿا جڏهن کين خبر هجي ته انهن کان ڇا جي "
    "توقع آهي. پهرين ڏينهن ڪلاس سان گڏجي ٽن کان پنجن تائين مختصر اصول طئي ڪريو، "
    "۽ انهن کي ڳالهين طور لکو: <b>جڏهن ڪو ڳالهائي رهيو هجي ته ٻڌو</b>.</p>"
)
FONT_FILES = {
    "ur": "noto-nastaliq-urdu-arabic-400-normal.woff2",
    "sd": "noto-naskh-arabic-arabic-400-normal.woff2",
}


@pytest.fixture
def translated_lesson(make_course):
    course = make_course(lessons=1, open_lessons=True, title="Classroom rules")
    lesson = course.lessons()[0]
    lessons = {"en": lesson}
    for code, title, text in [
        ("ur", "پہلے دن توقعات طے کرنا", URDU_TEXT),
        ("sd", "پهرين ڏينهن تي توقعات طئي ڪرڻ", SINDHI_TEXT),
    ]:
        authoring.translate_page(course, code)
        lessons[code] = authoring.translate_page(
            lesson, code, title=title, body=[("text", text)]
        )
    return lessons


def drawn_by(page, family, text):
    return page.evaluate(
        """([family, text]) => {
            const context = document.createElement("canvas").getContext("2d");
            const widths = ["monospace", "serif"].map(fallback => {
                context.font = `16px "${family}", ${fallback}`;
                return context.measureText(text).width;
            });
            return widths[0] === widths[1];
        }""",
        [family, text],
    )


def fonts_fetched(page, url):
    fetched = []
    page.on(
        "response",
        lambda response: (
            fetched.append(response.url.rsplit("/", 1)[-1])
            if ".woff" in response.url
            else None
        ),
    )
    page.goto(url)
    page.evaluate("document.fonts.ready")
    page.wait_for_load_state("networkidle")
    return fetched


@pytest.mark.parametrize(
    ("code", "family"), [("ur", "Noto Nastaliq Urdu"), ("sd", "Noto Naskh Arabic")]
)
def test_lesson_is_rtl_in_its_scripts_font_and_fits_a_phone(
    page, translated_lesson, code, family
):
    fetched = fonts_fetched(page, translated_lesson[code].url)
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == code
    paragraph = page.locator("main p").filter(has_text="توقع").first
    assert paragraph.evaluate("p => getComputedStyle(p).direction") == "rtl"
    font_family = paragraph.evaluate("p => getComputedStyle(p).fontFamily")
    assert font_family.startswith(f'"{family}"')
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert [name.strip('"') for name in loaded] == [family]
    # One web font, the script's own, and nothing else.
    assert fetched == [FONT_FILES[code]]
    # Every letter of the text is drawn by that face, none by a fallback font:
    # text measures the same whichever fallback comes second. (Latin text,
    # which the Arabic-only face lacks, does not: the check can fail.) Spaces
    # and Latin punctuation come from the system font by design.
    letters = "".join(ch for ch in paragraph.inner_text() if ch >= "\u0600")
    assert len(letters) > 50
    assert drawn_by(page, family, letters)
    assert not drawn_by(page, family, "Classroom rules")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    page.screenshot(path=f"test-artifacts/lesson-{code}.png", full_page=True)


def test_english_lesson_loads_no_web_font(page, translated_lesson):
    fetched = fonts_fetched(page, translated_lesson["en"].url)
    assert page.get_attribute("html", "dir") == "ltr"
    assert fetched == []


def test_admin_rich_text_editor_is_rtl_for_rtl_locales(page, translated_lesson):
    User.objects.create_superuser(
        email="editor@example.org", password="green-mango-tree-42"
    )
    log_in(page, "editor@example.org", "green-mango-tree-42")
    page.wait_for_url("**/learning/")

    for code, direction in [("sd", "rtl"), ("ur", "rtl"), ("en", None)]:
        page.goto(f"/admin/pages/{translated_lesson[code].pk}/edit/")
        editor = page.locator(".Draftail-Editor").first
        editor.wait_for()
        page.wait_for_load_state("load")
        assert editor.get_attribute("dir") == direction, code
        assert page.locator("input[name=title]").get_attribute("dir") == direction
        # The slug stays left to right.
        assert page.locator("input[name=slug]").get_attribute("dir") is None
        typing_direction = page.locator(
            ".Draftail-Editor [contenteditable=true]"
        ).first.evaluate("e => getComputedStyle(e).direction")
        assert typing_direction == (direction or "ltr"), code

    # A block added to the StreamField later is right to left too.
    page.goto(f"/admin/pages/{translated_lesson['sd'].pk}/edit/")
    page.locator(".Draftail-Editor").first.wait_for()
    before = page.locator(".Draftail-Editor").count()
    page.locator("button[title='Insert a block']").last.click()
    page.locator(
        "[role=option]:has-text('Text'), button:has-text('Text')"
    ).first.click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.Draftail-Editor').length > {before}"
    )
    directions = page.eval_on_selector_all(
        ".Draftail-Editor", "editors => editors.map(e => e.getAttribute('dir'))"
    )
    assert directions == ["rtl"] * len(directions)


def test_translation_editor_fields_are_rtl_for_rtl_locales(page, make_course):
    from courses import translation

    course = make_course(lessons=0, title="Classroom rules")
    authoring.translate_page(course.get_parent(), "sd")
    translation.start_translation(course, "sd")
    sindhi_course = course.get_translation(Locale.objects.get(language_code="sd"))
    User.objects.create_superuser(
        email="translator@example.org", password="green-mango-tree-42"
    )
    log_in(page, "translator@example.org", "green-mango-tree-42")
    page.wait_for_url("**/learning/")
    page.goto(f"/admin/pages/{sindhi_course.pk}/edit/")
    page.locator(".js-translation-editor").wait_for()
    # wagtail-localize's editor opens a string's box when asked to translate it.
    page.locator(".js-translation-editor button:has-text('Translate')").first.click()
    box = page.locator(".js-translation-editor textarea").first
    box.wait_for()
    assert box.get_attribute("dir") == "rtl"


# No break opportunity at all (a pasted address or a run-together name).
LONG_WORD = "Assessmentforlearningclassroomobservationandfeedbacktechniques"


@pytest.mark.parametrize("code", ["en", "ur"])
def test_a_long_title_wraps_inside_a_phone_wide_lesson(page, make_course, code):
    course = make_course(
        lessons=1, open_lessons=True, title=f"Course {LONG_WORD}-for-trainers"
    )
    lesson = course.lessons()[0]
    title = f"{LONG_WORD} {LONG_WORD}"
    if code == "ur":
        authoring.translate_page(course, "ur", title=f"کورس {LONG_WORD}")
        lesson = authoring.translate_page(
            lesson, "ur", title=f"سبق {title}", body=[("text", URDU_TEXT)]
        )
    else:
        lesson.title = title
        lesson.save_revision().publish()
    page.goto(lesson.url)

    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    for selector in ("main h1", "main p.muted"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, selector
        assert page.locator(selector).first.evaluate(
            "element => element.scrollWidth <= element.clientWidth"
        ), selector
    page.screenshot(path=f"/tmp/shots-content2/long-title-{code}.png", full_page=True)
