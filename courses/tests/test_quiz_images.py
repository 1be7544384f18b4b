"""Images embedded in Moodle XML: imported as Wagtail images in the programme's
collection, shown with alt text to learners, exported back, refused when bad."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from courses import authoring as pages
from courses import services
from courses.models import Question, QuestionCategory, QuestionImage
from courses.quiz_formats import QuestionFormatError, parse_moodle_xml
from courses.quizzes import authoring, bank_import, banks
from courses.quizzes import services as quizzes

from .conftest import page_queries, right_answers

pytestmark = pytest.mark.django_db
Image = get_image_model()


def png(width: int = 24, height: int = 12, colour: str = "#a05a00") -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def file_xml(name: str, data: bytes, path: str = "/") -> str:
    encoded = base64.b64encode(data).decode()
    return f'<file name="{name}" path="{path}" encoding="base64">{encoded}</file>'


def picture_question(
    name: str = "Bar chart",
    text: str = (
        '<p>Which month is tallest? <img src="@@PLUGINFILE@@/chart%20one.png" '
        'alt="A bar chart of rainfall" width="24" height="12"></p>'
    ),
    files: str | None = None,
    grade: str = "1.0000000",
) -> str:
    files = file_xml("chart one.png", png()) if files is None else files
    feedback_image = png(8, 8, "#0b5d3b")
    return f"""  <question type="multichoice">
    <name><text>{name}</text></name>
    <questiontext format="html">
      <text><![CDATA[{text}]]></text>
      {files}
    </questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>{grade}</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <correctfeedback format="html"><text></text></correctfeedback>
    <partiallycorrectfeedback format="html"><text></text></partiallycorrectfeedback>
    <incorrectfeedback format="html"><text></text></incorrectfeedback>
    <answer fraction="100" format="html">
      <text>July</text>
      <feedback format="html">
        <text><![CDATA[<p>Yes <img src="@@PLUGINFILE@@/tick.png" alt="tick"></p>]]>
        </text>
        {file_xml("tick.png", feedback_image)}
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>January</text>
      <feedback format="html"><text></text></feedback>
    </answer>
  </question>
