"""A lesson video's captions may be in any content language, named in itself."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from courses.blocks import VideoBlock

pytestmark = pytest.mark.django_db


def _document(name: str, data: bytes) -> Document:
    document = Document(title=name)
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document


def test_captions_may_be_in_every_content_language(settings):
    offered = [
        code
        for code, _name in VideoBlock().child_blocks["captions_language"].field.choices
        if code
    ]
    assert offered == [code for code, _name in settings.LANGUAGES]


def test_sindhi_captions_are_labelled_in_sindhi():
    block = VideoBlock()
    value = block.to_python(
        {
            "video_file": _document("lesson.mp4", b"\x00\x00\x00\x18ftypmp42").pk,
            "captions": _document("lesson.vtt", b"WEBVTT\n").pk,
            "captions_language": "sd",
        }
    )
    html = block.render(value)
    assert 'srclang="sd"' in html
    assert 'label="سنڌي"' in html
