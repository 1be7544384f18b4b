"""A learner sees a Moodle question's embedded image on a small phone, loaded
under the site's CSP, scaled to the screen, with its alt text."""

import base64
import io

import pytest
from PIL import Image as PillowImage
from PIL import ImageDraw

from courses import services
from courses.quizzes import authoring, bank_import

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def chart_png() -> bytes:
    canvas = PillowImage.new("RGB", (640, 320), "#fdf6e3")
    draw = ImageDraw.Draw(canvas)
    for month, height in enumerate([80, 140, 260, 200]):
        draw.rectangle(
            [60 + month * 140, 300 - height, 140 + month * 140, 300], fill="#0b5d3b"
        )
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


def chart_bank() -> bytes:
    encoded = base64.b64encode(chart_png()).decode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>Rain chart</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which month had the most rain?</p>
<p><img src="@@PLUGINFILE@@/rain.png" alt="Bar chart: rain in four months">
</p>]]></text>
      <file name="rain.png" path="/" encoding="base64">{encoded}</file>
    </questiontext>
    <defaultgrade>1.0000000</defaultgrade>
    <single>true</single>
    <answer fraction="100"><text>The third</text></answer>
    <answer fraction="0"><text>The first</text></answer>
  </question>
</quiz>
""".encode()


def test_a_learner_sees_the_questions_image_on_a_phone(page, make_course, make_learner):
    learner = make_learner(email="chart@example.org", password="green-mango-tree-42")
    course = make_course(lessons=1)
    services.enrol(learner, course)
    bank_import.import_bank(course, "rain.xml", chart_bank())
    quiz = authoring.create_quiz(
        course, "Rain", [(course.question_categories.get(), 1)], pass_mark=50
    )
    log_in(page, "chart@example.org", "green-mango-tree-42")
    page.goto(f"/learning/quizzes/{quiz.pk}/")
    page.click("form[action$='/start/'] button")
    page.wait_for_url("**/learning/attempts/*/")
    image = page.locator("legend img.quiz-image")
    assert image.get_attribute("alt") == "Bar chart: rain in four months"
    page.wait_for_function("() => document.querySelector('img.quiz-image').complete")
    natural, shown = page.evaluate(
        "() => { const i = document.querySelector('img.quiz-image');"
        " return [i.naturalWidth, i.getBoundingClientRect().width]; }"
    )
    assert natural == 640  # loaded (a blocked image has no natural width)
    assert shown <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/roundtrip-quiz-image.png", full_page=True)
    page.locator("input[type=radio]").first.check()