"""


def bank_xml(*questions: str) -> bytes:
    category = (
        '  <question type="category">\n'
        "    <category><text>$course$/top/Charts</text></category>\n"
        '    <info format="html"><text></text></info>\n'
        "  </question>\n"
    )
    body = category + "".join(questions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}</quiz>\n'.encode()


def stored_images() -> list[str]:
    if not default_storage.exists("original_images"):
        return []
    return default_storage.listdir("original_images")[1]


def test_images_import_into_the_programmes_collection(make_course):
    course = make_course(lessons=1)
    result = bank_import.import_bank(course, "bank.xml", bank_xml(picture_question()))
    [question] = result.saved
    rows = {row.name: row.image for row in question.images.select_related("image")}
    assert set(rows) == {"chart one.png", "tick.png"}
    collection = pages.programme_collection(course.get_parent().specific)
    assert {image.collection_id for image in rows.values()} == {collection.pk}
    chart = rows["chart one.png"]
    assert (chart.width, chart.height) == (24, 12)
    assert chart.title == chart.description == "A bar chart of rainfall"
    with chart.open_file() as file:
        assert file.read() == png()
    # The text keeps Moodle's reference: the image is found by its name.
    assert 'src="@@PLUGINFILE@@/chart%20one.png"' in question.text
    assert question.options.get(text="July").feedback.count("@@PLUGINFILE@@") == 1


def test_an_xml_export_writes_the_images_back_and_imports_the_same(make_course):
    source, target = make_course(lessons=1), make_course(lessons=1)
    bank_import.import_bank(source, "bank.xml", bank_xml(picture_question()))
    category = QuestionCategory.objects.get(course=source)
    data = banks.export_bank(banks.bank_questions(category), "xml")
    encoded = base64.b64encode(png()).decode()
    assert (
        f'<file name="chart one.png" path="/" encoding="base64">{encoded}</file>'
        in data.decode()
    )
    [parsed] = parse_moodle_xml(data)
    assert parsed.files == {"chart one.png": png(), "tick.png": png(8, 8, "#0b5d3b")}
    [copy] = bank_import.import_bank(target, "again.xml", data).saved
    original = Question.objects.get(category=category)
    assert copy.text == original.text
    assert {row.name: row.image.file_hash for row in copy.images.all()} == {
        row.name: row.image.file_hash for row in original.images.all()
    }
    # Byte for byte the same file again.
    again = QuestionCategory.objects.get(course=target)
    assert banks.export_bank(banks.bank_questions(again), "xml") == data


def test_gift_cannot_hold_images_and_says_so(make_course):
    course = make_course(lessons=1)
    bank_import.import_bank(course, "bank.xml", bank_xml(picture_question()))
    category = QuestionCategory.objects.get(course=course)
    with pytest.raises(QuestionFormatError) as caught:
        banks.export_bank(banks.bank_questions(category), "gift")
    assert caught.value.question == "Bar chart"
    assert "GIFT cannot hold images" in str(caught.value)


def test_learners_see_the_image_with_its_alt_text_and_nothing_unsafe(
    client, make_course, make_learner
):
    course = make_course(lessons=1)
    hostile = (
        '<p onclick="steal()">Which month? <img src="@@PLUGINFILE@@/chart%20one.png" '
        'alt="A bar chart of rainfall" onerror="steal()">'
        '<script>steal()</script><img src="https://evil.example/x.png">'
        '<a href="javascript:steal()">more</a><style>p{}</style></p>'
    )
    bank_import.import_bank(
        course, "bank.xml", bank_xml(picture_question(text=hostile))
    )
    category = QuestionCategory.objects.get(course=course)
    quiz = authoring.create_quiz(course, "Charts", [(category, 1)], pass_mark=50)
    learner = make_learner()
    services.enrol(learner, course)
    client.force_login(learner)
    attempt = quizzes.start_attempt(learner, quiz, "en")
    page = client.get(reverse("courses:quiz_attempt", args=[attempt.pk]))
    html = page.content.decode()
    image = QuestionImage.objects.get(name="chart one.png").image
    rendition = image.get_rendition("max-800x800")
    assert (
        f'<img alt="A bar chart of rainfall" class="quiz-image" height="12" '
        f'src="{rendition.url}" width="24"/>' in html
    )
    legend = html[html.index("<legend>") : html.index("</legend>")]
    assert "Which month?" in legend and "more" in legend
    assert "steal()" not in html and "evil.example" not in html
    for unsafe in ("@@PLUGINFILE@@", "<script", "<style", "onclick", "href"):
        assert unsafe not in legend

    # Right answer given: the result shows the answer's feedback with its image.
    client.post(
        reverse("courses:quiz_submit", args=[attempt.pk]), right_answers(attempt)
    )
    result = client.get(reverse("courses:quiz_result", args=[attempt.pk]))
    html = result.content.decode()
    tick = QuestionImage.objects.get(name="tick.png").image.get_rendition("max-800x800")
    assert f'src="{rendition.url}"' in html
    assert f'<img alt="tick" class="quiz-image" height="8" src="{tick.url}"' in html
    assert "steal()" not in html and "@@PLUGINFILE@@" not in html


def test_a_translation_shows_the_same_images(make_course):
    course = make_course(lessons=1)
    [question] = bank_import.import_bank(
        course, "bank.xml", bank_xml(picture_question())
    ).saved
    urdu = authoring.translate_question(
        question, "ur", question.text.replace("Which month is tallest?", "کون سا؟")
    )
    assert {(row.name, row.image_id) for row in urdu.images.all()} == {
        (row.name, row.image_id) for row in question.images.all()
    }


def test_a_question_without_images_shows_as_before(client, make_course, make_learner):
    course = make_course(lessons=1)
    category = authoring.category_for(course, "", "Plain")
    authoring.import_questions(
        course,
        parse_moodle_xml(
            bank_xml(
                picture_question(
                    text="<p>Tall &amp; <b>short</b>\nmonths?</p>", files=""
                )
                .replace('<img src="@@PLUGINFILE@@/tick.png" alt="tick">', "")
                .replace(file_xml("tick.png", png(8, 8, "#0b5d3b")), "")
            )
        ),
        category,
    )
    quiz = authoring.create_quiz(course, "Plain", [(category, 1)], pass_mark=50)
    learner = make_learner()
    services.enrol(learner, course)
    client.force_login(learner)
    attempt = quizzes.start_attempt(learner, quiz, "en")
    html = client.get(reverse("courses:quiz_attempt", args=[attempt.pk])).content
    assert "Tall &amp; short<br>months?</legend>" in html.decode()


@pytest.mark.parametrize(
    ("files", "fault_en", "fault_ur"),
    [
        (
            file_xml("chart one.png", png() + bytes(2 * 1024 * 1024)),
            'the image "chart one.png" is 2.0 MB; an image may be at most 2 MB',
            'تصویر "chart one.png" 2.0 MB کی ہے؛ ایک تصویر زیادہ سے زیادہ 2 MB',
        ),
        (
            file_xml("chart one.png", b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"),
            'the file "chart one.png" is not a PNG, JPEG, GIF or WebP image',
            'فائل "chart one.png" PNG، JPEG، GIF یا WebP تصویر نہیں',
        ),
        (
            file_xml(
                "chart one.png",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
            ),
            'the file "chart one.png" is not a PNG, JPEG, GIF or WebP image',
            'فائل "chart one.png" PNG، JPEG، GIF یا WebP تصویر نہیں',
        ),
        (
            "",
            'the text refers to the file "chart one.png", which the question does '
            "not hold",
            'متن فائل "chart one.png" کا حوالہ دیتا ہے',
        ),
    ],
)
def test_bad_images_refuse_the_file_naming_the_question_in_the_trainers_language(
    make_course, files, fault_en, fault_ur
):
    course = make_course(lessons=1)
    data = bank_xml(picture_question("Fine"), picture_question("Broken", files=files))
    with pytest.raises(QuestionFormatError) as caught:
        bank_import.import_bank(course, "bank.xml", data)
    assert str(caught.value).startswith(f'question 2, "Broken": {fault_en}')
    with translation.override("ur"):
        assert str(caught.value).startswith('سوال 2، "Broken": ')
        assert fault_ur in str(caught.value)
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
    assert not Image.objects.exists() and stored_images() == []


def test_a_fault_after_images_were_stored_leaves_no_file_behind(make_course):
    course = make_course(lessons=1)
    data = bank_xml(
        picture_question("Fine"), picture_question("Too many points", grade="99999")
    )
    with pytest.raises(QuestionFormatError, match="too large"):
        bank_import.import_bank(course, "bank.xml", data)
    assert not Question.objects.exists() and not Image.objects.exists()
    assert stored_images() == []


def test_a_preview_stores_no_image(make_course):
    course = make_course(lessons=1)
    preview = bank_import.preview_bank(course, "bank.xml", bank_xml(picture_question()))
    assert [q.name for q in preview.saved] == ["Bar chart"]
    assert not Image.objects.exists() and stored_images() == []


def test_a_bank_file_over_20_mb_is_refused_before_reading(make_course):
    course = make_course(lessons=1)
    data = bank_xml(picture_question()) + b" " * (20 * 1024 * 1024)
    with pytest.raises(QuestionFormatError, match="at most 20 MB"):
        bank_import.import_bank(course, "bank.xml", data)
    assert not Question.objects.exists()


def test_the_attempt_and_result_pages_query_the_same_for_more_images(
    client, make_course, make_learner
):
    def pages_queries(count: int) -> tuple[int, int]:
        course = make_course(lessons=1)
        questions = [picture_question(f"Chart {n}") for n in range(count)]
        bank_import.import_bank(course, "bank.xml", bank_xml(*questions))
        category = QuestionCategory.objects.get(course=course)
        quiz = authoring.create_quiz(
            course, "Charts", [(category, count)], pass_mark=50
        )
        learner = make_learner()
        services.enrol(learner, course)
        client.force_login(learner)
        attempt = quizzes.start_attempt(learner, quiz, "en")
        attempt_url = reverse("courses:quiz_attempt", args=[attempt.pk])
        on_attempt = page_queries(client, attempt_url)
        client.post(
            reverse("courses:quiz_submit", args=[attempt.pk]), right_answers(attempt)
        )
        result_url = reverse("courses:quiz_result", args=[attempt.pk])
        html = client.get(result_url).content.decode()
        assert html.count('class="quiz-image"') == 2 * count  # chart and tick
        return on_attempt, page_queries(client, result_url)

    assert pages_queries(1) == pages_queries(4)
