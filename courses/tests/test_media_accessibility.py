"""Images need a text alternative (or to be marked decorative), videos may carry
a transcript, and Wagtail's content checks run with our rules for staff."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Group
from wagtail.blocks import StructBlockValidationError
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from courses.blocks import ImageBlock, VideoBlock
from lms.accounts.services import TRAINERS_GROUP
from lms.tests.test_security_headers import inline_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return get_image_model().objects.create(title="A class", file=get_test_image_file())


def image_value(image, **fields):
    block = ImageBlock()
    return block.to_python(
        {
            "image": image.pk,
            "alt_text": "",
            "decorative": False,
            "caption": "",
            **fields,
        }
    )


@pytest.mark.parametrize(
    ("alt_text", "says"),
    [
        ("", "Say what the image shows"),
        ("   ", "Say what the image shows"),
        ("IMG_2031.JPG", "file name"),
        ("class-photo.webp", "file name"),
        ("Image", "file name"),
        ("تصویر", "file name"),
    ],
)
def test_an_image_without_a_useful_text_alternative_is_refused(image, alt_text, says):
    with pytest.raises(StructBlockValidationError) as refused:
        ImageBlock().clean(image_value(image, alt_text=alt_text))
    assert says in str(refused.value.block_errors["alt_text"].messages[0])


@pytest.mark.parametrize(
    "fields",
    [
        {"alt_text": "Pupils reading in pairs under a tree"},
        {"alt_text": "طلبہ درخت کے نیچے جوڑیوں میں پڑھ رہے ہیں"},
        {"decorative": True},
    ],
)
def test_a_described_or_decorative_image_is_accepted(image, fields):
    ImageBlock().clean(image_value(image, **fields))


def test_a_decorative_image_has_an_empty_alt_so_screen_readers_pass_over_it(image):
    html = ImageBlock().render(
        image_value(image, alt_text="Left over words", decorative=True)
    )
    assert re.search(r'<img [^>]*alt=""', html)
    assert "Left over words" not in html
    described = ImageBlock().render(image_value(image, alt_text="A class at work"))
    assert 'alt="A class at work"' in described


def test_a_videos_transcript_is_shown_under_it_folded(settings):
    block = VideoBlock()
    value = block.to_python(
        {
            "video_file": None,
            "embed": None,
            "title": "Exit tickets",
            "transcript": "<p>The teacher hands out cards.</p>",
        }
    )
    html = block.render(value)
    assert "<details" in html and "Transcript of “Exit tickets”" in html
    assert "The teacher hands out cards." in html
    without = block.render(block.to_python({"title": "Exit tickets"}))
    assert "<details" not in without


def test_the_editors_preview_runs_wagtails_content_checks_with_our_rules(
    client, rf, make_course, make_learner
):
    """The page editor's preview (where Wagtail shows its "Checks") carries the
    checker with our rules; live pages carry nothing of it, so a learner's page
    makes no permission queries for it."""
    course = make_course(lessons=1)
    trainer = make_learner(email="trainer@example.org")
    trainer.groups.add(Group.objects.get(name=TRAINERS_GROUP))
    client.force_login(trainer)  # the preview carries the editor's session
    request = rf.get(
        course.url, HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}"
    )
    response = course.make_preview_request(
        request,
        course.default_preview_mode,
        extra_request_attrs={"in_preview_panel": True, "is_editing": True},
    )
    html = response.content.decode()

    found = re.search(
        r'<script id="checker-axe-configuration" type="application/json">'
        r"(.*?)</script>",
        html,
        re.S,
    )
    assert found, "the content checks are in the preview"
    configuration = json.loads(found.group(1))
    assert {"image-alt", "valid-lang", "alt-text-quality"} <= set(
        configuration["options"]["runOnly"]
    )
    assert "تصویر" in json.dumps(configuration, ensure_ascii=False)
    assert configuration["context"]["include"] == ["main"]
    assert configuration["messages"]["image-alt"]["error_name"]
    assert inline_code(html) == []  # the strict CSP still holds

    assert "checker-axe-configuration" not in client.get(course.url).content.decode()
